import { inflateSync, gunzipSync } from 'node:zlib';
import { TlError } from '../errors.js';
import type { TlCodecTable, TlObjectReader } from './table.js';

export const ID_VECTOR = 0x1cb5c415;
export const ID_GZIP_PACKED = 0x3072cfa1;
export const ID_BOOL_TRUE = 0x997275b5;
export const ID_BOOL_FALSE = 0xbc799737;

/** Limits that keep untrusted input from costing more than its size justifies. */
export interface TlReadLimits {
  /** Total bytes that gzip_packed objects may inflate to in one read. Default 32 MiB. */
  maxInflated: number;
  /** How deep boxed objects may nest. Default 256. */
  maxDepth: number;
  /**
   * `bytes` fields of at least this many bytes are returned as views into the
   * input instead of copies (default: never). Only for input the caller owns
   * and will not change or reuse: a view sees later writes and keeps the whole
   * input alive as long as it lives.
   */
  viewBytesFrom?: number;
}

export const defaultReadLimits: TlReadLimits = { maxInflated: 32 * 1024 * 1024, maxDepth: 256 };

// Node's Buffer#utf8Slice (undocumented, long stable) works on any Uint8Array and costs about two
// thirds of a TextDecoder call; both replace bad sequences.
const utf8Slice = (Buffer.prototype as unknown as { utf8Slice(this: Uint8Array, start: number, end: number): string })
  .utf8Slice;

// long and double go through one shared 8-byte scratch: a DataView per reader costs more to make
// (~60 ns) than a small read takes. TL is little-endian; `order` maps its bytes to the platform's.
const scratch = new Uint8Array(8);
const scratchLong = new BigInt64Array(scratch.buffer);
const scratchDouble = new Float64Array(scratch.buffer);
const order = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? [0, 1, 2, 3, 4, 5, 6, 7] : [7, 6, 5, 4, 3, 2, 1, 0];
const [o0, o1, o2, o3, o4, o5, o6, o7] = order as [number, number, number, number, number, number, number, number];

function load8(b: Uint8Array, p: number): void {
  scratch[o0] = b[p]!;
  scratch[o1] = b[p + 1]!;
  scratch[o2] = b[p + 2]!;
  scratch[o3] = b[p + 3]!;
  scratch[o4] = b[p + 4]!;
  scratch[o5] = b[p + 5]!;
  scratch[o6] = b[p + 6]!;
  scratch[o7] = b[p + 7]!;
}

/** Budget shared by a reader and the readers of gzip_packed payloads inside it. */
interface InflateBudget {
  left: number;
}

/**
 * A bounds-checked little-endian TL reader over one buffer. Every read checks
 * what remains first, so truncated or lying input gives `TlError` with the
 * offset, never a RangeError or an allocation larger than the input.
 */
export class TlReader {
  pos: number;
  readonly end: number;
  depth = 0;
  // Made on first use: most reads never meet gzip_packed.
  private shared: InflateBudget | undefined;
  /** `limits.viewBytesFrom`, read once. */
  private readonly viewFrom: number;

  constructor(
    readonly buf: Uint8Array,
    readonly table: TlCodecTable,
    readonly limits: TlReadLimits = defaultReadLimits,
    start = 0,
    end = buf.length,
    budget?: InflateBudget,
  ) {
    this.pos = start;
    this.end = end;
    this.shared = budget;
    this.viewFrom = limits.viewBytesFrom ?? Infinity;
  }

  private get budget(): InflateBudget {
    return (this.shared ??= { left: this.limits.maxInflated });
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws unless n more bytes are there. */
  need(n: number): void {
    if (this.pos + n > this.end) {
      throw new TlError(`truncated input: need ${n} bytes, ${this.end - this.pos} left`, this.pos);
    }
  }

  int(): number {
    const p = this.pos;
    if (p + 4 > this.end) this.need(4);
    const b = this.buf;
    this.pos = p + 4;
    return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
  }

  uint(): number {
    return this.int() >>> 0;
  }

  long(): bigint {
    const p = this.pos;
    if (p + 8 > this.end) this.need(8);
    this.pos = p + 8;
    const b = this.buf;
    const lo = b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
    const hi = b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16) | (b[p + 7]! << 24);
    // Most longs (ids) fit 32 bits: one small BigInt instead of a 64-bit read.
    if (hi === lo >> 31) return BigInt(lo);
    load8(b, p);
    return scratchLong[0]!;
  }

