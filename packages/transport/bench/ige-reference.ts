import { createCipheriv } from 'node:crypto';

/**
 * AES-256-IGE encryption through node:crypto, for comparison only (the real
 * one lives in @telegram-mt/crypto-native, which this package must not depend
 * on). IGE encryption is a CBC pass over w_i = x_i ⊕ x_{i−2} followed by
 * y_i = z_i ⊕ x_{i−1} (see PERFORMANCE.md). A fresh key per call, as MTProto
 * uses a new key for every message.
 */
export function igeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Buffer {
  const n = data.length;
  const words = n >>> 2;
  // Aligned copies so the XOR passes run on 32-bit words.
  const x = new Uint32Array(words + 4); // x_{-1} (from the IV) in words 0..3, then the data
  new Uint8Array(x.buffer).set(iv.subarray(16, 32), 0);
  new Uint8Array(x.buffer).set(data, 16);
  const w = new Uint32Array(words);
  // w_0 = x_0 (the CBC IV is y_{-1}); w_i = x_i ⊕ x_{i−2}, with x_{-1} from the IV.
  for (let i = 0; i < 4 && i < words; i++) w[i] = x[i + 4]!;
  for (let i = 4; i < words; i++) w[i] = x[i + 4]! ^ x[i - 4]!;
  const cipher = createCipheriv('aes-256-cbc', key, iv.subarray(0, 16)).setAutoPadding(false);
  const zBytes = cipher.update(new Uint8Array(w.buffer));
  const z = new Uint32Array(words);
  new Uint8Array(z.buffer).set(zBytes);
  // y_i = z_i ⊕ x_{i−1}
  for (let i = 0; i < words; i++) z[i]! ^= x[i]!;
  return Buffer.from(z.buffer);
}

/** Textbook IGE, block by block, to check the fast path against. */
export function igeEncryptSlow(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Buffer {
  const out = Buffer.alloc(data.length);
  let yPrev = Buffer.from(iv.subarray(0, 16));
  let xPrev = Buffer.from(iv.subarray(16, 32));
  for (let i = 0; i < data.length; i += 16) {
    const xi = Buffer.from(data.subarray(i, i + 16));
    const input = Buffer.alloc(16);
    for (let j = 0; j < 16; j++) input[j] = xi[j]! ^ yPrev[j]!;
    const e = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false).update(input);
    for (let j = 0; j < 16; j++) e[j]! ^= xPrev[j]!;
    e.copy(out, i);
    yPrev = e;
    xPrev = xi;
  }
  return out;
}
