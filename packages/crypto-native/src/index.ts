// @telegram-mt/crypto-native: AES-256-IGE, pq factorization and the fused
// MTProto 2.0 message cipher, on a C++ addon or a TypeScript fallback.
import { createCrypto } from './create-crypto.js';

export { createCrypto, nativeInfo, NativeBackendUnavailableError } from './create-crypto.js';
export type { CreateCryptoOptions } from './create-crypto.js';
export type { AesCtrFactory, AesCtrStream, BackendChoice, BackendName, Crypto, MtprotoDirection } from './types.js';

/** The backend the root functions below use (`createCrypto({ backend: 'auto' })`). */
export const defaultCrypto = createCrypto();

export const {
  aesIgeEncrypt,
  aesIgeDecrypt,
  aesIgeEncryptInto,
  aesIgeDecryptInto,
  factorizePQ,
  mtprotoEncrypt,
  mtprotoEncryptPair,
  mtprotoDecrypt,
  mtprotoDecryptPair,
  createAesCtr,
  prefault,
} = defaultCrypto;
