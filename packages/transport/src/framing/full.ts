import { crc32 } from 'node:zlib';
import { TransportError } from '../errors.js';
import type { FrameEncoder, Frame } from './types.js';
import { badLength } from './types.js';
import { QueuedDecoder } from './queued-decoder.js';

/**
 * Full: length (of the whole frame, 4 LE) + sequence number (4 LE, counting
 * this side's frames from 0) + packet + CRC32 of everything before it (4 LE).
 * No quick acks and no protocol tag.
 */
export class FullEncoder implements FrameEncoder {
  readonly codec = 'full' as const;
  private seqNo = 0;

  encode(packet: Uint8Array): Uint8Array {
    const n = packet.length;
    const out = Buffer.allocUnsafe(n + 12);
    this.writeHeader(out, n);
    out.set(packet, 8);
    out.writeUInt32LE(crc32(out.subarray(0, 8 + n)), 8 + n);
    return out;
  }

  encodeParts(packet: Uint8Array): Uint8Array[] {
    const header = Buffer.allocUnsafe(8);
    this.writeHeader(header, packet.length);
    const trailer = Buffer.allocUnsafe(4);
    trailer.writeUInt32LE(crc32(packet, crc32(header)), 0);
    return [header, packet, trailer];
  }

  private writeHeader(out: Buffer, n: number): void {
    if (n === 0) throw badLength('empty packet');
    if (n + 12 > 0x7fffffff) throw badLength(`${n} bytes do not fit a 31-bit length`);
    out.writeUInt32LE(n + 12, 0);
    out.writeUInt32LE(this.seqNo, 4);
    this.seqNo = (this.seqNo + 1) >>> 0;
  }

  encodeQuickAck(): Uint8Array {
    throw new TransportError('UNSUPPORTED', 'UNSUPPORTED: the full transport has no quick acks');
  }
}

export class FullDecoder extends QueuedDecoder {
  readonly codec = 'full' as const;
  private seqNo = 0;

  constructor(private readonly maxPacketSize: number) {
    super();
  }

  protected cut(): Frame | null {
    const q = this.queue;
    if (q.length < 4) return null;
    const total = q.uint32LE(0) | 0; // signed: a negative length is an error, not a huge one
    if (total <= 12) throw badLength(`full frame length ${total} leaves no packet`);
    if (total - 12 > this.maxPacketSize) throw badLength(`full frame of ${total - 12} bytes exceeds ${this.maxPacketSize}`);
    if (q.length < total) {
      q.join(total);
      return null;
    }
    const frame = q.take(total);
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const expectedCrc = view.getUint32(total - 4, true);
    const actualCrc = crc32(frame.subarray(0, total - 4));
    if (expectedCrc !== actualCrc) throw new TransportError('BAD_CRC', `BAD_CRC: frame CRC32 ${expectedCrc.toString(16)} != ${actualCrc.toString(16)}`);
    const seqNo = view.getUint32(4, true);
    if (seqNo !== this.seqNo) throw new TransportError('BAD_SEQ', `BAD_SEQ: expected sequence number ${this.seqNo}, got ${seqNo}`);
    this.seqNo = (this.seqNo + 1) >>> 0;
    return { type: 'packet', packet: frame.subarray(8, total - 4), quickAck: false };
  }
}
