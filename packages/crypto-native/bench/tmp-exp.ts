import { SBOX as S } from '../src/js/aes-tables.js';
function load32(b: Uint8Array, i: number): number { return (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!; }
function subWord(x: number): number { return (S[x >>> 24]! << 24) | (S[(x >>> 16) & 255]! << 16) | (S[(x >>> 8) & 255]! << 8) | S[x & 255]!; }
export function expandKeyForTest(key: Uint8Array, w: Int32Array): void {
  for (let i = 0; i < 8; i++) w[i] = load32(key, 4 * i);
  let rcon = 0x01;
  for (let i = 8; i < 60; i++) {
    let x = w[i - 1]!;
    if ((i & 7) === 0) { x = subWord((x << 8) | (x >>> 24)) ^ (rcon << 24); rcon = (rcon << 1) ^ (rcon & 0x80 ? 0x11b : 0); }
    else if ((i & 7) === 4) x = subWord(x);
    w[i] = w[i - 8]! ^ x;
  }
}
