// AES lookup tables, derived at load time from GF(2^8) arithmetic.
// Words are big-endian columns; te[r]/td[r] are the round tables for the
// byte in row r (the same table rotated right by 8r bits). Int32Array keeps
// every value a small integer for V8.

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
const rotr32 = (x: number, s: number): number => (x >>> s) | (x << (32 - s));

export const SBOX = new Uint8Array(256);
export const INV_SBOX = new Uint8Array(256);
export const TE0 = new Int32Array(256);
export const TE1 = new Int32Array(256);
export const TE2 = new Int32Array(256);
export const TE3 = new Int32Array(256);
export const TD0 = new Int32Array(256);
export const TD1 = new Int32Array(256);
export const TD2 = new Int32Array(256);
export const TD3 = new Int32Array(256);
/** TE0..TE3 (and TD0..TD3) end to end, row r at 256 r: the unrolled loops index one array. */
export const TE = new Int32Array(1024);
export const TD = new Int32Array(1024);
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
    const s = SBOX[i]!;
    const e = (gmul(s, 2) << 24) | (s << 16) | (s << 8) | gmul(s, 3);
    const v = INV_SBOX[i]!;
    const d = (gmul(v, 14) << 24) | (gmul(v, 9) << 16) | (gmul(v, 13) << 8) | gmul(v, 11);
    TE0[i] = e;
    TE1[i] = rotr32(e, 8);
    TE2[i] = rotr32(e, 16);
    TE3[i] = rotr32(e, 24);
    TD0[i] = d;
    TD1[i] = rotr32(d, 8);
    TD2[i] = rotr32(d, 16);
    TD3[i] = rotr32(d, 24);
  }
  [TE0, TE1, TE2, TE3].forEach((t, r) => TE.set(t, 256 * r));
  [TD0, TD1, TD2, TD3].forEach((t, r) => TD.set(t, 256 * r));
  for (let i = 0; i < 256; i++) {
    IMC0[i] = TD0[SBOX[i]!]!;
    IMC1[i] = TD1[SBOX[i]!]!;
    IMC2[i] = TD2[SBOX[i]!]!;
    IMC3[i] = TD3[SBOX[i]!]!;
  }
}
