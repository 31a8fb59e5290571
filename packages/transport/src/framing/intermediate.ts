import { randomBytes } from 'node:crypto';
import type { FrameEncoder, Frame, Role } from './types.js';
import { badLength } from './types.js';
import { QueuedDecoder } from './queued-decoder.js';

/**
 * Intermediate: a 4-byte little-endian length, then the packet. The top bit of
 * the length asks for a quick ack (client → server); from the server, a length
 * word with its top bit set is itself a quick-ack token with no payload.
 *
 * Padded intermediate is the same with 0–15 random bytes after each packet,
 * counted in the length. The receiver cannot tell padding from payload, so a
 * decoded padded packet keeps its padding: MTProto ignores bytes after the
 * message (see README).
 */
/**
 * Random bytes for padding, drawn from a refilled pool: one crypto call per
 * few hundred packets instead of two per packet. Padding only has to look
 * random to an observer; it protects nothing.
 */
const padding = {
  pool: randomBytes(4096),
  at: 4096,
  /** 0–15 */
  length(): number {
    return this.take(1)[0]! & 15;
  },
  take(n: number): Uint8Array {
    if (this.at + n > this.pool.length) {
      this.pool = randomBytes(4096);
      this.at = 0;
    }
    const out = this.pool.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  },
};

export class IntermediateEncoder implements FrameEncoder {
  readonly codec: 'intermediate' | 'padded';

  constructor(private readonly padded: boolean) {
    this.codec = padded ? 'padded' : 'intermediate';
  }

  encode(packet: Uint8Array, quickAck = false): Uint8Array {
    const n = packet.length;
    const pad = this.checkAndPad(n);
    const out = Buffer.allocUnsafe(4 + n + pad);
    out.writeUInt32LE(this.lengthWord(n + pad, quickAck), 0);
    out.set(packet, 4);
    if (pad > 0) out.set(padding.take(pad), 4 + n);
    return out;
  }

  encodeParts(packet: Uint8Array, quickAck = false): Uint8Array[] {
    const n = packet.length;
    const pad = this.checkAndPad(n);
    const header = Buffer.allocUnsafe(4);
    header.writeUInt32LE(this.lengthWord(n + pad, quickAck), 0);
    return pad > 0 ? [header, packet, Uint8Array.from(padding.take(pad))] : [header, packet];
  }

  private checkAndPad(n: number): number {
    if (n === 0) throw badLength('empty packet');
    if (n > 0x7fffffff - 16) throw badLength(`${n} bytes do not fit a 31-bit length`);
    return this.padded ? padding.length() : 0;
  }

  private lengthWord(total: number, quickAck: boolean): number {
    return quickAck ? (total | 0x80000000) >>> 0 : total;
  }

  encodeQuickAck(token: number): Uint8Array {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, (token | 0x80000000) >>> 0, true);
    return out;
  }
}

export class IntermediateDecoder extends QueuedDecoder {
  readonly codec: 'intermediate' | 'padded';

  constructor(
    padded: boolean,
    private readonly role: Role,
    private readonly maxPacketSize: number,
  ) {
    super();
    this.codec = padded ? 'padded' : 'intermediate';
  }

  /** Length of the packet whose header is consumed (0: none yet), and its quick-ack flag. */
  private size = 0;
  private quickAck = false;

  protected cut(): Frame | null {
    const q = this.queue;
    if (this.size === 0) {
      if (q.length < 4) return null;
      const word = q.uint32LE(0);
      const flagged = (word & 0x80000000) !== 0;
      if (flagged && this.role === 'client') {
        q.skip(4);
        return { type: 'quickAck', token: word };
      }
      const size = word & 0x7fffffff;
      if (size === 0) throw badLength('intermediate frame of zero length');
      // Padding may push a packet of exactly maxPacketSize up to 15 bytes over.
      const limit = this.maxPacketSize + (this.codec === 'padded' ? 15 : 0);
      if (size > limit) throw badLength(`intermediate frame of ${size} bytes exceeds ${this.maxPacketSize}`);
      q.skip(4);
      this.size = size;
      this.quickAck = flagged;
      this.headerHeld = 4;
    }
    const frame = this.packetOf(this.size, this.quickAck);
    if (frame !== null) this.size = 0;
    return frame;
  }
}
