// RSA as MTProto uses it: server keys identified by a 64-bit fingerprint, and
// RSA_PAD (core.telegram.org/mtproto/auth_key, step 4.1) to carry
// p_q_inner_data to the server.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, privateDecrypt, publicEncrypt, constants, type KeyObject } from 'node:crypto';
import { aesIgeDecrypt, aesIgeEncrypt } from './handshake/primitives.js';
import { HandshakeError } from './handshake/errors.js';
import { WireWriter } from './handshake/wire.js';
import { bigIntFromBytes, bigIntToBytes, modPow } from './handshake/bigint.js';

export interface RsaPublicKey {
  n: bigint;
  e: bigint;
  /** Lower 64 bits of SHA1(rsa_public_key n:bytes e:bytes), as the TL long the server sends. */
  fingerprint: bigint;
  /** PKCS#1 PEM (`-----BEGIN RSA PUBLIC KEY-----`). */
  pem: string;
}

export interface RsaKeyPair {
  publicKey: RsaPublicKey;
  /** PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`). */
  privateKeyPem: string;
  privateKey: KeyObject;
}

/** RSA_PAD works on exactly one 2048-bit block. */
const MODULUS_BYTES = 256;

function b64url(s: string | undefined): bigint {
  if (s === undefined) throw new TypeError('RSA key without n or e');
  return bigIntFromBytes(Buffer.from(s, 'base64url'));
}

/** The fingerprint the server advertises in resPQ for this key. */
export function rsaFingerprint(n: bigint, e: bigint): bigint {
  const tl = new WireWriter().bytes(bigIntToBytes(n)).bytes(bigIntToBytes(e)).result();
  const sha = createHash('sha1').update(tl).digest();
  return sha.readBigInt64LE(12);
}

