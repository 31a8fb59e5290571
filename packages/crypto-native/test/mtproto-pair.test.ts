// mtprotoEncryptPair must give exactly the bytes of two mtprotoEncrypt
// calls in a row. The addon interleaves the two messages' SHA-256 blocks
// (the first one built from 32 auth-key bytes + 32 plaintext bytes, then
// whole blocks from plaintext + 32, the longer stream's extras alone) and
// their IGE chains (the common blocks together, the longer message's rest
// on the single-chain loop from a rebuilt iv), so the sizes below put each
// of those seams at every 16-byte offset, on either side, in place and out.

import test from 'ava';

import type { Crypto, MtprotoDirection } from '../src/types.js';
import { backends, bytesFrom, detached, DIRECTION_PAIRS, js, native, pairSizes, referenceMtprotoEncrypt, runPortable } from './backends.js';

const authKeyA = bytesFrom('pair-auth-key-a', 256);
const authKeyB = bytesFrom('pair-auth-key-b', 256);

type Message = { authKey: Uint8Array; x: MtprotoDirection; plaintext: Uint8Array };

function message(label: string, n: number, authKey: Uint8Array, x: MtprotoDirection): Message {
  return { authKey, x, plaintext: bytesFrom(label, n) };
}

/** msg_key ‖ ciphertext by one mtprotoEncrypt call of the TypeScript backend. */
function single(m: Message): Buffer {
  const out = new Uint8Array(16 + m.plaintext.length);
  js.mtprotoEncrypt(m.authKey, m.x, m.plaintext, out);
  return Buffer.from(out);
}

/**
 * Both messages through c.mtprotoEncryptPair, out of place (each output at
 * an odd offset of its own buffer) or in place (plaintext at out + 16).
 */
function pair(c: Crypto, m1: Message, m2: Message, inPlace: boolean): [Buffer, Buffer] {
  const place = (m: Message, offset: number): [Uint8Array, Uint8Array] => {
    const buf = new Uint8Array(offset + 16 + m.plaintext.length + 3);
    const out = buf.subarray(offset, offset + 16 + m.plaintext.length);
    if (!inPlace) return [m.plaintext, out];
    out.set(m.plaintext, 16);
    return [out.subarray(16), out];
  };
  const [p1, o1] = place(m1, 5);
  const [p2, o2] = place(m2, 0);
  c.mtprotoEncryptPair(m1.authKey, m1.x, p1, o1, m2.authKey, m2.x, p2, o2);
  return [Buffer.from(o1), Buffer.from(o2)];
}

const sizeCombinations = (): [number, number][] => pairSizes(48, [0, 16, 48, 64, 208, 4096 + 16], [0, 16, 32, 48, 64, 80, 96, 1024, 65536 - 16]);

for (const c of backends) {
  for (const inPlace of [false, true]) {
    test(`${c.backend}: mtprotoEncryptPair equals two mtprotoEncrypt calls, ${inPlace ? 'in place' : 'out of place'}`, (t) => {
      let checked = 0;
      sizeCombinations().forEach(([n1, n2], i) => {
        const [x1, x2] = DIRECTION_PAIRS[i % DIRECTION_PAIRS.length]!;
        // Alternate one shared auth key and two different ones.
        const m1 = message(`p1/${n1}/${i}`, n1, authKeyA, x1);
        const m2 = message(`p2/${n2}/${i}`, n2, i % 3 === 0 ? authKeyA : authKeyB, x2);
        const [o1, o2] = pair(c, m1, m2, inPlace);
        const e1 = single(m1);
        const e2 = single(m2);
        if (!o1.equals(e1) || !o2.equals(e2)) {
          t.fail(`sizes ${n1}/${n2}, x ${x1}/${x2}: message ${o1.equals(e1) ? 2 : 1} differs`);
        }
        checked++;
      });
      t.is(checked, sizeCombinations().length);
      t.true(checked > 250);
    });
  }
}

test('the pair matches an independent composition (node:crypto SHA-256 and ECB-block IGE)', (t) => {
  for (const c of backends) {
    for (const [n1, n2] of [[48, 4096 + 16], [1024 + 32, 1024 + 32], [336, 80]] as const) {
      const m1 = message(`ref1/${n1}`, n1, authKeyA, 0);
      const m2 = message(`ref2/${n2}`, n2, authKeyB, 8);
      const [o1, o2] = pair(c, m1, m2, false);
      t.deepEqual(o1, Buffer.from(referenceMtprotoEncrypt(authKeyA, 0, m1.plaintext)), `${c.backend} ${n1}`);
      t.deepEqual(o2, Buffer.from(referenceMtprotoEncrypt(authKeyB, 8, m2.plaintext)), `${c.backend} ${n2}`);
    }
  }
});

