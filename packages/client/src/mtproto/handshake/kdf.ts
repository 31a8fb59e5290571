// The handshake's SHA-1 derivations (core.telegram.org/mtproto/auth_key).
import { createHash } from 'node:crypto';
import { aesIgeDecrypt, aesIgeEncrypt } from './primitives.js';
import { HandshakeError } from './errors.js';

export function sha1(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * tmp_aes_key = SHA1(new_nonce + server_nonce) + SHA1(server_nonce + new_nonce)[0:12]
 * tmp_aes_iv  = SHA1(server_nonce + new_nonce)[12:20] + SHA1(new_nonce + new_nonce) + new_nonce[0:4]
 */
export function tmpAesKeyIv(newNonce: Uint8Array, serverNonce: Uint8Array): { key: Uint8Array; iv: Uint8Array } {
  const a = sha1(newNonce, serverNonce);
  const b = sha1(serverNonce, newNonce);
  const c = sha1(newNonce, newNonce);
  return {
    key: concat(a, b.subarray(0, 12)),
    iv: concat(b.subarray(12, 20), c, newNonce.subarray(0, 4)),
  };
}

/** auth_key_aux_hash: the first 8 bytes of SHA1(auth_key). */
export function authKeyAuxHash(authKey: Uint8Array): Uint8Array {
  return sha1(authKey).subarray(0, 8);
}

/** auth_key_id: the low 64 bits of SHA1(auth_key), i.e. bytes 12..20 read as a little-endian long. */
export function authKeyIdOf(authKey: Uint8Array): bigint {
  return Buffer.from(sha1(authKey)).readBigInt64LE(12);
}

/** new_nonce_hash{1,2,3}: the low 128 bits of SHA1(new_nonce + [n] + auth_key_aux_hash). */
export function newNonceHash(newNonce: Uint8Array, n: 1 | 2 | 3, authKey: Uint8Array): Uint8Array {
  return sha1(newNonce, Uint8Array.of(n), authKeyAuxHash(authKey)).subarray(4, 20);
}

/** server_salt = new_nonce[0:8] XOR server_nonce[0:8], as a little-endian long. */
export function initialServerSalt(newNonce: Uint8Array, serverNonce: Uint8Array): bigint {
  const x = Buffer.alloc(8);
  for (let i = 0; i < 8; i++) x[i] = newNonce[i]! ^ serverNonce[i]!;
  return x.readBigInt64LE(0);
}

/**
 * SHA1(data) + data + random padding to a multiple of 16, AES-IGE-encrypted.
 * `hash` exists only so the emulator can send a wrong one on purpose.
 */
export function encryptWithHash(
  data: Uint8Array,
  key: Uint8Array,
  iv: Uint8Array,
  random: (n: number) => Uint8Array,
  hash: Uint8Array = sha1(data),
): Uint8Array {
  const len = 20 + data.length;
  const pad = (16 - (len % 16)) % 16;
  const plain = concat(hash, data, pad > 0 ? random(pad) : new Uint8Array(0));
  return aesIgeEncrypt(plain, key, iv);
}

/**
 * Inverse of encryptWithHash, with the TL object's length found by `read`.
 * The hash must cover exactly the object, and fewer than 16 bytes may follow it.
 */
export function decryptWithHash<T>(
  encrypted: Uint8Array,
  key: Uint8Array,
  iv: Uint8Array,
  read: (data: Uint8Array) => { value: T; length: number },
): T {
  if (encrypted.length === 0 || encrypted.length % 16 !== 0) {
    throw new HandshakeError('BAD_MESSAGE', `encrypted data of ${encrypted.length} bytes is not whole AES blocks`);
  }
  const plain = aesIgeDecrypt(encrypted, key, iv);
  if (plain.length < 20) throw new HandshakeError('BAD_MESSAGE', 'encrypted data is too short for its hash');
  let parsed: { value: T; length: number };
  try {
    parsed = read(plain.subarray(20));
  } catch (err) {
    // A wrong key or a tampered block decrypts to noise: report it as the hash failure it is.
    if (err instanceof HandshakeError) throw new HandshakeError('ANSWER_HASH', `decrypted data does not parse (${err.message})`);
    throw err;
  }
  const hash = sha1(plain.subarray(20, 20 + parsed.length));
  let diff = 0;
  for (let i = 0; i < 20; i++) diff |= hash[i]! ^ plain[i]!;
  if (diff !== 0) throw new HandshakeError('ANSWER_HASH', 'SHA1 of the decrypted data does not match');
  if (plain.length - 20 - parsed.length >= 16) {
    throw new HandshakeError('ANSWER_HASH', 'more than 15 bytes of padding after the decrypted data');
  }
  return parsed.value;
}
