// The binding message of auth.bindTempAuthKey and its MTProto 1.0 sealing
// with the permanent key (core.telegram.org/method/auth.bindTempAuthKey,
// "Generating encrypted_message"). Both directions live here so the client
// and the server read the same layout.
import { aesIgeDecrypt, aesIgeEncrypt } from '../handshake/primitives.js';
import { readI32, readLong, readU32, writeLong, writeU32 } from '../session/wire.js';
import { aesKeyIvV1, msgKeyV1 } from './kdf-v1.js';

/** bind_auth_key_inner#75a3f765 nonce:long temp_auth_key_id:long perm_auth_key_id:long temp_session_id:long expires_at:int */
export const ID_BIND_AUTH_KEY_INNER = 0x75a3f765;
/** Serialized size of bind_auth_key_inner: constructor + 4 longs + 1 int. */
export const BIND_AUTH_KEY_INNER_SIZE = 40;
/** random:int128 + msg_id:long + seqno:int + msg_len:int, ahead of the inner object. */
const HEADER_SIZE = 32;
/** auth_key_id + msg_key ahead of the ciphertext. */
const OUTER_SIZE = 24;
/** 32 + 40 = 72 bytes padded to whole AES blocks: 80. What every honest client sends. */
const PLAINTEXT_SIZE = 80;
/** Size of encrypted_message as the method page describes it. */
export const ENCRYPTED_BIND_MESSAGE_SIZE = OUTER_SIZE + PLAINTEXT_SIZE;
/** Anything longer is refused before any hashing: the message has one fixed shape. */
const MAX_ENCRYPTED_SIZE = OUTER_SIZE + 512;

export interface BindAuthKeyInner {
  /** Random long, repeated in the outer request. */
  nonce: bigint;
  tempAuthKeyId: bigint;
  permAuthKeyId: bigint;
  /** The session in which auth.bindTempAuthKey is invoked (on the temp key). */
  tempSessionId: bigint;
  /** Unix time (server clock) when the temp key stops being valid. */
  expiresAt: number;
}

export function encodeBindAuthKeyInner(inner: BindAuthKeyInner, out = new Uint8Array(BIND_AUTH_KEY_INNER_SIZE), o = 0): Uint8Array {
  writeU32(out, o, ID_BIND_AUTH_KEY_INNER);
  writeLong(out, o + 4, inner.nonce);
  writeLong(out, o + 12, inner.tempAuthKeyId);
  writeLong(out, o + 20, inner.permAuthKeyId);
  writeLong(out, o + 28, inner.tempSessionId);
  writeU32(out, o + 36, inner.expiresAt | 0);
  return out;
}

/** Reads bind_auth_key_inner; undefined when the constructor is another one or the bytes are short. */
export function decodeBindAuthKeyInner(b: Uint8Array, o = 0): BindAuthKeyInner | undefined {
  if (b.length - o < BIND_AUTH_KEY_INNER_SIZE || readU32(b, o) !== ID_BIND_AUTH_KEY_INNER) return undefined;
  return {
    nonce: readLong(b, o + 4),
    tempAuthKeyId: readLong(b, o + 12),
    permAuthKeyId: readLong(b, o + 20),
    tempSessionId: readLong(b, o + 28),
    expiresAt: readI32(b, o + 36),
  };
}

/**
 * encrypted_message: perm_auth_key_id + msg_key + AES-IGE(random:int128 +
 * msg_id + seqno 0 + msg_len 40 + inner + padding), with msg_key and the AES
 * key derived the MTProto 1.0 way (x = 0). `random` fills the 16 leading
 * bytes and the 8 padding bytes.
 */