(native ? test : test.skip)('native and js pairs agree on pseudo-random sizes and contents', (t) => {
  // Deterministic sizes: a small LCG over 0..8 KiB in 16-byte steps.
  let seed = 12345;
  const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0);
  for (let i = 0; i < 200; i++) {
    const n1 = 16 * (next() % 513);
    const n2 = 16 * (next() % 513);
    const m1 = message(`agree1/${i}`, n1, bytesFrom(`agree-ak1/${i}`, 256), next() % 2 ? 8 : 0);
    const m2 = message(`agree2/${i}`, n2, bytesFrom(`agree-ak2/${i}`, 256), next() % 2 ? 8 : 0);
    const a = pair(native!, m1, m2, i % 2 === 0);
    const b = pair(js, m1, m2, i % 2 === 1);
    if (!a[0].equals(b[0]) || !a[1].equals(b[1])) t.fail(`sizes ${n1}/${n2} differ`);
  }
  t.pass();
});

test('plaintexts may share bytes and one auth key may serve both: only writes must be apart', (t) => {
  const buf = bytesFrom('shared-plaintext', 1024);
  const m1: Message = { authKey: authKeyA, x: 0, plaintext: buf.subarray(0, 512) };
  const m2: Message = { authKey: authKeyA, x: 0, plaintext: buf.subarray(256, 1024) };
  for (const c of backends) {
    const o1 = new Uint8Array(16 + 512);
    const o2 = new Uint8Array(16 + 768);
    c.mtprotoEncryptPair(authKeyA, 0, m1.plaintext, o1, authKeyA, 0, m2.plaintext, o2);
    t.deepEqual(Buffer.from(o1), single(m1), c.backend);
    t.deepEqual(Buffer.from(o2), single(m2), c.backend);
  }
});

test('messages side by side in one buffer: adjacent is fine, one byte of overlap is refused', (t) => {
  for (const c of backends) {
    // [out1: 16 + 64][out2: 16 + 64], each encrypting in place.
    const buf = new Uint8Array(160);
    buf.set(bytesFrom('adj1', 64), 16);
    buf.set(bytesFrom('adj2', 64), 96);
    const m1 = message('adj1', 64, authKeyA, 0);
    const m2 = message('adj2', 64, authKeyB, 8);
    c.mtprotoEncryptPair(authKeyA, 0, buf.subarray(16, 80), buf.subarray(0, 80), authKeyB, 8, buf.subarray(96, 160), buf.subarray(80, 160));
    t.deepEqual(Buffer.from(buf.subarray(0, 80)), single(m1), c.backend);
    t.deepEqual(Buffer.from(buf.subarray(80, 160)), single(m2), c.backend);
    // out2 starting one byte early overlaps out1's last byte.
    const buf2 = new Uint8Array(160);
    t.throws(
      () => c.mtprotoEncryptPair(authKeyA, 0, new Uint8Array(64), buf2.subarray(0, 80), authKeyB, 8, new Uint8Array(64), buf2.subarray(79, 159)),
      { instanceOf: RangeError, message: 'out1 must not overlap out2' },
      c.backend,
    );
  }
});

// ---- bad arguments: the class and message of mtprotoEncrypt's, named per message ----

const p64 = new Uint8Array(64);
const o80 = (): Uint8Array => new Uint8Array(80);
type Args = Parameters<Crypto['mtprotoEncryptPair']>;
/** Good arguments with some replaced. */
function args(over: Partial<Record<0 | 1 | 2 | 3 | 4 | 5 | 6 | 7, unknown>>): Args {
  const a: unknown[] = [authKeyA, 0, p64, o80(), authKeyB, 8, new Uint8Array(64), o80()];
  for (const [i, v] of Object.entries(over)) a[Number(i)] = v;
  return a as Args;
}
const shared = new Uint8Array(512);
const keyInShared = shared.subarray(256, 512);

