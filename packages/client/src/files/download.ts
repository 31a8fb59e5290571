// downloadFile: upload.getFile in parts of 512 KiB (or 1 MiB), several in
// flight across the host's lanes, from the DC the file lives on (following
// FILE_MIGRATE_X), into a buffer or, by position, into a file that can be
// resumed after an interruption.
import type { tl } from '@telegram-mt/tl';
import { RpcError } from '../errors.js';
import { FileTransferError } from './errors.js';
import type { FileHost } from './host.js';
import { locationKey, resolveFileLocation, type FileLocationLike } from './location.js';
import { downloadLimit, MAX_UPLOAD_PART, MAX_UPLOAD_PARTS } from './part-size.js';
import { releaseReceived } from '../mtproto/session/slab.js';
import { BufferSink, ChunkSink, FileSink, type Sink } from './sink.js';
import { laneOf, parallelOf, Transfer, type TransferOptions } from './transfer.js';

export interface DownloadOptions extends TransferOptions {
  /** The DC the file is on (default: what the location says, else the home DC). */
  dcId?: number;
  /** The size in bytes, when known (default: what the location says); without it the end is found by a short part. */
  size?: number;
  /** Write into this file instead of returning the bytes. */
  to?: string;
  /**
   * Write the bytes into this buffer, from its start, instead of a new one;
   * the result is the view of it that holds the file. A buffer kept for
   * many downloads saves allocating (and first touching) fresh memory for
   * each. It must hold the file: shorter than a known size is a RangeError
   * at once, and a file of unknown size that goes on past it fails with
   * FILE_TOO_BIG. A failed download leaves the parts it had written there.
   */
  into?: Uint8Array;
  /** Bytes per getFile call: a multiple of 4096 that divides 1 MiB (default 512 KiB). */
  partSize?: number;
  /** With `to`: continue an interrupted download of the same file (default true). */
  resume?: boolean;
}

/** FILE_MIGRATE_X followed per part before giving up. */
const MAX_MIGRATIONS = 5;
/** Largest file Telegram keeps (4 GiB): bounds a download whose size is not known. */
const MAX_FILE_BYTES = MAX_UPLOAD_PARTS * MAX_UPLOAD_PART;

/**
 * Downloads a file: resolves to its bytes, or to the number of bytes written
 * when `to` is given. Rejects with FileTransferError or the server's RpcError.
 */
