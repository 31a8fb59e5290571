// mtprotoDecryptPair must have exactly the effect of two mtprotoDecrypt
// calls: the same plaintexts, the same verdicts (bit 0 for message 1, bit 1
// for message 2), the same zeroed out on a mismatch. The addon decrypts and
// hashes both messages in one loop while both have four more blocks (from
// block 2 on, each hashed 64 bytes lagging one turn behind), then finishes
// the longer one alone, so the sizes below put the end of the common loop,
// the single loop's exit and the hash's padding at every 16-byte offset,
// on either side, in place (views of one received packet) and out of place.

import test from 'ava';

import type { Crypto, MtprotoDirection } from '../src/types.js';
import { backends, bytesFrom, detached, DIRECTION_PAIRS, js, native, pairSizes, runPortable } from './backends.js';

const authKeyA = bytesFrom('dpair-auth-key-a', 256);
const authKeyB = bytesFrom('dpair-auth-key-b', 256);

/** A sealed message: what a peer sent (msg_key ‖ ciphertext) and what it encrypted. */
type Sealed = { authKey: Uint8Array; x: MtprotoDirection; plaintext: Uint8Array; msgKey: Uint8Array; ciphertext: Uint8Array };

function seal(label: string, n: number, authKey: Uint8Array, x: MtprotoDirection): Sealed {
  const plaintext = bytesFrom(label, n);
  const packet = new Uint8Array(16 + n);
  js.mtprotoEncrypt(authKey, x, plaintext, packet);
  return { authKey, x, plaintext, msgKey: packet.slice(0, 16), ciphertext: packet.slice(16) };
}

/** The same message with msg_key's byte `at` flipped. */
function withBadKey(m: Sealed, at = 5): Sealed {
  const msgKey = m.msgKey.slice();
  msgKey[at]! ^= 0x40;
  return { ...m, msgKey };
}

/** The same message with one ciphertext bit flipped at byte `at`. */
function withBadBlock(m: Sealed, at: number): Sealed {
  const ciphertext = m.ciphertext.slice();
  ciphertext[at]! ^= 0x01;
  return { ...m, ciphertext };
}

/** Where one message's arguments live for a call, and what to read back. */
type Placed = { msgKey: Uint8Array; ciphertext: Uint8Array; out: Uint8Array; whole: Uint8Array };

/**
 * In place: a received packet (8 bytes of auth_key_id, msg_key,
 * ciphertext, 3 spare bytes), msgKey and ciphertext views of it and out =
 * ciphertext, as the client calls it. Out of place: the ciphertext at an
 * odd offset of its buffer, out at another in a buffer 5 bytes longer
 * (filled with 0xaa, so bytes past the ciphertext length must stay).
 */
function place(m: Sealed, inPlace: boolean, offset: number): Placed {
  const n = m.ciphertext.length;
  if (inPlace) {
    const packet = new Uint8Array(8 + 16 + n + 3).fill(0x33);
    packet.set(m.msgKey, 8);
    packet.set(m.ciphertext, 24);
    const ciphertext = packet.subarray(24, 24 + n);
    return { msgKey: packet.subarray(8, 24), ciphertext, out: ciphertext, whole: packet };
  }
  const cbuf = new Uint8Array(offset + n + 1);
  cbuf.set(m.ciphertext, offset);
  const obuf = new Uint8Array(offset + 2 + n + 5).fill(0xaa);
  return { msgKey: m.msgKey.slice(), ciphertext: cbuf.subarray(offset, offset + n), out: obuf.subarray(offset + 2), whole: obuf };
}

/** Both messages through c.mtprotoDecryptPair: [bits, whole buffer 1, whole buffer 2]. */
function pair(c: Crypto, m1: Sealed, m2: Sealed, inPlace: boolean): [number, Buffer, Buffer] {
  const a = place(m1, inPlace, 3);
  const b = place(m2, inPlace, 6);
  const bits = c.mtprotoDecryptPair(m1.authKey, m1.x, a.msgKey, a.ciphertext, a.out, m2.authKey, m2.x, b.msgKey, b.ciphertext, b.out);
  return [bits, Buffer.from(a.whole), Buffer.from(b.whole)];
}

