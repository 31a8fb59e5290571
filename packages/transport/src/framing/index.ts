import type { CodecName, FrameDecoder, FrameEncoder, Role } from './types.js';
import { checkMaxPacketSize } from './types.js';
import { AbridgedDecoder, AbridgedEncoder } from './abridged.js';
import { IntermediateDecoder, IntermediateEncoder } from './intermediate.js';
import { FullDecoder, FullEncoder } from './full.js';

export * from './types.js';
export { ByteQueue } from './byte-queue.js';

export function createFrameEncoder(codec: CodecName): FrameEncoder {
  switch (codec) {
    case 'abridged':
      return new AbridgedEncoder();
    case 'intermediate':
      return new IntermediateEncoder(false);
    case 'padded':
      return new IntermediateEncoder(true);
    case 'full':
      return new FullEncoder();
    default:
      throw new RangeError(`unknown codec ${String(codec)}`);
  }
}

export function createFrameDecoder(codec: CodecName, role: Role, maxPacketSize?: number): FrameDecoder {
  const max = checkMaxPacketSize(maxPacketSize);
  switch (codec) {
    case 'abridged':
      return new AbridgedDecoder(role, max);
    case 'intermediate':
      return new IntermediateDecoder(false, role, max);
    case 'padded':
      return new IntermediateDecoder(true, role, max);
    case 'full':
      return new FullDecoder(max);
    default:
      throw new RangeError(`unknown codec ${String(codec)}`);
  }
}

/** The plain (unobfuscated) bytes a client sends first to pick the codec. */
export function plainInit(codec: CodecName): Uint8Array {
  switch (codec) {
    case 'abridged':
      return Uint8Array.of(0xef);
    case 'intermediate':
      return Uint8Array.of(0xee, 0xee, 0xee, 0xee);
    case 'padded':
      return Uint8Array.of(0xdd, 0xdd, 0xdd, 0xdd);
    case 'full':
      return new Uint8Array(0);
  }
}
