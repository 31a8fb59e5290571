// Uploads in progress: the parts a client saves with upload.saveFilePart /
// saveBigFilePart, per (DC, uploader, file_id), checked against Telegram's
// part rules (core.telegram.org/api/files). Parts stay the Buffers their
// requests carried (the TL reader hands out copies it no longer touches):
// nothing is concatenated, and a finished file takes the same Buffers.
import { createHash } from 'node:crypto';
import type { tl } from '@telegram-mt/tl';
import { RpcError } from '../rpc/rpc-error.js';

/** Every part but the last has the same size: a multiple of 1 KiB that divides 512 KiB. */
export const PART_SIZE_MAX = 512 * 1024;
export const PART_SIZE_UNIT = 1024;
/** Up to this size a file goes up with saveFilePart and `inputFile`; above it saveBigFilePart and `inputFileBig`. */
export const SMALL_FILE_MAX = 10 * 1024 * 1024;
/** Part numbers run 0…3999 (Telegram Premium: 7999), so 2 GB per file with 512 KiB parts. */
export const PARTS_MAX = 4000;
/**
 * What a part costs beyond its bytes (its Buffer and backing store, the slot,
 * for a first part the upload's record and key): counted so that a flood of
 * tiny parts or file ids is bounded by the same cap as large ones.
 */
const PART_OVERHEAD = 512;

/** A whole file's bytes, as the parts it was uploaded in. */
export interface FileData {
  /** In order; all but the last have `partSize` bytes. */
  readonly parts: readonly Buffer[];
  readonly partSize: number;
  readonly size: number;
  /** What it holds of the quota (bytes and per-part overhead); returned when the last file using it is forgotten. */
  readonly charged: number;
  /** Its bytes were given back: an upload that made it can no longer be used. */
  released?: boolean;
}

/** Memory shared by pending uploads and stored files, bounded by `max` bytes. */
export interface ByteQuota {
  used: number;
  readonly max: number;
}

interface Upload {
  big: boolean;
  /** Announced by saveBigFilePart. */
  totalParts: number | undefined;
  parts: (Buffer | undefined)[];
  /** The size every part but the last must have, once a part is known not to be the last. */
  partSize: number | undefined;
  /** Highest part number saved. */
  top: number;
  /** Bytes of the parts saved. */
  bytes: number;
  /** Bytes charged to the quota (parts plus overhead). */
  charged: number;
  touched: number;
  /** Set once an inputFile used it: its bytes now belong to a stored file. */
  done: FileData | undefined;
}

export function isValidPartSize(n: number): boolean {
  return n > 0 && n % PART_SIZE_UNIT === 0 && PART_SIZE_MAX % n === 0;
}