/** The same through two js.mtprotoDecrypt calls on identically placed buffers. */
function twoCalls(m1: Sealed, m2: Sealed, inPlace: boolean): [number, Buffer, Buffer] {
  const a = place(m1, inPlace, 3);
  const b = place(m2, inPlace, 6);
  const ok1 = js.mtprotoDecrypt(m1.authKey, m1.x, a.msgKey, a.ciphertext, a.out);
  const ok2 = js.mtprotoDecrypt(m2.authKey, m2.x, b.msgKey, b.ciphertext, b.out);
  return [(ok1 ? 1 : 0) | (ok2 ? 2 : 0), Buffer.from(a.whole), Buffer.from(b.whole)];
}

const sizeCombinations = (): [number, number][] => pairSizes(0, [0, 16, 32, 48, 64, 80, 96, 208, 4096 + 16], [112, 128, 1024, 65536 - 16, 65536 + 48]);

for (const c of backends) {
  for (const inPlace of [true, false]) {
    test(`${c.backend}: mtprotoDecryptPair equals two mtprotoDecrypt calls, ${inPlace ? 'in place in the packet' : 'out of place'}`, (t) => {
      let checked = 0;
      sizeCombinations().forEach(([n1, n2], i) => {
        const [x1, x2] = DIRECTION_PAIRS[i % DIRECTION_PAIRS.length]!;
        // One auth key for both every third case, two different ones otherwise.
        const m1 = seal(`d1/${n1}/${i}`, n1, authKeyA, x1);
        const m2 = seal(`d2/${n2}/${i}`, n2, i % 3 === 0 ? authKeyA : authKeyB, x2);
        const got = pair(c, m1, m2, inPlace);
        const want = twoCalls(m1, m2, inPlace);
        if (got[0] !== 3 || want[0] !== 3 || !got[1].equals(want[1]) || !got[2].equals(want[2])) {
          t.fail(`sizes ${n1}/${n2}, x ${x1}/${x2}: bits ${got[0]}, message ${got[1].equals(want[1]) ? 2 : 1} differs`);
        }
        checked++;
      });
      t.is(checked, sizeCombinations().length);
      t.true(checked > 450);
    });
  }
}

test('the decrypted plaintexts are the ones sealed (not only equal to two calls)', (t) => {
  for (const c of backends) {
    for (const [n1, n2] of [[48, 4096 + 16], [1024 + 32, 1024 + 32], [336, 80], [0, 64]] as const) {
      const m1 = seal(`orig1/${n1}`, n1, authKeyA, 8);
      const m2 = seal(`orig2/${n2}`, n2, authKeyB, 0);
      const o1 = new Uint8Array(n1);
      const o2 = new Uint8Array(n2);
      t.is(c.mtprotoDecryptPair(authKeyA, 8, m1.msgKey, m1.ciphertext, o1, authKeyB, 0, m2.msgKey, m2.ciphertext, o2), 3);
      t.deepEqual(Buffer.from(o1), Buffer.from(m1.plaintext), `${c.backend} ${n1}`);
      t.deepEqual(Buffer.from(o2), Buffer.from(m2.plaintext), `${c.backend} ${n2}`);
    }
  }
});

// ---- msg_key mismatches: the right bit, exactly that message zeroed ----

const badSizes: [number, number][] = [
  [512 * 1024, 512 * 1024],
  [512 * 1024, 48],
  [48, 512 * 1024],
  [4096 + 16, 208],
  [96, 96],
  [0, 208],
  [112, 0],
];

