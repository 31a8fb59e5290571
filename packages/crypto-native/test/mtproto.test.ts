// The fused MTProto 2.0 packet call against an independent composition
// (node:crypto SHA-256 + node:crypto AES-256-ECB IGE), on both backends.
import test from 'ava';

import { backends, bytesFrom, referenceMtprotoEncrypt } from './backends.js';

const authKey = bytesFrom('auth-key', 256);
const sizes = [0, 16, 32, 48, 64, 112, 128, 160, 192, 1024, 1040, 4096, 65536];

for (const c of backends) {
  test(`${c.backend}: mtprotoEncrypt matches the composed reference, both directions`, (t) => {
    for (const x of [0, 8] as const) {
      for (const n of sizes) {
        const plaintext = bytesFrom(`pt-${x}-${n}`, n);
        const out = new Uint8Array(16 + n);
        c.mtprotoEncrypt(authKey, x, plaintext, out);
        t.deepEqual(Buffer.from(out), Buffer.from(referenceMtprotoEncrypt(authKey, x, plaintext)), `x=${x} n=${n}`);
      }
    }
  });

  test(`${c.backend}: mtprotoDecrypt round-trips and checks msg_key`, (t) => {
    for (const x of [0, 8] as const) {
      for (const n of sizes) {
        const plaintext = bytesFrom(`rt-${x}-${n}`, n);
        const packet = new Uint8Array(referenceMtprotoEncrypt(authKey, x, plaintext));
        const msgKey = packet.subarray(0, 16);
        const ciphertext = packet.subarray(16);
        const out = new Uint8Array(n);
        t.true(c.mtprotoDecrypt(authKey, x, msgKey, ciphertext, out));
        t.deepEqual(Buffer.from(out), Buffer.from(plaintext));
        // The other direction's keys do not fit.
        t.false(c.mtprotoDecrypt(authKey, x === 0 ? 8 : 0, msgKey, ciphertext, out));
      }
    }
  });

  test(`${c.backend}: a flipped bit anywhere fails the check and zeroes out`, (t) => {
    const plaintext = bytesFrom('tamper', 160);
    const packet = new Uint8Array(referenceMtprotoEncrypt(authKey, 8, plaintext));
    for (const pos of [0, 7, 15, 16, 40, 175]) {
      const bad = packet.slice();
      bad[pos]! ^= 0x01;
      const out = new Uint8Array(160).fill(0x55);
      t.false(c.mtprotoDecrypt(authKey, 8, bad.subarray(0, 16), bad.subarray(16), out), `bit at ${pos}`);
      t.true(out.every((b) => b === 0), `out zeroed after a bad byte at ${pos}`);
    }
    const otherKey = bytesFrom('other-auth-key', 256);
    t.false(c.mtprotoDecrypt(otherKey, 8, packet.subarray(0, 16), packet.subarray(16), new Uint8Array(160)));
  });

  test(`${c.backend}: in place inside one packet buffer`, (t) => {
    // [auth_key_id 8][msg_key 16][payload]: the payload turns into ciphertext
    // where it lies and msg_key lands in front of it.
    const n = 192;
    const plaintext = bytesFrom('in-place', n);
    const buf = new Uint8Array(8 + 16 + n);
    buf.set(plaintext, 24);
    c.mtprotoEncrypt(authKey, 0, buf.subarray(24), buf.subarray(8));
    t.deepEqual(Buffer.from(buf.subarray(8)), Buffer.from(referenceMtprotoEncrypt(authKey, 0, plaintext)));
    t.true(c.mtprotoDecrypt(authKey, 0, buf.subarray(8, 24), buf.subarray(24), buf.subarray(24)));
    t.deepEqual(Buffer.from(buf.subarray(24)), Buffer.from(plaintext));
  });
}
