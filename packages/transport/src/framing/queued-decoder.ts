import type { CodecName, Frame, FrameDecoder } from './types.js';
import { ByteQueue } from './byte-queue.js';

/** What every decoder shares: received bytes wait in a queue until `next` can cut a frame from them. */
export abstract class QueuedDecoder implements FrameDecoder {
  abstract readonly codec: CodecName;
  protected readonly queue = new ByteQueue();

  get buffered(): number {
    return this.queue.length;
  }

  /** Sets where packets that arrive in several reads are joined (see ClientCodecOptions.allocPacket). */
  useAllocator(alloc: (n: number) => Uint8Array): void {
    this.queue.alloc = alloc;
  }

  push(bytes: Uint8Array): void {
    this.queue.push(bytes);
  }

  abstract next(): Frame | null;
}