for (const c of backends) {
  for (const inPlace of [true, false]) {
    test(`${c.backend}: a bad message 1, 2 or both gives bits 2, 1, 0 and zeroes only that message, ${inPlace ? 'in place' : 'out of place'}`, (t) => {
      for (const [n1, n2] of badSizes) {
        const g1 = seal(`bad1/${n1}`, n1, authKeyA, 8);
        const g2 = seal(`bad2/${n2}`, n2, authKeyB, 8);
        // A wrong msg_key, or one flipped bit in the last ciphertext block
        // (hashed in the tail) or in the first (hashed in the pair loop).
        const spoil: [string, (m: Sealed) => Sealed][] = [
          ['wrong msg_key', (m) => withBadKey(m)],
          ['last block flipped', (m) => (m.ciphertext.length ? withBadBlock(m, m.ciphertext.length - 1) : withBadKey(m, 15))],
          ['first block flipped', (m) => (m.ciphertext.length ? withBadBlock(m, 0) : withBadKey(m, 0))],
        ];
        for (const [what, bad] of spoil) {
          const combos: [string, Sealed, Sealed, number][] = [
            ['1 bad', bad(g1), g2, 2],
            ['2 bad', g1, bad(g2), 1],
            ['both bad', bad(g1), bad(g2), 0],
          ];
          for (const [which, m1, m2, bits] of combos) {
            const label = `${n1}/${n2} ${what}, ${which}`;
            const got = pair(c, m1, m2, inPlace);
            t.is(got[0], bits, label);
            const want = twoCalls(m1, m2, inPlace);
            if (!got[1].equals(want[1]) || !got[2].equals(want[2])) t.fail(`${label}: differs from two calls`);
            // Read back the out regions directly as well.
            // out starts at 24 in the packet, at offset + 2 out of place.
            const out = (whole: Buffer, n: number, at: number): Buffer => whole.subarray(inPlace ? 24 : at, (inPlace ? 24 : at) + n);
            const outs = [out(got[1], n1, 5), out(got[2], n2, 8)];
            const plain = [g1.plaintext, g2.plaintext];
            for (const j of [0, 1]) {
              const good = (bits & (1 << j)) !== 0;
              if (good ? !outs[j]!.equals(plain[j]!) : !outs[j]!.every((b) => b === 0)) {
                t.fail(`${label}: message ${j + 1} ${good ? 'not intact' : 'not zeroed'}`);
              }
            }
            // Nothing past out[0, n) is touched.
            if (!inPlace && (!got[1].subarray(5 + n1).every((b) => b === 0xaa) || !got[2].subarray(8 + n2).every((b) => b === 0xaa))) {
              t.fail(`${label}: bytes past out's first n changed`);
            }
          }
        }
      }
    });
  }
}

(native ? test : test.skip)('native and js pairs agree on pseudo-random sizes, keys, directions and verdicts', (t) => {
  // Deterministic: a small LCG over 0..8 KiB in 16-byte steps; one case in
  // four spoils message 1, one in four message 2.
  let seed = 424242;
  // The high bits only: an LCG's low bits repeat with short periods.
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 12;
  let bad = 0;
  for (let i = 0; i < 200; i++) {
    const n1 = 16 * (next() % 513);
    const n2 = 16 * (next() % 513);
    const ak1 = bytesFrom(`dagree-ak1/${i}`, 256);
    const ak2 = next() % 3 === 0 ? ak1 : bytesFrom(`dagree-ak2/${i}`, 256);
    let m1 = seal(`dagree1/${i}`, n1, ak1, next() % 2 ? 8 : 0);
    let m2 = seal(`dagree2/${i}`, n2, ak2, next() % 2 ? 8 : 0);
    if (next() % 4 === 0) m1 = n1 > 0 ? withBadBlock(m1, next() % n1) : withBadKey(m1);
    if (next() % 4 === 0) m2 = n2 > 0 ? withBadBlock(m2, next() % n2) : withBadKey(m2);
    const inPlace = i % 2 === 0;
    const a = pair(native!, m1, m2, inPlace);
    const b = pair(js, m1, m2, inPlace);
    if (a[0] !== 3) bad++;
    if (a[0] !== b[0] || !a[1].equals(b[1]) || !a[2].equals(b[2])) t.fail(`case ${i}, sizes ${n1}/${n2}: native ${a[0]}, js ${b[0]}`);
  }
  t.true(bad > 50 && bad < 150, `${bad} spoiled cases`);
});

test('one auth key, two messages, two directions; msg_key views may share bytes with nothing written', (t) => {
  const m1 = seal('share1', 512, authKeyA, 0);
  const m2 = seal('share2', 768, authKeyA, 8);
  for (const c of backends) {
    // Both msg_keys read from one buffer (read-only sharing is fine).
    const keys = new Uint8Array(32);
    keys.set(m1.msgKey, 0);
    keys.set(m2.msgKey, 16);
    const o1 = new Uint8Array(512);
    const o2 = new Uint8Array(768);
    t.is(c.mtprotoDecryptPair(authKeyA, 0, keys.subarray(0, 16), m1.ciphertext, o1, authKeyA, 8, keys.subarray(16), m2.ciphertext, o2), 3, c.backend);
    t.deepEqual(Buffer.from(o1), Buffer.from(m1.plaintext), c.backend);
    t.deepEqual(Buffer.from(o2), Buffer.from(m2.plaintext), c.backend);
  }
});