export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
  private lastSweep = 0;

  constructor(
    private readonly quota: ByteQuota,
    /** Uploads untouched this long are dropped with their parts. */
    private readonly idleMs: number,
    private readonly now: () => number,
  ) {}

  /** Pending uploads (for tests and stats). */
  get size(): number {
    return this.uploads.size;
  }

  /**
   * upload.saveFilePart (`totalParts` undefined) or upload.saveBigFilePart.
   * `owner` names the uploader (the signed-in user).
   */
  savePart(dcId: number, owner: string, fileId: bigint, part: number, totalParts: number | undefined, bytes: Uint8Array): void {
    const big = totalParts !== undefined;
    if (!Number.isInteger(part) || part < 0 || part >= PARTS_MAX) throw new RpcError(400, 'FILE_PART_INVALID');
    if (big && (totalParts < 1 || totalParts > PARTS_MAX)) throw new RpcError(400, 'FILE_PARTS_INVALID');
    if (big && part >= totalParts) throw new RpcError(400, 'FILE_PART_INVALID');
    if (bytes.length === 0) throw new RpcError(400, 'FILE_PART_EMPTY');
    if (bytes.length > PART_SIZE_MAX) throw new RpcError(400, 'FILE_PART_TOO_BIG');
    const now = this.now();
    this.sweep(now);
    const key = uploadKey(dcId, owner, fileId);
    let up = this.uploads.get(key);
    if (up !== undefined && up.done !== undefined) {
      // A file id already turned into a file starts over (clients draw file ids at random, so this is a new file).
      this.uploads.delete(key);
      up = undefined;
    }
    if (up !== undefined && up.big !== big) throw new RpcError(400, 'FILE_ID_INVALID');
    if (up !== undefined && big && up.totalParts !== totalParts) throw new RpcError(400, 'FILE_PARTS_INVALID');
    const draft: Upload = up ?? { big, totalParts, parts: [], partSize: undefined, top: -1, bytes: 0, charged: 0, touched: now, done: undefined };

    // Sizes: a part known not to be the last must have the file's part size.
    const n = bytes.length;
    const notLast = big ? part < totalParts! - 1 : part < draft.top;
    let partSize = draft.partSize;
    const requireFull = (size: number): void => {
      if (!isValidPartSize(size)) throw new RpcError(400, 'FILE_PART_SIZE_INVALID');
      if (partSize !== undefined && partSize !== size) throw new RpcError(400, 'FILE_PART_SIZE_CHANGED');
      partSize = size;
    };
    if (notLast) requireFull(n);
    // A new highest part makes the previous highest one a middle part.
    if (!big && part > draft.top && draft.top >= 0) {
      const prev = draft.parts[draft.top];
      if (prev !== undefined) requireFull(prev.length);
    }
    if (partSize !== undefined && !notLast && n > partSize) throw new RpcError(400, 'FILE_PART_SIZE_INVALID');
    if (!big && partSize !== undefined && part * partSize + n > SMALL_FILE_MAX) throw new RpcError(400, 'FILE_PARTS_INVALID');

    const old = draft.parts[part];
    const grows = n - (old?.length ?? 0);
    if (!big && draft.bytes + grows > SMALL_FILE_MAX) throw new RpcError(400, 'FILE_PARTS_INVALID');
    const delta = grows + (old === undefined ? PART_OVERHEAD : 0);
    this.charge(delta, now);

    draft.partSize = partSize;
    draft.parts[part] = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    draft.top = Math.max(draft.top, part);
    draft.bytes += grows;
    draft.charged += delta;
    draft.touched = now;
    if (up === undefined) this.uploads.set(key, draft);
  }

  /**
   * The file an `inputFile` / `inputFileBig` names, checked whole: every part
   * there, sizes consistent, the MD5 when given. The upload stays (a retried
   * sendMedia names it again) but its bytes now count as the stored file's.
   */
  take(dcId: number, owner: string, input: tl.InputFile): FileData {
    if (input._ !== 'inputFile' && input._ !== 'inputFileBig') throw new RpcError(400, 'FILE_ID_INVALID');
    const key = uploadKey(dcId, owner, input.id);
    const up = this.uploads.get(key);
    if (input.parts < 1 || input.parts > PARTS_MAX) throw new RpcError(400, 'FILE_PARTS_INVALID');
    if (up?.done?.released) this.uploads.delete(key);
    if (up === undefined || up.done?.released) throw new RpcError(400, 'FILE_PART_0_MISSING');
    up.touched = this.now();
    if (up.done !== undefined) {
      if (up.done.parts.length !== input.parts) throw new RpcError(400, 'FILE_PARTS_INVALID');
      return up.done;
    }
    const big = input._ === 'inputFileBig';
    if (up.big !== big) throw new RpcError(400, 'FILE_ID_INVALID');
    if (big && up.totalParts !== input.parts) throw new RpcError(400, 'FILE_PARTS_INVALID');
    if (up.top >= input.parts) throw new RpcError(400, 'FILE_PARTS_INVALID');
    const parts: Buffer[] = new Array(input.parts);
    let size = 0;
    for (let i = 0; i < input.parts; i++) {
      const p = up.parts[i];
      if (p === undefined) throw new RpcError(400, `FILE_PART_${i}_MISSING`);
      parts[i] = p;
      size += p.length;
    }
    const partSize = parts[0]!.length;
    for (let i = 0; i < parts.length - 1; i++) {
      if (parts[i]!.length !== partSize || !isValidPartSize(partSize)) throw new RpcError(400, 'FILE_PART_SIZE_INVALID');
    }
    if (parts.length > 1 && parts.at(-1)!.length > partSize) throw new RpcError(400, 'FILE_PART_SIZE_INVALID');
    if (!big && size > SMALL_FILE_MAX) throw new RpcError(400, 'FILE_PARTS_INVALID');
    if (input._ === 'inputFile' && input.md5Checksum !== '') {
      const md5 = createHash('md5');
      for (const p of parts) md5.update(p);
      if (md5.digest('hex') !== input.md5Checksum.toLowerCase()) throw new RpcError(400, 'MD5_CHECKSUM_INVALID');
    }
    up.done = { parts, partSize, size, charged: up.charged };
    return up.done;
  }

  /** Drops every pending upload and gives its bytes back. */
  clear(): void {
    for (const up of this.uploads.values()) if (up.done === undefined) this.quota.used -= up.charged;
    this.uploads.clear();
  }

  /** Drops uploads idle past the limit (their bytes return to the quota unless a stored file took them). */
  sweep(now: number, force = false): void {
    if (!force && now - this.lastSweep < Math.min(this.idleMs, 10_000)) return;
    this.lastSweep = now;
    for (const [key, up] of this.uploads) {
      if (now - up.touched < this.idleMs) continue;
      if (up.done === undefined) this.quota.used -= up.charged;
      this.uploads.delete(key);
    }
  }

  private charge(delta: number, now: number): void {
    if (delta <= 0 || this.quota.used + delta <= this.quota.max) {
      this.quota.used += delta;
      return;
    }
    this.sweep(now, true);
    if (this.quota.used + delta > this.quota.max) throw new RpcError(400, 'EMULATOR_STORAGE_FULL');
    this.quota.used += delta;
  }
}

function uploadKey(dcId: number, owner: string, fileId: bigint): string {
  return `${dcId}:${owner}:${fileId}`;
}
