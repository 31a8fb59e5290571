import { ID_GZIP_PACKED, ID_MSG_CONTAINER } from './ids.js';
import {
  FramingError,
  readI32,
  readLong,
  readTlBytes,
  readU32,
  tlBytesSize,
  writeLong,
  writeTlBytes,
  writeU32,
} from './wire.js';
import { gzipSync, unzipSync } from 'node:zlib';

/** A message inside a container (msg_container#73f1f8dc messages:vector<%Message>). */
export interface InnerMessage {
  msgId: bigint;
  seqNo: number;
  body: Uint8Array;
}

/** msg_id, seqno, bytes before each body. */
export const INNER_HEADER = 16;
/** Container id and count. */
export const CONTAINER_HEADER = 8;

/** A container body holding `messages` in order. */
export function packContainer(messages: readonly InnerMessage[]): Uint8Array {
  const out = new Uint8Array(containerSize(messages));
  writeContainer(messages, out, 0);
  return out;
}

/** The size of the container body holding `messages`. */
export function containerSize(messages: readonly InnerMessage[]): number {
  let size = CONTAINER_HEADER;
  for (const m of messages) size += INNER_HEADER + m.body.length;
  return size;
}

/** Writes the container body of `messages` at `at` (`containerSize` bytes of room must be there). */
export function writeContainer(messages: readonly InnerMessage[], out: Uint8Array, at: number): void {
  writeU32(out, at, ID_MSG_CONTAINER);
  writeU32(out, at + 4, messages.length);
  let p = at + CONTAINER_HEADER;
  for (const m of messages) {
    writeLong(out, p, m.msgId);
    writeU32(out, p + 8, m.seqNo);
    writeU32(out, p + 12, m.body.length);
    out.set(m.body, p + INNER_HEADER);
    p += INNER_HEADER + m.body.length;
  }
}

/**
 * The messages of a container body (its id included). Bodies are views into
 * `body`. Every length is checked against what is left, and a container
 * inside a container is refused, as the spec forbids it.
 */
export function unpackContainer(body: Uint8Array, maxMessages = 1024): InnerMessage[] {
  if (body.length < CONTAINER_HEADER || readU32(body, 0) !== ID_MSG_CONTAINER) {
    throw new FramingError('not a msg_container');
  }
  const count = readI32(body, 4);
  if (count < 0 || count > maxMessages || count * INNER_HEADER > body.length - CONTAINER_HEADER) {
    throw new FramingError(`msg_container claims ${count} messages`);
  }
  const out: InnerMessage[] = new Array(count);
  let p = CONTAINER_HEADER;
  for (let i = 0; i < count; i++) {
    if (p + INNER_HEADER > body.length) throw new FramingError(`msg_container truncated at message ${i}`);
    const len = readI32(body, p + 12);
    if (len < 4 || (len & 3) !== 0 || p + INNER_HEADER + len > body.length) {
      throw new FramingError(`msg_container message ${i} has a bad length ${len}`);
    }
    const inner = body.subarray(p + INNER_HEADER, p + INNER_HEADER + len);
    if (readU32(inner, 0) === ID_MSG_CONTAINER) throw new FramingError('msg_container inside msg_container');
    out[i] = { msgId: readLong(body, p), seqNo: readU32(body, p + 8), body: inner };
    p += INNER_HEADER + len;
  }
  if (p !== body.length) throw new FramingError(`${body.length - p} bytes left after msg_container`);
  return out;
}

/** gzip_packed#3072cfa1 around `body` if that makes it smaller, else `body` itself. */
export function maybeGzip(body: Uint8Array): Uint8Array {
  const packed = gzipSync(body);
  const size = 4 + tlBytesSize(packed.length);
  if (size >= body.length) return body;
  const out = new Uint8Array(size);
  writeU32(out, 0, ID_GZIP_PACKED);
  writeTlBytes(out, 4, packed);
  return out;
}

/**
 * The object inside a gzip_packed body (its id included), inflated within
 * `maxInflated` bytes from a gzip or a zlib stream; a body that is not
 * gzip_packed is returned as it is.
 */
export function unpackGzip(body: Uint8Array, maxInflated: number): Uint8Array {
  if (body.length < 4 || readU32(body, 0) !== ID_GZIP_PACKED) return body;
  const { start, length, next } = readTlBytes(body, 4, body.length);
  if (next !== body.length) throw new FramingError('bytes left after gzip_packed');
  let out: Buffer;
  try {
    // Either header: Telegram's servers read gzip (RFC 1952, what we send) and zlib streams (RFC 1950,
    // what mtcute's deflateSync writes), so an answer or a request in either must be read.
    out = unzipSync(body.subarray(start, start + length), { maxOutputLength: maxInflated });
  } catch (e) {
    throw new FramingError(`gzip_packed does not inflate within ${maxInflated} bytes: ${(e as Error).message}`);
  }
  if (out.length < 4 || (out.length & 3) !== 0) throw new FramingError(`gzip_packed holds ${out.length} bytes`);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

