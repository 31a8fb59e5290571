// Bad input never crashes: each case must throw the same error class with
// the same message on every backend (the addon checks arguments itself).
import test from 'ava';

import { backends, detached, js, native } from './backends.js';
import type { Crypto } from '../src/types.js';

const k32 = new Uint8Array(32);
const d64 = new Uint8Array(64);
const authKey = new Uint8Array(256);
const shared = new Uint8Array(96);

type Case = [name: string, call: (c: Crypto) => unknown, errorClass: typeof TypeError | typeof RangeError, message: string];

const cases: Case[] = [
  ['data not bytes', (c) => c.aesIgeEncrypt('abc' as never, k32, k32), TypeError, 'data must be a Uint8Array'],
  ['data an array', (c) => c.aesIgeDecrypt([1, 2] as never, k32, k32), TypeError, 'data must be a Uint8Array'],
  ['data Uint16Array', (c) => c.aesIgeEncrypt(new Uint16Array(8) as never, k32, k32), TypeError, 'data must be a Uint8Array'],
  ['data Uint8ClampedArray', (c) => c.aesIgeEncrypt(new Uint8ClampedArray(16) as never, k32, k32), TypeError, 'data must be a Uint8Array'],
  ['data DataView', (c) => c.aesIgeEncrypt(new DataView(new ArrayBuffer(16)) as never, k32, k32), TypeError, 'data must be a Uint8Array'],
  ['key missing', (c) => c.aesIgeEncrypt(d64, undefined as never, k32), TypeError, 'key must be a Uint8Array'],
  ['iv null', (c) => c.aesIgeDecrypt(d64, k32, null as never), TypeError, 'iv must be a Uint8Array'],
  ['out missing', (c) => c.aesIgeEncryptInto(d64, k32, k32, undefined as never), TypeError, 'out must be a Uint8Array'],
  ['key short', (c) => c.aesIgeEncrypt(d64, new Uint8Array(16), k32), RangeError, 'key must be 32 bytes long, got 16'],
  ['iv long', (c) => c.aesIgeEncrypt(d64, k32, new Uint8Array(33)), RangeError, 'iv must be 32 bytes long, got 33'],
  ['key detached', (c) => c.aesIgeEncrypt(d64, detached(32), k32), RangeError, 'key must be 32 bytes long, got 0'],
  ['data 15 bytes', (c) => c.aesIgeEncrypt(new Uint8Array(15), k32, k32), RangeError, 'data length must be a multiple of 16, got 15'],
  ['data 1 byte', (c) => c.aesIgeDecryptInto(new Uint8Array(1), k32, k32, new Uint8Array(16)), RangeError, 'data length must be a multiple of 16, got 1'],
  ['out short', (c) => c.aesIgeEncryptInto(d64, k32, k32, new Uint8Array(48)), RangeError, 'out must be at least 64 bytes long, got 48'],
  ['out detached', (c) => c.aesIgeEncryptInto(d64, k32, k32, detached(64)), RangeError, 'out must be at least 64 bytes long, got 0'],
  ['huge data, short out', (c) => c.aesIgeEncryptInto(new Uint8Array(64 << 20), k32, k32, new Uint8Array(16)), RangeError, `out must be at least ${64 << 20} bytes long, got 16`],
  ['out shifted over data', (c) => c.aesIgeEncryptInto(shared.subarray(0, 64), k32, k32, shared.subarray(16, 80)), RangeError, 'out must not partially overlap data'],
  ['out shifted under data', (c) => c.aesIgeDecryptInto(shared.subarray(32, 96), k32, k32, shared.subarray(0, 64)), RangeError, 'out must not partially overlap data'],
  ['authKey short', (c) => c.mtprotoEncrypt(new Uint8Array(255), 0, d64, new Uint8Array(80)), RangeError, 'authKey must be 256 bytes long, got 255'],
  ['authKey not bytes', (c) => c.mtprotoEncrypt({} as never, 0, d64, new Uint8Array(80)), TypeError, 'authKey must be a Uint8Array'],
  ['x = 4', (c) => c.mtprotoEncrypt(authKey, 4 as never, d64, new Uint8Array(80)), RangeError, 'x must be 0 (client to server) or 8 (server to client)'],
  ['x = "0"', (c) => c.mtprotoEncrypt(authKey, '0' as never, d64, new Uint8Array(80)), RangeError, 'x must be 0 (client to server) or 8 (server to client)'],
  ['x = 0n', (c) => c.mtprotoDecrypt(authKey, 0n as never, k32.subarray(0, 16), d64, d64), RangeError, 'x must be 0 (client to server) or 8 (server to client)'],
  ['x = NaN', (c) => c.mtprotoDecrypt(authKey, NaN as never, k32.subarray(0, 16), d64, d64), RangeError, 'x must be 0 (client to server) or 8 (server to client)'],
  ['plaintext 20 bytes', (c) => c.mtprotoEncrypt(authKey, 8, new Uint8Array(20), new Uint8Array(36)), RangeError, 'plaintext length must be a multiple of 16, got 20'],
  ['mtproto out short', (c) => c.mtprotoEncrypt(authKey, 8, d64, new Uint8Array(64)), RangeError, 'out must be at least 80 bytes long, got 64'],
  ['mtproto out overlaps', (c) => c.mtprotoEncrypt(authKey, 0, shared.subarray(0, 64), shared.subarray(0, 80)), RangeError, 'out must not partially overlap plaintext'],
  ['msgKey short', (c) => c.mtprotoDecrypt(authKey, 0, new Uint8Array(15), d64, d64), RangeError, 'msgKey must be 16 bytes long, got 15'],
  ['msgKey missing', (c) => c.mtprotoDecrypt(authKey, 0, undefined as never, d64, d64), TypeError, 'msgKey must be a Uint8Array'],
  ['ciphertext 8 bytes', (c) => c.mtprotoDecrypt(authKey, 0, k32.subarray(0, 16), new Uint8Array(8), d64), RangeError, 'ciphertext length must be a multiple of 16, got 8'],
  ['decrypt out short', (c) => c.mtprotoDecrypt(authKey, 0, k32.subarray(0, 16), d64, new Uint8Array(63)), RangeError, 'out must be at least 64 bytes long, got 63'],
  ['decrypt out overlaps', (c) => c.mtprotoDecrypt(authKey, 0, k32.subarray(0, 16), shared.subarray(16, 80), shared.subarray(0, 64)), RangeError, 'out must not partially overlap ciphertext'],
];

