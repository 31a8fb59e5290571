// The protocol core on its own subpath (`@telegram-mt/client/mtproto`): both
// roles of the encrypted session and of the auth-key handshake, sans-IO, so
// the DC emulator builds its server from the same code as the client.
export * from './session/index.js';

export { ClientHandshake, type ClientHandshakeOptions } from './handshake/client.js';
export {
  ServerHandshake,
  type ServerHandshakeOptions,
  type ServerAuthKeyResult,
  type HandshakeMisbehaviour,
  type DhExponent,
  makeDhExponent,
} from './handshake/server.js';
export { HandshakeError, type HandshakeErrorCode } from './handshake/errors.js';
export type { AuthKeyResult } from './handshake/types.js';
export {
  parseRsaPublicKey,
  parseRsaKeyPair,
  generateRsaKeyPair,
  rsaFingerprint,
  type RsaPublicKey,
  type RsaKeyPair,
} from './rsa.js';
export {
  PRODUCTION_DCS,
  TEST_DCS,
  PRODUCTION_RSA_KEYS,
  TEST_RSA_KEYS,
  handshakeDcId,
  type DcAddress,
} from './production.js';
export { encodeUnencrypted, decodeUnencrypted, type UnencryptedMessage } from './unencrypted.js';
export { KNOWN_DH_PRIME } from './dh.js';
