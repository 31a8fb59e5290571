// A minimal bounds-checked TL byte reader/writer for the handshake's fixed
// layouts. The handshake runs before any session exists and its messages are a
// closed set of a dozen constructors, so it reads them field by field here
// instead of going through the generated layer's object maps.
import { HandshakeError } from './errors.js';
import { plain } from './primitives.js';

export class WireReader {
  pos = 0;
  private readonly view: DataView;

  readonly buf: Uint8Array;

  constructor(buf: Uint8Array) {
    this.buf = plain(buf); // so slice() copies even when handed a Buffer
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) {
      throw new HandshakeError('BAD_MESSAGE', `truncated ${what} at offset ${this.pos}`);
    }
  }

  uint(): number {
    this.need(4, 'int');
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  int(): number {
    return this.uint() | 0;
  }

  long(): bigint {
    this.need(8, 'long');
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  raw(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const v = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  int128(): Uint8Array {
    return this.raw(16, 'int128');
  }

  int256(): Uint8Array {
    return this.raw(32, 'int256');
  }

  /** TL `bytes`/`string`: a 1- or 4-byte length prefix, the data, padding to 4. */
  bytes(): Uint8Array {
    this.need(1, 'length prefix');
    const b = this.buf;
    const start = this.pos;
    let n = b[start]!;
    let head = 1;
    if (n === 254) {
      this.need(4, 'length prefix');
      n = b[start + 1]! | (b[start + 2]! << 8) | (b[start + 3]! << 16);
      head = 4;
    } else if (n === 255) {
      throw new HandshakeError('BAD_MESSAGE', `invalid length prefix at offset ${start}`);
    }
    const total = (head + n + 3) & ~3;
    this.need(total, 'bytes');
    this.pos = start + total;
    return b.slice(start + head, start + head + n);
  }

  /** A boxed Vector<long>; the count is bounded by what is left, so a lying count costs nothing. */
  vectorOfLong(): bigint[] {
    const id = this.uint();
    if (id !== ID_VECTOR) throw new HandshakeError('BAD_MESSAGE', `expected a vector, got #${hex32(id)}`);
    const count = this.uint();
    if (count * 8 > this.remaining) throw new HandshakeError('BAD_MESSAGE', `vector of ${count} longs is longer than the packet`);
    const out: bigint[] = [];
    for (let i = 0; i < count; i++) out.push(this.long());
    return out;
  }

  /** Everything must have been consumed (used for exactly-sized messages). */
  end(): void {
    if (this.pos !== this.buf.length) {
      throw new HandshakeError('BAD_MESSAGE', `${this.buf.length - this.pos} bytes left after the message`);
    }
  }
}

export class WireWriter {
  private parts: number[] = [];

  uint(v: number): this {
    this.parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    return this;
  }

  int(v: number): this {
    return this.uint(v >>> 0);
  }

  long(v: bigint): this {
    const u = BigInt.asUintN(64, v);
    for (let i = 0n; i < 64n; i += 8n) this.parts.push(Number((u >> i) & 0xffn));
    return this;
  }

  raw(v: Uint8Array): this {
    for (const x of v) this.parts.push(x);
    return this;
  }

  bytes(v: Uint8Array): this {
    const n = v.length;
    if (n < 254) this.parts.push(n);
    else this.parts.push(254, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff);
    this.raw(v);
    while (this.parts.length % 4 !== 0) this.parts.push(0);
    return this;
  }

  vectorOfLong(v: readonly bigint[]): this {
    this.uint(ID_VECTOR).uint(v.length);
    for (const x of v) this.long(x);
    return this;
  }

  result(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export const ID_VECTOR = 0x1cb5c415;

export function hex32(id: number): string {
  return (id >>> 0).toString(16).padStart(8, '0');
}