/** Parses a PEM public key (PKCS#1, or SPKI) that must be a 2048-bit RSA key. */
export function parseRsaPublicKey(pem: string): RsaPublicKey {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new TypeError(`not a PEM public key: ${(err as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new TypeError(`not an RSA key: ${key.asymmetricKeyType}`);
  const jwk = key.export({ format: 'jwk' });
  const n = b64url(jwk.n);
  const e = b64url(jwk.e);
  if (n >> 2047n !== 1n) throw new TypeError('MTProto needs a 2048-bit RSA key');
  const pkcs1 = key.export({ type: 'pkcs1', format: 'pem' }).toString();
  return { n, e, fingerprint: rsaFingerprint(n, e), pem: pkcs1 };
}

/** Builds a key pair from a PKCS#1 or PKCS#8 private key PEM (e.g. one kept in a file). */
export function parseRsaKeyPair(privateKeyPem: string): RsaKeyPair {
  const privateKey = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  const publicPem = createPublicKey(privateKey).export({ type: 'pkcs1', format: 'pem' }).toString();
  const pkcs1Private = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return { publicKey: parseRsaPublicKey(publicPem), privateKeyPem: pkcs1Private, privateKey };
}

/** A fresh 2048-bit key pair with e = 65537, as a DC would hold. */
export function generateRsaKeyPair(): RsaKeyPair {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicExponent: 65537,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return parseRsaKeyPair(privateKey);
}

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

const ZERO_IV = new Uint8Array(32);

/**
 * RSA_PAD(data, key): data (≤ 144 bytes) is padded to 192 with random bytes,
 * reversed, hashed with a random temp_key, AES-IGE-encrypted under temp_key,
 * the key masked with SHA256 of the ciphertext, and the 256-byte result raised
 * to e mod n. A temp_key whose block is not below n is drawn again.
 */
export function rsaPadEncrypt(data: Uint8Array, key: RsaPublicKey, random: (n: number) => Uint8Array): Uint8Array {
  if (data.length > 144) throw new RangeError(`RSA_PAD takes at most 144 bytes, got ${data.length}`);
  const dataWithPadding = new Uint8Array(192);
  dataWithPadding.set(data);
  dataWithPadding.set(random(192 - data.length), data.length);
  const dataPadReversed = dataWithPadding.slice().reverse();
  // The chance that a block is ≥ n is tiny for a 2048-bit n; bound the loop anyway.
  for (let attempt = 0; attempt < 64; attempt++) {
    const tempKey = random(32);
    const dataWithHash = new Uint8Array(224);
    dataWithHash.set(dataPadReversed);
    dataWithHash.set(sha256(tempKey, dataWithPadding), 192);
    const aesEncrypted = aesIgeEncrypt(dataWithHash, tempKey, ZERO_IV);
    const mask = sha256(aesEncrypted);
    const keyAesEncrypted = new Uint8Array(MODULUS_BYTES);
    for (let i = 0; i < 32; i++) keyAesEncrypted[i] = tempKey[i]! ^ mask[i]!;
    keyAesEncrypted.set(aesEncrypted, 32);
    const m = bigIntFromBytes(keyAesEncrypted);
    if (m >= key.n) continue;
    return rawPublic(keyAesEncrypted, key);
  }
  throw new RangeError('RSA_PAD: no temp_key gave a block below the modulus');
}

/** KeyObjects of public keys, made once: OpenSSL's m^e mod n is ~3.6× the BigInt one. */
const keyObjects = new WeakMap<RsaPublicKey, KeyObject | null>();

/** m^e mod n of a 256-byte block already checked to be below n. */
function rawPublic(block: Uint8Array, key: RsaPublicKey): Uint8Array {
  let ko = keyObjects.get(key);
  if (ko === undefined) {
    try {
      ko = createPublicKey({ key: key.pem, format: 'pem' });
    } catch {
      ko = null; // a key built by hand with a PEM OpenSSL refuses: the BigInt way still works
    }
    keyObjects.set(key, ko);
  }
  if (ko === null) return bigIntToBytes(modPow(bigIntFromBytes(block), key.e, key.n), MODULUS_BYTES);
  return new Uint8Array(publicEncrypt({ key: ko, padding: constants.RSA_NO_PADDING }, block));
}

/** encrypted_data^d mod n as a 256-byte block; anything not a 256-byte number below n is RSA_PAD. */
function rsaRawDecrypt(encrypted: Uint8Array, pair: RsaKeyPair): Uint8Array {
  if (encrypted.length !== MODULUS_BYTES) {
    throw new HandshakeError('RSA_PAD', `encrypted_data must be ${MODULUS_BYTES} bytes, got ${encrypted.length}`);
  }
  if (bigIntFromBytes(encrypted) >= pair.publicKey.n) {
    throw new HandshakeError('RSA_PAD', 'encrypted_data is not below the modulus');
  }
  try {
    return new Uint8Array(privateDecrypt({ key: pair.privateKey, padding: constants.RSA_NO_PADDING }, encrypted));
  } catch (err) {
    throw new HandshakeError('RSA_PAD', `RSA decryption failed: ${(err as Error).message}`);
  }
}

/**
 * The server's inverse of RSA_PAD. Returns data_with_padding (192 bytes: the
 * caller reads its TL object from the front). Anything that was not produced
 * by RSA_PAD under this key fails with RSA_PAD.
 */
export function rsaPadDecrypt(encrypted: Uint8Array, pair: RsaKeyPair): Uint8Array {
  return rsaPadUnwrap(rsaRawDecrypt(encrypted, pair));
}

function rsaPadUnwrap(block: Uint8Array): Uint8Array {
  const aesEncrypted = block.subarray(32);
  const mask = sha256(aesEncrypted);
  const tempKey = new Uint8Array(32);
  for (let i = 0; i < 32; i++) tempKey[i] = block[i]! ^ mask[i]!;
  const dataWithHash = aesIgeDecrypt(aesEncrypted, tempKey, ZERO_IV);
  const dataWithPadding = dataWithHash.slice(0, 192).reverse(); // aesIgeDecrypt gives a plain Uint8Array: a copy
  const expected = sha256(tempKey, dataWithPadding);
  if (!timingSafeEqualBytes(expected, dataWithHash.subarray(192))) {
    throw new HandshakeError('RSA_PAD', 'hash inside encrypted_data does not match');
  }
  return dataWithPadding;
}

/**
 * What a server accepts as req_DH_params.encrypted_data: RSA_PAD, or — when
 * `legacy` is allowed — the scheme that preceded it and that older clients
 * (Telethon 1.25 among them) still send: SHA1(data) + data + random bytes,
 * 255 bytes, raised to e directly. `read` finds the TL object's length, which
 * the legacy hash covers exactly. One RSA decryption either way.
 */
export function rsaDecryptInnerData<T>(
  encrypted: Uint8Array,
  pair: RsaKeyPair,
  read: (data: Uint8Array) => { value: T; length: number },
  legacy: boolean,
): { value: T; scheme: 'rsa_pad' | 'legacy' } {
  const block = rsaRawDecrypt(encrypted, pair);
  let padError: unknown;
  try {
    return { value: read(rsaPadUnwrap(block)).value, scheme: 'rsa_pad' };
  } catch (err) {
    if (!legacy || !(err instanceof HandshakeError)) throw err;
    padError = err;
  }
  // Legacy: a leading zero byte (the 255-byte message as a 256-byte block), then SHA1 and the object.
  try {
    if (block[0] !== 0) throw padError;
    const data = block.subarray(21);
    const { value, length } = read(data);
    if (!timingSafeEqualBytes(createHash('sha1').update(data.subarray(0, length)).digest(), block.subarray(1, 21))) throw padError;
    return { value, scheme: 'legacy' };
  } catch {
    throw padError;
  }
}

export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