test('out_i may cover its own msgKey_i and authKey_i (copied first, as in mtprotoDecrypt)', (t) => {
  const m1 = seal('own1', 320, authKeyA, 8);
  const m2 = seal('own2', 64, authKeyB, 0);
  for (const c of backends) {
    // Message 1's out starts on its own msg_key: [msgKey][ciphertext...].
    const buf1 = new Uint8Array(16 + 320);
    buf1.set(m1.msgKey, 0);
    buf1.set(m1.ciphertext, 16);
    const out1 = new Uint8Array(buf1.buffer, 0, 320);
    const ct1 = m1.ciphertext.slice();
    // Message 2's out is a copy of its auth key's buffer.
    const keyBuf = new Uint8Array(256);
    keyBuf.set(authKeyB);
    t.is(c.mtprotoDecryptPair(authKeyA, 8, buf1.subarray(0, 16), ct1, out1, keyBuf, 0, m2.msgKey, m2.ciphertext, keyBuf.subarray(0, 64)), 3, c.backend);
    t.deepEqual(Buffer.from(out1), Buffer.from(m1.plaintext), c.backend);
    t.deepEqual(Buffer.from(keyBuf.subarray(0, 64)), Buffer.from(m2.plaintext), c.backend);
  }
});

test('two packets side by side in one buffer: adjacent is fine, one byte of overlap is refused', (t) => {
  const m1 = seal('adj1', 64, authKeyA, 8);
  const m2 = seal('adj2', 96, authKeyB, 8);
  for (const c of backends) {
    // [msgKey1 16][ct1 64][msgKey2 16][ct2 96], both decrypted in place.
    const buf = new Uint8Array(16 + 64 + 16 + 96);
    buf.set(m1.msgKey, 0);
    buf.set(m1.ciphertext, 16);
    buf.set(m2.msgKey, 80);
    buf.set(m2.ciphertext, 96);
    const ct1 = buf.subarray(16, 80);
    const ct2 = buf.subarray(96, 192);
    t.is(c.mtprotoDecryptPair(authKeyA, 8, buf.subarray(0, 16), ct1, ct1, authKeyB, 8, buf.subarray(80, 96), ct2, ct2), 3, c.backend);
    t.deepEqual(Buffer.from(ct1), Buffer.from(m1.plaintext), c.backend);
    t.deepEqual(Buffer.from(ct2), Buffer.from(m2.plaintext), c.backend);
    // msgKey2 one byte earlier: its first byte is out1's last.
    const buf2 = new Uint8Array(200);
    t.throws(
      () => c.mtprotoDecryptPair(authKeyA, 8, buf2.subarray(0, 16), buf2.subarray(16, 80), buf2.subarray(16, 80), authKeyB, 8, buf2.subarray(79, 95), buf2.subarray(96, 192), buf2.subarray(96, 192)),
      { instanceOf: RangeError, message: 'out1 must not overlap msgKey2' },
      c.backend,
    );
  }
});

// ---- bad arguments: the class and message of mtprotoDecrypt's, named per message ----

type Args = Parameters<Crypto['mtprotoDecryptPair']>;
type Index = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
/** Good arguments (two 64-byte messages) with some replaced. */
function args(over: Partial<Record<Index, unknown>>): Args {
  const a: unknown[] = [authKeyA, 0, new Uint8Array(16), new Uint8Array(64), new Uint8Array(64), authKeyB, 8, new Uint8Array(16), new Uint8Array(64), new Uint8Array(64)];
  for (const [i, v] of Object.entries(over)) a[Number(i)] = v;
  return a as Args;
}
const shared = new Uint8Array(512);
const keyInShared = shared.subarray(256, 512);

