// The server's proof-of-work challenge: pq = p·q for two random primes of 31
// bits, as Telegram sends (pq below 2^62: some clients, Telethon among them,
// read pq as a signed number).
import { bigIntFromBytes } from './bigint.js';

// Miller–Rabin with the first twelve primes as bases is exact for n < 3.3·10^24,
// which covers every pq (at most 64 bits) and its factors.
const BASES = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n];

function modPowSmall(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    e >>= 1n;
    b = (b * b) % m;
  }
  return r;
}

// Below 2^32 — both factors, and every candidate the server draws — the test
// runs on doubles, ~50× faster than on BigInts: bases 2, 7 and 61 are exact
// for n < 4,759,123,141.
const BASES_32 = [2, 7, 61];

/** a·b mod n for a, b < n < 2^32, with every intermediate below 2^53. */
function mulMod32(a: number, b: number, n: number): number {
  const hi = ((a * (b >>> 16)) % n) * 65536;
  return (hi + a * (b & 0xffff)) % n;
}

function isPrime32(n: number): boolean {
  if (n < 2) return false;
  for (const s of BASES_32) if (n % s === 0) return n === s;
  let d = n - 1;
  let r = 0;
  while (d % 2 === 0) {
    d /= 2;
    r++;
  }
  outer: for (const a of BASES_32) {
    // a^d mod n by square-and-multiply over d's bits
    let x = 1;
    let base = a % n;
    for (let e = d; e > 0; e = Math.floor(e / 2)) {
      if (e % 2 === 1) x = mulMod32(x, base, n);
      base = mulMod32(base, base, n);
    }
    if (x === 1 || x === n - 1) continue;
    for (let i = 1; i < r; i++) {
      x = mulMod32(x, x, n);
      if (x === n - 1) continue outer;
    }
    return false;
  }
  return true;
}

export function isPrime64(n: bigint): boolean {
  if (n < 2n) return false;
  if (n < 0x100000000n) return isPrime32(Number(n));
  for (const s of BASES) if (n % s === 0n) return n === s;
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  outer: for (const a of BASES) {
    let x = modPowSmall(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let i = 1; i < r; i++) {
      x = (x * x) % n;
      if (x === n - 1n) continue outer;
    }
    return false;
  }
  return true;
}

/** A prime in [2^30, 2^31), drawn from the injected random source. */
export function randomPrime31(random: (n: number) => Uint8Array): bigint {
  for (;;) {
    const c = Number((bigIntFromBytes(random(4)) & 0x7fffffffn) | 0x40000001n);
    // Walk to the next prime; primes near 2^31 are ~21 apart, so this ends quickly.
    for (let n = c; n < 0x80000000; n += 2) if (isPrime32(n)) return BigInt(n);
  }
}

/** Two distinct primes p < q and their product. */
export function makePQ(random: (n: number) => Uint8Array): { p: bigint; q: bigint; pq: bigint } {
  let p = randomPrime31(random);
  let q = randomPrime31(random);
  while (q === p) q = randomPrime31(random);
  if (p > q) [p, q] = [q, p];
  return { p, q, pq: p * q };
}