type Case = [name: string, args: () => Args, errorClass: typeof TypeError | typeof RangeError, message: string];
const cases: Case[] = [
  ['authKey1 not bytes', () => args({ 0: 'x' }), TypeError, 'authKey1 must be a Uint8Array'],
  ['x1 = 4', () => args({ 1: 4 }), RangeError, 'x1 must be 0 (client to server) or 8 (server to client)'],
  ['plaintext1 an array', () => args({ 2: [1, 2] }), TypeError, 'plaintext1 must be a Uint8Array'],
  ['out1 missing', () => args({ 3: undefined }), TypeError, 'out1 must be a Uint8Array'],
  ['authKey1 short', () => args({ 0: new Uint8Array(255) }), RangeError, 'authKey1 must be 256 bytes long, got 255'],
  ['plaintext1 20 bytes', () => args({ 2: new Uint8Array(20) }), RangeError, 'plaintext1 length must be a multiple of 16, got 20'],
  ['out1 short', () => args({ 3: new Uint8Array(64) }), RangeError, 'out1 must be at least 80 bytes long, got 64'],
  ['out1 shifted over plaintext1', () => args({ 2: shared.subarray(0, 64), 3: shared.subarray(0, 80) }), RangeError, 'out1 must not partially overlap plaintext1'],
  ['authKey2 Uint16Array', () => args({ 4: new Uint16Array(128) }), TypeError, 'authKey2 must be a Uint8Array'],
  ['x2 = "8"', () => args({ 5: '8' }), RangeError, 'x2 must be 0 (client to server) or 8 (server to client)'],
  ['x2 missing', () => args({ 5: undefined }), RangeError, 'x2 must be 0 (client to server) or 8 (server to client)'],
  ['plaintext2 null', () => args({ 6: null }), TypeError, 'plaintext2 must be a Uint8Array'],
  ['out2 a DataView', () => args({ 7: new DataView(new ArrayBuffer(80)) }), TypeError, 'out2 must be a Uint8Array'],
  ['authKey2 detached', () => args({ 4: detached(256) }), RangeError, 'authKey2 must be 256 bytes long, got 0'],
  ['plaintext2 8 bytes', () => args({ 6: new Uint8Array(8) }), RangeError, 'plaintext2 length must be a multiple of 16, got 8'],
  ['out2 detached', () => args({ 7: detached(80) }), RangeError, 'out2 must be at least 80 bytes long, got 0'],
  ['out2 shifted under plaintext2', () => args({ 6: shared.subarray(32, 96), 7: shared.subarray(0, 80) }), RangeError, 'out2 must not partially overlap plaintext2'],
  ['both bad: message 1 is reported', () => args({ 1: 1, 5: 1 }), RangeError, 'x1 must be 0 (client to server) or 8 (server to client)'],
  ['out1 over authKey2', () => args({ 3: shared.subarray(200, 280), 4: keyInShared }), RangeError, 'out1 must not overlap authKey2'],
  ['out1 over plaintext2', () => args({ 3: shared.subarray(0, 80), 6: shared.subarray(64, 128) }), RangeError, 'out1 must not overlap plaintext2'],
  ['out1 is out2', () => { const o = o80(); return args({ 3: o, 7: o }); }, RangeError, 'out1 must not overlap out2'],
  ['out2 over authKey1', () => args({ 0: keyInShared, 7: shared.subarray(500 - 80, 500) }), RangeError, 'out2 must not overlap authKey1'],
  ['out2 over plaintext1', () => args({ 2: shared.subarray(0, 64), 7: shared.subarray(48, 128) }), RangeError, 'out2 must not overlap plaintext1'],
  ['out2 in place over message 1', () => args({ 2: shared.subarray(16, 80), 3: shared.subarray(0, 80), 6: shared.subarray(16, 80), 7: shared.subarray(0, 80) }), RangeError, 'out1 must not overlap plaintext2'],
];

for (const [name, make, errorClass, message] of cases) {
  test(`pair: ${name}: same error on every backend`, (t) => {
    for (const c of backends) {
      t.throws(() => c.mtprotoEncryptPair(...make()), { instanceOf: errorClass, message }, c.backend);
    }
  });
}

test('pair: a bad second message leaves the first one unwritten', (t) => {
  for (const c of backends) {
    const out1 = new Uint8Array(80);
    t.throws(() => c.mtprotoEncryptPair(authKeyA, 0, p64, out1, authKeyB, 8, new Uint8Array(64), new Uint8Array(79)), {
      instanceOf: RangeError,
      message: 'out2 must be at least 80 bytes long, got 79',
    });
    t.true(out1.every((b) => b === 0), c.backend);
  }
});

test('the pair is exported at the package root and runs on the default backend', async (t) => {
  const root = await import('../src/index.js');
  const m1 = message('root1', 96, authKeyA, 0);
  const m2 = message('root2', 32, authKeyB, 8);
  const o1 = new Uint8Array(112);
  const o2 = new Uint8Array(48);
  root.mtprotoEncryptPair(m1.authKey, 0, m1.plaintext, o1, m2.authKey, 8, m2.plaintext, o2);
  t.deepEqual(Buffer.from(o1), single(m1));
  t.deepEqual(Buffer.from(o2), single(m2));
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
for (const [a, b] of [[48, 4112], [4112, 48], [64, 64], [0, 32], [400, 208]]) {
  const p1 = randomBytes(a), p2 = randomBytes(b);
  const o1 = new Uint8Array(16 + a), o2 = new Uint8Array(16 + b), e1 = new Uint8Array(16 + a), e2 = new Uint8Array(16 + b);
  n.mtprotoEncryptPair(ak, 0, p1, o1, ak, 8, p2, o2);
  js.mtprotoEncrypt(ak, 0, p1, e1);
  js.mtprotoEncrypt(ak, 8, p2, e2);
  if (Buffer.compare(o1, e1) !== 0 || Buffer.compare(o2, e2) !== 0) throw new Error('pair differs at ' + a + '/' + b);
  checked++;
}
console.log(JSON.stringify({ info: nativeInfo(), checked }));
`;

(native ? test : test.skip)('native pair without AES-NI/SHA-NI (forced portable) equals two calls', (t) => {
  const { info, checked } = runPortable<{ info: { aes: string; sha256: string }; checked: number }>(portableScript);
  t.is(info.aes, 'portable');
  t.is(info.sha256, 'portable');
  t.is(checked, 5);
});
