// modPowAsync for the TypeScript backend: BigInt exponentiation with 4-bit
// fixed windows (a quarter of the multiplications of bit-by-bit, every
// window the same steps). A 2048-bit exponentiation costs tens of
// milliseconds here, so it runs in slices, one per event-loop turn, and
// the loop keeps serving sockets and timers in between. BigInt arithmetic
// is not constant-time; the addon's OpenSSL path is.
import { modPowArgs } from '../validate.js';

/** Exponent nibbles per slice: 256 bits, a few milliseconds at 2048 bits. */
const NIBBLES_PER_SLICE = 64;

function toBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex')}`);
}

function toBytes(x: bigint, length: number): Uint8Array {
  return Buffer.from(x.toString(16).padStart(length * 2, '0'), 'hex');
}

export function modPowAsync(base: Uint8Array, exponent: Uint8Array, modulus: Uint8Array): Promise<Uint8Array> {
  modPowArgs(base, exponent, modulus);
  // Everything is read now: the caller may reuse its buffers at once.
  const m = toBigInt(modulus);
  const b = toBigInt(base) % m;
  const exp = Uint8Array.from(exponent);
  const length = modulus.length;
  const nibbles = exp.length * 2;
  return new Promise((resolve, reject) => {
    // table[k] = b^k mod m
    const table: bigint[] = [1n, b];
    let r = 1n;
    let i = 0;
    const step = (): void => {
      try {
        if (table.length < 16) for (let k = 2; k < 16; k++) table.push((table[k - 1]! * b) % m);
        for (const end = Math.min(nibbles, i + NIBBLES_PER_SLICE); i < end; i++) {
          const byte = exp[i >> 1]!;
          const nibble = i & 1 ? byte & 15 : byte >> 4;
          r = (r * r) % m;
          r = (r * r) % m;
          r = (r * r) % m;
          r = (r * r) % m;
          r = (r * table[nibble]!) % m;
        }
        if (i < nibbles) {
          setImmediate(step);
          return;
        }
        exp.fill(0);
        resolve(toBytes(r % m, length));
      } catch (err) {
        exp.fill(0);
        reject(err as Error);
      }
    };
    setImmediate(step);
  });
}