type Case = [name: string, args: () => Args, errorClass: typeof TypeError | typeof RangeError, message: string];
const cases: Case[] = [
  ['authKey1 not bytes', () => args({ 0: 'x' }), TypeError, 'authKey1 must be a Uint8Array'],
  ['x1 = 4', () => args({ 1: 4 }), RangeError, 'x1 must be 0 (client to server) or 8 (server to client)'],
  ['msgKey1 a Buffer-like array', () => args({ 2: [1, 2, 3] }), TypeError, 'msgKey1 must be a Uint8Array'],
  ['ciphertext1 missing', () => args({ 3: undefined }), TypeError, 'ciphertext1 must be a Uint8Array'],
  ['out1 a DataView', () => args({ 4: new DataView(new ArrayBuffer(64)) }), TypeError, 'out1 must be a Uint8Array'],
  ['authKey1 short', () => args({ 0: new Uint8Array(255) }), RangeError, 'authKey1 must be 256 bytes long, got 255'],
  ['msgKey1 15 bytes', () => args({ 2: new Uint8Array(15) }), RangeError, 'msgKey1 must be 16 bytes long, got 15'],
  ['ciphertext1 20 bytes', () => args({ 3: new Uint8Array(20) }), RangeError, 'ciphertext1 length must be a multiple of 16, got 20'],
  ['out1 short', () => args({ 4: new Uint8Array(48) }), RangeError, 'out1 must be at least 64 bytes long, got 48'],
  ['out1 shifted over ciphertext1', () => args({ 3: shared.subarray(0, 64), 4: shared.subarray(16, 80) }), RangeError, 'out1 must not partially overlap ciphertext1'],
  ['authKey2 Uint16Array', () => args({ 5: new Uint16Array(128) }), TypeError, 'authKey2 must be a Uint8Array'],
  ['x2 = "8"', () => args({ 6: '8' }), RangeError, 'x2 must be 0 (client to server) or 8 (server to client)'],
  ['x2 missing', () => args({ 6: undefined }), RangeError, 'x2 must be 0 (client to server) or 8 (server to client)'],
  ['msgKey2 null', () => args({ 7: null }), TypeError, 'msgKey2 must be a Uint8Array'],
  ['ciphertext2 a number', () => args({ 8: 64 }), TypeError, 'ciphertext2 must be a Uint8Array'],
  ['out2 missing', () => args({ 9: undefined }), TypeError, 'out2 must be a Uint8Array'],
  ['authKey2 detached', () => args({ 5: detached(256) }), RangeError, 'authKey2 must be 256 bytes long, got 0'],
  ['msgKey2 17 bytes', () => args({ 7: new Uint8Array(17) }), RangeError, 'msgKey2 must be 16 bytes long, got 17'],
  ['ciphertext2 8 bytes', () => args({ 8: new Uint8Array(8) }), RangeError, 'ciphertext2 length must be a multiple of 16, got 8'],
  ['out2 detached', () => args({ 9: detached(64) }), RangeError, 'out2 must be at least 64 bytes long, got 0'],
  ['out2 shifted under ciphertext2', () => args({ 8: shared.subarray(32, 96), 9: shared.subarray(0, 64) }), RangeError, 'out2 must not partially overlap ciphertext2'],
  ['both bad: message 1 is reported', () => args({ 1: 1, 6: 1 }), RangeError, 'x1 must be 0 (client to server) or 8 (server to client)'],
  ['out1 over authKey2', () => args({ 4: shared.subarray(200, 264), 5: keyInShared }), RangeError, 'out1 must not overlap authKey2'],
  ['out1 over msgKey2', () => args({ 4: shared.subarray(0, 64), 7: shared.subarray(63, 79) }), RangeError, 'out1 must not overlap msgKey2'],
  ['out1 over ciphertext2', () => args({ 4: shared.subarray(0, 64), 8: shared.subarray(48, 112) }), RangeError, 'out1 must not overlap ciphertext2'],
  ['out1 is out2', () => { const o = new Uint8Array(64); return args({ 4: o, 9: o }); }, RangeError, 'out1 must not overlap out2'],
  ['out1 over out2 only', () => args({ 4: shared.subarray(0, 64), 9: shared.subarray(32, 96) }), RangeError, 'out1 must not overlap out2'],
  ['out2 over authKey1', () => args({ 0: keyInShared, 9: shared.subarray(500 - 64, 500) }), RangeError, 'out2 must not overlap authKey1'],
  ['out2 over msgKey1', () => args({ 2: shared.subarray(100, 116), 9: shared.subarray(60, 124) }), RangeError, 'out2 must not overlap msgKey1'],
  ['out2 over ciphertext1', () => args({ 3: shared.subarray(0, 64), 9: shared.subarray(48, 112) }), RangeError, 'out2 must not overlap ciphertext1'],
  ['both in place on one ciphertext', () => { const p = new Uint8Array(64); return args({ 3: p, 4: p, 8: p, 9: p }); }, RangeError, 'out1 must not overlap ciphertext2'],
];