  double(): number {
    const p = this.pos;
    if (p + 8 > this.end) this.need(8);
    this.pos = p + 8;
    load8(this.buf, p);
    return scratchDouble[0]!;
  }

  bool(): boolean {
    const id = this.uint();
    if (id === ID_BOOL_TRUE) return true;
    if (id === ID_BOOL_FALSE) return false;
    throw this.unexpected(id, 'Bool', 4);
  }

  int128(): Uint8Array {
    return this.raw(16);
  }

  int256(): Uint8Array {
    return this.raw(32);
  }

  /** n bytes as a copy (the input buffer may be reused by the caller). */
  raw(n: number): Uint8Array {
    const p = this.pos;
    if (p + n > this.end) this.need(n);
    this.pos = p + n;
    return this.buf.slice(p, p + n);
  }

  /** Where the data of a TL `bytes`/`string` starts and how long it is; moves past it and its padding. */
  private span(): number {
    const start = this.pos;
    if (start >= this.end) this.need(1);
    const b = this.buf;
    let n = b[start]!;
    let head = 1;
    if (n === 254) {
      this.need(4);
      n = b[start + 1]! | (b[start + 2]! << 8) | (b[start + 3]! << 16);
      head = 4;
    } else if (n === 255) {
      throw new TlError('invalid length prefix 0xff', start);
    }
    const total = (head + n + 3) & ~3;
    if (start + total > this.end) {
      throw new TlError(`length prefix ${n} is longer than the ${this.end - start - head} bytes left`, start);
    }
    this.pos = start + total;
    return n;
  }

  bytes(): Uint8Array {
    const start = this.pos;
    const n = this.span();
    const off = start + (n < 254 ? 1 : 4);
    return n >= this.viewFrom ? this.buf.subarray(off, off + n) : this.buf.slice(off, off + n);
  }

  string(): string {
    const start = this.pos;
    const n = this.span();
    const off = start + (n < 254 ? 1 : 4);
    const b = this.buf;
    if (n <= 12) {
      // Short ASCII: a few String.fromCharCode calls, four bytes each, are cheaper than any decoder
      // call. Up to 12 characters V8 joins them into a flat string; from 13 on it would make a
      // ConsString, whose flattening later costs what the decoder call would have.
      const end = off + n;
      let s = '';
      let i = off;
      for (; i + 4 <= end; i += 4) {
        const c0 = b[i]!, c1 = b[i + 1]!, c2 = b[i + 2]!, c3 = b[i + 3]!;
        if ((c0 | c1 | c2 | c3) >= 0x80) return this.utf8(off, n);
        s += String.fromCharCode(c0, c1, c2, c3);
      }
      for (; i < end; i++) {
        const c = b[i]!;
        if (c >= 0x80) return this.utf8(off, n);
        s += String.fromCharCode(c);
      }
      return s;
    }
    return this.utf8(off, n);
  }

  private utf8(off: number, n: number): string {
    return utf8Slice.call(this.buf, off, off + n);
  }

  /** The count of a boxed `Vector<T>`, after checking its id. */
  vector(): number {
    const id = this.uint();
    if (id !== ID_VECTOR) throw this.unexpected(id, 'Vector', 4);
    return this.count();
  }

  /** The count of a bare `vector<T>`; every TL element takes at least 4 bytes, which bounds it. */
  count(): number {
    const n = this.int();
    if (n < 0 || n * 4 > this.end - this.pos) {
      throw new TlError(`vector of ${n} elements cannot fit in the ${this.end - this.pos} bytes left`, this.pos - 4);
    }
    return n;
  }

