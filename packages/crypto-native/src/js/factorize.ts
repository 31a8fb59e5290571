// pq factorization in TypeScript: Pollard's rho with Brent's cycle finding.
//
// BigInt arithmetic allocates on every operation, so the inner loop instead
// does Montgomery multiplication modulo pq on three 22-bit limbs held in
// doubles (R = 2^66 > 4·pq): every partial product stays below 2^53 and is
// exact. Values are kept lazily reduced and may even be negative (x − y is
// used as is); Montgomery's bound keeps them within a few multiples of pq,
// and gcd does not care about sign or representative. BigInt is used only
// for the occasional gcd and for the primality checks.

const B = 4194304; // 2^22
const INV_B = 1 / B;
const MASK = B - 1;

class Montgomery {
  readonly n0: number;
  readonly n1: number;
  readonly n2: number;
  /** −n^−1 mod 2^22 */
  readonly nNeg: number;
  r0 = 0;
  r1 = 0;
  r2 = 0;

  constructor(n: bigint) {
    this.n0 = Number(n & 0x3fffffn);
    this.n1 = Number((n >> 22n) & 0x3fffffn);
    this.n2 = Number(n >> 44n);
    // Newton's iteration for the inverse mod 2^22, in BigInt (once).
    const m = 1n << 22n;
    const low = n & (m - 1n);
    let inv = low;
    for (let i = 0; i < 5; i++) inv = (inv * (2n - low * inv)) & (m - 1n);
    this.nNeg = Number((m - inv) & (m - 1n));
  }

  /** r = a·b/R (mod n), lazily reduced, as limbs r0 + r1·B + r2·B². */
  mul(a0: number, a1: number, a2: number, b0: number, b1: number, b2: number): void {
    const n0 = this.n0, n1 = this.n1, n2 = this.n2, nNeg = this.nNeg;
    // Row 0: t = a0·b, then add m·n so the low limb vanishes, shift.
    // (x & MASK is x mod 2^22 for any integer double below 2^53, sign
    // included, and Math.imul keeps the low bits of m exact.)
    let t0 = a0 * b0;
    let t1 = a0 * b1;
    let t2 = a0 * b2;
    let m = Math.imul(t0 & MASK, nNeg) & MASK;
    t0 = t1 + m * n1 + (t0 + m * n0) * INV_B;
    t1 = t2 + m * n2;
    // Row 1.
    t0 += a1 * b0;
    t1 += a1 * b1;
    t2 = a1 * b2;
    m = Math.imul(t0 & MASK, nNeg) & MASK;
    t0 = t1 + m * n1 + (t0 + m * n0) * INV_B;
    t1 = t2 + m * n2;
    // Row 2.
    t0 += a2 * b0;
    t1 += a2 * b1;
    t2 = a2 * b2;
    m = Math.imul(t0 & MASK, nNeg) & MASK;
    t0 = t1 + m * n1 + (t0 + m * n0) * INV_B;
    t1 = t2 + m * n2;
    // Normalise to limbs in [0, B) (the top one keeps the sign).
    const r0 = t0 & MASK;
    t1 += (t0 - r0) * INV_B;
    const r1 = t1 & MASK;
    this.r0 = r0;
    this.r1 = r1;
    this.r2 = (t1 - r1) * INV_B;
  }
}

function limbsToBigInt(l0: number, l1: number, l2: number): bigint {
  return (BigInt(l2) << 44n) + (BigInt(l1) << 22n) + BigInt(l0);
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

// Deterministic Miller–Rabin for every n < 2^64 (a seven-base set with no
// 64-bit strong pseudoprime).
const MR_BASES = [2n, 325n, 9375n, 28178n, 450775n, 9780504n, 1795265022n];
const SMALL_PRIMES = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n];

export function isPrime(n: bigint): boolean {
  if (n < 2n) return false;
  for (const p of SMALL_PRIMES) {
    if (n === p) return true;
    if (n % p === 0n) return false;
  }
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  outer: for (const a of MR_BASES) {
    const am = a % n;
    if (am === 0n) continue;
    let x = modPow(am, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let i = 1; i < s; i++) {
      x = (x * x) % n;
      if (x === n - 1n) continue outer;
    }
    return false;
  }
  return true;
}

const BATCH = 256; // products multiplied together between two gcds
const MAX_R = 1 << 28; // bounds one run; a 64-bit composite needs ~2^17

/** One Pollard–Brent run with f(y) = y² + c; returns n itself when this c fails. */
function pollardBrent(mg: Montgomery, n: bigint, c: number): bigint {
  let y0 = c + 1, y1 = 0, y2 = 0;
  let x0 = y0, x1 = 0, x2 = 0;
  let s0 = y0, s1 = 0, s2 = 0; // ys: where the last batch started
  let q0 = 1, q1 = 0, q2 = 0;
  let g = 1n;
  for (let r = 1; g === 1n; r *= 2) {
    if (r > MAX_R) return n;
    x0 = y0; x1 = y1; x2 = y2;
    for (let i = 0; i < r; i++) {
      mg.mul(y0, y1, y2, y0, y1, y2);
      y0 = mg.r0 + c; y1 = mg.r1; y2 = mg.r2;
    }
    for (let k = 0; k < r && g === 1n; k += BATCH) {
      s0 = y0; s1 = y1; s2 = y2;
      const steps = Math.min(BATCH, r - k);
      for (let i = 0; i < steps; i++) {
        mg.mul(y0, y1, y2, y0, y1, y2);
        y0 = mg.r0 + c; y1 = mg.r1; y2 = mg.r2;
        mg.mul(q0, q1, q2, x0 - y0, x1 - y1, x2 - y2);
        q0 = mg.r0; q1 = mg.r1; q2 = mg.r2;
      }
      g = gcd(limbsToBigInt(q0, q1, q2), n);
    }
  }
  if (g === n) {
    // The batch overshot (or hit zero): replay it one step at a time.
    do {
      mg.mul(s0, s1, s2, s0, s1, s2);
      s0 = mg.r0 + c; s1 = mg.r1; s2 = mg.r2;
      g = gcd(limbsToBigInt(x0 - s0, x1 - s1, x2 - s2), n);
    } while (g === 1n);
  }
  return g;
}

/** Caller has checked 1 < pq < 2^64. Throws RangeError unless pq = p·q, p, q prime. */
export function factorize(pq: bigint): [bigint, bigint] {
  if (isPrime(pq)) throw new RangeError('pq is prime');
  let d = 0n;
  // Trial division first: cheap for tiny factors, and rho degenerates on
  // very small moduli.
  for (let t = 2n; t < 256n && d === 0n; t++) {
    if (pq % t === 0n) d = t;
  }
  if (d === 0n) {
    const mg = new Montgomery(pq);
    for (let c = 1; d === 0n || d === pq; c++) d = pollardBrent(mg, pq, c);
  }
  let e = pq / d;
  if (d > e) [d, e] = [e, d];
  if (!isPrime(d) || !isPrime(e)) throw new RangeError('pq is not a product of two primes');
  return [d, e];
}
