// The TypeScript backend: runs wherever Node does, same answers and same
// errors as the addon.
import type { Crypto } from '../types.js';
import {
  bytes,
  igeArgs,
  isBytes,
  mtprotoDecryptArgs,
  mtprotoDecryptPairArgs,
  mtprotoEncryptArgs,
  mtprotoEncryptPairArgs,
  pqValue,
} from '../validate.js';
import { jsAesCtr } from './aes-ctr.js';
import { igeDecrypt, igeEncrypt } from './aes-ige.js';
import { factorize } from './factorize.js';
import { modPowAsync } from './modpow.js';
import { mtprotoDecrypt, mtprotoEncrypt } from './mtproto.js';

export const jsCrypto: Crypto = Object.freeze({
  backend: 'js',
  aesIgeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
    const out = Buffer.allocUnsafe(isBytes(data) ? data.length : 0);
    igeArgs(data, key, iv, out);
    igeEncrypt(data, key, iv, out, 0, data.length);
    return out;
  },
  aesIgeDecrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
    const out = Buffer.allocUnsafe(isBytes(data) ? data.length : 0);
    igeArgs(data, key, iv, out);
    igeDecrypt(data, key, iv, out, 0, data.length);
    return out;
  },
  aesIgeEncryptInto(data: Uint8Array, key: Uint8Array, iv: Uint8Array, out: Uint8Array): void {
    igeArgs(data, key, iv, out);
    igeEncrypt(data, key, iv, out, 0, data.length);
  },
  aesIgeDecryptInto(data: Uint8Array, key: Uint8Array, iv: Uint8Array, out: Uint8Array): void {
    igeArgs(data, key, iv, out);
    igeDecrypt(data, key, iv, out, 0, data.length);
  },
  factorizePQ(pq: bigint): [bigint, bigint] {
    return factorize(pqValue(pq));
  },
  mtprotoEncrypt(authKey: Uint8Array, x: 0 | 8, plaintext: Uint8Array, out: Uint8Array): void {
    mtprotoEncryptArgs(authKey, x, plaintext, out);
    mtprotoEncrypt(authKey, x, plaintext, out);
  },
  // No second core chain to fill here: both checked first, then one after
  // the other.
  mtprotoEncryptPair(
    authKey1: Uint8Array,
    x1: 0 | 8,
    plaintext1: Uint8Array,
    out1: Uint8Array,
    authKey2: Uint8Array,
    x2: 0 | 8,
    plaintext2: Uint8Array,
    out2: Uint8Array,
  ): void {
    mtprotoEncryptPairArgs(authKey1, x1, plaintext1, out1, authKey2, x2, plaintext2, out2);
    mtprotoEncrypt(authKey1, x1, plaintext1, out1);
    mtprotoEncrypt(authKey2, x2, plaintext2, out2);
  },
  mtprotoDecrypt(authKey: Uint8Array, x: 0 | 8, msgKey: Uint8Array, ciphertext: Uint8Array, out: Uint8Array): boolean {
    mtprotoDecryptArgs(authKey, x, msgKey, ciphertext, out);
    return mtprotoDecrypt(authKey, x, msgKey, ciphertext, out);
  },
  // As mtprotoEncryptPair: both checked first, then one after the other.
  mtprotoDecryptPair(
    authKey1: Uint8Array,
    x1: 0 | 8,
    msgKey1: Uint8Array,
    ciphertext1: Uint8Array,
    out1: Uint8Array,
    authKey2: Uint8Array,
    x2: 0 | 8,
    msgKey2: Uint8Array,
    ciphertext2: Uint8Array,
    out2: Uint8Array,
  ): number {
    mtprotoDecryptPairArgs(authKey1, x1, msgKey1, ciphertext1, out1, authKey2, x2, msgKey2, ciphertext2, out2);
    const ok1 = mtprotoDecrypt(authKey1, x1, msgKey1, ciphertext1, out1);
    const ok2 = mtprotoDecrypt(authKey2, x2, msgKey2, ciphertext2, out2);
    return (ok1 ? 1 : 0) | (ok2 ? 2 : 0);
  },
  createAesCtr: jsAesCtr,
  modPowAsync,
  // JavaScript cannot ask the OS for this: checked, then nothing.
  prefault(buffer: Uint8Array): number {
    bytes(buffer, 'buffer');
    return 0;
  },
});
