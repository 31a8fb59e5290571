// The TypeScript backend's two IGE encryption paths (the unrolled table AES
// and node:crypto's CBC with two XOR passes, ige-cbc.ts) and its table
// decryption, each called directly at every size around the switch-over,
// through unaligned, offset, in-place and shared views, against the
// node:crypto ECB reference.
import test from 'ava';

import { CBC_MIN_BYTES, igeDecrypt, igeEncrypt, igeEncryptTable } from '../src/js/aes-ige.js';
import { igeEncryptCbc } from '../src/js/ige-cbc.js';
import { bytesFrom, js, referenceIge } from './backends.js';

type Ige = typeof igeEncrypt;
const encrypters: [string, Ige][] = [
  ['table', igeEncryptTable],
  ['cbc', igeEncryptCbc],
  ['dispatch', igeEncrypt],
];

/** Sizes on both sides of the switch-over, and some far from it. */
function sizes(): number[] {
  const out = new Set<number>([0, 16, 32, 48, 64, 4096, 65536 + 16]);
  for (let n = CBC_MIN_BYTES - 64; n <= CBC_MIN_BYTES + 64; n += 16) out.add(n);
  return [...out];
}

/** `b` copied to byte offset `offset` of a larger buffer (of `kind`). */
function at(b: Uint8Array, offset: number, kind: 'plain' | 'shared' | 'buffer' = 'plain'): Uint8Array {
  const len = b.length + offset + 5;
  const big =
    kind === 'shared' ? new Uint8Array(new SharedArrayBuffer(len)) : kind === 'buffer' ? Buffer.alloc(len) : new Uint8Array(len);
  big.set(b, offset);
  return big.subarray(offset, offset + b.length);
}

test('the switch-over lies inside the tested range', (t) => {
  t.true(CBC_MIN_BYTES % 16 === 0 && CBC_MIN_BYTES >= 64 && CBC_MIN_BYTES <= 4096);
});

for (const [name, encrypt] of encrypters) {
  test(`${name} encryption matches the reference at every offset, in place and not`, (t) => {
    let checked = 0;
    for (const n of sizes()) {
      const data = bytesFrom(`paths-${n}`, n);
      const key = bytesFrom(`paths-key-${n}`, 32);
      const iv = bytesFrom(`paths-iv-${n}`, 32);
      const want = Buffer.from(referenceIge(true, data, key, iv));
      for (let offset = 0; offset < 4; offset++) {
        const kind = (['plain', 'shared', 'buffer', 'plain'] as const)[offset]!;
        const d = at(data, offset, kind);
        const k = at(key, 3 - offset);
        const v = at(iv, offset + 1);
        // Into a separate buffer at another misalignment.
        const out = at(new Uint8Array(n), (offset + 2) % 4, kind);
        encrypt(d, k, v, out, 0, n);
        if (Buffer.compare(out, want) !== 0) t.fail(`${n} B, offset ${offset}, ${kind}: differs`);
        if (Buffer.compare(d, data) !== 0) t.fail(`${n} B, offset ${offset}: input changed`);
        // In place.
        encrypt(d, k, v, d, 0, n);
        if (Buffer.compare(d, want) !== 0) t.fail(`${n} B, offset ${offset}, ${kind}: in place differs`);
        // Into a larger buffer from an offset, as mtprotoEncrypt does (out[0..16) is msg_key).
        const packet = at(new Uint8Array(16 + n + 16).fill(0xa5), offset);
        encrypt(data, key, iv, packet, 16, n);
        if (Buffer.compare(packet.subarray(16, 16 + n), want) !== 0) t.fail(`${n} B at out offset 16 differs`);
        if (!packet.subarray(0, 16).every((b) => b === 0xa5) || !packet.subarray(16 + n).every((b) => b === 0xa5)) {
          t.fail(`${n} B at out offset 16 wrote outside its range`);
        }
        checked++;
      }
    }
    t.is(checked, sizes().length * 4);
  });
}

test('table decryption matches the reference at every offset, in place and not', (t) => {
  let checked = 0;
  for (const n of sizes()) {
    const data = bytesFrom(`paths-dec-${n}`, n);
    const key = bytesFrom(`paths-dec-key-${n}`, 32);
    const iv = bytesFrom(`paths-dec-iv-${n}`, 32);
    const want = Buffer.from(referenceIge(false, data, key, iv));
    for (let offset = 0; offset < 4; offset++) {
      const kind = (['plain', 'shared', 'buffer', 'plain'] as const)[offset]!;
      const d = at(data, offset, kind);
      const out = at(new Uint8Array(n), 3 - offset, kind);
      igeDecrypt(d, at(key, offset), at(iv, 3 - offset), out, 0, n);
      if (Buffer.compare(out, want) !== 0) t.fail(`${n} B, offset ${offset}, ${kind}: differs`);
      igeDecrypt(d, key, iv, d, 0, n);
      if (Buffer.compare(d, want) !== 0) t.fail(`${n} B, offset ${offset}, ${kind}: in place differs`);
      checked++;
    }
  }
  t.is(checked, sizes().length * 4);
});

test('the public functions round-trip across the switch-over, in place', (t) => {
  const key = bytesFrom('rt-key', 32);
  const iv = bytesFrom('rt-iv', 32);
  for (const n of sizes()) {
    const data = bytesFrom(`rt-${n}`, n);
    const buf = at(data, n % 3);
    js.aesIgeEncryptInto(buf, key, iv, buf);
    t.deepEqual(Buffer.from(buf), Buffer.from(referenceIge(true, data, key, iv)), `${n} B`);
    js.aesIgeDecryptInto(buf, key, iv, buf);
    t.deepEqual(Buffer.from(buf), Buffer.from(data), `${n} B back`);
  }
});

test('out may hold the key and the iv: both are read before out is written', (t) => {
  for (const n of sizes().filter((n) => n >= 64)) {
    const data = bytesFrom(`alias-${n}`, n);
    const key = bytesFrom(`alias-key-${n}`, 32);
    const iv = bytesFrom(`alias-iv-${n}`, 32);
    const want = Buffer.from(referenceIge(true, data, key, iv));
    for (const [name, encrypt] of encrypters) {
      const out = new Uint8Array(n);
      out.set(key, 0);
      out.set(iv, 32);
      encrypt(data, out.subarray(0, 32), out.subarray(32, 64), out, 0, n);
      if (Buffer.compare(out, want) !== 0) t.fail(`${name} ${n} B with key and iv inside out`);
    }
    const back = new Uint8Array(n);
    back.set(key, n - 64);
    back.set(iv, n - 32);
    igeDecrypt(want, back.subarray(n - 64, n - 32), back.subarray(n - 32), back, 0, n);
    if (Buffer.compare(back, data) !== 0) t.fail(`decrypt ${n} B with key and iv inside out`);
  }
  t.pass();
});
