// An in-memory FileHost for the file module's unit tests: it keeps uploaded
// parts and files per DC and applies Telegram's rules (part sizes, the 10 MiB
// small-file limit, MD5, getFile offset/limit, FILE_MIGRATE_X), with faults
// and a delay per call so that parts really are in flight together.
import { createHash } from 'node:crypto';
import type { TlResult, tl } from '@telegram-mt/tl';
import { ConnectionClosedError, RequestAbortedError, RpcError } from '../src/errors.js';
import type { FileHost, FileHostInvokeOptions } from '../src/files/index.js';

const KIB = 1024;

interface Upload {
  parts: Map<number, Uint8Array>;
  big: boolean;
  totalParts: number | undefined;
}

export class FakeFileHost implements FileHost {
  homeDcId = 2;
  transferConnections = 3;
  /** ms each call takes (0: the next macrotask). */
  delayMs = 0;
  /** Errors the next calls of a method get instead of running (a function picks by request). */
  faults: { method: string; error: () => Error; when?: (req: tl.TlMethod) => boolean; times: number }[] = [];
  /** Files by id; `dcId` is where each is kept. */
  readonly files = new Map<bigint, { dcId: number; bytes: Uint8Array }>();
  private readonly uploads = new Map<bigint, Upload>();
  private nextFileId = 1n;
  calls: { dcId: number; lane: number; method: string; offset?: number; limit?: number }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Calls neither resolved nor rejected yet. */
  pending = 0;
  /** Incremented as a call settles; tests stop at a count. */
  onCall?: (n: number) => void;

