import { TransportError } from '../errors.js';

export type CodecName = 'abridged' | 'intermediate' | 'padded' | 'full';
/** Which end of the wire a codec sits at: quick-ack bits mean different things each way. */
export type Role = 'client' | 'server';

/** Default and hard upper bound on one packet's payload (see README). */
export const DEFAULT_MAX_PACKET_SIZE = 4 * 1024 * 1024;
export const MAX_PACKET_SIZE_LIMIT = 16 * 1024 * 1024;

export type Frame =
  /** One whole packet. `quickAck` is set on the server side when the client asked for one. */
  | { type: 'packet'; packet: Uint8Array; quickAck: boolean }
  /** A quick-ack token from the server (client side only), MSB set. */
  | { type: 'quickAck'; token: number };

export interface FrameEncoder {
  readonly codec: CodecName;
  /** Frame one packet. `quickAck` (client side) asks the server for a quick ack. */
  encode(packet: Uint8Array, quickAck?: boolean): Uint8Array;
  /**
   * The same frame as `encode`, as pieces that reference `packet` instead of
   * copying it: worth it for large packets, where the copy costs more than an
   * extra write.
   */
  encodeParts(packet: Uint8Array, quickAck?: boolean): Uint8Array[];
  /** Server side: the bytes of a quick-ack token in this codec. */
  encodeQuickAck(token: number): Uint8Array;
}

export interface FrameDecoder {
  readonly codec: CodecName;
  /**
   * Append received bytes (after any de-obfuscation). `lent` bytes are valid
   * only until `next()` returns null: frames cut from them are copies, and
   * what is left of them is copied then.
   */
  push(bytes: Uint8Array, lent?: boolean): void;
  /** The next complete frame, or null when more bytes are needed. Throws TransportError on bad input. */
  next(): Frame | null;
  /** Bytes held that do not yet form a frame (non-zero at close = truncated). */
  readonly buffered: number;
  /** Where a packet that arrived in several reads is joined (default `Buffer.allocUnsafe`). */
  useAllocator?(alloc: (n: number) => Uint8Array): void;
  /**
   * The unfilled rest of a large frame being joined, if any: bytes read
   * there and then pushed (as a view of exactly that memory) are not copied.
   */
  readTarget?(): Uint8Array | undefined;
}

/** The 4-byte protocol tag of each codec, as it appears in the (obfuscated) init. */
export const PROTOCOL_TAG: Record<CodecName, number | null> = {
  abridged: 0xefefefef,
  intermediate: 0xeeeeeeee,
  padded: 0xdddddddd,
  full: null, // the spec defines no tag: full is never obfuscated
};

export function codecForTag(tag: number): CodecName | null {
  if (tag === 0xefefefef) return 'abridged';
  if (tag === 0xeeeeeeee) return 'intermediate';
  if (tag === 0xdddddddd) return 'padded';
  return null;
}

export function checkMaxPacketSize(max: number | undefined): number {
  const value = max ?? DEFAULT_MAX_PACKET_SIZE;
  if (!Number.isInteger(value) || value < 4 || value > MAX_PACKET_SIZE_LIMIT) {
    throw new RangeError(`maxPacketSize must be an integer in [4, ${MAX_PACKET_SIZE_LIMIT}]`);
  }
  return value;
}

/**
 * The peer's 4-byte error packet: a negative little-endian int32 where a packet
 * should be. Padded intermediate may carry up to 15 padding bytes after it, and
 * no real MTProto packet is that short (an unencrypted one is at least 24 bytes).
 */
export function peerErrorCode(packet: Uint8Array, padded: boolean): number | null {
  if (packet.length < 4 || (padded ? packet.length >= 24 : packet.length !== 4)) return null;
  const value = packet[0]! | (packet[1]! << 8) | (packet[2]! << 16) | (packet[3]! << 24);
  return value < 0 ? value : null;
}

export function badLength(what: string): TransportError {
  return new TransportError('BAD_LENGTH', `BAD_LENGTH: ${what}`);
}
