import test from 'ava';
import { generatePrimeSync } from 'node:crypto';
import {
  KNOWN_DH_PRIME,
  checkDhParams,
  checkDhValue,
  dhPower,
  dhShared,
  isDhValueInRange,
  isSafeDhPrime,
} from '../src/mtproto/dh.js';
import { HandshakeError } from '../src/mtproto/handshake/errors.js';
import { bigIntFromBytes, bigIntToBytes, modPow } from '../src/mtproto/handshake/bigint.js';
import { seeded } from './handshake-helpers.js';

const P = bigIntFromBytes(KNOWN_DH_PRIME);
const code = (t: { throws: (fn: () => unknown, o: object) => unknown }, fn: () => unknown) =>
  (t.throws(fn, { instanceOf: HandshakeError }) as HandshakeError).code;

test('the known prime is a 2048-bit safe prime', (t) => {
  t.is(P.toString(2).length, 2048);
  t.true(isSafeDhPrime(KNOWN_DH_PRIME));
});

test('g is accepted exactly when it is a quadratic residue mod p (Euler’s criterion)', (t) => {
  // For a safe prime p = 2q + 1, g generates the subgroup of order q iff g^q ≡ 1 (mod p).
  const q = (P - 1n) / 2n;
  let accepted = 0;
  for (let g = 2; g <= 7; g++) {
    const residue = modPow(BigInt(g), q, P) === 1n;
    if (residue) {
      t.notThrows(() => checkDhParams(KNOWN_DH_PRIME, g), `g = ${g}`);
      accepted++;
    } else {
      t.is(code(t, () => checkDhParams(KNOWN_DH_PRIME, g)), 'BAD_G', `g = ${g}`);
    }
  }
  t.true(accepted >= 2); // 3 and 4 at least
  for (const g of [0, 1, 8, -3, 65539]) t.is(code(t, () => checkDhParams(KNOWN_DH_PRIME, g)), 'BAD_G');
});

test('dh_prime that is composite, prime but not safe, or not 2048 bits is refused', (t) => {
  const composite = KNOWN_DH_PRIME.slice();
  composite[255]! ^= 2;
  t.is(code(t, () => checkDhParams(composite, 3)), 'BAD_DH_PRIME');

  const plainPrime = generatePrimeSync(2048, { bigint: true }); // almost surely not safe
  const bytes = bigIntToBytes(plainPrime, 256);
  t.false(isSafeDhPrime(bytes));
  t.is(code(t, () => checkDhParams(bytes, 4)), 'BAD_DH_PRIME');

  t.is(code(t, () => checkDhParams(KNOWN_DH_PRIME.subarray(1), 3)), 'BAD_DH_PRIME');
  t.is(code(t, () => checkDhParams(Uint8Array.of(0, ...KNOWN_DH_PRIME), 3)), 'BAD_DH_PRIME');
  const low = KNOWN_DH_PRIME.slice();
  low[0] = 0x7f; // 2047 bits
  t.is(code(t, () => checkDhParams(low, 3)), 'BAD_DH_PRIME');
});

test('g_a / g_b range: 1 < x < p − 1 with the 2^(2048−64) margins', (t) => {
  const margin = 1n << 1984n;
  const ok = (v: bigint) => isDhValueInRange(bigIntToBytes(v, 256), KNOWN_DH_PRIME);
  t.false(ok(0n));
  t.false(ok(1n));
  t.false(ok(2n));
  t.false(ok(margin - 1n));
  t.true(ok(margin));
  t.true(ok(P / 2n));
  t.true(ok(P - margin));
  t.false(ok(P - margin + 1n));
  t.false(ok(P - 1n));
  t.false(ok(P));
  t.false(isDhValueInRange(new Uint8Array(257).fill(1), KNOWN_DH_PRIME));
  t.true(isDhValueInRange(bigIntToBytes(margin), KNOWN_DH_PRIME), 'short encodings are numbers too');
  t.is(code(t, () => checkDhValue(bigIntToBytes(2n), KNOWN_DH_PRIME, 'G_A_RANGE')), 'G_A_RANGE');
  t.is(code(t, () => checkDhValue(bigIntToBytes(P - 1n), KNOWN_DH_PRIME, 'G_B_RANGE')), 'G_B_RANGE');
});

test('dhPower and dhShared agree with BigInt square-and-multiply', (t) => {
  const rnd = seeded('dh');
  for (const g of [2, 3, 4]) {
    const a = rnd(256);
    const b = rnd(256);
    const gA = dhPower(KNOWN_DH_PRIME, g, a);
    const gB = dhPower(KNOWN_DH_PRIME, g, b);
    t.is(gA.length, 256);
    t.is(bigIntFromBytes(gA), modPow(BigInt(g), bigIntFromBytes(a), P));
    const k1 = dhShared(KNOWN_DH_PRIME, a, gB);
    const k2 = dhShared(KNOWN_DH_PRIME, b, gA);
    t.deepEqual(k1, k2);
    t.is(bigIntFromBytes(k1), modPow(bigIntFromBytes(gB), bigIntFromBytes(a), P));
  }
});
