// The addon's portable C++ paths (table-driven AES, plain SHA-256), which
// run on CPUs without AES/SHA instructions: forced on in a child process
// with TELEGRAM_MT_CRYPTO_PORTABLE=1 and checked against the TypeScript
// backend.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import test from 'ava';

import { native } from './backends.js';

const script = `
import { createCrypto, nativeInfo } from './src/index.ts';
import { createHash } from 'node:crypto';
const info = nativeInfo();
const n = createCrypto({ backend: 'native' });
const js = createCrypto({ backend: 'js' });
const bytes = (label, len) => {
  const out = new Uint8Array(len);
  for (let i = 0, off = 0; off < len; i++, off += 32) out.set(createHash('sha256').update(label + '/' + i).digest().subarray(0, Math.min(32, len - off)), off);
  return out;
};
let checked = 0;
const authKey = bytes('ak', 256);
for (let len = 0; len <= 4096; len += 16) {
  const d = bytes('d' + len, len), k = bytes('k' + len, 32), v = bytes('v' + len, 32);
  const a = n.aesIgeEncrypt(d, k, v), b = js.aesIgeEncrypt(d, k, v);
  if (Buffer.compare(a, b) !== 0) throw new Error('encrypt differs at ' + len);
  if (Buffer.compare(n.aesIgeDecrypt(a, k, v), d) !== 0) throw new Error('decrypt differs at ' + len);
  const x = (len / 16) % 2 ? 8 : 0;
  const p1 = new Uint8Array(16 + len), p2 = new Uint8Array(16 + len);
  n.mtprotoEncrypt(authKey, x, d, p1);
  js.mtprotoEncrypt(authKey, x, d, p2);
  if (Buffer.compare(p1, p2) !== 0) throw new Error('mtprotoEncrypt differs at ' + len);
  if (!n.mtprotoDecrypt(authKey, x, p1.subarray(0, 16), p1.subarray(16), new Uint8Array(len))) throw new Error('mtprotoDecrypt failed at ' + len);
  checked++;
}
// AES-256-CTR: one stream cut at odd sizes, then a carry across 2^64.
for (const iv of [bytes('ctr-iv', 16), Buffer.from('00000000000000fffffffffffffffffa', 'hex')]) {
  const k = bytes('ctr-k', 32), d = bytes('ctr-d', 5000);
  const a = n.createAesCtr(k, iv), b = js.createAesCtr(k, iv);
  for (let at = 0, step = 1; at < d.length; at += step, step = (step * 7 + 3) % 400) {
    if (Buffer.compare(a.update(d.subarray(at, at + step)), b.update(d.subarray(at, at + step))) !== 0) throw new Error('ctr differs at ' + at);
  }
  checked++;
}
console.log(JSON.stringify({ info, checked }));
`;

(native ? test : test.skip)('portable AES and SHA-256 in the addon agree with the TypeScript backend', (t) => {
  const out = execFileSync(process.execPath, ['--import=tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, TELEGRAM_MT_CRYPTO_PORTABLE: '1' },
    encoding: 'utf8',
  });
  const { info, checked } = JSON.parse(out.trim().split('\n').at(-1)!);
  t.deepEqual(info, { aes: 'portable', ctr: 'portable', sha256: 'portable' });
  t.is(checked, 259);
});
