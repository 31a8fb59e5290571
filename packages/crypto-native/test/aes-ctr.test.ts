// AES-256-CTR on every backend against node:crypto's aes-256-ctr: random
// keys and IVs, every way of cutting the stream, counter carries across the
// 64-bit and 128-bit boundaries, and the same errors for bad input.
import { createCipheriv, randomBytes } from 'node:crypto';

import test from 'ava';

import { nativeInfo } from '../src/create-crypto.js';
import { backends, bytesFrom, detached, native } from './backends.js';

const reference = (key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer =>
  createCipheriv('aes-256-ctr', key, iv).update(data);

/** Cuts [0, n) into pieces whose lengths come from `next`. */
function cuts(n: number, next: () => number): number[] {
  const out: number[] = [];
  for (let at = 0; at < n; ) {
    const len = Math.min(n - at, next());
    out.push(len);
    at += len;
  }
  return out;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

test('one call equals node:crypto for sizes 0..300 and 1 MiB', (t) => {
  for (const c of backends) {
    for (const n of [...Array.from({ length: 301 }, (_, i) => i), 1 << 20]) {
      const key = bytesFrom(`k${n}`, 32);
      const iv = bytesFrom(`v${n}`, 16);
      const data = bytesFrom(`d${n}`, n);
      const got = c.createAesCtr(key, iv).update(data);
      t.is(got.length, n);
      if (Buffer.compare(Buffer.from(got), reference(key, iv, data)) !== 0) t.fail(`${c.backend}: differs at ${n} bytes`);
    }
    t.pass();
  }
});

test('state carries across calls: 1-byte chunks, random splits, in place and into a buffer', (t) => {
  const rand = seeded(0x5eed);
  for (const c of backends) {
    for (let trial = 0; trial < 40; trial++) {
      const key = randomBytes(32);
      const iv = randomBytes(16);
      const n = trial === 0 ? 4096 : Math.floor(rand() * 20000);
      const data = randomBytes(n);
      const expected = reference(key, iv, data);
      const mode = trial % 4;
      const pieces =
        trial === 0 ? cuts(n, () => 1) : cuts(n, () => (mode === 3 ? 1 + Math.floor(rand() * 70000) : Math.floor(rand() * (rand() < 0.5 ? 17 : 300))));
      const stream = c.createAesCtr(key, iv);
      const got = new Uint8Array(n);
      let at = 0;
      for (const len of pieces) {
        const piece = data.subarray(at, at + len);
        if (mode === 1) {
          // in place, on a copy
          const copy = Uint8Array.from(piece);
          t.is(stream.update(copy, copy), copy);
          got.set(copy, at);
        } else if (mode === 2) {
          // into a caller's larger buffer at an offset
          const out = new Uint8Array(len + 7).subarray(3);
          const r = stream.update(piece, out);
          t.is(r.length, len);
          t.is(r.byteOffset, out.byteOffset);
          got.set(r, at);
        } else {
          got.set(stream.update(piece), at);
        }
        at += len;
      }
      if (Buffer.compare(Buffer.from(got), expected) !== 0) t.fail(`${c.backend}: trial ${trial} (mode ${mode}) differs`);
    }
    // Zero-length updates anywhere change nothing.
    const key = randomBytes(32);
    const iv = randomBytes(16);
    const data = randomBytes(40);
    const s = c.createAesCtr(key, iv);
    const parts = [s.update(data.subarray(0, 5)), s.update(new Uint8Array(0)), s.update(data.subarray(5, 40)), s.update(new Uint8Array(0))];
    t.deepEqual(Buffer.concat(parts), reference(key, iv, data), c.backend);
  }
});

test('the counter carries across the 64-bit boundary and wraps at 2^128, as OpenSSL does', (t) => {
  const ivs = [
    'ffffffffffffffff' + 'fffffffffffffff0', // wraps to all zeros after 16 blocks
    '0000000000000000' + 'fffffffffffffff9', // low half carries into the high half mid-batch
    '00000000000000ff' + 'ffffffffffffffff', // carries on the very first increment
    '7fffffffffffffff' + 'fffffffffffffffe',
  ];
  for (const c of backends) {
    for (const hexIv of ivs) {
      const key = randomBytes(32);
      const iv = Buffer.from(hexIv, 'hex');
      for (const n of [16 * 7 + 5, 16 * 8, 16 * 40 + 3]) {
        const data = randomBytes(n);
        t.deepEqual(Buffer.from(c.createAesCtr(key, iv).update(data)), reference(key, iv, data), `${c.backend} ${hexIv} ${n}`);
        // and cut in odd pieces across the carry
        const s = c.createAesCtr(key, iv);
        const parts = cuts(n, () => 13).reduce<Uint8Array[]>((acc, len) => {
          const at = acc.reduce((a, b) => a + b.length, 0);
          acc.push(s.update(data.subarray(at, at + len)));
          return acc;
        }, []);
        t.deepEqual(Buffer.concat(parts), reference(key, iv, data), `${c.backend} ${hexIv} ${n} in pieces`);
      }
    }
  }
});

test('the key and iv are copied: changing them later does not change the stream', (t) => {
  for (const c of backends) {
    const key = randomBytes(32);
    const iv = randomBytes(16);
    const data = randomBytes(100);
    const expected = reference(key, iv, data);
    const s = c.createAesCtr(key, iv);
    key.fill(0);
    iv.fill(0);
    t.deepEqual(Buffer.from(s.update(data)), expected, c.backend);
  }
});

const k32 = new Uint8Array(32);
const v16 = new Uint8Array(16);
const shared = new Uint8Array(96);
type Factory = (key: Uint8Array, iv: Uint8Array) => { update(d: Uint8Array, o?: Uint8Array): Uint8Array };
type Case = [name: string, call: (make: Factory) => unknown, errorClass: typeof TypeError | typeof RangeError, message: string];
const cases: Case[] = [
  ['key not bytes', (m) => m('k' as never, v16), TypeError, 'key must be a Uint8Array'],
  ['key Uint16Array', (m) => m(new Uint16Array(16) as never, v16), TypeError, 'key must be a Uint8Array'],
  ['iv missing', (m) => m(k32, undefined as never), TypeError, 'iv must be a Uint8Array'],
  ['key short', (m) => m(new Uint8Array(16), v16), RangeError, 'key must be 32 bytes long, got 16'],
  ['key detached', (m) => m(detached(32), v16), RangeError, 'key must be 32 bytes long, got 0'],
  ['iv of IGE size', (m) => m(k32, new Uint8Array(32)), RangeError, 'iv must be 16 bytes long, got 32'],
  ['data not bytes', (m) => m(k32, v16).update('abc' as never), TypeError, 'data must be a Uint8Array'],
  ['data DataView', (m) => m(k32, v16).update(new DataView(new ArrayBuffer(4)) as never), TypeError, 'data must be a Uint8Array'],
  ['data and out not bytes', (m) => m(k32, v16).update([1] as never, null as never), TypeError, 'data must be a Uint8Array'],
  ['out null', (m) => m(k32, v16).update(new Uint8Array(4), null as never), TypeError, 'out must be a Uint8Array'],
  ['out Int8Array', (m) => m(k32, v16).update(new Uint8Array(4), new Int8Array(4) as never), TypeError, 'out must be a Uint8Array'],
  ['out short', (m) => m(k32, v16).update(new Uint8Array(10), new Uint8Array(9)), RangeError, 'out must be at least 10 bytes long, got 9'],
  ['out detached', (m) => m(k32, v16).update(new Uint8Array(10), detached(10)), RangeError, 'out must be at least 10 bytes long, got 0'],
  ['huge data, short out', (m) => m(k32, v16).update(new Uint8Array(64 << 20), new Uint8Array(1)), RangeError, `out must be at least ${64 << 20} bytes long, got 1`],
  ['out shifted over data', (m) => m(k32, v16).update(shared.subarray(0, 33), shared.subarray(1, 34)), RangeError, 'out must not partially overlap data'],
  ['out shifted under data', (m) => m(k32, v16).update(shared.subarray(8, 40), shared.subarray(0, 32)), RangeError, 'out must not partially overlap data'],
];

for (const [name, call, errorClass, message] of cases) {
  test(`AES-CTR ${name}: same error on every backend`, (t) => {
    for (const c of backends) t.throws(() => call(c.createAesCtr), { instanceOf: errorClass, message }, c.backend);
  });
}

test('a rejected update leaves the stream where it was', (t) => {
  for (const c of backends) {
    const key = randomBytes(32);
    const iv = randomBytes(16);
    const data = randomBytes(50);
    const s = c.createAesCtr(key, iv);
    const first = s.update(data.subarray(0, 7));
    t.throws(() => s.update(data.subarray(7), new Uint8Array(1)), { instanceOf: RangeError });
    t.deepEqual(Buffer.concat([first, s.update(data.subarray(7))]), reference(key, iv, data), c.backend);
  }
});

test('detached data is an empty input', (t) => {
  for (const c of backends) {
    t.is(c.createAesCtr(k32, v16).update(detached(16)).length, 0);
    t.is(c.createAesCtr(k32, v16).update(detached(16), new Uint8Array(0)).length, 0);
  }
});

test('the native CTR chose the same CPU path as IGE', (t) => {
  const info = nativeInfo();
  if (!native) return t.true('unavailable' in info);
  if ('unavailable' in info) return t.fail(info.unavailable);
  t.is(info.ctr, info.aes);
});
