// AES-256-IGE on the TypeScript backend: the unrolled table AES for
// decryption and short messages, node:crypto's CBC for long encryptions
// (ige-cbc.ts), whichever the bench finds faster at that length.
import { expandDecryptKey, expandEncryptKey, le32 } from './aes-key.js';
import { decryptBlocks, encryptBlocks } from './generated/aes-ige-blocks.js';
import { igeEncryptCbc } from './ige-cbc.js';
import { viewOf } from './views.js';

/**
 * From this many bytes encryption goes through node:crypto: creating the
 * cipher costs ~3 µs, about what the table AES takes for this much data
 * (measured crossover 512–768 B).
 */
export const CBC_MIN_BYTES = 640;

const roundKeys = new Int32Array(60);
const ivWords = new Int32Array(8);

function loadIv(iv: Uint8Array): Int32Array {
  for (let i = 0; i < 8; i++) ivWords[i] = le32(iv, 4 * i);
  return ivWords;
}

/** IGE encryption with the table AES; arguments as {@link igeEncrypt}. */
export function igeEncryptTable(data: Uint8Array, key: Uint8Array, iv: Uint8Array, out: Uint8Array, outOff: number, n: number): void {
  if (n === 0) return;
  expandEncryptKey(key, roundKeys);
  encryptBlocks(viewOf(data, 0, n), viewOf(out, outOff, n), n, roundKeys, loadIv(iv));
}

/**
 * IGE encryption of `n` bytes of `data` into `out` from `outOff` (the same
 * memory as `data`, or none of it); arguments already checked.
 */
export function igeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array, out: Uint8Array, outOff: number, n: number): void {
  if (n >= CBC_MIN_BYTES) igeEncryptCbc(data, key, iv, out, outOff, n);
  else igeEncryptTable(data, key, iv, out, outOff, n);
}

/** The mirror of {@link igeEncrypt} (table AES at every length). */
export function igeDecrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array, out: Uint8Array, outOff: number, n: number): void {
  if (n === 0) return;
  expandDecryptKey(key, roundKeys);
  decryptBlocks(viewOf(data, 0, n), viewOf(out, outOff, n), n, roundKeys, loadIv(iv));
}
