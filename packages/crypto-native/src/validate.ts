// Argument checks shared by the TypeScript backend and the JS side of the
// native one. The addon (native/addon.cc) checks in the same order with the
// same messages; test/errors.test.ts holds the two to each other.

// %TypedArray%.prototype[@@toStringTag] reads the internal type name: it
// accepts Uint8Arrays (and Buffers) from any realm and rejects proxies and
// objects that merely inherit from Uint8Array.prototype, exactly as the
// addon's napi_get_typedarray_info does.
const typedArrayTag = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype) as object,
  Symbol.toStringTag,
)!.get as (this: unknown) => string | undefined;

export function isBytes(v: unknown): v is Uint8Array {
  return typedArrayTag.call(v) === 'Uint8Array';
}

export function bytes(v: unknown, name: string): Uint8Array {
  if (typedArrayTag.call(v) !== 'Uint8Array') throw new TypeError(`${name} must be a Uint8Array`);
  return v as Uint8Array;
}

export function exactLength(b: Uint8Array, name: string, want: number): void {
  if (b.length !== want) {
    throw new RangeError(`${name} must be ${want} bytes long, got ${b.length}`);
  }
}

export function blocks(b: Uint8Array, name: string): void {
  if (b.length % 16 !== 0) {
    throw new RangeError(`${name} length must be a multiple of 16, got ${b.length}`);
  }
}

export function outLength(out: Uint8Array, need: number, name = 'out'): void {
  if (out.length < need) {
    throw new RangeError(`${name} must be at least ${need} bytes long, got ${out.length}`);
  }
}

/**
 * `out` (from `outStart`, for `n` bytes) must coincide with `src` or miss it
 * entirely: a shifted overlap would overwrite input before it is read.
 */
export function noPartialOverlap(
  out: Uint8Array,
  outStart: number,
  src: Uint8Array,
  n: number,
  name: string,
  outName = 'out',
): void {
  if (n === 0 || (out === src && outStart === 0)) return;
  if (out.buffer !== src.buffer) return;
  const a = out.byteOffset + outStart;
  const b = src.byteOffset;
  if (a !== b && a < b + n && b < a + n) {
    throw new RangeError(`${outName} must not partially overlap ${name}`);
  }
}

