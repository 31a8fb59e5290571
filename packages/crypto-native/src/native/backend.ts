// The native backend: the addon's functions, with the allocating variants
// added on the JS side (a Buffer from Node's pool is much cheaper than an
// ArrayBuffer created inside the addon).
import type { Crypto } from '../types.js';
import { isBytes } from '../validate.js';
import type { Addon } from './addon.js';
import { nativeAesCtr } from './aes-ctr.js';
import { modPowAsync as jsModPowAsync } from '../js/modpow.js';

function outFor(data: unknown): Buffer {
  return Buffer.allocUnsafe(isBytes(data) ? data.length : 0);
}

export function nativeCrypto(addon: Addon): Crypto {
  const { igeEncrypt, igeDecrypt } = addon;
  return Object.freeze({
    backend: 'native',
    aesIgeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
      const out = outFor(data);
      igeEncrypt(data, key, iv, out);
      return out;
    },
    aesIgeDecrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
      const out = outFor(data);
      igeDecrypt(data, key, iv, out);
      return out;
    },
    // The addon checks every argument itself, so these go straight through.
    aesIgeEncryptInto: igeEncrypt,
    aesIgeDecryptInto: igeDecrypt,
    factorizePQ: addon.factorizePQ,
    mtprotoEncrypt: addon.mtprotoEncrypt,
    mtprotoEncryptPair: addon.mtprotoEncryptPair,
    mtprotoDecrypt: addon.mtprotoDecrypt,
    mtprotoDecryptPair: addon.mtprotoDecryptPair,
    createAesCtr: nativeAesCtr(addon),
    modPowAsync: addon.modPowAsync ?? jsModPowAsync,
    prefault: addon.prefault,
  });
}
