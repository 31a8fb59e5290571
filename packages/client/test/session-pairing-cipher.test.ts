// PairingCipher: large messages sealed inside collect() are encrypted two per
// call before collect returns — the same bytes as one at a time — and nothing
// sealed there is ever left unencrypted, whatever the work does.
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { createCrypto, type Crypto } from '@telegram-mt/crypto-native';
import { PAIR_FROM, PairingCipher } from '../src/mtproto/session/native-cipher.js';

const base = createCrypto();

/** The default backend, counting its calls. */
function counting(): { crypto: Crypto; calls: { single: number[]; pair: number[][] } } {
  const calls = { single: [] as number[], pair: [] as number[][] };
  const crypto = {
    ...base,
    mtprotoEncrypt: (k: Uint8Array, x: 0 | 8, p: Uint8Array, o: Uint8Array) => {
      calls.single.push(p.length);
      base.mtprotoEncrypt(k, x, p, o);
    },
    mtprotoEncryptPair: (k1: Uint8Array, x1: 0 | 8, p1: Uint8Array, o1: Uint8Array, k2: Uint8Array, x2: 0 | 8, p2: Uint8Array, o2: Uint8Array) => {
      calls.pair.push([p1.length, p2.length]);
      base.mtprotoEncryptPair(k1, x1, p1, o1, k2, x2, p2, o2);
    },
  } as Crypto;
  return { crypto, calls };
}

interface Msg {
  key: Uint8Array;
  plain: Uint8Array;
  out: Uint8Array;
}
const message = (n: number): Msg => ({ key: new Uint8Array(randomBytes(256)), plain: new Uint8Array(randomBytes(n)), out: new Uint8Array(16 + n) });
const expected = (m: Msg): Uint8Array => {
  const out = new Uint8Array(16 + m.plain.length);
  base.mtprotoEncrypt(m.key, 0, m.plain, out);
  return out;
};

test('outside collect every message is encrypted at once', (t) => {
  const { crypto, calls } = counting();
  const c = new PairingCipher(crypto);
  const m = message(PAIR_FROM + 16);
  c.encrypt(m.key, 0, m.plain, m.out);
  t.deepEqual(m.out, expected(m));
  t.deepEqual(calls.single, [PAIR_FROM + 16]);
});

test('inside collect large messages wait and go two per call; small ones at once; same bytes', (t) => {
  const { crypto, calls } = counting();
  const c = new PairingCipher(crypto);
  const big = [message(PAIR_FROM), message(512 * 1024 + 16), message(PAIR_FROM + 48)];
  const small = message(PAIR_FROM - 16);
  const result = c.collect(() => {
    for (const m of big) c.encrypt(m.key, 0, m.plain, m.out);
    c.encrypt(small.key, 0, small.plain, small.out);
    // Still waiting here: nothing of the large ones written yet; the small one is done.
    t.true(big.every((m) => m.out.every((b) => b === 0)));
    t.deepEqual(small.out, expected(small));
    return 'done';
  });
  t.is(result, 'done');
  for (const m of big) t.deepEqual(m.out, expected(m));
  t.deepEqual(calls.pair, [[PAIR_FROM, 512 * 1024 + 16]]);
  t.deepEqual(calls.single, [PAIR_FROM - 16, PAIR_FROM + 48]);
  t.deepEqual(c.stats, { paired: 2, alone: 1 });
});

test('work that throws: what it sealed is still encrypted, and the error comes out', (t) => {
  const c = new PairingCipher(counting().crypto);
  const a = message(PAIR_FROM);
  const b = message(PAIR_FROM);
  t.throws(
    () =>
      c.collect(() => {
        c.encrypt(a.key, 0, a.plain, a.out);
        c.encrypt(b.key, 0, b.plain, b.out);
        throw new Error('boom');
      }),
    { message: 'boom' },
  );
  t.deepEqual(a.out, expected(a));
  t.deepEqual(b.out, expected(b));
  // And the cipher is back to encrypting at once.
  const m = message(PAIR_FROM);
  c.encrypt(m.key, 0, m.plain, m.out);
  t.deepEqual(m.out, expected(m));
});

test('a collect inside a collect leaves the encryption to the outer one', (t) => {
  const { crypto, calls } = counting();
  const c = new PairingCipher(crypto);
  const a = message(PAIR_FROM);
  const b = message(PAIR_FROM);
  c.collect(() => {
    c.encrypt(a.key, 0, a.plain, a.out);
    c.collect(() => c.encrypt(b.key, 0, b.plain, b.out));
    t.true(a.out.every((x) => x === 0) && b.out.every((x) => x === 0));
  });
  t.deepEqual(calls.pair.length, 1);
  t.deepEqual(a.out, expected(a));
  t.deepEqual(b.out, expected(b));
});
