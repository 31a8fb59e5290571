// Plain (unencrypted) MTProto messages, used only by the auth-key handshake:
// auth_key_id = 0 (8 bytes) · msg_id (8) · message_data_length (4) · message_data.
import { HandshakeError } from './handshake/errors.js';
import { plain } from './handshake/primitives.js';

export interface UnencryptedMessage {
  msgId: bigint;
  body: Uint8Array;
}

/** Header size of a plain message. */
export const UNENCRYPTED_HEADER = 20;

export function encodeUnencrypted(msgId: bigint, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(UNENCRYPTED_HEADER + body.length);
  const v = new DataView(out.buffer);
  // auth_key_id stays 0
  v.setBigUint64(8, BigInt.asUintN(64, msgId), true);
  v.setUint32(16, body.length, true);
  out.set(body, UNENCRYPTED_HEADER);
  return out;
}

/**
 * Parses a plain message; anything but a zero-keyed frame whose length field
 * fits is BAD_MESSAGE. Up to 15 bytes after the data are allowed: the padded
 * intermediate transport appends them and only this layer knows the length.
 */
export function decodeUnencrypted(packet: Uint8Array): UnencryptedMessage {
  if (packet.length < UNENCRYPTED_HEADER) {
    throw new HandshakeError('BAD_MESSAGE', `plain message of ${packet.length} bytes is shorter than its header`);
  }
  const v = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  if (v.getBigUint64(0, true) !== 0n) {
    throw new HandshakeError('BAD_MESSAGE', 'expected a plain message (auth_key_id 0)');
  }
  const length = v.getUint32(16, true);
  const carried = packet.length - UNENCRYPTED_HEADER;
  if (length > carried || carried - length > 15) {
    throw new HandshakeError(
      'BAD_MESSAGE',
      `plain message says ${length} bytes of data but carries ${carried}`,
    );
  }
  return { msgId: v.getBigInt64(8, true), body: plain(packet).slice(UNENCRYPTED_HEADER, UNENCRYPTED_HEADER + length) };
}

/**
 * A msg_id from a clock in ms: unix seconds in the high 32 bits, the fraction
 * of the second in the low 32, with the low two bits set to `parity`
 * (0 for client messages, 1 for server answers) and kept above `last`.
 */
export function msgIdFromTime(nowMs: number, last: bigint, parity: 0 | 1 | 3 = 0): bigint {
  const seconds = Math.floor(nowMs / 1000);
  const fraction = Math.floor(((nowMs - seconds * 1000) / 1000) * 0x100000000);
  let id = (BigInt(seconds) << 32n) | BigInt(fraction);
  id = (id & ~3n) | BigInt(parity);
  if (id <= last) id = ((last + 4n) & ~3n) | BigInt(parity);
  return id;
}
