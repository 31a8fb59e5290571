// AES-256-IGE in TypeScript: T-table rounds with the state in four int32
// locals, round keys in one reused Int32Array, no allocation per block or
// per call. (Table lookups are not constant-time; the native backend uses
// the CPU's AES instructions where it can.)
import {
  INV_SBOX as IS,
  SBOX as S,
  TD0,
  TD1,
  TD2,
  TD3,
  TE0,
  TE1,
  TE2,
  TE3,
} from './aes-tables.js';

const ROUNDS = 14;
const encKeys = new Int32Array(60);
const decKeys = new Int32Array(60);

function load32(b: Uint8Array, i: number): number {
  return (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!;
}

function store32(b: Uint8Array, i: number, v: number): void {
  b[i] = v >>> 24;
  b[i + 1] = v >>> 16;
  b[i + 2] = v >>> 8;
  b[i + 3] = v;
}

function subWord(x: number): number {
  return (S[x >>> 24]! << 24) | (S[(x >>> 16) & 255]! << 16) | (S[(x >>> 8) & 255]! << 8) | S[x & 255]!;
}

function expandKey(key: Uint8Array, w: Int32Array): void {
  for (let i = 0; i < 8; i++) w[i] = load32(key, 4 * i);
  let rcon = 0x01;
  for (let i = 8; i < 60; i++) {
    let x = w[i - 1]!;
    if ((i & 7) === 0) {
      x = subWord((x << 8) | (x >>> 24)) ^ (rcon << 24);
      rcon = (rcon << 1) ^ (rcon & 0x80 ? 0x11b : 0);
    } else if ((i & 7) === 4) {
      x = subWord(x);
    }
    w[i] = w[i - 8]! ^ x;
  }
}

// Equivalent inverse cipher: round keys reversed, InvMixColumns applied to
// the middle ones (TD of S cancels the table's built-in InvSubBytes).
function expandDecryptKey(key: Uint8Array, d: Int32Array): void {
  expandKey(key, encKeys);
  for (let r = 0; r <= ROUNDS; r++) {
    for (let c = 0; c < 4; c++) {
      let w = encKeys[4 * (ROUNDS - r) + c]!;
      if (r !== 0 && r !== ROUNDS) {
        w = TD0[S[w >>> 24]!]! ^ TD1[S[(w >>> 16) & 255]!]! ^ TD2[S[(w >>> 8) & 255]!]! ^ TD3[S[w & 255]!]!;
      }
      d[4 * r + c] = w;
    }
  }
}

/**
 * IGE encryption of `n` bytes of `data` into `out` from `outOff` (may be
 * `data` itself); arguments already checked.
 */
export function igeEncrypt(
  data: Uint8Array,
  key: Uint8Array,
  iv: Uint8Array,
  out: Uint8Array,
  outOff: number,
  n: number,
): void {
  const rk = encKeys;
  expandKey(key, rk);
  // c: previous ciphertext block, p: previous plaintext block.
  let c0 = load32(iv, 0), c1 = load32(iv, 4), c2 = load32(iv, 8), c3 = load32(iv, 12);
  let p0 = load32(iv, 16), p1 = load32(iv, 20), p2 = load32(iv, 24), p3 = load32(iv, 28);
  for (let off = 0; off < n; off += 16) {
    const x0 = load32(data, off), x1 = load32(data, off + 4);
    const x2 = load32(data, off + 8), x3 = load32(data, off + 12);
    let s0 = x0 ^ c0 ^ rk[0]!, s1 = x1 ^ c1 ^ rk[1]!, s2 = x2 ^ c2 ^ rk[2]!, s3 = x3 ^ c3 ^ rk[3]!;
    for (let k = 4; k < 4 * ROUNDS; k += 4) {
      const t0 = TE0[s0 >>> 24]! ^ TE1[(s1 >>> 16) & 255]! ^ TE2[(s2 >>> 8) & 255]! ^ TE3[s3 & 255]! ^ rk[k]!;
      const t1 = TE0[s1 >>> 24]! ^ TE1[(s2 >>> 16) & 255]! ^ TE2[(s3 >>> 8) & 255]! ^ TE3[s0 & 255]! ^ rk[k + 1]!;
      const t2 = TE0[s2 >>> 24]! ^ TE1[(s3 >>> 16) & 255]! ^ TE2[(s0 >>> 8) & 255]! ^ TE3[s1 & 255]! ^ rk[k + 2]!;
      const t3 = TE0[s3 >>> 24]! ^ TE1[(s0 >>> 16) & 255]! ^ TE2[(s1 >>> 8) & 255]! ^ TE3[s2 & 255]! ^ rk[k + 3]!;
      s0 = t0; s1 = t1; s2 = t2; s3 = t3;
    }
    c0 = ((S[s0 >>> 24]! << 24) | (S[(s1 >>> 16) & 255]! << 16) | (S[(s2 >>> 8) & 255]! << 8) | S[s3 & 255]!) ^ rk[56]! ^ p0;
    c1 = ((S[s1 >>> 24]! << 24) | (S[(s2 >>> 16) & 255]! << 16) | (S[(s3 >>> 8) & 255]! << 8) | S[s0 & 255]!) ^ rk[57]! ^ p1;
    c2 = ((S[s2 >>> 24]! << 24) | (S[(s3 >>> 16) & 255]! << 16) | (S[(s0 >>> 8) & 255]! << 8) | S[s1 & 255]!) ^ rk[58]! ^ p2;
    c3 = ((S[s3 >>> 24]! << 24) | (S[(s0 >>> 16) & 255]! << 16) | (S[(s1 >>> 8) & 255]! << 8) | S[s2 & 255]!) ^ rk[59]! ^ p3;
    p0 = x0; p1 = x1; p2 = x2; p3 = x3;
    store32(out, outOff + off, c0);
    store32(out, outOff + off + 4, c1);
    store32(out, outOff + off + 8, c2);
    store32(out, outOff + off + 12, c3);
  }
}

/** IGE decryption, the mirror of {@link igeEncrypt}. */
export function igeDecrypt(
  data: Uint8Array,
  key: Uint8Array,
  iv: Uint8Array,
  out: Uint8Array,
  outOff: number,
  n: number,
): void {
  const rk = decKeys;
  expandDecryptKey(key, rk);
  let c0 = load32(iv, 0), c1 = load32(iv, 4), c2 = load32(iv, 8), c3 = load32(iv, 12);
  let p0 = load32(iv, 16), p1 = load32(iv, 20), p2 = load32(iv, 24), p3 = load32(iv, 28);
  for (let off = 0; off < n; off += 16) {
    const y0 = load32(data, off), y1 = load32(data, off + 4);
    const y2 = load32(data, off + 8), y3 = load32(data, off + 12);
    let s0 = y0 ^ p0 ^ rk[0]!, s1 = y1 ^ p1 ^ rk[1]!, s2 = y2 ^ p2 ^ rk[2]!, s3 = y3 ^ p3 ^ rk[3]!;
    for (let k = 4; k < 4 * ROUNDS; k += 4) {
      const t0 = TD0[s0 >>> 24]! ^ TD1[(s3 >>> 16) & 255]! ^ TD2[(s2 >>> 8) & 255]! ^ TD3[s1 & 255]! ^ rk[k]!;
      const t1 = TD0[s1 >>> 24]! ^ TD1[(s0 >>> 16) & 255]! ^ TD2[(s3 >>> 8) & 255]! ^ TD3[s2 & 255]! ^ rk[k + 1]!;
      const t2 = TD0[s2 >>> 24]! ^ TD1[(s1 >>> 16) & 255]! ^ TD2[(s0 >>> 8) & 255]! ^ TD3[s3 & 255]! ^ rk[k + 2]!;
      const t3 = TD0[s3 >>> 24]! ^ TD1[(s2 >>> 16) & 255]! ^ TD2[(s1 >>> 8) & 255]! ^ TD3[s0 & 255]! ^ rk[k + 3]!;
      s0 = t0; s1 = t1; s2 = t2; s3 = t3;
    }
    p0 = ((IS[s0 >>> 24]! << 24) | (IS[(s3 >>> 16) & 255]! << 16) | (IS[(s2 >>> 8) & 255]! << 8) | IS[s1 & 255]!) ^ rk[56]! ^ c0;
    p1 = ((IS[s1 >>> 24]! << 24) | (IS[(s0 >>> 16) & 255]! << 16) | (IS[(s3 >>> 8) & 255]! << 8) | IS[s2 & 255]!) ^ rk[57]! ^ c1;
    p2 = ((IS[s2 >>> 24]! << 24) | (IS[(s1 >>> 16) & 255]! << 16) | (IS[(s0 >>> 8) & 255]! << 8) | IS[s3 & 255]!) ^ rk[58]! ^ c2;
    p3 = ((IS[s3 >>> 24]! << 24) | (IS[(s2 >>> 16) & 255]! << 16) | (IS[(s1 >>> 8) & 255]! << 8) | IS[s0 & 255]!) ^ rk[59]! ^ c3;
    c0 = y0; c1 = y1; c2 = y2; c3 = y3;
    store32(out, outOff + off, p0);
    store32(out, outOff + off + 4, p1);
    store32(out, outOff + off + 8, p2);
    store32(out, outOff + off + 12, p3);
  }
}