export function sealBindMessage(
  permAuthKey: Uint8Array,
  permAuthKeyId: bigint,
  msgId: bigint,
  inner: BindAuthKeyInner,
  random: (out: Uint8Array) => void,
): Uint8Array {
  const plain = new Uint8Array(PLAINTEXT_SIZE);
  random(plain.subarray(0, 16));
  writeLong(plain, 16, msgId);
  writeU32(plain, 24, 0);
  writeU32(plain, 28, BIND_AUTH_KEY_INNER_SIZE);
  encodeBindAuthKeyInner(inner, plain, HEADER_SIZE);
  random(plain.subarray(HEADER_SIZE + BIND_AUTH_KEY_INNER_SIZE));
  return sealBindPlaintext(permAuthKey, permAuthKeyId, plain);
}

/**
 * The sealing step alone, over an 80-byte plaintext laid out as above
 * (msg_key over its first 72 bytes). Exported so tests can seal plaintexts
 * that break one rule at a time.
 */
export function sealBindPlaintext(permAuthKey: Uint8Array, permAuthKeyId: bigint, plain: Uint8Array): Uint8Array {
  if (plain.length !== PLAINTEXT_SIZE) throw new RangeError(`the binding plaintext is ${PLAINTEXT_SIZE} bytes, got ${plain.length}`);
  const msgKey = msgKeyV1(plain.subarray(0, HEADER_SIZE + BIND_AUTH_KEY_INNER_SIZE));
  const { key, iv } = aesKeyIvV1(permAuthKey, msgKey, 0);
  const out = new Uint8Array(ENCRYPTED_BIND_MESSAGE_SIZE);
  writeLong(out, 0, permAuthKeyId);
  out.set(msgKey, 8);
  out.set(aesIgeEncrypt(plain, key, iv), OUTER_SIZE);
  return out;
}

/** Why an encrypted_message did not open (all answered ENCRYPTED_MESSAGE_INVALID). */
export type OpenBindFailure = 'malformed' | 'msg-key' | 'msg-len' | 'seq-no' | 'constructor';

export interface OpenedBindMessage {
  msgId: bigint;
  seqNo: number;
  inner: BindAuthKeyInner;
}

/** The auth_key_id encrypted_message names in its first 8 bytes, or undefined when it is too short. */
export function bindMessageKeyId(encrypted: Uint8Array): bigint | undefined {
  return encrypted.length >= 8 ? readLong(encrypted, 0) : undefined;
}

/**
 * Inverse of sealBindMessage with the permanent key the message names. Every
 * length is checked before it is used, and the msg_key comparison does not
 * stop at the first differing byte.
 */
export function openBindMessage(permAuthKey: Uint8Array, encrypted: Uint8Array): OpenedBindMessage | OpenBindFailure {
  const n = encrypted.length - OUTER_SIZE;
  if (n < HEADER_SIZE + BIND_AUTH_KEY_INNER_SIZE || n % 16 !== 0 || encrypted.length > MAX_ENCRYPTED_SIZE) return 'malformed';
  const msgKey = encrypted.subarray(8, OUTER_SIZE);
  const { key, iv } = aesKeyIvV1(permAuthKey, msgKey, 0);
  const plain = aesIgeDecrypt(encrypted.subarray(OUTER_SIZE), key, iv);
  // The only valid msg_len is the inner object's, so msg_key covers exactly the first 72 bytes:
  // a wrong key or a tampered block fails here, before any length read from the plaintext is trusted.
  const expected = msgKeyV1(plain.subarray(0, HEADER_SIZE + BIND_AUTH_KEY_INNER_SIZE));
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= expected[i]! ^ msgKey[i]!;
  if (diff !== 0) return 'msg-key';
  const msgLen = readU32(plain, 28);
  if (msgLen !== BIND_AUTH_KEY_INNER_SIZE || plain.length - HEADER_SIZE - msgLen >= 16) return 'msg-len';
  const seqNo = readU32(plain, 24);
  if (seqNo !== 0) return 'seq-no';
  const inner = decodeBindAuthKeyInner(plain, HEADER_SIZE);
  if (inner === undefined) return 'constructor';
  return { msgId: readLong(plain, 16), seqNo, inner };
}