for (const [name, make, errorClass, message] of cases) {
  test(`decrypt pair: ${name}: same error on every backend`, (t) => {
    for (const c of backends) {
      t.throws(() => c.mtprotoDecryptPair(...make()), { instanceOf: errorClass, message }, c.backend);
    }
  });
}

test('decrypt pair: a bad second message leaves the first one unwritten', (t) => {
  const m1 = seal('unwritten', 64, authKeyA, 8);
  for (const c of backends) {
    const ct1 = m1.ciphertext.slice();
    t.throws(() => c.mtprotoDecryptPair(authKeyA, 8, m1.msgKey, ct1, ct1, authKeyB, 8, new Uint8Array(16), new Uint8Array(64), new Uint8Array(63)), {
      instanceOf: RangeError,
      message: 'out2 must be at least 64 bytes long, got 63',
    });
    t.deepEqual(Buffer.from(ct1), Buffer.from(m1.ciphertext), c.backend);
  }
});

test('the decrypt pair is exported at the package root and runs on the default backend', async (t) => {
  const root = await import('../src/index.js');
  const m1 = seal('root1', 96, authKeyA, 8);
  const m2 = seal('root2', 32, authKeyB, 8);
  const o1 = new Uint8Array(96);
  const o2 = new Uint8Array(32);
  t.is(root.mtprotoDecryptPair(authKeyA, 8, m1.msgKey, m1.ciphertext, o1, authKeyB, 8, withBadKey(m2).msgKey, m2.ciphertext, o2), 1);
  t.deepEqual(Buffer.from(o1), Buffer.from(m1.plaintext));
  t.true(o2.every((b) => b === 0));
});

// Without AES-NI and SHA-NI the addon runs the two calls in a row; forced
// here in a child process, as in portable.test.ts.
const portableScript = `
import { createCrypto, nativeInfo } from './src/index.ts';
import { randomBytes } from 'node:crypto';
const n = createCrypto({ backend: 'native' });
const js = createCrypto({ backend: 'js' });
const ak = randomBytes(256);
let checked = 0;
for (const [a, b, spoil] of [[48, 4112, 0], [4112, 48, 1], [64, 64, 2], [0, 32, 3], [400, 208, 0]]) {
  const s1 = new Uint8Array(16 + a), s2 = new Uint8Array(16 + b);
  const p1 = randomBytes(a), p2 = randomBytes(b);
  js.mtprotoEncrypt(ak, 8, p1, s1);
  js.mtprotoEncrypt(ak, 0, p2, s2);
  if (spoil & 1) s1[3] ^= 1;
  if (spoil & 2) s2[3] ^= 1;
  const e1 = new Uint8Array(a), e2 = new Uint8Array(b);
  const want = (js.mtprotoDecrypt(ak, 8, s1.subarray(0, 16), s1.subarray(16), e1) ? 1 : 0) | (js.mtprotoDecrypt(ak, 0, s2.subarray(0, 16), s2.subarray(16), e2) ? 2 : 0);
  const c1 = s1.subarray(16), c2 = s2.subarray(16);
  const got = n.mtprotoDecryptPair(ak, 8, s1.subarray(0, 16), c1, c1, ak, 0, s2.subarray(0, 16), c2, c2);
  if (got !== want || want !== (3 & ~spoil) || Buffer.compare(c1, e1) !== 0 || Buffer.compare(c2, e2) !== 0) throw new Error('pair differs at ' + a + '/' + b);
  checked++;
}
console.log(JSON.stringify({ info: nativeInfo(), checked }));
`;

(native ? test : test.skip)('native decrypt pair without AES-NI/SHA-NI (forced portable) equals two calls', (t) => {
  const { info, checked } = runPortable<{ info: { aes: string; sha256: string }; checked: number }>(portableScript);
  t.is(info.aes, 'portable');
  t.is(info.sha256, 'portable');
  t.is(checked, 5);
});
