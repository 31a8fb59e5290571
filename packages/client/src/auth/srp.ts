// SRP-2048 as Telegram uses it for the cloud password (2FA): the client's
// proof (inputCheckPasswordSRP) and the server's side (verifier, B, check),
// so the emulator and the client share one implementation of the math.
// Algorithm: core.telegram.org/api/srp, passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow.
import { createHash, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { bigIntFromBytes, bigIntToBytes } from '../mtproto/handshake/bigint.js';
import { dhPower, dhShared, isDhValueInRange, KNOWN_DH_PRIME } from '../mtproto/dh.js';

/** Telegram's iteration count for the password KDF. The emulator may lower it so tests stay fast. */
export const SRP_PBKDF2_ITERATIONS = 100000;

/** The algorithm object as account.password carries it (current_algo / new_algo). */
export interface SrpAlgo {
  _: 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow';
  salt1: Uint8Array;
  salt2: Uint8Array;
  g: number;
  p: Uint8Array;
}

/** The client's proof, in the shape of the TL constructor. */
export interface SrpCheck {
  _: 'inputCheckPasswordSRP';
  srpId: bigint;
  A: Uint8Array;
  M1: Uint8Array;
}

/** Why an SRP computation refused its input (a malicious or broken server / client). */
export class SrpError extends Error {
  constructor(
    readonly code: 'BAD_PRIME' | 'BAD_G' | 'B_RANGE' | 'A_RANGE' | 'U_ZERO',
    message: string,
  ) {
    super(message);
    this.name = 'SrpError';
  }
}

const sha256 = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

/** SH(data, salt) = H(salt | data | salt). */
const saltedHash = (data: Uint8Array, salt: Uint8Array): Uint8Array => sha256(salt, data, salt);

/**
 * PH2(password, salt1, salt2) = SH(pbkdf2(sha512, PH1, salt1, iterations), salt2),
 * with PH1 = SH(SH(password, salt1), salt2). x is this as a big-endian number.
 */
export function srpPasswordHash(
  password: string,
  salt1: Uint8Array,
  salt2: Uint8Array,
  iterations: number = SRP_PBKDF2_ITERATIONS,
): Uint8Array {
  const ph1 = saltedHash(saltedHash(new TextEncoder().encode(password), salt1), salt2);
  const kdf = new Uint8Array(pbkdf2Sync(ph1, salt1, iterations, 64, 'sha512'));
  return saltedHash(kdf, salt2);
}

const pad256 = (v: bigint): Uint8Array => bigIntToBytes(v, 256);
const gBytes = (g: number): Uint8Array => pad256(BigInt(g));

/** k = H(p | g), g padded to 256 bytes. */
const multiplier = (p: Uint8Array, g: number): bigint => bigIntFromBytes(sha256(p, gBytes(g)));

/** Exponents are reduced mod p−1 (p is prime), so the DH engine sees at most 256 bytes. */
const exponent = (e: bigint, p: bigint): Uint8Array => pad256(e % (p - 1n));

function checkGroup(algo: { g: number; p: Uint8Array }): void {
  // Only Telegram's published prime is accepted: checking a foreign one for safety is the client's job elsewhere.
  if (algo.p.length !== 256 || Buffer.compare(Buffer.from(algo.p), Buffer.from(KNOWN_DH_PRIME)) !== 0) {
    throw new SrpError('BAD_PRIME', 'the SRP prime is not the 2048-bit prime Telegram publishes');
  }
  if (algo.g !== 3) throw new SrpError('BAD_G', `the SRP generator must be 3 for this prime, got ${algo.g}`);
}

/** M1 = H(H(p) xor H(g) | H(salt1) | H(salt2) | g_a | g_b | k_a). */
function proof(algo: SrpAlgo, gA: Uint8Array, gB: Uint8Array, kA: Uint8Array): Uint8Array {
  const hp = sha256(algo.p);
  const hg = sha256(gBytes(algo.g));
  for (let i = 0; i < 32; i++) hp[i]! ^= hg[i]!;
  return sha256(hp, sha256(algo.salt1), sha256(algo.salt2), gA, gB, kA);
}

/**
 * The client's side: from the password and account.password's current_algo,
 * srp_B and srp_id, the inputCheckPasswordSRP for auth.checkPassword.
 * `random` (256 bytes) is the secret a; tests pass it to be reproducible.
 */
export function computeSrpCheck(
  password: string,
  algo: SrpAlgo,
  srpB: Uint8Array,
  srpId: bigint,
  random: Uint8Array = randomBytes(256),
  iterations: number = SRP_PBKDF2_ITERATIONS,
): SrpCheck {
  checkGroup(algo);
  if (random.length !== 256) throw new RangeError('the SRP secret a must be 256 bytes');
  if (srpB.length > 256 || !isDhValueInRange(srpB, algo.p)) {
    throw new SrpError('B_RANGE', 'srp_B is outside the safe range of the prime');
  }
  const p = bigIntFromBytes(algo.p);
  const gB = pad256(bigIntFromBytes(srpB));
  const a = bigIntFromBytes(random);
  const gA = dhPower(algo.p, algo.g, exponent(a, p));
  const u = bigIntFromBytes(sha256(gA, gB));
  if (u === 0n) throw new SrpError('U_ZERO', 'u = H(g_a | g_b) is zero');
  const x = bigIntFromBytes(srpPasswordHash(password, algo.salt1, algo.salt2, iterations));
  const v = bigIntFromBytes(dhPower(algo.p, algo.g, exponent(x, p)));
  const kv = (multiplier(algo.p, algo.g) * v) % p;
  const t = (((bigIntFromBytes(gB) - kv) % p) + p) % p;
  const sA = dhShared(algo.p, exponent(a + u * x, p), pad256(t));
  const kA = sha256(sA);
  return { _: 'inputCheckPasswordSRP', srpId, A: gA, M1: proof(algo, gA, gB, kA) };
}

/** What a server keeps for a password: the algorithm (with its salts) and the verifier v = g^x. */
export interface SrpServerRecord {
  algo: SrpAlgo;
  /** g^x mod p, 256 bytes. */
  v: Uint8Array;
}

/**
 * The server's side of setting a password: fresh salts (salt1 is 40 bytes:
 * the 8 Telegram sends in new_algo plus the 32 the client appends) and the
 * verifier. The password itself is not kept.
 */
export function srpServerSetup(password: string, iterations: number = SRP_PBKDF2_ITERATIONS): SrpServerRecord {
  const algo: SrpAlgo = {
    _: 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow',
    salt1: new Uint8Array(randomBytes(40)),
    salt2: new Uint8Array(randomBytes(16)),
    g: 3,
    p: KNOWN_DH_PRIME,
  };
  const p = bigIntFromBytes(algo.p);
  const x = bigIntFromBytes(srpPasswordHash(password, algo.salt1, algo.salt2, iterations));
  return { algo, v: dhPower(algo.p, algo.g, exponent(x, p)) };
}

/** One login attempt on the server: the secret b, B = k·v + g^b, and the srp_id naming it. */
export interface SrpServerChallenge {
  srpId: bigint;
  b: Uint8Array;
  srpB: Uint8Array;
}

/** B = (k·v + g^b) mod p, retried in the rare case it falls outside the safe range the client checks. */
export function srpServerB(record: SrpServerRecord, srpId: bigint = randomBytes(8).readBigInt64LE()): SrpServerChallenge {
  const { algo } = record;
  const p = bigIntFromBytes(algo.p);
  const kv = (multiplier(algo.p, algo.g) * bigIntFromBytes(record.v)) % p;
  for (;;) {
    const b = new Uint8Array(randomBytes(256));
    const gb = bigIntFromBytes(dhPower(algo.p, algo.g, exponent(bigIntFromBytes(b), p)));
    const srpB = pad256((kv + gb) % p);
    if (isDhValueInRange(srpB, algo.p)) return { srpId, b, srpB };
  }
}

/**
 * Checks the client's proof against a challenge: S = (A · v^u)^b, K = H(S),
 * and M1 recomputed from it. False for a wrong password or a malformed A.
 */
export function srpServerVerify(record: SrpServerRecord, challenge: SrpServerChallenge, check: { A: Uint8Array; M1: Uint8Array }): boolean {
  const { algo } = record;
  if (check.M1.length !== 32 || check.A.length > 256 || !isDhValueInRange(check.A, algo.p)) return false;
  const p = bigIntFromBytes(algo.p);
  const gA = pad256(bigIntFromBytes(check.A));
  const u = bigIntFromBytes(sha256(gA, challenge.srpB));
  if (u === 0n) return false;
  const vu = bigIntFromBytes(dhShared(algo.p, exponent(u, p), record.v));
  const base = (bigIntFromBytes(gA) * vu) % p;
  if (base <= 1n) return false;
  const sB = dhShared(algo.p, exponent(bigIntFromBytes(challenge.b), p), pad256(base));
  const expected = proof(algo, gA, challenge.srpB, sha256(sB));
  return timingSafeEqual(expected, check.M1);
}
