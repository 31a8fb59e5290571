import { createHash, pbkdf2Sync } from 'node:crypto';
import test from 'ava';
import {
  computeSrpCheck,
  SrpError,
  srpPasswordHash,
  srpServerB,
  srpServerSetup,
  srpServerVerify,
  type SrpAlgo,
} from '../src/auth/srp.js';
import { bigIntFromBytes, bigIntToBytes, modPow } from '../src/mtproto/handshake/bigint.js';
import { KNOWN_DH_PRIME } from '../src/mtproto/dh.js';

const ITER = 1000; // real Telegram: 100000; the math does not depend on it

const H = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const SH = (d: Uint8Array, s: Uint8Array): Buffer => H(s, d, s);

test('password hash follows the spec: SH(pbkdf2(sha512, SH(SH(pw, salt1), salt2), salt1), salt2)', (t) => {
  const salt1 = Buffer.from('0102030405060708', 'hex');
  const salt2 = Buffer.from('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf', 'hex');
  const ph1 = SH(SH(Buffer.from('hunter2'), salt1), salt2);
  const expected = SH(pbkdf2Sync(ph1, salt1, ITER, 64, 'sha512'), salt2);
  t.deepEqual(Buffer.from(srpPasswordHash('hunter2', salt1, salt2, ITER)), expected);
});

test('client proof matches a plain BigInt computation of the spec formulas', (t) => {
  const record = srpServerSetup('correct horse', ITER);
  const ch = srpServerB(record, 42n);
  const a = Buffer.alloc(256, 7);
  const check = computeSrpCheck('correct horse', record.algo, ch.srpB, 42n, a, ITER);
  t.is(check.srpId, 42n);

  const p = bigIntFromBytes(KNOWN_DH_PRIME);
  const g = 3n;
  const pad = (v: bigint): Uint8Array => bigIntToBytes(v, 256);
  const x = bigIntFromBytes(srpPasswordHash('correct horse', record.algo.salt1, record.algo.salt2, ITER));
  const v = modPow(g, x, p);
  t.deepEqual(Buffer.from(record.v), Buffer.from(pad(v)));
  const k = bigIntFromBytes(H(pad(p), pad(g)));
  const av = bigIntFromBytes(a);
  const gA = modPow(g, av, p);
  const gB = bigIntFromBytes(ch.srpB);
  const u = bigIntFromBytes(H(pad(gA), pad(gB)));
  const tt = (((gB - ((k * v) % p)) % p) + p) % p;
  const sA = modPow(tt, av + u * x, p);
  const hp = H(pad(p));
  const hg = H(pad(g));
  for (let i = 0; i < 32; i++) hp[i]! ^= hg[i]!;
  const m1 = H(hp, H(record.algo.salt1), H(record.algo.salt2), pad(gA), pad(gB), H(pad(sA)));
  t.deepEqual(Buffer.from(check.A), Buffer.from(pad(gA)));
  t.deepEqual(Buffer.from(check.M1), m1);
});

test('server accepts the right password and refuses a wrong one', (t) => {
  const record = srpServerSetup('s3cret!', ITER);
  const ch = srpServerB(record);
  t.true(srpServerVerify(record, ch, computeSrpCheck('s3cret!', record.algo, ch.srpB, ch.srpId, undefined, ITER)));
  t.false(srpServerVerify(record, ch, computeSrpCheck('s3cret?', record.algo, ch.srpB, ch.srpId, undefined, ITER)));
  // A proof for another challenge does not pass.
  const other = srpServerB(record);
  t.false(srpServerVerify(record, other, computeSrpCheck('s3cret!', record.algo, ch.srpB, ch.srpId, undefined, ITER)));
});

test('unicode passwords are hashed as UTF-8', (t) => {
  const record = srpServerSetup('пароль🔑', ITER);
  const ch = srpServerB(record);
  t.true(srpServerVerify(record, ch, computeSrpCheck('пароль🔑', record.algo, ch.srpB, ch.srpId, undefined, ITER)));
});

test('bad input gets typed errors or false, never a crash', (t) => {
  const record = srpServerSetup('pw', ITER);
  const ch = srpServerB(record);
  const badPrime: SrpAlgo = { ...record.algo, p: new Uint8Array(256).fill(0xff) };
  t.is(t.throws(() => computeSrpCheck('pw', badPrime, ch.srpB, 1n), { instanceOf: SrpError })!.code, 'BAD_PRIME');
  t.is(t.throws(() => computeSrpCheck('pw', { ...record.algo, g: 2 }, ch.srpB, 1n), { instanceOf: SrpError })!.code, 'BAD_G');
  t.is(t.throws(() => computeSrpCheck('pw', record.algo, Uint8Array.of(1), 1n), { instanceOf: SrpError })!.code, 'B_RANGE');
  t.is(t.throws(() => computeSrpCheck('pw', record.algo, KNOWN_DH_PRIME, 1n), { instanceOf: SrpError })!.code, 'B_RANGE');
  t.false(srpServerVerify(record, ch, { A: Uint8Array.of(1), M1: new Uint8Array(32) }));
  t.false(srpServerVerify(record, ch, { A: new Uint8Array(300), M1: new Uint8Array(32) }));
  t.false(srpServerVerify(record, ch, { A: ch.srpB, M1: new Uint8Array(5) }));
});
