import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import test from 'ava';

import { backends, hex } from './backends.js';

const load = (name: string): any => JSON.parse(readFileSync(new URL(`vectors/${name}`, import.meta.url), 'utf8'));
const samples = load('samples-auth-key.json');
const openssl = load('openssl-ige256.json');

for (const c of backends) {
  test(`${c.backend}: core.telegram.org samples-auth_key encrypted_data`, (t) => {
    const data = hex(samples.data);
    const plaintext = Buffer.concat([createHash('sha1').update(data).digest(), data, hex(samples.padding)]);
    const key = hex(samples.tmpAesKey);
    const iv = hex(samples.tmpAesIv);
    const expected = samples.encryptedData.toLowerCase();
    t.is(Buffer.from(c.aesIgeEncrypt(plaintext, key, iv)).toString('hex'), expected);
    t.deepEqual(Buffer.from(c.aesIgeDecrypt(hex(expected), key, iv)), plaintext);
  });

  test(`${c.backend}: OpenSSL AES_ige_encrypt vectors (256-bit keys)`, (t) => {
    t.is(openssl.vectors.length, 5);
    for (const v of openssl.vectors) {
      const key = hex(v.key);
      const iv = hex(v.iv);
      t.is(Buffer.from(c.aesIgeEncrypt(hex(v.plaintext), key, iv)).toString('hex'), v.ciphertext);
      t.is(Buffer.from(c.aesIgeDecrypt(hex(v.ciphertext), key, iv)).toString('hex'), v.plaintext);
    }
  });

  test(`${c.backend}: FIPS-197 C.3 AES-256 block (IGE with a zero iv is one ECB block)`, (t) => {
    const key = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const pt = hex('00112233445566778899aabbccddeeff');
    const ct = '8ea2b7ca516745bfeafc49904b496089';
    t.is(Buffer.from(c.aesIgeEncrypt(pt, key, new Uint8Array(32))).toString('hex'), ct);
    t.is(Buffer.from(c.aesIgeDecrypt(hex(ct), key, new Uint8Array(32))).toString('hex'), pt.toString('hex'));
  });
}