  async invokeOnDc<R extends tl.TlMethod>(dcId: number, request: R, opts: FileHostInvokeOptions = {}): Promise<TlResult<R>> {
    const lane = opts.lane ?? 0;
    if (!(lane >= 0 && lane < this.transferConnections)) throw new RangeError(`lane ${lane}`);
    const r = request as tl.TlMethod & { offset?: bigint; limit?: number };
    this.calls.push({ dcId, lane, method: request._, offset: r.offset === undefined ? undefined : Number(r.offset), limit: r.limit });
    this.pending++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise<void>((resolve, reject) => {
        if (opts.signal?.aborted) return reject(new RequestAbortedError(request._, opts.signal.reason));
        const onAbort = () => {
          clearTimeout(timer);
          reject(new RequestAbortedError(request._, opts.signal!.reason));
        };
        const timer = setTimeout(() => {
          opts.signal?.removeEventListener('abort', onAbort);
          resolve();
        }, this.delayMs);
        opts.signal?.addEventListener('abort', onAbort, { once: true });
      });
      const fault = this.faults.find((f) => f.method === request._ && f.times > 0 && (f.when?.(request) ?? true));
      if (fault) {
        fault.times--;
        throw fault.error();
      }
      return this.run(dcId, request) as TlResult<R>;
    } finally {
      this.inFlight--;
      this.pending--;
      this.onCall?.(this.calls.length);
    }
  }

  private run(dcId: number, req: tl.TlMethod): unknown {
    switch (req._) {
      case 'upload.saveFilePart':
        return this.savePart(dcId, req.fileId, req.filePart, req.bytes, undefined);
      case 'upload.saveBigFilePart':
        return this.savePart(dcId, req.fileId, req.filePart, req.bytes, req.fileTotalParts);
      case 'upload.getFile':
        return this.getFile(dcId, req);
      default:
        throw new RpcError(400, 'METHOD_INVALID', req._);
    }
  }

  private savePart(dcId: number, fileId: bigint, part: number, bytes: Uint8Array, total: number | undefined): boolean {
    if (dcId !== this.homeDcId) throw new RpcError(400, 'FILE_ID_INVALID');
    const big = total !== undefined;
    if (bytes.length === 0 || bytes.length > 512 * KIB) throw new RpcError(400, 'FILE_PART_SIZE_INVALID');
    if (big && !(total === -1 || (total > 0 && total <= 8000))) throw new RpcError(400, 'FILE_PARTS_INVALID');
    if (!(part >= 0 && part < (big && total! > 0 ? total! : 8000))) throw new RpcError(400, 'FILE_PART_INVALID');
    let u = this.uploads.get(fileId);
    if (u === undefined) this.uploads.set(fileId, (u = { parts: new Map(), big, totalParts: undefined }));
    if (u.big !== big) throw new RpcError(400, 'FILE_PART_INVALID');
    if (big && total! > 0) {
      if (u.totalParts !== undefined && u.totalParts !== total) throw new RpcError(400, 'FILE_PARTS_INVALID');
      u.totalParts = total;
    }
    u.parts.set(part, bytes.slice());
    return true;
  }

  /** What messages.sendMedia would do with an InputFile: checks it and keeps the file on `dcId`; returns its location. */
  commit(file: tl.InputFile, dcId = this.homeDcId): { location: tl.inputDocumentFileLocation; bytes: Uint8Array } {
    if (file._ === 'inputFileStoryDocument') throw new Error('not a file');
    const u = this.uploads.get(file.id);
    if (u === undefined) throw new RpcError(400, 'FILE_PART_0_MISSING');
    if (u.big !== (file._ === 'inputFileBig')) throw new RpcError(400, 'FILE_PARTS_INVALID');
    if (u.big && u.totalParts !== file.parts) throw new RpcError(400, 'FILE_PARTS_INVALID');
    if (u.parts.size !== file.parts) throw new RpcError(400, 'FILE_PARTS_INVALID');
    const partSize = u.parts.get(0)!.length;
    let size = 0;
    for (let i = 0; i < file.parts; i++) {
      const p = u.parts.get(i);
      if (p === undefined) throw new RpcError(400, `FILE_PART_${i}_MISSING`);
      const last = i === file.parts - 1;
      if (!last && (p.length !== partSize || partSize % KIB !== 0 || (512 * KIB) % partSize !== 0)) throw new RpcError(400, 'FILE_PART_SIZE_INVALID');
      if (last && p.length > partSize) throw new RpcError(400, 'FILE_PART_SIZE_INVALID');
      size += p.length;
    }
    if (!u.big && size > 10 * KIB * KIB) throw new RpcError(400, 'FILE_PART_TOO_BIG');
    const bytes = new Uint8Array(size);
    let at = 0;
    for (let i = 0; i < file.parts; i++) {
      bytes.set(u.parts.get(i)!, at);
      at += u.parts.get(i)!.length;
    }
    if (file._ === 'inputFile' && file.md5Checksum !== '' && file.md5Checksum !== createHash('md5').update(bytes).digest('hex')) {
      throw new RpcError(400, 'MD5_CHECKSUM_INVALID');
    }
    this.uploads.delete(file.id);
    return { location: this.store(bytes, dcId), bytes };
  }

  /** Keeps `bytes` as a file on `dcId`. */
  store(bytes: Uint8Array, dcId: number): tl.inputDocumentFileLocation {
    const id = this.nextFileId++;
    this.files.set(id, { dcId, bytes });
    return { _: 'inputDocumentFileLocation', id, accessHash: id * 7n, fileReference: new Uint8Array([1, 2, 3]), thumbSize: '' };
  }

  private getFile(dcId: number, req: tl.upload.getFile): tl.upload.file {
    const loc = req.location;
    if (loc._ !== 'inputDocumentFileLocation') throw new RpcError(400, 'LOCATION_INVALID');
    const file = this.files.get(loc.id);
    if (file === undefined || loc.accessHash !== loc.id * 7n) throw new RpcError(400, 'FILE_REFERENCE_INVALID');
    if (file.dcId !== dcId) throw new RpcError(303, `FILE_MIGRATE_${file.dcId}`);
    const offset = Number(req.offset);
    const limit = req.limit;
    if (offset < 0 || offset % (4 * KIB) !== 0) throw new RpcError(400, 'OFFSET_INVALID');
    if (limit <= 0 || limit % (4 * KIB) !== 0 || (1024 * KIB) % limit !== 0) throw new RpcError(400, 'LIMIT_INVALID');
    if (Math.floor(offset / (1024 * KIB)) !== Math.floor((offset + limit - 1) / (1024 * KIB))) throw new RpcError(400, 'LIMIT_INVALID');
    return { _: 'upload.file', type: { _: 'storage.filePartial' }, mtime: 0, bytes: file.bytes.slice(offset, offset + limit) };
  }
}

export const transient = () => new ConnectionClosedError('dropped by the test');

export function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Deterministic bytes (a seeded xorshift), so failures replay. */
export function bytesOf(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 0xff;
  }
  return out;
}

/** Timers alive in this process (a transfer that settled must leave none behind). */
export function liveTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}
