// MTProto 1.0 message keys, kept for one purpose only: auth.bindTempAuthKey's
// encrypted_message is sealed with the permanent key the 1.0 way
// (core.telegram.org/method/auth.bindTempAuthKey). Every other message uses
// the 2.0 derivation of ../session.
import { sha1 } from '../handshake/kdf.js';

/** msg_key of MTProto 1.0: the low 128 bits of SHA-1 over the plaintext *without* its padding. */
export function msgKeyV1(plaintextWithoutPadding: Uint8Array): Uint8Array {
  return sha1(plaintextWithoutPadding).subarray(4, 20);
}

/**
 * The 1.0 AES-256-IGE key and iv from the auth key and msg_key: four SHA-1
 * digests over msg_key and 32/16-byte slices of the key, offset by x
 * (0 for messages to the server, 8 for messages from it).
 */
export function aesKeyIvV1(authKey: Uint8Array, msgKey: Uint8Array, x: 0 | 8): { key: Uint8Array; iv: Uint8Array } {
  if (authKey.length !== 256) throw new RangeError(`an auth key is 256 bytes, got ${authKey.length}`);
  if (msgKey.length !== 16) throw new RangeError(`msg_key is 16 bytes, got ${msgKey.length}`);
  const a = sha1(msgKey, authKey.subarray(x, x + 32));
  const b = sha1(authKey.subarray(32 + x, 48 + x), msgKey, authKey.subarray(48 + x, 64 + x));
  const c = sha1(authKey.subarray(64 + x, 96 + x), msgKey);
  const d = sha1(msgKey, authKey.subarray(96 + x, 128 + x));
  const key = new Uint8Array(32);
  key.set(a.subarray(0, 8), 0);
  key.set(b.subarray(8, 20), 8);
  key.set(c.subarray(4, 16), 20);
  const iv = new Uint8Array(32);
  iv.set(a.subarray(8, 20), 0);
  iv.set(b.subarray(0, 8), 12);
  iv.set(c.subarray(16, 20), 20);
  iv.set(d.subarray(0, 8), 24);
  return { key, iv };
}