export function downloadFile(host: FileHost, location: FileLocationLike, opts: DownloadOptions & { to: string }): Promise<number>;
export function downloadFile(host: FileHost, location: FileLocationLike, opts?: DownloadOptions): Promise<Uint8Array>;
export async function downloadFile(host: FileHost, location: FileLocationLike, opts: DownloadOptions = {}): Promise<Uint8Array | number> {
  const parallel = parallelOf(opts.parallel);
  const limit = downloadLimit(opts.partSize);
  const resolved = resolveFileLocation(location);
  const input: tl.InputFileLocation = resolved.location;
  let dcId = opts.dcId ?? resolved.dcId ?? host.homeDcId;
  let size = opts.size ?? resolved.size;
  if (size !== undefined && !(Number.isSafeInteger(size) && size >= 0)) throw new RangeError(`size must be a whole number ≥ 0, got ${size}`);
  if (size !== undefined && size > MAX_FILE_BYTES) throw new FileTransferError('FILE_TOO_BIG', `${size} bytes is more than Telegram keeps in a file`);

  if (opts.into !== undefined) {
    if (!(opts.into instanceof Uint8Array)) throw new TypeError('into must be a Uint8Array');
    if (opts.to !== undefined) throw new TypeError('give either `to` (a file) or `into` (a buffer), not both');
    if (size !== undefined && opts.into.length < size) throw new RangeError(`into holds ${opts.into.length} bytes, the file has ${size}`);
  }

  const transfer = new Transfer(opts);
  let sink: Sink | undefined;
  let finished = false;
  try {
    transfer.check();
    sink = opts.to !== undefined
      ? await FileSink.open(opts.to, { key: locationKey(input), limit, size, resume: opts.resume ?? true })
      : opts.into !== undefined
        ? BufferSink.into(opts.into, size)
        : size !== undefined
          ? BufferSink.fresh(size)
          : new ChunkSink();
    const s = sink;
    size ??= s.size;
    transfer.total = size ?? -1;
    transfer.done = s.doneBytes;

    // The last part's index: known from the size, else found by the first short part.
    let endIndex = size === undefined ? Infinity : Math.ceil(size / limit) - 1;
    let foundSize = size;
    let lastWithData = -1;
    let next = 0;
    // FILE_MIGRATE_X moves every later part to DC X; each part may be redirected a few times at most
    // (parts in flight together are all redirected at once, so the bound is per part).
    const redirectFor = () => {
      let hops = 0;
      return (e: unknown): boolean => {
        if (!(e instanceof RpcError) || e.name !== 'FILE_MIGRATE' || e.dcId === undefined) return false;
        if (++hops > MAX_MIGRATIONS) throw new FileTransferError('TOO_MANY_MIGRATIONS', `FILE_MIGRATE sent a part to another DC ${hops} times`, { cause: e });
        dcId = e.dcId;
        return true;
      };
    };

    await transfer.run(parallel, async (w) => {
      const lane = laneOf(w, Math.max(1, host.transferConnections));
      for (;;) {
        transfer.check();
        while (next <= endIndex && s.has(next)) next++;
        if (next > endIndex) return;
        const index = next++;
        const offset = index * limit;
        if (offset >= MAX_FILE_BYTES) throw new FileTransferError('FILE_TOO_BIG', `the file goes on past ${MAX_FILE_BYTES} bytes`);
        const request: tl.upload.getFile = { _: 'upload.getFile', location: input, offset: BigInt(offset), limit };
        const bytes = await transfer.attempt(
          `part ${index}`,
          async () => {
            const file = await host.invokeOnDc(dcId, request, { lane, signal: transfer.signal, timeout: opts.partTimeout });
            if (file._ !== 'upload.file') throw new FileTransferError('BAD_PART', `part ${index}: ${file._} is not handled (CDN files are not asked for)`);
            return file.bytes;
          },
          redirectFor(),
        );
        if (bytes.length > limit) throw new FileTransferError('BAD_PART', `part ${index}: ${bytes.length} bytes for a limit of ${limit}`);
        if (size !== undefined) {
          const expected = Math.min(limit, size - offset);
          if (bytes.length !== expected) {
            throw new FileTransferError('SIZE_MISMATCH', `part ${index}: ${bytes.length} bytes, ${expected} expected of a ${size}-byte file`);
          }
        } else if (bytes.length < limit && index < endIndex) {
          // A short part ends the file; parts after it must come back empty.
          endIndex = index;
          foundSize = offset + bytes.length;
          transfer.total = foundSize;
          if (s instanceof FileSink) s.setSize(foundSize);
          if (bytes.length === 0) transfer.progress(0); // says the total now known
        }
        if (bytes.length === 0) continue;
        lastWithData = Math.max(lastWithData, index);
        await s.write(index, offset, bytes);
        // Copied into the result or written to the file: the packet's buffer may serve the next part.
        if (!s.keepsBytes) releaseReceived(bytes);
        transfer.progress(bytes.length);
      }
    });
    if (lastWithData > endIndex || foundSize === undefined) {
      throw new FileTransferError('SIZE_MISMATCH', `the server gave bytes after the end of the file (part ${lastWithData}, end at part ${endIndex})`);
    }
    const result = await s.finish(foundSize);
    finished = true;
    return result;
  } finally {
    transfer.dispose();
    if (!finished) await sink?.abandon();
  }
}
