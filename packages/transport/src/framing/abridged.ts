import type { FrameEncoder, Frame, Role } from './types.js';
import { badLength } from './types.js';
import { QueuedDecoder } from './queued-decoder.js';

/**
 * Abridged: length/4 in one byte (< 0x7f), or 0x7f and length/4 in three
 * little-endian bytes. The top bit of the first byte asks for a quick ack
 * (client → server); from the server, a first byte with the top bit set starts
 * a quick-ack token sent big-endian ("bswapped").
 */
export class AbridgedEncoder implements FrameEncoder {
  readonly codec = 'abridged' as const;

  encode(packet: Uint8Array, quickAck = false): Uint8Array {
    const header = this.header(packet.length, quickAck);
    const out = Buffer.allocUnsafe(header.length + packet.length);
    out.set(header);
    out.set(packet, header.length);
    return out;
  }

  encodeParts(packet: Uint8Array, quickAck = false): Uint8Array[] {
    return [this.header(packet.length, quickAck), packet];
  }

  private header(n: number, quickAck: boolean): Uint8Array {
    if (n === 0 || n % 4 !== 0) throw badLength(`abridged packets are a non-zero multiple of 4 bytes, got ${n}`);
    const words = n >>> 2;
    if (words >= 1 << 24) throw badLength(`${n} bytes do not fit abridged's 24-bit length`);
    const flag = quickAck ? 0x80 : 0;
    if (words < 0x7f) return Uint8Array.of(words | flag);
    return Uint8Array.of(0x7f | flag, words & 0xff, (words >>> 8) & 0xff, (words >>> 16) & 0xff);
  }

  encodeQuickAck(token: number): Uint8Array {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, (token | 0x80000000) >>> 0, false);
    return out;
  }
}

export class AbridgedDecoder extends QueuedDecoder {
  readonly codec = 'abridged' as const;

  constructor(
    private readonly role: Role,
    private readonly maxPacketSize: number,
  ) {
    super();
  }

  /** Length of the packet whose header is consumed (0: none yet), and its quick-ack flag. */
  private size = 0;
  private quickAck = false;

  protected cut(): Frame | null {
    const q = this.queue;
    if (this.size === 0) {
      if (q.length < 1) return null;
      const first = q.byteAt(0);
      if (first & 0x80 && this.role === 'client') {
        // A quick-ack token from the server, big-endian with its top bit set.
        if (q.length < 4) return null;
        const token = ((first << 24) | (q.byteAt(1) << 16) | (q.byteAt(2) << 8) | q.byteAt(3)) >>> 0;
        q.skip(4);
        return { type: 'quickAck', token };
      }
      let words = first & 0x7f;
      let header = 1;
      if (words === 0x7f) {
        if (q.length < 4) return null;
        words = q.byteAt(1) | (q.byteAt(2) << 8) | (q.byteAt(3) << 16);
        header = 4;
      }
      const size = words * 4;
      if (size === 0) throw badLength('abridged frame of zero length');
      if (size > this.maxPacketSize) throw badLength(`abridged frame of ${size} bytes exceeds ${this.maxPacketSize}`);
      q.skip(header);
      this.size = size;
      this.quickAck = (first & 0x80) !== 0;
      this.headerHeld = header;
    }
    const frame = this.packetOf(this.size, this.quickAck);
    if (frame !== null) this.size = 0;
    return frame;
  }
}
