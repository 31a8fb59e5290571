// Diffie–Hellman for the auth-key handshake: the checks of
// core.telegram.org/mtproto/security_guidelines on dh_prime, g, g_a and g_b,
// and 2048-bit modular exponentiation through node:crypto.
import { createDiffieHellman, type DiffieHellman } from 'node:crypto';
import { HandshakeError } from './handshake/errors.js';
import { bigIntFromBytes } from './handshake/bigint.js';

/** The 2048-bit safe prime Telegram's servers send as dh_prime. */
export const KNOWN_DH_PRIME: Uint8Array = Uint8Array.from(
  Buffer.from(
    'c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f' +
      '48198a0aa7c14058229493d22530f4dbfa336f6e0ac925139543aed44cce7c37' +
      '20fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f64' +
      '2477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4' +
      'a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef1284754' +
      'fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4' +
      'e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f' +
      '0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b',
    'hex',
  ),
);
const KNOWN_HEX = Buffer.from(KNOWN_DH_PRIME).toString('hex');

// OpenSSL DH_check flags (Node's verifyError).
const DH_CHECK_P_NOT_PRIME = 0x01;
const DH_CHECK_P_NOT_SAFE_PRIME = 0x02;

/**
 * One DiffieHellman object per prime, built once: constructing it runs
 * OpenSSL's DH_check (both p and (p−1)/2 tested for primality), which costs
 * ~250 ms, while each exponentiation afterwards costs ~2 ms. Its verdict is
 * kept with it, so a prime is verified at most once per process.
 */
interface PrimeEntry {
  dh: DiffieHellman;
  safe: boolean;
}
const engines = new Map<string, PrimeEntry>();
const MAX_ENGINES = 8; // a hostile server could send many primes; each costs one check, the cache stays small

function entryFor(prime: Uint8Array): PrimeEntry {
  const key = Buffer.from(prime).toString('hex');
  let e = engines.get(key);
  if (e === undefined) {
    const dh = createDiffieHellman(Buffer.from(prime), 2);
    const safe = key === KNOWN_HEX || (dh.verifyError & (DH_CHECK_P_NOT_PRIME | DH_CHECK_P_NOT_SAFE_PRIME)) === 0;
    e = { dh, safe };
    if (engines.size >= MAX_ENGINES) engines.delete(engines.keys().next().value!);
    engines.set(key, e);
  }
  return e;
}

/**
 * Builds (and verifies) the engine for a prime ahead of time, so the first
 * handshake does not pay for it. Defaults to Telegram's prime.
 */
export function prepareDhPrime(prime: Uint8Array = KNOWN_DH_PRIME): boolean {
  return entryFor(prime).safe;
}

/** True when p is a 2048-bit safe prime (cached per prime). */
export function isSafeDhPrime(prime: Uint8Array): boolean {
  if (prime.length !== 256 || (prime[0]! & 0x80) === 0) return false;
  return entryFor(prime).safe;
}

/**
 * dh_prime must be a safe prime with 2^2047 < p < 2^2048, and g one of 2..7
 * that generates the subgroup of order (p−1)/2 — each g has its own residue
 * condition on p (security guidelines, "DH key exchange").
 */
export function checkDhParams(prime: Uint8Array, g: number): void {
  if (prime.length !== 256 || (prime[0]! & 0x80) === 0) {
    throw new HandshakeError('BAD_DH_PRIME', `dh_prime must be a 2048-bit number, got ${prime.length} bytes`);
  }
  if (!isSafeDhPrime(prime)) throw new HandshakeError('BAD_DH_PRIME', 'dh_prime is not a safe prime');
  const p = bigIntFromBytes(prime);
  let ok: boolean;
  switch (g) {
    case 2: ok = p % 8n === 7n; break;
    case 3: ok = p % 3n === 2n; break;
    case 4: ok = true; break;
    case 5: { const r = p % 5n; ok = r === 1n || r === 4n; break; }
    case 6: { const r = p % 24n; ok = r === 19n || r === 23n; break; }
    case 7: { const r = p % 7n; ok = r === 3n || r === 5n || r === 6n; break; }
    default: throw new HandshakeError('BAD_G', `g must be between 2 and 7, got ${g}`);
  }
  if (!ok) throw new HandshakeError('BAD_G', `g = ${g} does not generate the prime-order subgroup of this dh_prime`);
}

const MARGIN = 1n << (2048n - 64n);

/** 1 < x < p − 1, and further 2^(2048−64) ≤ x ≤ p − 2^(2048−64). */
export function isDhValueInRange(x: Uint8Array, prime: Uint8Array): boolean {
  if (x.length > 256) return false;
  const v = bigIntFromBytes(x);
  const p = bigIntFromBytes(prime);
  return v > 1n && v < p - 1n && v >= MARGIN && v <= p - MARGIN;
}

export function checkDhValue(x: Uint8Array, prime: Uint8Array, code: 'G_A_RANGE' | 'G_B_RANGE'): void {
  if (!isDhValueInRange(x, prime)) {
    throw new HandshakeError(code, `${code === 'G_A_RANGE' ? 'g_a' : 'g_b'} is outside the safe range of dh_prime`);
  }
}

function setExponent(dh: DiffieHellman, secret: Uint8Array): void {
  dh.setPrivateKey(Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength));
}

/** g^secret mod p, 256 bytes big-endian. */
export function dhPower(prime: Uint8Array, g: number, secret: Uint8Array): Uint8Array {
  if (g === 2) {
    const { dh } = entryFor(prime);
    setExponent(dh, secret);
    return new Uint8Array(dh.generateKeys());
  }
  // Any engine for this prime raises an arbitrary base: computeSecret(base) = base^secret.
  const base = new Uint8Array(256);
  base[255] = g;
  return dhShared(prime, secret, base);
}

/** other^secret mod p, 256 bytes big-endian (zero-padded). `other` must already be range-checked. */
export function dhShared(prime: Uint8Array, secret: Uint8Array, other: Uint8Array): Uint8Array {
  const { dh } = entryFor(prime);
  setExponent(dh, secret);
  return new Uint8Array(dh.computeSecret(Buffer.from(other.buffer, other.byteOffset, other.byteLength)));
}
