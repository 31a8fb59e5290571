import type { CodecName, Frame, FrameDecoder } from './types.js';
import { ByteQueue } from './byte-queue.js';

/** What every decoder shares: received bytes wait in a queue until `next` can cut a frame from them. */
export abstract class QueuedDecoder implements FrameDecoder {
  abstract readonly codec: CodecName;
  protected readonly queue = new ByteQueue();

  get buffered(): number {
    return this.queue.length;
  }

  push(bytes: Uint8Array): void {
    this.queue.push(bytes);
  }

  abstract next(): Frame | null;
}
