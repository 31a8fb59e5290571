import test from 'ava';
import { createHash, generateKeyPairSync, createPublicKey } from 'node:crypto';
import {
  generateRsaKeyPair,
  parseRsaKeyPair,
  parseRsaPublicKey,
  rsaFingerprint,
  rsaPadDecrypt,
  rsaPadEncrypt,
} from '../src/mtproto/rsa.js';
import { PRODUCTION_RSA_KEYS, TEST_RSA_KEYS } from '../src/mtproto/production.js';
import { HandshakeError } from '../src/mtproto/handshake/errors.js';
import { bigIntToBytes } from '../src/mtproto/handshake/bigint.js';
import { scripted, seeded } from './handshake-helpers.js';

const pair = generateRsaKeyPair();

test('production and test keys have the fingerprints Telegram publishes', (t) => {
  const prod = parseRsaPublicKey(PRODUCTION_RSA_KEYS[0]!);
  t.is(BigInt.asUintN(64, prod.fingerprint), 0xd09d1d85de64fd85n);
  t.is(prod.e, 65537n);
  t.is(prod.n.toString(2).length, 2048);
  t.is(prod.pem, PRODUCTION_RSA_KEYS[0]);
  const testKey = parseRsaPublicKey(TEST_RSA_KEYS[0]!);
  t.is(BigInt.asUintN(64, testKey.fingerprint), 0xb25898df208d2603n);
});

test('fingerprint: low 64 bits of SHA1 over TL bytes n, bytes e', (t) => {
  const { n, e } = pair.publicKey;
  const nb = Buffer.from(bigIntToBytes(n));
  t.is(nb.length, 256);
  const tl = Buffer.concat([Buffer.from([254, 0, 1, 0]), nb, Buffer.from([3, 1, 0, 1])]);
  const sha = createHash('sha1').update(tl).digest();
  t.is(rsaFingerprint(n, e), sha.readBigInt64LE(12));
  t.is(pair.publicKey.fingerprint, sha.readBigInt64LE(12));
});

test('SPKI and PKCS#1 forms of one key parse alike; a key pair survives its PEM', (t) => {
  const spki = createPublicKey(pair.publicKey.pem).export({ type: 'spki', format: 'pem' }).toString();
  t.deepEqual(parseRsaPublicKey(spki), pair.publicKey);
  t.true(pair.publicKey.pem.startsWith('-----BEGIN RSA PUBLIC KEY-----'));
  t.true(pair.privateKeyPem.startsWith('-----BEGIN RSA PRIVATE KEY-----'));
  const again = parseRsaKeyPair(pair.privateKeyPem);
  t.deepEqual(again.publicKey, pair.publicKey);
});

test('parseRsaPublicKey refuses what is not a 2048-bit RSA public key', (t) => {
  t.throws(() => parseRsaPublicKey('not a key'), { instanceOf: TypeError });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  t.throws(() => parseRsaPublicKey(ec), { instanceOf: TypeError });
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  t.throws(() => parseRsaPublicKey(small), { instanceOf: TypeError });
});

test('RSA_PAD round trip: the server recovers data and its padding', (t) => {
  const data = seeded('data')(100);
  const { random, draws } = scripted([null, null], 'pad');
  const enc = rsaPadEncrypt(data, pair.publicKey, random);
  t.is(enc.length, 256);
  t.deepEqual(draws.slice(0, 2), [92, 32]);
  const back = rsaPadDecrypt(enc, pair);
  t.is(back.length, 192);
  t.deepEqual(back.subarray(0, 100), data);
  t.deepEqual(back.subarray(100), seeded('pad')(92));
  // Deterministic for the same draws.
  t.deepEqual(rsaPadEncrypt(data, pair.publicKey, scripted([], 'pad').random), enc);
});

test('RSA_PAD draws a new temp_key when the block is not below n', (t) => {
  // A key whose modulus starts low makes a too-large block common (≥ 25% per temp_key).
  let low = pair;
  for (let i = 0; i < 40 && low.publicKey.n >> 2040n >= 0xc0n; i++) low = generateRsaKeyPair();
  t.true(low.publicKey.n >> 2040n < 0xc0n);
  const data = seeded('data')(100);
  let found = false;
  for (let i = 0; i < 200 && !found; i++) {
    const { random, draws } = scripted([], `loop${i}`);
    const enc = rsaPadEncrypt(data, low.publicKey, random);
    if (draws.length > 2) {
      found = true;
      t.deepEqual(draws.slice(0, 3), [92, 32, 32]);
      t.deepEqual(rsaPadDecrypt(enc, low).subarray(0, 100), data);
    }
  }
  t.true(found, 'some seed leads to a second temp_key');
});

test('RSA_PAD input limits and server-side rejections', (t) => {
  t.throws(() => rsaPadEncrypt(new Uint8Array(145), pair.publicKey, seeded('x')), { instanceOf: RangeError });
  const enc = rsaPadEncrypt(new Uint8Array(144), pair.publicKey, seeded('y'));
  const other = generateRsaKeyPair();
  const code = (fn: () => unknown) => (t.throws(fn, { instanceOf: HandshakeError }) as HandshakeError).code;
  t.is(code(() => rsaPadDecrypt(enc, other)), 'RSA_PAD');
  t.is(code(() => rsaPadDecrypt(enc.subarray(0, 255), pair)), 'RSA_PAD');
  t.is(code(() => rsaPadDecrypt(new Uint8Array(256).fill(0xff), pair)), 'RSA_PAD');
  const flipped = enc.slice();
  flipped[200]! ^= 4;
  t.is(code(() => rsaPadDecrypt(flipped, pair)), 'RSA_PAD');
});
