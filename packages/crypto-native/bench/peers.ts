// The implementations we compare against, each used the way an MTProto
// client would: a fresh key and iv for every message.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import * as mtcute from '@mtcute/wasm';

const require = createRequire(import.meta.url);

// GramJS (the `telegram` package).
const { IGE: GramIge } = require('telegram/crypto/IGE') as {
  IGE: new (key: Buffer, iv: Buffer) => { encryptIge(b: Buffer): Buffer; decryptIge(b: Buffer): Buffer };
};
const { Factorizator } = require('telegram/crypto/Factorizator') as {
  Factorizator: { factorize(pq: unknown): { p: unknown; q: unknown } };
};
const bigInt = require('big-integer') as (s: string) => unknown;

export const gramjs = {
  encrypt: (data: Buffer, key: Buffer, iv: Buffer): Buffer => new GramIge(key, iv).encryptIge(data),
  decrypt: (data: Buffer, key: Buffer, iv: Buffer): Buffer => new GramIge(key, iv).decryptIge(data),
  factorize: (pq: bigint): unknown => Factorizator.factorize(bigInt(pq.toString())),
};

// Compiled from the bytes, as initSync accepts them (no DOM types needed).
mtcute.initSync(readFileSync(fileURLToPath(mtcute.getWasmUrl())) as never);
export const wasm = { encrypt: mtcute.ige256Encrypt, decrypt: mtcute.ige256Decrypt };

/** IGE from node:crypto aes-256-ecb, one `update` per block. */
export function nodeEcbIge(encrypt: boolean, data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
  const cipher = (encrypt ? createCipheriv : createDecipheriv)('aes-256-ecb', key, null).setAutoPadding(false);
  const out = new Uint8Array(data.length);
  const t = new Uint8Array(16);
  // chain: XORed in before the cipher; back: XORed in after.
  let chainOff = -1;
  let backOff = -1;
  const ivChain = encrypt ? 0 : 16;
  const ivBack = encrypt ? 16 : 0;
  for (let off = 0; off < data.length; off += 16) {
    for (let j = 0; j < 16; j++) {
      t[j] = data[off + j]! ^ (chainOff < 0 ? iv[ivChain + j]! : out[chainOff + j]!);
    }
    const r = cipher.update(t);
    for (let j = 0; j < 16; j++) {
      out[off + j] = r[j]! ^ (backOff < 0 ? iv[ivBack + j]! : data[backOff + j]!);
    }
    chainOff = off; // previous output block (c for encryption, p for decryption)
    backOff = off; // previous input block
  }
  return out;
}

/**
 * IGE encryption as one aes-256-cbc call plus two XOR passes: with
 * w_i = p_i ^ p_(i-2), CBC gives z_i = c_i ^ p_(i-1). Encryption only;
 * decryption has no such shortcut.
 */
export function nodeCbcIgeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
  const n = data.length;
  const w = Buffer.allocUnsafe(n);
  const d32 = new Int32Array(data.buffer, data.byteOffset, n >> 2);
  const w32 = new Int32Array(w.buffer, w.byteOffset, n >> 2);
  const iv32 = new Int32Array(iv.buffer, iv.byteOffset, 8);
  for (let i = 0; i < 4 && i < n >> 2; i++) w32[i] = d32[i]!;
  for (let i = 4; i < 8 && i < n >> 2; i++) w32[i] = d32[i]! ^ iv32[i]!;
  for (let i = 8; i < n >> 2; i++) w32[i] = d32[i]! ^ d32[i - 8]!;
  const z = createCipheriv('aes-256-cbc', key, iv.subarray(0, 16)).setAutoPadding(false).update(w);
  const z32 = new Int32Array(z.buffer, z.byteOffset, n >> 2);
  for (let i = 0; i < 4 && i < n >> 2; i++) z32[i]! ^= iv32[4 + i]!;
  for (let i = 4; i < n >> 2; i++) z32[i]! ^= d32[i - 4]!;
  return z;
}
