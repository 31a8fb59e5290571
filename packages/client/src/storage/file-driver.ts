import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MapDriver } from './map-driver.js';
import { StorageCorruptError, StorageError } from './errors.js';
import { fromJson, toJson } from './value.js';

/** Written as the file's `format`; a file with another one is not ours. */
export const STORAGE_FILE_FORMAT = 'telegram-mt-storage';
export const STORAGE_FILE_VERSION = 1;

export interface FileDriverOptions {
  /**
   * Changes are written at most this long after the first unwritten one
   * (ms, default 100): a burst of changes costs one write, and no change
   * waits longer than this plus one write. 0 writes on the next tick.
   */
  flushDelayMs?: number;
}

export interface FileDriverStats {
  /** Files written (each one atomic: temp file, fsync, rename). */
  writes: number;
}

// Paths open in this process: two storages writing one file would undo each other.
const openPaths = new Set<string>();

/**
 * All records in one JSON file, rewritten whole and atomically: a temp file
 * beside it (mode 0600) is written and fsynced, then renamed over it, and the
 * directory is fsynced, so a crash leaves the old file or the new one, never
 * half of one.
 */
export class FileDriver extends MapDriver {
  readonly path: string;
  readonly stats: FileDriverStats = { writes: 0 };
  private readonly flushDelayMs: number;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  /** The write in progress, if any; writes never overlap. */
  private writing: Promise<void> | undefined;
  /** A failed background write, reported by the next flush() or close(). */
  private writeError: unknown;
  private locked = false;

  constructor(path: string, options: FileDriverOptions = {}) {
    super();
    this.path = resolve(path);
    this.flushDelayMs = Math.max(0, options.flushDelayMs ?? 100);
  }

  protected async loadRecords(): Promise<void> {
    if (!this.locked) {
      if (openPaths.has(this.path)) throw new StorageError('IN_USE', `storage file ${this.path} is already open in this process`);
      openPaths.add(this.path);
      this.locked = true;
    }
    try {
      await this.readRecords();
    } catch (e) {
      // Not opened, so not held: a repaired file can be opened by a new storage.
      openPaths.delete(this.path);
      this.locked = false;
      throw e;
    }
  }

  private async readRecords(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new StorageError('IO', `cannot read storage file ${this.path}: ${(e as Error).message}`, { cause: e });
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new StorageCorruptError(this.path, `not JSON (${(e as Error).message})`, { cause: e });
    }
    const d = doc as { format?: unknown; version?: unknown; records?: unknown };
    if (typeof doc !== 'object' || doc === null || d.format !== STORAGE_FILE_FORMAT) {
      throw new StorageCorruptError(this.path, `not a ${STORAGE_FILE_FORMAT} file`);
    }
    if (d.version !== STORAGE_FILE_VERSION) throw new StorageCorruptError(this.path, `version ${String(d.version)} is not one this library reads (${STORAGE_FILE_VERSION})`);
    if (typeof d.records !== 'object' || d.records === null || Array.isArray(d.records)) throw new StorageCorruptError(this.path, 'records is not an object');
    const records = new Map<string, ReturnType<typeof fromJson>>();
    for (const [k, v] of Object.entries(d.records)) {
      try {
        records.set(k, fromJson(v, k));
      } catch (e) {
        throw new StorageCorruptError(this.path, (e as Error).message, { cause: e });
      }
    }
    this.records = records;
  }

  protected changed(): void {
    this.dirty = true;
    if (this.timer === undefined && this.writing === undefined) {
      this.timer = setTimeout(() => this.background(), this.flushDelayMs);
    }
  }

  private background(): void {
    this.timer = undefined;
    this.writeOut().catch((e: unknown) => {
      this.writeError = e;
    });
  }

  /** Writes until nothing is dirty; one write at a time. */
  private async writeOut(): Promise<void> {
    while (this.writing) await this.writing;
    if (!this.dirty) return;
    this.dirty = false;
    const text = JSON.stringify({ format: STORAGE_FILE_FORMAT, version: STORAGE_FILE_VERSION, records: Object.fromEntries([...this.records].map(([k, v]) => [k, toJson(v)])) });
    this.writing = this.writeAtomically(text).then(
      () => {
        this.writing = undefined;
        // Changes made during the write get their own, after the same delay.
        if (this.dirty && this.timer === undefined && !this.closed) this.timer = setTimeout(() => this.background(), this.flushDelayMs);
      },
      (e: unknown) => {
        this.writing = undefined;
        this.dirty = true;
        throw e;
      },
    );
    await this.writing;
  }

  private async writeAtomically(text: string): Promise<void> {
    const dir = dirname(this.path);
    const tmp = join(dir, `.${basename(this.path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.chmod(0o600); // whatever the umask
        await fh.writeFile(text, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.path);
    } catch (e) {
      await unlink(tmp).catch(() => {});
      throw new StorageError('IO', `cannot write storage file ${this.path}: ${(e as Error).message}`, { cause: e });
    }
    this.stats.writes++;
    // The rename is durable only once the directory is; not every platform lets a directory be opened.
    try {
      const d = await open(dir, 'r');
      try {
        await d.sync();
      } finally {
        await d.close();
      }
    } catch {
      // best effort
    }
  }

  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.writeError !== undefined) {
      const e = this.writeError;
      this.writeError = undefined;
      this.dirty = true;
      // Try again: the disk may have recovered; if not, the caller hears why.
      await this.writeOut().catch(() => {
        throw e;
      });
      return;
    }
    await this.writeOut();
  }

  protected async release(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.locked) openPaths.delete(this.path);
    this.locked = false;
  }
}
