import { createHash } from 'node:crypto';

/**
 * MTProto 2.0 message encryption (core.telegram.org/mtproto/description):
 * msg_key from SHA-256 over part of the auth key and the padded plaintext,
 * AES-256-IGE key and iv derived from it, x = 0 for client → server and
 * x = 8 for server → client. One interface so the fused native call and any
 * other backend are interchangeable.
 */
export interface MessageCipher {
  /**
   * Writes msg_key (16 bytes) and then the ciphertext into `out` (16 +
   * plaintext.length bytes). The ciphertext part of `out` may be `plaintext`
   * itself (the envelope encrypts in place).
   */
  encrypt(authKey: Uint8Array, x: 0 | 8, plaintext: Uint8Array, out: Uint8Array): void;
  /** Decrypts into `out` (ciphertext.length bytes, may be `ciphertext` itself); false when the msg_key does not match the plaintext. */
  decrypt(authKey: Uint8Array, x: 0 | 8, msgKey: Uint8Array, ciphertext: Uint8Array, out: Uint8Array): boolean;
}

/** A received message to decrypt ahead, in place: views of one packet (see Envelope.openJob). */
export interface OpenJob {
  authKey: Uint8Array;
  x: 0 | 8;
  msgKey: Uint8Array;
  ciphertext: Uint8Array;
}

/** auth_key_id: the low 64 bits of SHA-1(auth_key), i.e. its last 8 bytes read little-endian. */
export function authKeyIdOf(authKey: Uint8Array): bigint {
  if (authKey.length !== 256) throw new RangeError(`an auth key is 256 bytes, got ${authKey.length}`);
  const h = createHash('sha1').update(authKey).digest();
  return h.readBigInt64LE(12);
}
