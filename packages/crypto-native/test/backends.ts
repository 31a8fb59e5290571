// The backends under test. The TypeScript one always; the native one when
// the addon is built (test/addon-built.test.ts fails if it is not, unless
// TELEGRAM_MT_CRYPTO=js says the fallback is intended).
import { execFileSync } from 'node:child_process';
import { createHash, createCipheriv, createDecipheriv } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { createCrypto } from '../src/create-crypto.js';
import { loadAddon } from '../src/native/addon.js';
import type { Crypto, MtprotoDirection } from '../src/types.js';

export const js = createCrypto({ backend: 'js' });
export const native: Crypto | undefined = loadAddon().addon ? createCrypto({ backend: 'native' }) : undefined;
export const backends: Crypto[] = native ? [js, native] : [js];

export const hex = (s: string): Buffer => Buffer.from(s, 'hex');

/** The four direction pairs a two-message call can get; cases take them in turn. */
export const DIRECTION_PAIRS: readonly [MtprotoDirection, MtprotoDirection][] = [
  [0, 8],
  [8, 0],
  [0, 0],
  [8, 8],
];

/**
 * [n1, n2] sizes for the two-message kernels, so that every seam (the end
 * of the blocks both have, the longer one's rest, the hash's padding) falls
 * at each 16-byte offset on either side: every n from `from` to 400 in
 * steps of 16 against each of `fixed`, both ways round; `equal` sizes on
 * both sides; and 512 KiB parts against each other and against small ones.
 */
export function pairSizes(from: number, fixed: readonly number[], equal: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let n = from; n <= 400; n += 16) {
    for (const f of fixed) out.push([n, f], [f, n]);
  }
  for (const n of equal) out.push([n, n]);
  const big = 512 * 1024;
  out.push([big, big], [48, big], [big, 48], [48, big + 16], [big + 16, 48], [big + 16, big], [big, big + 32], [big + 48, big], [16, big], [16, big + 48], [big, 0]);
  return out;
}

/** Deterministic bytes (SHA-256 in counter mode) so failures reproduce. */
export function bytesFrom(label: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0, off = 0; off < n; i++, off += 32) {
    const block = createHash('sha256').update(`${label}/${i}`).digest();
    out.set(block.subarray(0, Math.min(32, n - off)), off);
  }
  return out;
}

/**
 * IGE composed from node:crypto single-block AES-256-ECB: an implementation
 * independent of both backends, used as the reference.
 */
export function referenceIge(encrypt: boolean, data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  const cipher = encrypt
    ? createCipheriv('aes-256-ecb', key, null).setAutoPadding(false)
    : createDecipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  let prevC = iv.slice(0, 16);
  let prevP = iv.slice(16, 32);
  const t = new Uint8Array(16);
  for (let off = 0; off < data.length; off += 16) {
    const block = data.slice(off, off + 16);
    const chain = encrypt ? prevC : prevP;
    for (let j = 0; j < 16; j++) t[j] = block[j]! ^ chain[j]!;
    const r = cipher.update(t);
    const back = encrypt ? prevP : prevC;
    for (let j = 0; j < 16; j++) out[off + j] = r[j]! ^ back[j]!;
    if (encrypt) {
      prevC = out.slice(off, off + 16);
      prevP = block;
    } else {
      prevP = out.slice(off, off + 16);
      prevC = block;
    }
  }
  return out;
}

/** MTProto 2.0 composed from node:crypto SHA-256 and the reference IGE. */
export function referenceMtprotoEncrypt(authKey: Uint8Array, x: 0 | 8, plaintext: Uint8Array): Uint8Array {
  const sha = (...parts: Uint8Array[]): Buffer => {
    const h = createHash('sha256');
    for (const p of parts) h.update(p);
    return h.digest();
  };
  const msgKey = sha(authKey.subarray(88 + x, 120 + x), plaintext).subarray(8, 24);
  const a = sha(msgKey, authKey.subarray(x, x + 36));
  const b = sha(authKey.subarray(40 + x, 76 + x), msgKey);
  const key = Buffer.concat([a.subarray(0, 8), b.subarray(8, 24), a.subarray(24, 32)]);
  const iv = Buffer.concat([b.subarray(0, 8), a.subarray(8, 24), b.subarray(24, 32)]);
  return Buffer.concat([msgKey, referenceIge(true, plaintext, key, iv)]);
}

/**
 * Runs `script` (an ES module that prints a JSON line last) in a child
 * process whose addon is forced onto its portable code paths
 * (TELEGRAM_MT_CRYPTO_PORTABLE=1); returns that line, parsed.
 */
export function runPortable<T>(script: string): T {
  const out = execFileSync(process.execPath, ['--import=tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, TELEGRAM_MT_CRYPTO_PORTABLE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

/** A Uint8Array of n bytes whose buffer has been transferred away (it reads as empty). */
export function detached(n: number): Uint8Array {
  const ab = new ArrayBuffer(n);
  const view = new Uint8Array(ab);
  structuredClone(ab, { transfer: [ab] });
  return view;
}
