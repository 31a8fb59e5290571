// The auth-key handshake, both roles, with its lower-level helpers (RSA_PAD, key derivation) that
// the public `@telegram-mt/client/mtproto` entry leaves out: for tests and tools inside the repo.
export { HandshakeError, type HandshakeErrorCode } from './errors.js';
export type { AuthKeyResult, Clock, RandomSource } from './types.js';
export { ClientHandshake, type ClientHandshakeOptions } from './client.js';
export {
  ServerHandshake,
  type ServerHandshakeOptions,
  type ServerAuthKeyResult,
  type HandshakeMisbehaviour,
  type DhExponent,
  makeDhExponent,
} from './server.js';
export { authKeyIdOf, authKeyAuxHash, initialServerSalt, newNonceHash, tmpAesKeyIv } from './kdf.js';
export {
  parseRsaPublicKey,
  parseRsaKeyPair,
  generateRsaKeyPair,
  rsaFingerprint,
  rsaPadEncrypt,
  rsaPadDecrypt,
  type RsaPublicKey,
  type RsaKeyPair,
} from '../rsa.js';
export { KNOWN_DH_PRIME, checkDhParams, checkDhValue, isDhValueInRange, isSafeDhPrime, prepareDhPrime } from '../dh.js';
export {
  PRODUCTION_DCS,
  TEST_DCS,
  PRODUCTION_RSA_KEYS,
  TEST_RSA_KEYS,
  handshakeDcId,
  type DcAddress,
} from '../production.js';
export {
  encodeUnencrypted,
  decodeUnencrypted,
  msgIdFromTime,
  UNENCRYPTED_HEADER,
  type UnencryptedMessage,
} from '../unencrypted.js';
