import type { CodecName, Frame, FrameDecoder } from './types.js';
import { ByteQueue } from './byte-queue.js';

/**
 * What every decoder shares: received bytes wait in a queue until a frame can
 * be cut from them. Once a frame's length is known and its bytes are not all
 * there, they are gathered into the frame's own buffer as they arrive.
 */
export abstract class QueuedDecoder implements FrameDecoder {
  abstract readonly codec: CodecName;
  protected readonly queue = new ByteQueue();
  /** Header bytes of the frame being received, already consumed from the queue. */
  protected headerHeld = 0;

  get buffered(): number {
    return this.queue.length + this.headerHeld;
  }

  /** Sets where packets that arrive in several reads are joined (see ClientCodecOptions.allocPacket). */
  useAllocator(alloc: (n: number) => Uint8Array): void {
    this.queue.alloc = alloc;
  }

  readTarget(): Uint8Array | undefined {
    return this.queue.target();
  }

  push(bytes: Uint8Array, lent = false): void {
    this.queue.push(bytes, lent);
  }

  next(): Frame | null {
    const frame = this.cut();
    // Done with this feed: nothing lent may stay in the queue.
    if (frame === null) this.queue.keep();
    return frame;
  }

  /** The next complete frame, or null (after `queue.join` for a frame whose length is known). */
  protected abstract cut(): Frame | null;

  /** The packet of `size` bytes whose header is consumed: cut once all of it is in, else gathered as it comes (null). */
  protected packetOf(size: number, quickAck: boolean): Frame | null {
    const q = this.queue;
    if (q.length < size) {
      q.join(size);
      return null;
    }
    this.headerHeld = 0;
    return { type: 'packet', packet: q.take(size), quickAck };
  }
}
