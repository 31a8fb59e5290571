// PairingCipher: large messages sealed inside collect() are encrypted two per
// call before collect returns — the same bytes as one at a time — and nothing
// sealed there is ever left unencrypted, whatever the work does; received
// ones decrypted ahead in pairs are found done, once, only while the work
// runs. And the connections' side of it (pairing.ts): held packets.
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { createCrypto, type Crypto } from '@telegram-mt/crypto-native';
import { Envelope } from '../src/mtproto/session/envelope.js';
import { defaultCipher, PAIR_FROM, PairingCipher } from '../src/mtproto/session/native-cipher.js';
import { holdPacket } from '../src/network/pairing.js';
import { AUTH_KEY, bytesOf, seededRandom } from './support/fixtures.js';

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
  t.deepEqual(c.stats, { paired: 2, alone: 1, openedPaired: 0, openedAlone: 0 });
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

test('openAhead decrypts in place in pairs; decrypt then finds them done, once, and only while the work runs', (t) => {
  const { crypto } = counting();
  let decrypts = 0;
  const watched = { ...crypto, mtprotoDecrypt: (...a: Parameters<Crypto['mtprotoDecrypt']>) => (decrypts++, base.mtprotoDecrypt(...a)) } as Crypto;
  const c = new PairingCipher(watched);
  // Three server→client messages (x = 8); the second has a broken msg_key.
  const msgs = [message(PAIR_FROM), message(PAIR_FROM + 32), message(512 * 1024)].map((m) => {
    base.mtprotoEncrypt(m.key, 8, m.plain, m.out);
    return m;
  });
  msgs[1]!.out[3]! ^= 1;
  const jobs = msgs.map((m) => ({ authKey: m.key, x: 8 as const, msgKey: m.out.subarray(0, 16), ciphertext: m.out.subarray(16) }));
  const copy = new Uint8Array(PAIR_FROM);
  const before = { ...c.stats };
  c.openAhead(jobs, () => {
    decrypts = 0;
    t.true(c.decrypt(msgs[0]!.key, 8, jobs[0]!.msgKey, jobs[0]!.ciphertext, jobs[0]!.ciphertext));
    t.deepEqual(jobs[0]!.ciphertext, msgs[0]!.plain);
    t.false(c.decrypt(msgs[1]!.key, 8, jobs[1]!.msgKey, jobs[1]!.ciphertext, jobs[1]!.ciphertext));
    t.true(jobs[1]!.ciphertext.every((b) => b === 0), 'a bad message is zeroed, as mtprotoDecrypt does');
    // A different region (a prefix of one) is not one of them: decrypted for real (plaintext as ciphertext: fails).
    t.false(c.decrypt(msgs[2]!.key, 8, jobs[2]!.msgKey, jobs[2]!.ciphertext.subarray(0, PAIR_FROM), copy));
    t.is(decrypts, 1);
    // Out of place: the plaintext already there is copied out.
    const out = new Uint8Array(512 * 1024);
    t.true(c.decrypt(msgs[2]!.key, 8, jobs[2]!.msgKey, jobs[2]!.ciphertext, out));
    t.deepEqual(out, msgs[2]!.plain);
    t.is(decrypts, 1);
    // Asked once: a second ask decrypts again (here: plaintext as ciphertext, so the msg_key fails).
    t.false(c.decrypt(msgs[0]!.key, 8, jobs[0]!.msgKey, jobs[0]!.ciphertext, new Uint8Array(PAIR_FROM)));
    t.is(decrypts, 2);
  });
  t.is(c.stats.openedPaired - before.openedPaired, 2);
  t.is(c.stats.openedAlone - before.openedAlone, 1);
});

test('what the work leaves unasked is forgotten when it returns, or throws', (t) => {
  const c = new PairingCipher(base);
  const m = message(PAIR_FROM);
  base.mtprotoEncrypt(m.key, 8, m.plain, m.out);
  const job = { authKey: m.key, x: 8 as const, msgKey: m.out.subarray(0, 16), ciphertext: m.out.subarray(16) };
  t.throws(() => c.openAhead([job], () => {
    throw new Error('boom');
  }), { message: 'boom' });
  // The region now holds plaintext; a later packet there must be decrypted for real (and here fail its msg_key).
  t.false(c.decrypt(m.key, 8, job.msgKey, job.ciphertext, job.ciphertext));
  const m2 = message(PAIR_FROM);
  base.mtprotoEncrypt(m2.key, 8, m2.plain, m2.out);
  const job2 = { authKey: m2.key, x: 8 as const, msgKey: m2.out.subarray(0, 16), ciphertext: m2.out.subarray(16) };
  c.openAhead([job2], () => undefined);
  t.false(c.decrypt(m2.key, 8, job2.msgKey, job2.ciphertext, job2.ciphertext));
});

test('held packets: the large ones of every connection are decrypted in pairs; each connection takes all of its own in order', async (t) => {
  const server = new Envelope(AUTH_KEY, 'server', defaultCipher(), seededRandom(1));
  const client = new Envelope(AUTH_KEY, 'client', defaultCipher(), seededRandom(2));
  let id = 0n;
  const packet = (len: number) => {
    const body = bytesOf(len, len);
    return { body, packet: server.seal(1n, 2n, (id += 4n), 1, body) };
  };
  const got = new Map<string, Uint8Array[]>();
  const host = (name: string) => ({
    envelopeFor: () => client,
    receiveHeld: (p: Uint8Array, owned: boolean) => {
      const m = client.open(p, owned);
      if (typeof m === 'string') throw new Error(m);
      got.set(name, [...(got.get(name) ?? []), m.body.slice()]);
    },
  });
  const a = host('a');
  const b = host('b');
  const [big1, small1, big2, big3, small2] = [packet(PAIR_FROM), packet(64), packet(PAIR_FROM + 1024), packet(2 * PAIR_FROM), packet(32)];
  const before = { ...defaultCipher().stats };
  t.false(holdPacket(b, small2!.packet, true), 'a small packet with nothing held goes through at once');
  t.false(holdPacket(b, packet(PAIR_FROM).packet, false), 'one the receiver does not own is never held');
  t.true(holdPacket(a, big1!.packet, true));
  t.true(holdPacket(a, small1!.packet, true), 'behind a held one: held too, to keep the order');
  t.true(holdPacket(a, big2!.packet, true));
  t.true(holdPacket(b, big3!.packet, true));
  t.is(got.size, 0, 'nothing taken before the end of the turn');
  await new Promise((r) => setImmediate(r));
  t.deepEqual(got.get('a'), [big1!.body, small1!.body, big2!.body]);
  t.deepEqual(got.get('b'), [big3!.body]);
  t.is(defaultCipher().stats.openedPaired - before.openedPaired, 2);
  t.is(defaultCipher().stats.openedAlone - before.openedAlone, 1);
  // The next turn starts over: a small packet goes straight through again.
  t.false(holdPacket(a, packet(64).packet, true));
});
