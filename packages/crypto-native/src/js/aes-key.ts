// AES-256 key schedules for the TypeScript backend (the unrolled IGE loops
// that use them are generated: src/js/generated/aes-ige.ts).
import { IMC0, IMC1, IMC2, IMC3, SBOX as S } from './aes-tables.js';

const ROUNDS = 14;
const scratch = new Int32Array(60);

export function load32(b: Uint8Array, i: number): number {
  return (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!;
}

export function store32(b: Uint8Array, i: number, v: number): void {
  b[i] = v >>> 24;
  b[i + 1] = v >>> 16;
  b[i + 2] = v >>> 8;
  b[i + 3] = v;
}

function subWord(x: number): number {
  return (S[x >>> 24]! << 24) | (S[(x >>> 16) & 255]! << 16) | (S[(x >>> 8) & 255]! << 8) | S[x & 255]!;
}

/** The AES-256 key schedule: 60 big-endian words. */
export function expandEncryptKey(key: Uint8Array, w: Int32Array): void {
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
// the middle ones.
export function expandDecryptKey(key: Uint8Array, d: Int32Array): void {
  const e = scratch;
  expandEncryptKey(key, e);
  const M0 = IMC0, M1 = IMC1, M2 = IMC2, M3 = IMC3;
  for (let c = 0; c < 4; c++) {
    d[c] = e[4 * ROUNDS + c]!;
    d[4 * ROUNDS + c] = e[c]!;
  }
  for (let i = 4; i < 4 * ROUNDS; i++) {
    const w = e[4 * ROUNDS - (i & ~3) + (i & 3)]!;
    d[i] = M0[w >>> 24]! ^ M1[(w >>> 16) & 255]! ^ M2[(w >>> 8) & 255]! ^ M3[w & 255]!;
  }
}

// The intrinsic accessors, so a subclass that overrides `buffer` and co.
// cannot point the cipher at other memory.
const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
const getter = (name: string) => Object.getOwnPropertyDescriptor(typedArrayProto, name)!.get as (this: Uint8Array) => number & ArrayBufferLike;
const bufferOf = getter('buffer') as unknown as (this: Uint8Array) => ArrayBufferLike;
const offsetOf = getter('byteOffset') as (this: Uint8Array) => number;
const lengthOf = getter('length') as (this: Uint8Array) => number;

/**
 * `b` itself if it is a plain Uint8Array, else a plain Uint8Array over the
 * same bytes. Buffers and other subclasses have their own maps: one of each
 * through the unrolled loops makes every byte access there polymorphic
 * (about 1.5x slower), so the loops only ever see plain Uint8Arrays.
 */
export function plainBytes(b: Uint8Array): Uint8Array {
  if (Object.getPrototypeOf(b) === Uint8Array.prototype) return b;
  return new Uint8Array(bufferOf.call(b), offsetOf.call(b), lengthOf.call(b));
}