/** Whether a[0, aLen) and b[0, bLen) share a byte. */
function overlaps(a: Uint8Array, aLen: number, b: Uint8Array, bLen: number): boolean {
  if (aLen === 0 || bLen === 0 || a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + bLen && b.byteOffset < a.byteOffset + aLen;
}

export function direction(x: unknown, name = 'x'): 0 | 8 {
  if (x !== 0 && x !== 8) {
    throw new RangeError(`${name} must be 0 (client to server) or 8 (server to client)`);
  }
  return x;
}

export const UINT64_LIMIT = 1n << 64n;

export function pqValue(pq: unknown): bigint {
  if (typeof pq !== 'bigint') throw new TypeError('pq must be a bigint');
  if (pq <= 1n) throw new RangeError('pq must be greater than 1');
  if (pq >= UINT64_LIMIT) throw new RangeError('pq must be below 2^64');
  return pq;
}

/** Checks for (data, key, iv, out) in the addon's order. */
export function igeArgs(data: unknown, key: unknown, iv: unknown, out: unknown): void {
  const d = bytes(data, 'data');
  const k = bytes(key, 'key');
  const v = bytes(iv, 'iv');
  const o = bytes(out, 'out');
  exactLength(k, 'key', 32);
  exactLength(v, 'iv', 32);
  blocks(d, 'data');
  outLength(o, d.length);
  noPartialOverlap(o, 0, d, d.length, 'data');
}

/** Checks for mtprotoEncrypt; `suffix` names the message of a pair ("1", "2"). */
export function mtprotoEncryptArgs(authKey: unknown, x: unknown, plaintext: unknown, out: unknown, suffix = ''): void {
  const a = bytes(authKey, `authKey${suffix}`);
  direction(x, `x${suffix}`);
  const p = bytes(plaintext, `plaintext${suffix}`);
  const o = bytes(out, `out${suffix}`);
  exactLength(a, `authKey${suffix}`, 256);
  blocks(p, `plaintext${suffix}`);
  outLength(o, 16 + p.length, `out${suffix}`);
  noPartialOverlap(o, 16, p, p.length, `plaintext${suffix}`, `out${suffix}`);
}

/**
 * Checks for mtprotoEncryptPair: each message as mtprotoEncrypt's, then
 * what one message writes (out_i's first 16 + plaintext_i.length bytes)
 * must not touch any buffer of the other, or the interleaved result would
 * differ from two calls in a row. Read-only sharing (one authKey for both)
 * is fine.
 */
export function mtprotoEncryptPairArgs(
  authKey1: unknown,
  x1: unknown,
  plaintext1: unknown,
  out1: unknown,
  authKey2: unknown,
  x2: unknown,
  plaintext2: unknown,
  out2: unknown,
): void {
  mtprotoEncryptArgs(authKey1, x1, plaintext1, out1, '1');
  mtprotoEncryptArgs(authKey2, x2, plaintext2, out2, '2');
  const msg = (a: unknown, p: unknown, o: unknown): [string, Uint8Array, number][] => {
    const pt = p as Uint8Array;
    return [
      ['authKey', a as Uint8Array, 256],
      ['plaintext', pt, pt.length],
      ['out', o as Uint8Array, 16 + pt.length],
    ];
  };
  const m1 = msg(authKey1, plaintext1, out1);
  const m2 = msg(authKey2, plaintext2, out2);
  for (const [mine, theirs, i, j] of [[m1, m2, 1, 2], [m2, m1, 2, 1]] as const) {
    const [, out, outLen] = mine[2];
    for (const [name, b, len] of theirs) {
      if (overlaps(out, outLen, b, len)) throw new RangeError(`out${i} must not overlap ${name}${j}`);
    }
  }
}

/** Checks for mtprotoDecrypt; `suffix` names the message of a pair ("1", "2"). */
export function mtprotoDecryptArgs(
  authKey: unknown,
  x: unknown,
  msgKey: unknown,
  ciphertext: unknown,
  out: unknown,
  suffix = '',
): void {
  const a = bytes(authKey, `authKey${suffix}`);
  direction(x, `x${suffix}`);
  const m = bytes(msgKey, `msgKey${suffix}`);
  const c = bytes(ciphertext, `ciphertext${suffix}`);
  const o = bytes(out, `out${suffix}`);
  exactLength(a, `authKey${suffix}`, 256);
  exactLength(m, `msgKey${suffix}`, 16);
  blocks(c, `ciphertext${suffix}`);
  outLength(o, c.length, `out${suffix}`);
  noPartialOverlap(o, 0, c, c.length, `ciphertext${suffix}`, `out${suffix}`);
}

/**
 * Checks for mtprotoDecryptPair: each message as mtprotoDecrypt's, then
 * what one message writes (out_i's first ciphertext_i.length bytes, also
 * what a mismatch zeroes) must not touch any buffer of the other: the two
 * are decrypted side by side, not one after the other. Each message's own
 * buffers may share bytes as in mtprotoDecrypt (out_i = ciphertext_i, and
 * msgKey_i just before it in the same packet).
 */
export function mtprotoDecryptPairArgs(
  authKey1: unknown,
  x1: unknown,
  msgKey1: unknown,
  ciphertext1: unknown,
  out1: unknown,
  authKey2: unknown,
  x2: unknown,
  msgKey2: unknown,
  ciphertext2: unknown,
  out2: unknown,
): void {
  mtprotoDecryptArgs(authKey1, x1, msgKey1, ciphertext1, out1, '1');
  mtprotoDecryptArgs(authKey2, x2, msgKey2, ciphertext2, out2, '2');
  const msg = (a: unknown, m: unknown, c: unknown, o: unknown): [string, Uint8Array, number][] => {
    const ct = c as Uint8Array;
    return [
      ['authKey', a as Uint8Array, 256],
      ['msgKey', m as Uint8Array, 16],
      ['ciphertext', ct, ct.length],
      ['out', o as Uint8Array, ct.length],
    ];
  };
  const m1 = msg(authKey1, msgKey1, ciphertext1, out1);
  const m2 = msg(authKey2, msgKey2, ciphertext2, out2);
  for (const [mine, theirs, i, j] of [[m1, m2, 1, 2], [m2, m1, 2, 1]] as const) {
    const [, out, outLen] = mine[3];
    for (const [name, b, len] of theirs) {
      if (overlaps(out, outLen, b, len)) throw new RangeError(`out${i} must not overlap ${name}${j}`);
    }
  }
}

/** Checks for createAesCtr(key, iv), in the addon's order. */
export function aesCtrArgs(key: unknown, iv: unknown): void {
  const k = bytes(key, 'key');
  const v = bytes(iv, 'iv');
  exactLength(k, 'key', 32);
  exactLength(v, 'iv', 16);
}

/** Checks for an AES-CTR stream's update(data, out), in the addon's order. */
export function aesCtrUpdateArgs(data: unknown, out: unknown): void {
  const d = bytes(data, 'data');
  const o = bytes(out, 'out');
  outLength(o, d.length);
  noPartialOverlap(o, 0, d, d.length, 'data');
}

/** Largest base, exponent and modulus modPowAsync accepts (4096 bits); native/modpow.h: kModPowMaxBytes. */
export const MODPOW_MAX_BYTES = 512;

function atMost(b: Uint8Array, name: string, max: number): void {
  if (b.length > max) throw new RangeError(`${name} must be at most ${max} bytes long, got ${b.length}`);
}

/** Checks for modPowAsync(base, exponent, modulus), in the addon's order. */
export function modPowArgs(base: unknown, exponent: unknown, modulus: unknown): void {
  const b = bytes(base, 'base');
  const e = bytes(exponent, 'exponent');
  const m = bytes(modulus, 'modulus');
  atMost(b, 'base', MODPOW_MAX_BYTES);
  atMost(e, 'exponent', MODPOW_MAX_BYTES);
  atMost(m, 'modulus', MODPOW_MAX_BYTES);
  // Odd and greater than 1: the last byte is odd, and above 1 or preceded by a nonzero byte.
  const last = m.length > 0 ? m[m.length - 1]! : 0;
  if ((last & 1) === 0 || (last === 1 && !m.subarray(0, -1).some((x) => x !== 0))) {
    throw new RangeError('modulus must be odd and greater than 1');
  }
}
