// Where downloaded parts go. Parts complete out of order, so every sink
// writes by position: into one preallocated buffer when the size is known,
// into a file with positional writes, or kept per part and joined once at
// the end when the size is not known.
import { open, readFile, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { prefault } from '@telegram-mt/crypto-native';
import { FileTransferError } from './errors.js';
import { joinChunks } from './source.js';

export interface Sink {
  /** The size, when known (a resumed download may know it from its last run). */
  readonly size: number | undefined;
  /** Bytes of the parts already there (resumed). */
  readonly doneBytes: number;
  /** Whether part `index` is already there (resumed). */
  has(index: number): boolean;
  /**
   * Whether the sink holds on to the `bytes` it is given. If not, they are
   * the caller's again once write() has returned or settled (copied, or
   * written to disk), and a received packet's buffer can serve the next part.
   */
  readonly keepsBytes: boolean;
  write(index: number, offset: number, bytes: Uint8Array): Promise<void> | void;
  /** All parts are in: the result, `size` bytes. */
  finish(size: number): Promise<Uint8Array | number>;
  /** The transfer failed: keep what can be resumed, release the rest. */
  abandon(): Promise<void>;
}

/**
 * From this size on, a new result buffer has its pages populated at once:
 * taking a page fault per 4 KiB as 100 MB is first written costs the kernel
 * about half as long as decrypting those bytes, one madvise call about a third less.
 */
const PREFAULT_FROM = 8 * 1024 * 1024;

/** Into one buffer, each part copied to its place: a new one of the known size, or the caller's. */
export class BufferSink implements Sink {
  readonly doneBytes = 0;
  readonly keepsBytes = false;
  private constructor(
    readonly size: number | undefined,
    private readonly data: Uint8Array,
  ) {}

  /** A new buffer of the file's size. */
  static fresh(size: number): BufferSink {
    const data = new Uint8Array(size);
    if (size >= PREFAULT_FROM) prefault(data);
    return new BufferSink(size, data);
  }

  /** The caller's buffer (`size`, when known, fits: checked by the caller); the file fills it from its start. */
  static into(data: Uint8Array, size: number | undefined): BufferSink {
    return new BufferSink(size, data);
  }

  has(): boolean {
    return false;
  }
  write(_index: number, offset: number, bytes: Uint8Array): void {
    // Only a file of unknown size can reach past the caller's buffer.
    if (offset + bytes.length > this.data.length) {
      throw new FileTransferError('FILE_TOO_BIG', `the file goes on past the ${this.data.length} bytes of the buffer given as \`into\``);
    }
    this.data.set(bytes, offset);
  }
  async finish(size: number): Promise<Uint8Array> {
    return size === this.data.length ? this.data : this.data.subarray(0, size);
  }
  async abandon(): Promise<void> {}
}

/** Unknown size: parts kept as received (each its own copy already), joined once. */
export class ChunkSink implements Sink {
  readonly size = undefined;
  readonly doneBytes = 0;
  readonly keepsBytes = true;
  private readonly parts = new Map<number, Uint8Array>();
  has(): boolean {
    return false;
  }
  write(index: number, _offset: number, bytes: Uint8Array): void {
    this.parts.set(index, bytes);
  }
  async finish(size: number): Promise<Uint8Array> {
    const ordered = [...this.parts.keys()].sort((a, b) => a - b).map((k) => this.parts.get(k)!);
    const joined = joinChunks(ordered, size);
    this.parts.clear();
    return joined.length === size ? joined : joined.subarray(0, size);
  }
  async abandon(): Promise<void> {
    this.parts.clear();
  }
}

/** What the sidecar of an interrupted download into a path says. */
interface ResumeState {
  v: 1;
  key: string;
  limit: number;
  size: number | null;
  /** Parts 0 … prefix − 1 are written. */
  prefix: number;
  /** Parts written beyond the prefix (parts complete out of order). */
  extra: number[];
}

export const RESUME_SUFFIX = '.tgmt-resume';

function ioError(what: string, e: unknown): FileTransferError {
  return new FileTransferError('IO', `${what}: ${(e as Error).message}`, { cause: e });
}

async function readState(path: string): Promise<ResumeState | undefined> {
  try {
    const s = JSON.parse(await readFile(path, 'utf8')) as ResumeState;
    const whole = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
    if (s.v !== 1 || typeof s.key !== 'string' || !whole(s.limit) || !whole(s.prefix) || !Array.isArray(s.extra) || !s.extra.every(whole)) return undefined;
    if (s.size !== null && !whole(s.size)) return undefined;
    return s;
  } catch {
    return undefined; // absent or unreadable: start over
  }
}

/**
 * A file written in place by position. With `resume`, a small sidecar
 * (`<path>.tgmt-resume`) records which parts are on disk; a later download
 * of the same file (same location, same part size) skips them. The sidecar
 * is written after a part's bytes are, and removed when the file is whole.
 */
export class FileSink implements Sink {
  readonly keepsBytes = false; // write() settles once every byte is in the file
  private readonly done = new Set<number>();
  private prefix = 0;
  private saving: Promise<void> | undefined;
  private dirty = false;
  doneBytes = 0;

  private constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
    private readonly state: ResumeState,
    private readonly resume: boolean,
  ) {}

  get size(): number | undefined {
    return this.state.size ?? undefined;
  }

  static async open(path: string, p: { key: string; limit: number; size: number | undefined; resume: boolean }): Promise<FileSink> {
    const sidecar = path + RESUME_SUFFIX;
    let old = p.resume ? await readState(sidecar) : undefined;
    if (old && (old.key !== p.key || old.limit !== p.limit || (p.size !== undefined && old.size !== null && old.size !== p.size))) old = undefined;
    let handle: FileHandle | undefined;
    if (old) handle = await open(path, 'r+').catch(() => undefined);
    if (handle === undefined) {
      old = undefined;
      handle = await open(path, 'w').catch((e: unknown) => {
        throw ioError(`opening ${path}`, e);
      });
    }
    const state: ResumeState = { v: 1, key: p.key, limit: p.limit, size: p.size ?? old?.size ?? null, prefix: 0, extra: [] };
    const sink = new FileSink(path, handle, state, p.resume);
    if (old) {
      const size = state.size;
      const partBytes = (i: number) => (size === null ? p.limit : Math.max(0, Math.min(p.limit, size - i * p.limit)));
      for (let i = 0; i < old.prefix; i++) sink.mark(i, partBytes(i));
      for (const i of old.extra) if (!sink.done.has(i)) sink.mark(i, partBytes(i));
    }
    return sink;
  }

  private mark(index: number, bytes: number): void {
    this.done.add(index);
    this.doneBytes += bytes;
    while (this.done.has(this.prefix)) this.done.delete(this.prefix++);
  }

  has(index: number): boolean {
    return index < this.prefix || this.done.has(index);
  }

  async write(index: number, offset: number, bytes: Uint8Array): Promise<void> {
    try {
      let at = 0;
      while (at < bytes.length) {
        const r = await this.handle.write(bytes, at, bytes.length - at, offset + at);
        at += r.bytesWritten;
      }
    } catch (e) {
      throw ioError(`writing ${this.path}`, e);
    }
    this.mark(index, bytes.length);
    if (this.resume) this.save();
  }

  /** Records progress in the sidecar; at most one write at a time, the latest state wins. */
  private save(): void {
    this.dirty = true;
    if (this.saving) return;
    this.saving = (async () => {
      while (this.dirty) {
        this.dirty = false;
        this.state.prefix = this.prefix;
        this.state.extra = [...this.done];
        await writeFile(this.path + RESUME_SUFFIX, JSON.stringify(this.state)).catch(() => {});
      }
      this.saving = undefined;
    })();
  }

  /** Learnt the size (a download of unknown size found its end): kept for a resume. */
  setSize(size: number): void {
    this.state.size = size;
  }

  async finish(size: number): Promise<number> {
    await this.saving;
    try {
      if ((await this.handle.stat()).size !== size) await this.handle.truncate(size);
      await this.handle.close();
    } catch (e) {
      throw ioError(`finishing ${this.path}`, e);
    }
    await rm(this.path + RESUME_SUFFIX, { force: true }).catch(() => {});
    return size;
  }

  async abandon(): Promise<void> {
    await this.saving;
    await this.handle.close().catch(() => {});
  }
}
