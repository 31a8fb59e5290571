// uploadFile: a buffer, a file path or a stream to Telegram, in parts on the
// home DC, several in flight across the host's lanes. Files up to 10 MiB go
// by upload.saveFilePart with an MD5, bigger ones by saveBigFilePart.
import { createHash, randomBytes } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { tl } from '@telegram-mt/tl';
import { FileTransferError } from './errors.js';
import type { FileHost } from './host.js';
import { BIG_FILE_THRESHOLD, MAX_UPLOAD_PARTS, uploadPartCount, uploadPartSize } from './part-size.js';
import { BufferParts, FileParts, joinChunks, readUpTo, StreamParts, type ChunkIterator, type PartReader } from './source.js';
import { laneOf, parallelOf, Transfer, type TransferOptions } from './transfer.js';

/** Bytes, a file path, or a readable stream (a Node Readable or any async iterable of bytes). */
export type UploadSource = Uint8Array | string | NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>;

export interface UploadOptions extends TransferOptions {
  /** The name Telegram keeps (default: the path's base name, else "file"). */
  fileName?: string;
  /** The stream's size, when known (ignored for buffers and paths). */
  size?: number;
  /** Bytes per part: a multiple of 1024 that divides 524288 (default: by size, 512 KiB for big files). */
  partSize?: number;
}

/** What an upload ends with, to pass to messages.sendMedia and the like. */
export type UploadedFile = tl.inputFile | tl.inputFileBig;

interface Plan {
  reader: PartReader;
  /** Known total size; undefined for a big stream of unknown size. */
  size: number | undefined;
  partSize: number;
  big: boolean;
  md5: string;
  /** The stream reader, to check the count against an announced size at the end. */
  stream?: StreamParts;
}

/**
 * Lets go of a stream read (in full or in part): a Node stream is destroyed,
 * as a `for await` left early would, which also ends a read still waiting on
 * it; the iteration is ended without waiting (an async generator would only
 * return after that pending read).
 */
function endStream(source: UploadSource, iterator: ChunkIterator): void {
  const s = source as { destroy?: () => void; destroyed?: boolean };
  if (typeof s.destroy === 'function' && s.destroyed !== true) s.destroy();
  void Promise.resolve(iterator.return?.()).catch(() => {});
}

function randomFileId(): bigint {
  return randomBytes(8).readBigInt64LE(0);
}

function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

