// The backends against each other and against an IGE composed from
// node:crypto, on every size 16..4 KiB and a spread up to 2 MiB, through
// views at odd offsets.
import test from 'ava';

import { backends, bytesFrom, js, native, referenceIge } from './backends.js';

function sizes(): number[] {
  const out: number[] = [0];
  for (let n = 16; n <= 4096; n += 16) out.push(n);
  for (let n = 8192; n <= 2 * 1024 * 1024; n *= 2) out.push(n - 16, n, n + 16 * 37);
  out.push(2 * 1024 * 1024);
  return out;
}

/** A copy of `b` placed at byte offset `offset` inside a larger buffer. */
function at(b: Uint8Array, offset: number): Uint8Array {
  const big = new Uint8Array(b.length + offset + 7);
  big.set(b, offset);
  return big.subarray(offset, offset + b.length);
}

test('every backend matches node:crypto-composed IGE up to 4 KiB', (t) => {
  const key = bytesFrom('agree-key', 32);
  const iv = bytesFrom('agree-iv', 32);
  for (let n = 0; n <= 4096; n += 16) {
    const data = bytesFrom(`agree-${n}`, n);
    const expected = referenceIge(true, data, key, iv);
    for (const c of backends) {
      const enc = c.aesIgeEncrypt(data, key, iv);
      if (Buffer.compare(enc, expected) !== 0) t.fail(`${c.backend} encrypt differs at ${n} bytes`);
      const dec = c.aesIgeDecrypt(expected, key, iv);
      if (Buffer.compare(dec, data) !== 0) t.fail(`${c.backend} decrypt differs at ${n} bytes`);
    }
  }
  t.pass();
});

const nativeTest = native ? test : test.skip;

nativeTest('native and js agree on 16 B .. 2 MiB, unaligned views, in place', (t) => {
  const n = native!;
  let checked = 0;
  const all = sizes();
  for (const size of all) {
    const data = bytesFrom(`size-${size}`, size);
    const key = bytesFrom(`key-${size}`, 32);
    const iv = bytesFrom(`iv-${size}`, 32);
    const offset = (size / 16) % 13; // a different misalignment per size
    const d = at(data, offset + 1);
    const k = at(key, offset + 3);
    const v = at(iv, offset + 5);

    const outN = at(new Uint8Array(size), offset + 2);
    const outJ = new Uint8Array(size);
    n.aesIgeEncryptInto(d, k, v, outN);
    js.aesIgeEncryptInto(d, k, v, outJ);
    if (Buffer.compare(outN, outJ) !== 0) t.fail(`encrypt differs at ${size} bytes`);

    const back = at(outN, 0);
    n.aesIgeDecryptInto(back, k, v, back); // in place
    if (Buffer.compare(back, data) !== 0) t.fail(`native in-place decrypt differs at ${size} bytes`);
    const backJ = at(outJ, 9);
    js.aesIgeDecryptInto(backJ, k, v, backJ);
    if (Buffer.compare(backJ, data) !== 0) t.fail(`js in-place decrypt differs at ${size} bytes`);
    checked++;
  }
  t.is(checked, all.length);
  t.true(all.length > 280 && all.includes(2 * 1024 * 1024));
});

nativeTest('native and js agree with a reference at large sizes', (t) => {
  const key = bytesFrom('big-key', 32);
  const iv = bytesFrom('big-iv', 32);
  for (const size of [65536 + 16, 1024 * 1024]) {
    const data = bytesFrom(`big-${size}`, size);
    const expected = referenceIge(false, data, key, iv);
    t.is(Buffer.compare(native!.aesIgeDecrypt(data, key, iv), expected), 0);
    t.is(Buffer.compare(js.aesIgeDecrypt(data, key, iv), expected), 0);
  }
});

test('out longer than data: only data.length bytes are written', (t) => {
  const key = bytesFrom('k', 32);
  const iv = bytesFrom('v', 32);
  const data = bytesFrom('d', 64);
  for (const c of backends) {
    const out = new Uint8Array(80).fill(0xaa);
    c.aesIgeEncryptInto(data, key, iv, out);
    t.deepEqual(out.subarray(0, 64), new Uint8Array(referenceIge(true, data, key, iv)));
    t.true(out.subarray(64).every((b) => b === 0xaa));
  }
});

test('shared memory works like any other', (t) => {
  const key = bytesFrom('k', 32);
  const iv = bytesFrom('v', 32);
  const data = new Uint8Array(new SharedArrayBuffer(160));
  data.set(bytesFrom('shared', 160));
  const expected = referenceIge(true, data, key, iv);
  for (const c of backends) {
    const out = new Uint8Array(new SharedArrayBuffer(160));
    c.aesIgeEncryptInto(data, key, iv, out);
    t.deepEqual(out, new Uint8Array(expected));
  }
});
