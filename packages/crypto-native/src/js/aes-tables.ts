// AES lookup tables, derived at load time from GF(2^8) arithmetic.
//
// Words are little-endian columns: row r of a column is byte r of the word
// ((w >>> 8r) & 255), so a column is read from memory with one 32-bit
// little-endian load. te[r]/td[r] are the round tables for the byte in row
// r (table 0 rotated left by 8r bits). Int32Array keeps every value a small
// integer for V8.

function gmul(a: number, b: number): number {
  let r = 0;
  while (b) {
    if (b & 1) r ^= a;
    a = ((a << 1) ^ (a & 0x80 ? 0x1b : 0)) & 0xff;
    b >>= 1;
  }
  return r;
}

const rotl8 = (x: number, s: number): number => ((x << s) | (x >>> (8 - s))) & 0xff;
const rotl32 = (x: number, s: number): number => (x << s) | (x >>> (32 - s));

// The eight round tables and the two S-boxes share one ArrayBuffer: where
// V8 must check on every access that a buffer was not detached (once any
// ArrayBuffer in the process has been), one buffer keeps one register busy
// instead of ten.
const rounds = new ArrayBuffer(8 * 1024 + 2 * 256);
export const SBOX = new Uint8Array(rounds, 8 * 1024, 256);
export const INV_SBOX = new Uint8Array(rounds, 8 * 1024 + 256, 256);
export const TE0 = new Int32Array(rounds, 0, 256);
export const TE1 = new Int32Array(rounds, 1024, 256);
export const TE2 = new Int32Array(rounds, 2048, 256);
export const TE3 = new Int32Array(rounds, 3072, 256);
export const TD0 = new Int32Array(rounds, 4096, 256);
export const TD1 = new Int32Array(rounds, 5120, 256);
export const TD2 = new Int32Array(rounds, 6144, 256);
export const TD3 = new Int32Array(rounds, 7168, 256);
/** InvMixColumns alone (TD after SBOX cancels TD's InvSubBytes): for the decryption key schedule. */
export const IMC0 = new Int32Array(256);
export const IMC1 = new Int32Array(256);
export const IMC2 = new Int32Array(256);
export const IMC3 = new Int32Array(256);

// Walk the multiplicative group with generator 3 (p) and its inverse (q):
// q = p^-1 throughout, and the S-box is the affine map of the inverse.
{
  let p = 1;
  let q = 1;
  do {
    p = (p ^ (p << 1) ^ (p & 0x80 ? 0x1b : 0)) & 0xff;
    q ^= q << 1;
    q ^= q << 2;
    q ^= q << 4;
    q &= 0xff;
    if (q & 0x80) q ^= 0x09;
    const s = q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4);
    SBOX[p] = s ^ 0x63;
  } while (p !== 1);
  SBOX[0] = 0x63;
  for (let i = 0; i < 256; i++) INV_SBOX[SBOX[i]!] = i;
  for (let i = 0; i < 256; i++) {
    // MixColumns column (2, 1, 1, 3) and InvMixColumns column (14, 9, 13, 11), row 0 in the low byte.
    const s = SBOX[i]!;
    const e = gmul(s, 2) | (s << 8) | (s << 16) | (gmul(s, 3) << 24);
    const v = INV_SBOX[i]!;
    const d = gmul(v, 14) | (gmul(v, 9) << 8) | (gmul(v, 13) << 16) | (gmul(v, 11) << 24);
    TE0[i] = e;
    TE1[i] = rotl32(e, 8);
    TE2[i] = rotl32(e, 16);
    TE3[i] = rotl32(e, 24);
    TD0[i] = d;
    TD1[i] = rotl32(d, 8);
    TD2[i] = rotl32(d, 16);
    TD3[i] = rotl32(d, 24);
  }
  for (let i = 0; i < 256; i++) {
    IMC0[i] = TD0[SBOX[i]!]!;
    IMC1[i] = TD1[SBOX[i]!]!;
    IMC2[i] = TD2[SBOX[i]!]!;
    IMC3[i] = TD3[SBOX[i]!]!;
  }
}
