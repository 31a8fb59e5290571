// Where upload bytes come from, as parts: a buffer (sub-arrays, no copy), a
// file (positional reads into reused buffers, so parts are read in parallel)
// or a stream (read in order, cut into parts; one part read ahead to know
// which is the last).
import type { FileHandle } from 'node:fs/promises';
import { FileTransferError } from './errors.js';

/** One part handed to a worker; `release` returns its buffer once the call has settled. */
export interface Part {
  index: number;
  bytes: Uint8Array;
  /** Whether no part follows (known for every part of a stream, else by the count). */
  last: boolean;
  release(): void;
}

export interface PartReader {
  /** The next part, or undefined once all are handed out. */
  next(): Promise<Part | undefined>;
  /** Parts handed out so far. */
  readonly claimed: number;
  /** Stops reading and frees what it holds (idempotent). */
  close(): Promise<void>;
}

const noop = (): void => {};

export class BufferParts implements PartReader {
  claimed = 0;
  private readonly count: number;
  constructor(
    private readonly data: Uint8Array,
    private readonly partSize: number,
  ) {
    this.count = Math.ceil(data.length / partSize);
  }

  async next(): Promise<Part | undefined> {
    if (this.claimed >= this.count) return undefined;
    const index = this.claimed++;
    const start = index * this.partSize;
    return { index, bytes: this.data.subarray(start, start + this.partSize), last: index === this.count - 1, release: noop };
  }

  async close(): Promise<void> {}
}

export class FileParts implements PartReader {
  claimed = 0;
  private readonly count: number;
  private readonly free: Uint8Array[] = [];

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
    private readonly partSize: number,
  ) {
    this.count = Math.ceil(size / partSize);
  }

  async next(): Promise<Part | undefined> {
    if (this.claimed >= this.count) return undefined;
    const index = this.claimed++;
    const position = index * this.partSize;
    const length = Math.min(this.partSize, this.size - position);
    const buffer = this.free.pop() ?? new Uint8Array(this.partSize);
    let read = 0;
    try {
      while (read < length) {
        const r = await this.handle.read(buffer, read, length - read, position + read);
        if (r.bytesRead === 0) break;
        read += r.bytesRead;
      }
    } catch (e) {
      throw new FileTransferError('IO', `reading part ${index} of the file: ${(e as Error).message}`, { cause: e });
    }
    if (read !== length) throw new FileTransferError('SIZE_MISMATCH', `the file ended at ${position + read} bytes, ${this.size} were expected`);
    return { index, bytes: buffer.subarray(0, length), last: index === this.count - 1, release: () => this.free.push(buffer) };
  }

  async close(): Promise<void> {
    this.free.length = 0;
  }
}

/** Chunks as the stream gives them (Buffers, Uint8Arrays or strings). */
export type ChunkIterator = AsyncIterator<unknown>;

function asBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk);
  throw new FileTransferError('IO', `the stream gave a ${typeof chunk}, not bytes`);
}

/**
 * Reads chunks until `limit` bytes or the end: the chunks, their length and
 * whether the stream ended. Used to decide small/big for streams of unknown size.
 */
export async function readUpTo(it: ChunkIterator, limit: number, signal: AbortSignal): Promise<{ chunks: Uint8Array[]; length: number; ended: boolean }> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < limit) {
    const r = await readChunk(it, signal);
    if (r.done) return { chunks, length, ended: true };
    const bytes = asBytes(r.value);
    if (bytes.length === 0) continue;
    chunks.push(bytes);
    length += bytes.length;
  }
  return { chunks, length, ended: false };
}

/**
 * The next chunk, or the transfer's failure as soon as it stops: a stream
 * that stalls must not hold a cancelled transfer (the caller ends the
 * iteration afterwards, which destroys a Node Readable).
 */
async function readChunk(it: ChunkIterator, signal: AbortSignal): Promise<IteratorResult<unknown>> {
  if (signal.aborted) throw signal.reason;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([it.next(), stopped]);
  } catch (e) {
    if (signal.aborted) throw signal.reason;
    throw new FileTransferError('IO', `reading the stream: ${(e as Error).message}`, { cause: e });
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}

/** Joins chunks into one buffer (one copy; none when there is a single chunk). */
export function joinChunks(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * A stream cut into parts of `partSize`, in order. Reads are serialised (a
 * stream has one position); the part after the current one is looked at
 * before it is handed out, so every part knows whether it is the last.
 */
export class StreamParts implements PartReader {
  claimed = 0;
  /** Bytes read so far. */
  length = 0;
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  private ended = false;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly it: ChunkIterator,
    private readonly partSize: number,
    /** Stops waiting for the stream when the transfer stops. */
    private readonly signal: AbortSignal,
    /** Chunks already read from the stream (the look-ahead that decided it is big). */
    prefix: Uint8Array[] = [],
    /** Most bytes accepted: the announced size (more is SIZE_MISMATCH), or Telegram's limit (FILE_TOO_BIG). */
    private readonly maxLength = Infinity,
    private readonly announced = false,
  ) {
    for (const c of prefix) this.push(c);
  }

  private push(c: Uint8Array): void {
    this.pending.push(c);
    this.pendingLength += c.length;
    this.length += c.length;
    if (this.length > this.maxLength) {
      throw this.announced
        ? new FileTransferError('SIZE_MISMATCH', `the stream gave more than the ${this.maxLength} bytes announced`)
        : new FileTransferError('FILE_TOO_BIG', `the stream goes on past ${this.maxLength} bytes, more than Telegram keeps in a file`);
    }
  }

  /** Reads until a whole part and one more byte are buffered, or the stream ends. */
  private async fill(): Promise<void> {
    while (!this.ended && this.pendingLength <= this.partSize) {
      const r = await readChunk(this.it, this.signal);
      if (r.done) this.ended = true;
      else this.push(asBytes(r.value));
    }
  }

  /** Takes `n` bytes off the front: a sub-array when one chunk holds them, else one copy. */
  private take(n: number): Uint8Array {
    const first = this.pending[0]!;
    if (first.length >= n) {
      const bytes = first.subarray(0, n);
      if (first.length === n) this.pending.shift();
      else this.pending[0] = first.subarray(n);
      this.pendingLength -= n;
      return bytes;
    }
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const c = this.pending[0]!;
      const k = Math.min(c.length, n - at);
      out.set(c.subarray(0, k), at);
      at += k;
      if (k === c.length) this.pending.shift();
      else this.pending[0] = c.subarray(k);
    }
    this.pendingLength -= n;
    return out;
  }

  next(): Promise<Part | undefined> {
    const p = this.queue.then(async (): Promise<Part | undefined> => {
      if (this.closed) return undefined;
      await this.fill();
      if (this.pendingLength === 0) return undefined;
      const bytes = this.take(Math.min(this.partSize, this.pendingLength));
      const last = this.ended && this.pendingLength === 0;
      return { index: this.claimed++, bytes, last, release: noop };
    });
    this.queue = p.catch(() => {});
    return p;
  }

  /** Stops handing out parts (the stream itself is ended by its owner, uploadFile). */
  async close(): Promise<void> {
    this.closed = true;
    this.pending = [];
  }
}
