// AES-256 key schedules for the TypeScript backend, as little-endian column
// words like the tables (the unrolled IGE loops that use them are
// generated: src/js/generated/aes-ige-blocks.ts).
import { IMC0, IMC1, IMC2, IMC3, SBOX } from './aes-tables.js';

const ROUNDS = 14;
const scratch = new Int32Array(60);
// Module-level constants rather than the imported bindings: V8 then embeds
// the tables' addresses in the compiled code (see the generator script).
const S = SBOX;
const M0 = IMC0, M1 = IMC1, M2 = IMC2, M3 = IMC3;

/** The little-endian 32-bit word at `b[i]`. */
export function le32(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
}

function subWord(x: number): number {
  return S[x & 255]! | (S[(x >>> 8) & 255]! << 8) | (S[(x >>> 16) & 255]! << 16) | (S[x >>> 24]! << 24);
}

/** The AES-256 key schedule: 60 words. */
export function expandEncryptKey(key: Uint8Array, w: Int32Array): void {
  for (let i = 0; i < 8; i++) w[i] = le32(key, 4 * i);
  let rcon = 0x01;
  for (let i = 8; i < 60; i++) {
    let x = w[i - 1]!;
    if ((i & 7) === 0) {
      // RotWord moves row 0 to row 3: the low byte to the top.
      x = subWord((x >>> 8) | (x << 24)) ^ rcon;
      rcon = (rcon << 1) ^ (rcon & 0x80 ? 0x11b : 0);
    } else if ((i & 7) === 4) {
      x = subWord(x);
    }
    w[i] = w[i - 8]! ^ x;
  }
}

// Equivalent inverse cipher: round keys reversed, InvMixColumns applied to
// the middle ones.
export function expandDecryptKey(key: Uint8Array, d: Int32Array): void {
  const e = scratch;
  expandEncryptKey(key, e);
  for (let c = 0; c < 4; c++) {
    d[c] = e[4 * ROUNDS + c]!;
    d[4 * ROUNDS + c] = e[c]!;
  }
  for (let i = 4; i < 4 * ROUNDS; i++) {
    const w = e[4 * ROUNDS - (i & ~3) + (i & 3)]!;
    d[i] = M0[w & 255]! ^ M1[(w >>> 8) & 255]! ^ M2[(w >>> 16) & 255]! ^ M3[w >>> 24]!;
  }
}
