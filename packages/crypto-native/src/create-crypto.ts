import { jsCrypto } from './js/backend.js';
import { loadAddon } from './native/addon.js';
import { nativeCrypto } from './native/backend.js';
import type { BackendChoice, Crypto } from './types.js';

export interface CreateCryptoOptions {
  /**
   * `auto` (default): `native` when the addon is built, else `js`; the
   * environment variable TELEGRAM_MT_CRYPTO=js makes `auto` pick `js`.
   * `native` throws if the addon is unavailable, saying why.
   */
  backend?: BackendChoice;
}

/** Thrown when `native` is asked for and the addon cannot be loaded. */
export class NativeBackendUnavailableError extends Error {
  override readonly name = 'NativeBackendUnavailableError';
}

let native: Crypto | undefined;

export function createCrypto(options: CreateCryptoOptions = {}): Crypto {
  const choice = options.backend ?? 'auto';
  if (choice !== 'auto' && choice !== 'native' && choice !== 'js') {
    throw new TypeError(`backend must be 'auto', 'native' or 'js', got ${String(choice)}`);
  }
  if (choice === 'js') return jsCrypto;
  if (choice === 'auto') {
    const env = process.env.TELEGRAM_MT_CRYPTO;
    if (env === 'js') return jsCrypto;
    if (env !== undefined && env !== '' && env !== 'auto' && env !== 'native') {
      throw new TypeError(`TELEGRAM_MT_CRYPTO must be 'js', 'native' or 'auto', got ${env}`);
    }
    if (env !== 'native') {
      const { addon } = loadAddon();
      if (!addon) return jsCrypto;
      native ??= nativeCrypto(addon);
      return native;
    }
  }
  const load = loadAddon();
  if (!load.addon) throw new NativeBackendUnavailableError(`crypto backend 'native' is unavailable: ${load.reason}`);
  native ??= nativeCrypto(load.addon);
  return native;
}

/** Which AES and SHA-256 code paths the addon chose on this CPU, or why it is unavailable. */
export function nativeInfo(): { aes: string; ctr: string; sha256: string } | { unavailable: string } {
  const load = loadAddon();
  if (!load.addon) return { unavailable: load.reason };
  return { aes: load.addon.aesImplementation, ctr: load.addon.ctrImplementation, sha256: load.addon.sha256Implementation };
}
