// Loads the compiled addon, or explains why it cannot.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Crypto } from '../types.js';

/** The functions native/addon.cc exports. */
export interface Addon {
  igeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array, out: Uint8Array): void;
  igeDecrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array, out: Uint8Array): void;
  mtprotoEncrypt(authKey: Uint8Array, x: 0 | 8, plaintext: Uint8Array, out: Uint8Array): void;
  mtprotoEncryptPair: Crypto['mtprotoEncryptPair'];
  mtprotoDecrypt(authKey: Uint8Array, x: 0 | 8, msgKey: Uint8Array, ciphertext: Uint8Array, out: Uint8Array): boolean;
  mtprotoDecryptPair: Crypto['mtprotoDecryptPair'];
  factorizePQ(pq: bigint): [bigint, bigint];
  /** Fills `state` (CTR_STATE_SIZE bytes) for a new AES-256-CTR stream. */
  ctrInit(key: Uint8Array, iv: Uint8Array, state: Uint8Array): void;
  ctrUpdate(state: Uint8Array, data: Uint8Array, out: Uint8Array): void;
  /**
   * Checks its arguments and copies them, then runs on libuv's thread pool.
   * Absent when the process has no OpenSSL symbols to call (not Node).
   */
  modPowAsync?(base: Uint8Array, exponent: Uint8Array, modulus: Uint8Array): Promise<Uint8Array>;
  /** madvise(MADV_POPULATE_WRITE) on the buffer's whole pages; the bytes covered. */
  prefault(buffer: Uint8Array): number;
  /** 'aes-ni', 'armv8-aes' or 'portable' */
  readonly aesImplementation: string;
  /** 'aes-ni', 'armv8-aes' or 'portable' */
  readonly ctrImplementation: string;
  /** 'sha-ni' or 'portable' */
  readonly sha256Implementation: string;
}

export type AddonLoad = { addon: Addon; reason?: undefined } | { addon?: undefined; reason: string };

// src/ and dist/ both sit one level below the package root.
const root = new URL('../../', import.meta.url);
const addonPath = fileURLToPath(new URL('build/Release/crypto_native.node', root));
// Written by scripts/install.mjs when the build fails, so the error for
// `native` can say what went wrong at install time.
const reasonPath = fileURLToPath(new URL('build/not-built.txt', root));

function load(): AddonLoad {
  try {
    return { addon: createRequire(import.meta.url)(addonPath) as Addon };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND') {
      let why = '';
      try {
        why = readFileSync(reasonPath, 'utf8').trim();
      } catch {
        // no record: never attempted, or built then removed
      }
      return {
        reason:
          `the native addon is not built (${addonPath} is missing` +
          (why ? `; the install-time build failed: ${why}` : '') +
          '); run `npm rebuild @telegram-mt/crypto-native` with a C++ compiler, python3 and make available',
      };
    }
    return { reason: `the native addon failed to load from ${addonPath}: ${(err as Error).message}` };
  }
}

let cached: AddonLoad | undefined;

/** Loads once per process. */
export function loadAddon(): AddonLoad {
  cached ??= load();
  return cached;
}
