// The MTProto 2.0 message cipher on file-transfer sized messages: the whole
// packet call (msg_key check + key/iv derivation + IGE) against the bare
// IGE of the same bytes, in the same run. On x86 with AES-NI and SHA-NI the
// decrypt hashes the plaintext inside the IGE loop, so its ratio to the
// bare IGE should sit near 1; encryption must hash before it can encrypt,
// so its ratio shows the full cost of the extra SHA-256 pass.
// `tsx bench/mtproto-large.ts` runs this section alone; bench/run.ts
// includes it.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import type { Crypto } from '../src/types.js';
import { fmt, mbPerSecond, measure, table } from './harness.js';

const largeSizes = [16384, 524288, 1048576];
const label = (n: number): string => `${n / 1024} KiB`;

/** Prints the table and returns [comparison, ratio, target] rows. */
export function benchMtprotoLarge(c: Crypto, budget: number): [string, number, string][] {
  const authKey = new Uint8Array(randomBytes(256));
  const rows: string[][] = [];
  const ratios: [string, number, string][] = [];
  for (const n of largeSizes) {
    const plaintext = new Uint8Array(randomBytes(n));
    const packet = new Uint8Array(16 + n);
    c.mtprotoEncrypt(authKey, 8, plaintext, packet);
    const msgKey = packet.slice(0, 16);
    const ciphertext = packet.slice(16);
    const out = new Uint8Array(n);
    if (!c.mtprotoDecrypt(authKey, 8, msgKey, ciphertext, out) || Buffer.compare(out, plaintext) !== 0) {
      throw new Error(`${c.backend} mtprotoDecrypt does not round-trip ${n} bytes`);
    }
    const key = new Uint8Array(randomBytes(32));
    const iv = new Uint8Array(randomBytes(32));
    const cases: Record<string, () => void> = {
      decrypt: () => c.mtprotoDecrypt(authKey, 8, msgKey, ciphertext, out),
      'ige decrypt': () => c.aesIgeDecryptInto(ciphertext, key, iv, out),
      encrypt: () => c.mtprotoEncrypt(authKey, 8, plaintext, packet),
      'ige encrypt': () => c.aesIgeEncryptInto(plaintext, key, iv, out),
    };
    // Alternate the contenders over three rounds and keep each one's best,
    // so a busy neighbour in one window does not decide the ratio.
    const best: Record<string, number> = {};
    for (let round = 0; round < 3; round++) {
      for (const [name, fn] of Object.entries(cases)) {
        best[name] = Math.max(best[name] ?? 0, mbPerSecond(measure(fn, budget / 2), n));
      }
    }
    const dec = best['ige decrypt']! / best.decrypt!;
    const enc = best['ige encrypt']! / best.encrypt!;
    rows.push([label(n), fmt(best.decrypt!), fmt(best['ige decrypt']!), `${dec.toFixed(2)}×`, fmt(best.encrypt!), fmt(best['ige encrypt']!), `${enc.toFixed(2)}×`]);
    if (n === 524288) {
      ratios.push([`mtprotoDecrypt 512 KiB vs aesIgeDecryptInto 512 KiB (time)`, dec, '≤ 1.15×']);
      ratios.push([`mtprotoEncrypt 512 KiB vs aesIgeEncryptInto 512 KiB (time)`, enc, '(info)']);
    }
  }
  console.log(`## MTProto 2.0 message cipher vs bare IGE, ${c.backend} backend, MB/s (ratio = time of the packet call / time of the IGE)\n`);
  console.log(table(['', 'mtprotoDecrypt', 'aesIgeDecryptInto', 'ratio', 'mtprotoEncrypt', 'aesIgeEncryptInto', 'ratio'], rows));
  console.log();
  return ratios;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { createCrypto, nativeInfo } = await import('../src/index.js');
  const info = nativeInfo();
  const c = createCrypto({ backend: 'unavailable' in info ? 'js' : 'native' });
  console.log('unavailable' in info ? `native: ${info.unavailable}\n` : `native: AES ${info.aes}, SHA-256 ${info.sha256}\n`);
  const ratios = benchMtprotoLarge(c, Number(process.env.BENCH_BUDGET_MS ?? 200));
  console.log(table(['comparison', 'ratio', 'target'], ratios.map(([a, r, t]) => [a, r.toFixed(2), t])));
}
