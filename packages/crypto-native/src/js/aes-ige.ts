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

// Warm-up at load, a few one-block calls each way. V8 records type feedback
// only once a function has run a few times; the unrolled loops are so long
// that a first call on a large message would otherwise get them compiled
// while half their body had no feedback yet. That code deoptimizes at once,
// and the function is then left running on-stack-replacement code, which
// V8 builds with far more spilling: about half the speed, measured, for as
// long as the process lives.
{
  const block = new Uint8Array(16);
  const key = new Uint8Array(32);
  const iv = new Uint8Array(32);
  for (let i = 0; i < 12; i++) {
    igeEncryptTable(block, key, iv, block, 0, 16);
    igeDecrypt(block, key, iv, block, 0, 16);
  }
}

