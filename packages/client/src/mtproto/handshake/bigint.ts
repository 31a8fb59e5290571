// Big-endian byte strings ↔ BigInt, and square-and-multiply for the few places
// node:crypto has no primitive (RSA with a raw public exponent).

export function bigIntFromBytes(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  return BigInt('0x' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex'));
}

/** Big-endian, minimal length unless `length` asks for left zero padding. */
export function bigIntToBytes(v: bigint, length?: number): Uint8Array {
  if (v < 0n) throw new RangeError('negative big integer');
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (v === 0n) hex = length === undefined ? '00' : '';
  const raw = Buffer.from(hex, 'hex');
  if (length === undefined) return new Uint8Array(raw);
  if (raw.length > length) throw new RangeError(`big integer needs ${raw.length} bytes, more than ${length}`);
  const out = new Uint8Array(length);
  out.set(raw, length - raw.length);
  return out;
}

export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  if (mod === 1n) return 0n;
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    e >>= 1n;
    b = (b * b) % mod;
  }
  return result;
}
