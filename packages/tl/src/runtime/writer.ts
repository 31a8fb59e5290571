import { TlError } from '../errors.js';
import type { TlCodecTable } from './table.js';

const BOOL_TRUE = 0x997275b5;
const BOOL_FALSE = 0xbc799737;
const VECTOR = 0x1cb5c415;

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const utf8 = new TextEncoder();

/**
 * A growable little-endian TL writer. One instance is meant to be reused:
 * `reset()`, write, then `result()` copies the written bytes out. Every
 * typed write checks its value, so a wrong object gives a `TlError` naming
 * the field instead of silently writing zeros.
 */
export class TlWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(
    readonly table: TlCodecTable,
    initialSize = 4096,
  ) {
    this.buf = new Uint8Array(initialSize);
  }

  reset(): this {
    this.pos = 0;
    return this;
  }

  /** A copy of what was written since the last reset. */
  result(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** Makes room for n more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** A 32-bit integer, signed or unsigned (ids are often written as unsigned hex). */
  int(v: number, field?: string): void {
    if (typeof v !== 'number' || !(v >= -0x80000000 && v <= 0xffffffff) || Math.floor(v) !== v) {
      throw badField(field, 'a 32-bit integer', v);
    }
    this.ensure(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v;
    b[p + 1] = v >> 8;
    b[p + 2] = v >> 16;
    b[p + 3] = v >> 24;
    this.pos = p + 4;
  }

  /** A constructor id or other trusted uint32: no checks. */
  id(v: number): void {
    this.ensure(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v;
    b[p + 1] = v >>> 8;
    b[p + 2] = v >>> 16;
    b[p + 3] = v >>> 24;
    this.pos = p + 4;
  }

  long(v: bigint, field?: string): void {
    if (typeof v !== 'bigint') throw badField(field, 'a bigint', v);
    if (v < -0x8000000000000000n || v > 0xffffffffffffffffn) throw badField(field, 'a 64-bit integer', v);
    this.ensure(8);
    // Two 32-bit halves: BigInt → Number conversions are cheap next to DataView's BigInt paths.
    const lo = Number(v & 0xffffffffn);
    const hi = Number((v >> 32n) & 0xffffffffn);
    const b = this.buf;
    const p = this.pos;
    b[p] = lo;
    b[p + 1] = lo >>> 8;
    b[p + 2] = lo >>> 16;
    b[p + 3] = lo >>> 24;
    b[p + 4] = hi;
    b[p + 5] = hi >>> 8;
    b[p + 6] = hi >>> 16;
    b[p + 7] = hi >>> 24;
    this.pos = p + 8;
  }

  double(v: number, field?: string): void {
    if (typeof v !== 'number') throw badField(field, 'a number', v);
    this.ensure(8);
    f64[0] = v;
    this.buf.set(f64Bytes, this.pos);
    this.pos += 8;
  }

  bool(v: boolean, field?: string): void {
    if (typeof v !== 'boolean') throw badField(field, 'a boolean', v);
    this.id(v ? BOOL_TRUE : BOOL_FALSE);
  }

  int128(v: Uint8Array, field?: string): void {
    this.fixed(v, 16, field);
  }

  int256(v: Uint8Array, field?: string): void {
    this.fixed(v, 32, field);
  }

  private fixed(v: Uint8Array, n: number, field?: string): void {
    if (!(v instanceof Uint8Array) || v.length !== n) throw badField(field, `${n} bytes`, v);
    this.raw(v);
  }

  /** Bytes as they are, no length prefix. */
  raw(v: Uint8Array): void {
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /** TL `bytes`: a length prefix (1 or 4 bytes), the data, zero padding to 4. */
  bytes(v: Uint8Array, field?: string): void {
    if (!(v instanceof Uint8Array)) throw badField(field, 'a Uint8Array', v);
    const n = v.length;
    this.ensure(n + 8);
    this.lengthPrefix(n);
    this.buf.set(v, this.pos);
    this.pos += n;
    this.pad(n);
  }

  /** TL `string`: UTF-8 with the same framing as `bytes`. */
  string(v: string, field?: string): void {
    if (typeof v !== 'string') throw badField(field, 'a string', v);
    const len = v.length;
    // UTF-8 takes at most 3 bytes per UTF-16 unit; reserve the short or long prefix by that bound.
    this.ensure(len * 3 + 8);
    const b = this.buf;
    const start = this.pos;
    const long = len * 3 >= 254;
    let p = start + (long ? 4 : 1);
    let i = 0;
    // ASCII fast path: short strings are the common case and TextEncoder's call cost dominates them.
    for (; i < len; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0x80) break;
      b[p++] = c;
    }
    if (i < len) {
      p += utf8.encodeInto(i === 0 ? v : v.slice(i), b.subarray(p)).written;
    }
    let n = p - start - (long ? 4 : 1);
    if (long && n < 254) {
      // Reserved 4 bytes but 1 suffices: move the data back.
      b.copyWithin(start + 1, start + 4, p);
      p -= 3;
      b[start] = n;
    } else if (long) {
      b[start] = 254;
      b[start + 1] = n;
      b[start + 2] = n >> 8;
      b[start + 3] = n >> 16;
    } else {
      b[start] = n;
    }
    this.pos = p;
    n += n < 254 ? 1 : 4;
    this.padBy(n);
  }

  private lengthPrefix(n: number): void {
    if (n > 0xffffff) throw new TlError(`bytes of length ${n} do not fit a TL length prefix`);
    const b = this.buf;
    const p = this.pos;
    if (n < 254) {
      b[p] = n;
      this.pos = p + 1;
    } else {
      b[p] = 254;
      b[p + 1] = n;
      b[p + 2] = n >> 8;
      b[p + 3] = n >> 16;
      this.pos = p + 4;
    }
  }

  private pad(n: number): void {
    this.padBy(n + (n < 254 ? 1 : 4));
  }

  private padBy(total: number): void {
    const rem = total & 3;
    if (rem === 0) return;
    const b = this.buf;
    for (let k = 4 - rem; k > 0; k--) b[this.pos++] = 0;
  }

  /** The header of a boxed `Vector<T>`: its id and the count. */
  vector(items: unknown, field?: string): number {
    if (!Array.isArray(items)) throw badField(field, 'an array', items);
    this.id(VECTOR);
    this.id(items.length);
    return items.length;
  }

  /** The count of a bare `vector<T>`. */
  bareVector(items: unknown, field?: string): number {
    if (!Array.isArray(items)) throw badField(field, 'an array', items);
    this.id(items.length);
    return items.length;
  }

  /** Any boxed object or method: its constructor id and fields. */
  object(v: { _: string }, field?: string): void {
    const boxed = typeof v === 'object' && v !== null ? this.table.writers.get(v._) : undefined;
    if (boxed === undefined) {
      throw badField(field, 'a TL object with a known `_`', v);
    }
    this.id(boxed.id);
    try {
      boxed.write(this, v);
    } catch (e) {
      // Field errors carry the key alone; the innermost object names its constructor.
      if (e instanceof TlError && e.field !== undefined && !e.field.includes('.')) {
        const named = new TlError(`${v._}.${e.message}`);
        named.field = `${v._}.${e.field}`;
        throw named;
      }
      throw e;
    }
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (missing)';
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') {
    const name = (v as { _?: unknown })._;
    return typeof name === 'string' ? `an object '${name}'` : 'an object without `_`';
  }
  if (typeof v === 'string') return 'a string';
  return `${typeof v} ${String(v).slice(0, 40)}`;
}

export function badField(field: string | undefined, expected: string, got: unknown): TlError {
  const e = new TlError(`${field ?? 'value'}: expected ${expected}, got ${describe(got)}`);
  e.field = field ?? 'value';
  return e;
}