function md5Hex(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

function bufferPlan(data: Uint8Array, partSize?: number): Plan {
  if (data.length === 0) throw new FileTransferError('EMPTY_FILE', 'nothing to upload: the file is empty');
  const size = data.length;
  const part = uploadPartSize(size, partSize);
  uploadPartCount(size, part);
  const big = size > BIG_FILE_THRESHOLD;
  return { reader: new BufferParts(data, part), size, partSize: part, big, md5: big ? '' : md5Hex(data) };
}

async function readWhole(handle: FileHandle, size: number): Promise<Uint8Array> {
  const data = new Uint8Array(size);
  let at = 0;
  while (at < size) {
    const r = await handle.read(data, at, size - at, at);
    if (r.bytesRead === 0) throw new FileTransferError('SIZE_MISMATCH', `the file ended at ${at} bytes, ${size} were expected`);
    at += r.bytesRead;
  }
  return data;
}

async function filePlan(handle: FileHandle, opts: UploadOptions): Promise<Plan> {
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (e) {
    throw new FileTransferError('IO', `stat of the file: ${(e as Error).message}`, { cause: e });
  }
  // A small file is read whole (≤ 10 MiB): its MD5 needs the bytes in order anyway.
  if (size <= BIG_FILE_THRESHOLD) return bufferPlan(await readWhole(handle, size).catch(ioError), opts.partSize);
  const partSize = uploadPartSize(size, opts.partSize);
  uploadPartCount(size, partSize);
  return { reader: new FileParts(handle, size, partSize), size, partSize, big: true, md5: '' };
}

function ioError(e: unknown): never {
  if (e instanceof FileTransferError) throw e;
  throw new FileTransferError('IO', `reading the file: ${(e as Error).message}`, { cause: e });
}

/**
 * A stream: with a known size up to 10 MiB, or of unknown size that ends
 * within 10 MiB, it is read whole and sent as a small file; otherwise it is
 * cut into 512 KiB parts as it arrives, sent as a big file (with the part
 * count -1 until the last part when the size is not known).
 */
async function streamPlan(it: ChunkIterator, opts: UploadOptions, signal: AbortSignal): Promise<Plan> {
  const announced = opts.size;
  if (announced !== undefined && !(Number.isSafeInteger(announced) && announced >= 0)) throw new RangeError(`size must be a whole number ≥ 0, got ${announced}`);
  const ahead = await readUpTo(it, Math.min(announced ?? Infinity, BIG_FILE_THRESHOLD) + 1, signal);
  if (ahead.ended) {
    if (announced !== undefined && ahead.length !== announced) {
      throw new FileTransferError('SIZE_MISMATCH', `the stream gave ${ahead.length} bytes, ${announced} were announced`);
    }
    return bufferPlan(joinChunks(ahead.chunks, ahead.length), opts.partSize);
  }
  if (announced !== undefined && announced <= BIG_FILE_THRESHOLD) {
    throw new FileTransferError('SIZE_MISMATCH', `the stream gave more than the ${announced} bytes announced`);
  }
  const partSize = uploadPartSize(announced, opts.partSize);
  if (announced !== undefined) uploadPartCount(announced, partSize);
  const stream = new StreamParts(it, partSize, signal, ahead.chunks, announced ?? MAX_UPLOAD_PARTS * partSize, announced !== undefined);
  return { reader: stream, size: announced, partSize, big: true, md5: '', stream };
}

/**
 * Uploads `source` to the user's home DC and resolves to the InputFile to
 * send it with. Rejects with FileTransferError (aborted, empty, too big, a
 * part that kept failing, I/O) or the server's RpcError.
 */
export async function uploadFile(host: FileHost, source: UploadSource, opts: UploadOptions = {}): Promise<UploadedFile> {
  const parallel = parallelOf(opts.parallel);
  const transfer = new Transfer(opts);
  let handle: FileHandle | undefined;
  let plan: Plan | undefined;
  let iterator: ChunkIterator | undefined;
  try {
    transfer.check();
    let name = opts.fileName;
    if (source instanceof Uint8Array) {
      plan = bufferPlan(source, opts.partSize);
    } else if (typeof source === 'string') {
      name ??= basename(source);
      try {
        handle = await open(source, 'r');
      } catch (e) {
        throw new FileTransferError('IO', `opening ${source}: ${(e as Error).message}`, { cause: e });
      }
      plan = await filePlan(handle, opts);
    } else if (isAsyncIterable(source)) {
      iterator = source[Symbol.asyncIterator]();
      plan = await streamPlan(iterator, opts, transfer.signal);
    } else {
      throw new TypeError('uploadFile: the source must be bytes, a file path or a readable stream');
    }
    transfer.check();
    const p = plan;
    const fileId = randomFileId();
    const knownParts = p.size === undefined ? undefined : Math.ceil(p.size / p.partSize);
    transfer.total = p.size ?? -1;
    const dcId = host.homeDcId;
    const lanes = Math.max(1, host.transferConnections);
    let sentParts = 0;

    await transfer.run(Math.min(parallel, knownParts ?? parallel), async (w) => {
      const lane = laneOf(w, lanes);
      for (;;) {
        transfer.check();
        const part = await p.reader.next();
        if (part === undefined) return;
        try {
          const request: tl.upload.saveBigFilePart | tl.upload.saveFilePart = p.big
            ? {
                _: 'upload.saveBigFilePart',
                fileId,
                filePart: part.index,
                // A stream of unknown size says -1 until its last part, which carries the count.
                fileTotalParts: knownParts ?? (part.last ? part.index + 1 : -1),
                bytes: part.bytes,
              }
            : { _: 'upload.saveFilePart', fileId, filePart: part.index, bytes: part.bytes };
          await transfer.attempt(`part ${part.index}`, async () => {
            const ok = await host.invokeOnDc(dcId, request, { lane, signal: transfer.signal, timeout: opts.partTimeout });
            if (ok !== true) throw new FileTransferError('BAD_PART', `the server did not take part ${part.index}`);
          });
          sentParts++;
          transfer.progress(part.bytes.length);
        } finally {
          part.release();
        }
      }
    });

    const parts = p.stream ? p.stream.claimed : knownParts!;
    if (p.stream && p.size !== undefined && p.stream.length !== p.size) {
      throw new FileTransferError('SIZE_MISMATCH', `the stream gave ${p.stream.length} bytes, ${p.size} were announced`);
    }
    if (sentParts !== parts) throw new FileTransferError('SIZE_MISMATCH', `${sentParts} of ${parts} parts were sent`);
    name ??= 'file';
    return p.big ? { _: 'inputFileBig', id: fileId, parts, name } : { _: 'inputFile', id: fileId, parts, name, md5Checksum: p.md5 };
  } finally {
    transfer.dispose();
    await plan?.reader.close();
    if (iterator !== undefined) endStream(source, iterator);
    await handle?.close().catch(() => {});
  }
}