  /** Any boxed object or method of the table, gzip_packed unpacked transparently. */
  object(): any {
    const id = this.uint();
    const read = this.table.readers.get(id);
    if (read !== undefined) {
      if (++this.depth > this.limits.maxDepth) throw this.tooDeep();
      const v = read(this);
      this.depth--;
      return v;
    }
    if (id === ID_GZIP_PACKED) return this.gzip(readAnyObject);
    throw this.unexpected(id, 'a known constructor', 4);
  }

  // Typed dispatch in generated code: `switch (r.enter()) { case id: return r.leave(read(r)) }`,
  // then `r.other(self, type)` for gzip_packed or a constructor of another type.

  /** Reads a constructor id and enters one nesting level. */
  enter(): number {
    const id = this.uint();
    if (++this.depth > this.limits.maxDepth) throw this.tooDeep();
    return id;
  }

  leave<T>(v: T): T {
    this.depth--;
    return v;
  }

  /** The id just read by `enter` was none of the type's constructors: gzip_packed, or an error. */
  other<T>(read: (r: TlReader) => T, type: string): T {
    this.depth--;
    const p = this.pos - 4;
    const id = (this.buf[p]! | (this.buf[p + 1]! << 8) | (this.buf[p + 2]! << 16) | (this.buf[p + 3]! << 24)) >>> 0;
    if (id === ID_GZIP_PACKED) return this.gzip(read);
    throw this.unexpected(id, type);
  }

  /** Reads a gzip_packed body (its id already consumed) and applies `read` to what it inflates to. */
  gzip<T>(read: (r: TlReader) => T): T {
    const at = this.pos - 4;
    const packed = this.bytes();
    if (++this.depth > this.limits.maxDepth) throw this.tooDeep();
    const inner = this.inflate(packed, at);
    const r = new TlReader(inner, this.table, this.limits, 0, inner.length, this.budget);
    r.depth = this.depth;
    let v: T;
    try {
      v = read(r);
    } catch (e) {
      if (e instanceof TlError) throw new TlError(`in gzip_packed at offset ${at}: ${e.message}`, at);
      throw e;
    }
    this.depth--;
    return v;
  }

  private inflate(packed: Uint8Array, at: number): Uint8Array {
    const limit = this.budget.left;
    let out: Uint8Array;
    try {
      // Telegram sends gzip streams; accept a raw zlib stream too.
      const opts = { maxOutputLength: Math.max(1, limit) };
      out = packed[0] === 0x1f && packed[1] === 0x8b ? gunzipSync(packed, opts) : inflateSync(packed, opts);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        throw new TlError(`gzip_packed inflates past the limit of ${this.limits.maxInflated} bytes`, at);
      }
      throw new TlError(`gzip_packed does not inflate: ${(e as Error).message}`, at);
    }
    if (out.length > limit) {
      throw new TlError(`gzip_packed inflates past the limit of ${this.limits.maxInflated} bytes`, at);
    }
    this.budget.left -= out.length;
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  }

  /** A boxed value by a method's result reader (rpc_result bodies). */
  result(method: string): unknown {
    const read = this.table.resultReaders.get(method);
    if (read === undefined) throw new TlError(`unknown method '${method}'`);
    return read(this);
  }

  tooDeep(): TlError {
    return new TlError(`objects nest deeper than ${this.limits.maxDepth}`, this.pos);
  }

  /** The error for an id that does not fit where it was read; `back` is how far the id was behind pos. */
  unexpected(id: number, expected: string, back = 4): TlError {
    const name = this.table.names.get(id);
    const hex = '0x' + (id >>> 0).toString(16).padStart(8, '0');
    return new TlError(
      `unexpected constructor ${hex}${name ? ` (${name})` : ''} where ${expected} was expected`,
      this.pos - back,
    );
  }
}

function readAnyObject(r: TlReader): unknown {
  return r.object();
}