for (const [name, call, errorClass, message] of cases) {
  test(`${name}: same error on every backend`, (t) => {
    for (const c of backends) {
      t.throws(() => call(c), { instanceOf: errorClass, message }, c.backend);
    }
  });
}

// A detached view has length 0, which is a valid (empty) input.
test('zero-length and detached data are empty inputs, not errors', (t) => {
  for (const c of backends) {
    t.is(c.aesIgeEncrypt(new Uint8Array(0), k32, k32).length, 0);
    t.is(c.aesIgeDecrypt(detached(64), k32, k32).length, 0);
    c.aesIgeEncryptInto(detached(64), k32, k32, new Uint8Array(0));
    const out = new Uint8Array(16);
    c.mtprotoEncrypt(authKey, 0, new Uint8Array(0), out);
    t.true(c.mtprotoDecrypt(authKey, 0, out, new Uint8Array(0), new Uint8Array(0)));
  }
});

test('out may alias key and iv: they are read before anything is written', (t) => {
  const key = new Uint8Array(32).fill(7);
  const iv = new Uint8Array(32).fill(9);
  const data = new Uint8Array(32).fill(1);
  const expected = js.aesIgeEncrypt(data, key, iv);
  for (const c of backends) {
    const buf = new Uint8Array(96);
    buf.set(key, 0);
    buf.set(iv, 32);
    c.aesIgeEncryptInto(data, buf.subarray(0, 32), buf.subarray(32, 64), buf.subarray(0, 32));
    t.deepEqual(Buffer.from(buf.subarray(0, 32)), Buffer.from(expected), c.backend);
  }
});

test('the native backend is covered by these cases', (t) => {
  if (!native) {
    t.is(process.env.TELEGRAM_MT_CRYPTO, 'js', 'the addon is missing; only TELEGRAM_MT_CRYPTO=js excuses that');
    return;
  }
  t.is(backends.length, 2);
});
