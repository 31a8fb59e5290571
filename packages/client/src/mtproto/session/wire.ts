// Little-endian reads and writes of the few fixed fields that MTProto framing
// needs. The hot path (message headers, containers, rpc_result, acks) is
// written by hand on these instead of going through TL object maps.

/** A framing fault in bytes that passed the msg_key check: the sender is buggy or hostile. */
export class FramingError extends Error {
  override readonly name = 'FramingError';
}

export function readU32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

export function readI32(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
}

/** A signed 64-bit integer (TL `long`). */
export function readLong(b: Uint8Array, o: number): bigint {
  const lo = readU32(b, o);
  const hi = readI32(b, o + 4);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

export function writeU32(b: Uint8Array, o: number, v: number): void {
  b[o] = v;
  b[o + 1] = v >>> 8;
  b[o + 2] = v >>> 16;
  b[o + 3] = v >>> 24;
}

export function writeLong(b: Uint8Array, o: number, v: bigint): void {
  writeU32(b, o, Number(v & 0xffffffffn));
  writeU32(b, o + 4, Number((v >> 32n) & 0xffffffffn));
}

/** Where a TL `bytes`/`string` at `o` keeps its data, and where the next field starts. */
export interface TlBytesSpan {
  start: number;
  length: number;
  next: number;
}

export function readTlBytes(b: Uint8Array, o: number, end: number): TlBytesSpan {
  if (o >= end) throw new FramingError(`truncated bytes field at ${o}`);
  let n = b[o]!;
  let head = 1;
  if (n === 254) {
    if (o + 4 > end) throw new FramingError(`truncated bytes length at ${o}`);
    n = b[o + 1]! | (b[o + 2]! << 8) | (b[o + 3]! << 16);
    head = 4;
  } else if (n === 255) {
    throw new FramingError(`invalid bytes length prefix 0xff at ${o}`);
  }
  const next = o + ((head + n + 3) & ~3);
  if (next > end) throw new FramingError(`bytes field of ${n} at ${o} runs past the end`);
  return { start: o + head, length: n, next };
}

/** The size a TL `bytes` of n bytes takes on the wire. */
export function tlBytesSize(n: number): number {
  return ((n < 254 ? 1 : 4) + n + 3) & ~3;
}

/** Writes a TL `bytes` at `o` (room must be there); returns where the next field starts. */
export function writeTlBytes(b: Uint8Array, o: number, data: Uint8Array): number {
  const n = data.length;
  if (n > 0xffffff) throw new FramingError(`bytes of ${n} do not fit a TL length prefix`);
  let p = o;
  if (n < 254) {
    b[p++] = n;
  } else {
    b[p] = 254;
    b[p + 1] = n;
    b[p + 2] = n >> 8;
    b[p + 3] = n >> 16;
    p += 4;
  }
  b.set(data, p);
  p += n;
  const end = o + tlBytesSize(n);
  b.fill(0, p, end);
  return end;
}

const utf8 = new TextDecoder('utf-8');
const utf8enc = new TextEncoder();

export function readTlString(b: Uint8Array, o: number, end: number): { value: string; next: number } {
  const s = readTlBytes(b, o, end);
  return { value: utf8.decode(b.subarray(s.start, s.start + s.length)), next: s.next };
}

export function encodeUtf8(s: string): Uint8Array {
  return utf8enc.encode(s);
}
