// mtprotoDecrypt where the addon hashes the plaintext inside the IGE loop
// (x86-64 with AES-NI and SHA-NI; elsewhere the same tests cover the two-pass
// path): against the TypeScript backend, which decrypts and then hashes, on
// every length up to 1 KiB and a spread up to 1 MiB, out of place and in
// place, with good and bad msg_keys. The SHA-256 input is 32 auth-key bytes
// ‖ plaintext, so every length mod 64 puts the 64-byte block boundaries,
// the loop's exit and the padding somewhere else.
import test from 'ava';

import { loadAddon } from '../src/native/addon.js';
import type { Crypto } from '../src/types.js';
import { bytesFrom, js, native } from './backends.js';

const authKey = bytesFrom('fused-auth-key', 256);

function lengths(): number[] {
  const out: number[] = [];
  for (let n = 0; n <= 1024; n += 16) out.push(n);
  for (const n of [4096, 65536]) out.push(n - 48, n - 32, n - 16, n, n + 16, n + 32, n + 48);
  out.push(524288 - 16, 524288 + 48, 1024 * 1024);
  return out;
}

/** A copy of `b` at byte offset `offset` of a larger buffer (unaligned views). */
function at(b: Uint8Array, offset: number): Uint8Array {
  const big = new Uint8Array(b.length + offset + 5);
  big.set(b, offset);
  return big.subarray(offset, offset + b.length);
}

/** msg_key ‖ ciphertext for `plaintext`, by the TypeScript backend. */
function seal(x: 0 | 8, plaintext: Uint8Array): { msgKey: Uint8Array; ciphertext: Uint8Array } {
  const packet = new Uint8Array(16 + plaintext.length);
  js.mtprotoEncrypt(authKey, x, plaintext, packet);
  return { msgKey: packet.slice(0, 16), ciphertext: packet.slice(16) };
}

const contenders: Crypto[] = native ? [native, js] : [js];

test('which decrypt path the addon takes', (t) => {
  const addon = loadAddon().addon;
  const fused = addon?.aesImplementation === 'aes-ni' && addon.sha256Implementation === 'sha-ni';
  t.log(addon ? `native: AES ${addon.aesImplementation}, SHA-256 ${addon.sha256Implementation}: ${fused ? 'fused one-pass decrypt' : 'two-pass decrypt'}` : 'native addon not built: TypeScript backend only');
  t.pass();
});

for (const x of [0, 8] as const) {
  test(`x=${x}: decrypt out of place agrees with the two-pass TypeScript backend on every length`, (t) => {
    for (const n of lengths()) {
      const plaintext = bytesFrom(`fused-pt-${x}-${n}`, n);
      const { msgKey, ciphertext } = seal(x, plaintext);
      const before = ciphertext.slice();
      for (const c of contenders) {
        const out = at(new Uint8Array(n).fill(0xaa), (n / 16) % 7);
        t.true(c.mtprotoDecrypt(authKey, x, msgKey, at(ciphertext, 3), out), `${c.backend} n=${n}`);
        if (Buffer.compare(out, plaintext) !== 0) t.fail(`${c.backend} n=${n}: wrong plaintext`);
      }
      t.deepEqual(Buffer.from(ciphertext), Buffer.from(before), `n=${n}: ciphertext left alone`);
    }
  });

  test(`x=${x}: decrypt in place agrees on every length`, (t) => {
    for (const n of lengths()) {
      const plaintext = bytesFrom(`fused-ip-${x}-${n}`, n);
      const { msgKey, ciphertext } = seal(x, plaintext);
      for (const c of contenders) {
        // msg_key right in front of the payload, as in a received packet.
        const buf = new Uint8Array(8 + 16 + n + 3);
        buf.set(msgKey, 8);
        buf.set(ciphertext, 24);
        const payload = buf.subarray(24, 24 + n);
        t.true(c.mtprotoDecrypt(authKey, x, buf.subarray(8, 24), payload, payload), `${c.backend} n=${n}`);
        if (Buffer.compare(payload, plaintext) !== 0) t.fail(`${c.backend} n=${n}: wrong plaintext in place`);
        t.deepEqual(Buffer.from(buf.subarray(8, 24)), Buffer.from(msgKey));
      }
    }
  });

  test(`x=${x}: a wrong msg_key or a changed ciphertext block gives false and a zeroed out`, (t) => {
    for (const n of lengths().filter((n) => n > 0 && (n <= 512 || n % 65536 < 64 || n > 65536 * 8))) {
      const plaintext = bytesFrom(`fused-bad-${x}-${n}`, n);
      const { msgKey, ciphertext } = seal(x, plaintext);
      const badKey = msgKey.slice();
      badKey[(n / 16) % 16]! ^= 0x80;
      // The first, a middle and the last ciphertext block: the last one
      // lands in the hash's tail, the others in the fused loop.
      const positions = [0, (n >> 1) & ~15, n - 1];
      const cases: [string, Uint8Array, Uint8Array][] = [
        ['wrong msg_key', badKey, ciphertext],
        ...positions.map((pos): [string, Uint8Array, Uint8Array] => {
          const bad = ciphertext.slice();
          bad[pos]! ^= 0x01;
          return [`bit flipped at ${pos}`, msgKey, bad];
        }),
      ];
      for (const c of contenders) {
        for (const [what, key, ct] of cases) {
          const out = new Uint8Array(n).fill(0x55);
          t.false(c.mtprotoDecrypt(authKey, x, key, ct, out), `${c.backend} n=${n} ${what}`);
          if (!out.every((b) => b === 0)) t.fail(`${c.backend} n=${n} ${what}: out not zeroed`);
          const inPlace = ct.slice();
          t.false(c.mtprotoDecrypt(authKey, x, key, inPlace, inPlace), `${c.backend} n=${n} ${what} in place`);
          if (!inPlace.every((b) => b === 0)) t.fail(`${c.backend} n=${n} ${what}: in-place buffer not zeroed`);
        }
      }
      // The other direction's prefix (auth_key[88+x..120+x]) must not fit either.
      const out = new Uint8Array(n);
      for (const c of contenders) t.false(c.mtprotoDecrypt(authKey, x === 0 ? 8 : 0, msgKey, ciphertext, out));
    }
  });
}

test('native and TypeScript backends agree on random-looking ciphertext too (both reject, same zeroes)', (t) => {
  // Packets no one sealed: every backend must reject them, whatever the length.
  for (let n = 16; n <= 2048; n += 16 * 5) {
    const msgKey = bytesFrom(`noise-key-${n}`, 16);
    const ciphertext = bytesFrom(`noise-${n}`, n);
    for (const c of contenders) {
      const out = new Uint8Array(n).fill(1);
      t.false(c.mtprotoDecrypt(authKey, 0, msgKey, ciphertext, out), `${c.backend} n=${n}`);
      if (!out.every((b) => b === 0)) t.fail(`${c.backend} n=${n}: out not zeroed`);
    }
  }
});
