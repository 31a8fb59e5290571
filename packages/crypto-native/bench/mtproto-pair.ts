// Two file-part sized MTProto 2.0 messages: mtprotoEncryptPair against two
// mtprotoEncrypt calls and against the bare IGE of the same bytes (two
// aesIgeEncryptInto calls), in the same run; then the same for
// mtprotoDecryptPair, mtprotoDecrypt and aesIgeDecryptInto. One message is two serial
// chains (SHA-256 for msg_key, then IGE); the pair runs two messages'
// chains side by side, so on AES-NI + SHA-NI its time should approach that
// of one message, and its ratio to the bare IGE of both drop below 1.
// `tsx bench/mtproto-pair.ts` runs this section alone; bench/run.ts
// includes it.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import type { Crypto } from '../src/types.js';
import { fmt, mbPerSecond, measure, table } from './harness.js';

const n = 524288;

/** Prints the table and returns [comparison, ratio, target] rows. */
export function benchMtprotoPair(c: Crypto, budget: number): [string, number, string][] {
  const authKey = new Uint8Array(randomBytes(256));
  const p1 = new Uint8Array(randomBytes(n));
  const p2 = new Uint8Array(randomBytes(n));
  const o1 = new Uint8Array(16 + n);
  const o2 = new Uint8Array(16 + n);
  const e1 = new Uint8Array(16 + n);
  const e2 = new Uint8Array(16 + n);
  c.mtprotoEncryptPair(authKey, 0, p1, o1, authKey, 0, p2, o2);
  c.mtprotoEncrypt(authKey, 0, p1, e1);
  c.mtprotoEncrypt(authKey, 0, p2, e2);
  if (Buffer.compare(o1, e1) !== 0 || Buffer.compare(o2, e2) !== 0) {
    throw new Error(`${c.backend} mtprotoEncryptPair disagrees with two mtprotoEncrypt calls`);
  }
  const key = new Uint8Array(randomBytes(32));
  const iv = new Uint8Array(randomBytes(32));
  const c1 = o1.subarray(16);
  const c2 = o2.subarray(16);
  const cases: Record<string, () => void> = {
    pair: () => c.mtprotoEncryptPair(authKey, 0, p1, o1, authKey, 0, p2, o2),
    'two calls': () => {
      c.mtprotoEncrypt(authKey, 0, p1, o1);
      c.mtprotoEncrypt(authKey, 0, p2, o2);
    },
    'bare ige': () => {
      c.aesIgeEncryptInto(p1, key, iv, c1);
      c.aesIgeEncryptInto(p2, key, iv, c2);
    },
  };
  // Alternate the contenders over three rounds and keep each one's best.
  const best: Record<string, number> = {};
  for (let round = 0; round < 3; round++) {
    for (const [name, fn] of Object.entries(cases)) {
      best[name] = Math.max(best[name] ?? 0, mbPerSecond(measure(fn, budget / 2), 2 * n));
    }
  }
  const speedUp = best.pair! / best['two calls']!;
  const vsIge = best['bare ige']! / best.pair!;
  const twoVsIge = best['bare ige']! / best['two calls']!;
  console.log(`## Two 512 KiB MTProto 2.0 messages, ${c.backend} backend, MB/s of plaintext (both messages)\n`);
  console.log(
    table(
      ['mtprotoEncryptPair', '2 × mtprotoEncrypt', '2 × aesIgeEncryptInto', 'pair speed-up', 'pair / IGE (time)', 'two calls / IGE (time)'],
      [[fmt(best.pair!), fmt(best['two calls']!), fmt(best['bare ige']!), `${speedUp.toFixed(2)}×`, `${vsIge.toFixed(2)}×`, `${twoVsIge.toFixed(2)}×`]],
    ),
  );
  console.log();
  return [
    ['mtprotoEncryptPair 2 × 512 KiB vs 2 × mtprotoEncrypt (speed)', speedUp, c.backend === 'native' ? '(info; ~2× on AES-NI + SHA-NI)' : '(info)'],
    ['mtprotoEncryptPair 2 × 512 KiB vs 2 × aesIgeEncryptInto (time)', vsIge, '(info)'],
  ];
}

/**
 * The receiving side: two sealed 512 KiB messages decrypted out of place
 * (in place, the second round would decrypt plaintext and take the
 * mismatch path). One message decrypts at about its bare IGE's speed (the
 * hash runs inside the IGE loop); the pair runs two such loops side by
 * side. Prints the table and returns [comparison, ratio, target] rows.
 */
export function benchMtprotoDecryptPair(c: Crypto, budget: number): [string, number, string][] {
  const authKey = new Uint8Array(randomBytes(256));
  const sealed = [0, 1].map(() => {
    const packet = new Uint8Array(16 + n);
    c.mtprotoEncrypt(authKey, 8, new Uint8Array(randomBytes(n)), packet);
    return { msgKey: packet.subarray(0, 16), ciphertext: packet.subarray(16) };
  });
  const [s1, s2] = sealed as [(typeof sealed)[0], (typeof sealed)[0]];
  const o1 = new Uint8Array(n);
  const o2 = new Uint8Array(n);
  const check = (): void => {
    const e1 = new Uint8Array(n);
    const e2 = new Uint8Array(n);
    const bits = c.mtprotoDecryptPair(authKey, 8, s1.msgKey, s1.ciphertext, o1, authKey, 8, s2.msgKey, s2.ciphertext, o2);
    const ok = c.mtprotoDecrypt(authKey, 8, s1.msgKey, s1.ciphertext, e1) && c.mtprotoDecrypt(authKey, 8, s2.msgKey, s2.ciphertext, e2);
    if (bits !== 3 || !ok || Buffer.compare(o1, e1) !== 0 || Buffer.compare(o2, e2) !== 0) {
      throw new Error(`${c.backend} mtprotoDecryptPair disagrees with two mtprotoDecrypt calls`);
    }
  };
  check();
  const key = new Uint8Array(randomBytes(32));
  const iv = new Uint8Array(randomBytes(32));
  let bad = 0;
  const cases: Record<string, () => void> = {
    pair: () => {
      if (c.mtprotoDecryptPair(authKey, 8, s1.msgKey, s1.ciphertext, o1, authKey, 8, s2.msgKey, s2.ciphertext, o2) !== 3) bad++;
    },
    'two calls': () => {
      if (!c.mtprotoDecrypt(authKey, 8, s1.msgKey, s1.ciphertext, o1)) bad++;
      if (!c.mtprotoDecrypt(authKey, 8, s2.msgKey, s2.ciphertext, o2)) bad++;
    },
    'bare ige': () => {
      c.aesIgeDecryptInto(s1.ciphertext, key, iv, o1);
      c.aesIgeDecryptInto(s2.ciphertext, key, iv, o2);
    },
  };
  const best: Record<string, number> = {};
  for (let round = 0; round < 3; round++) {
    for (const [name, fn] of Object.entries(cases)) {
      best[name] = Math.max(best[name] ?? 0, mbPerSecond(measure(fn, budget / 2), 2 * n));
    }
  }
  if (bad !== 0) throw new Error(`${c.backend}: ${bad} decryptions failed their msg_key check`);
  check();
  const speedUp = best.pair! / best['two calls']!;
  const vsIge = best['bare ige']! / best.pair!;
  const twoVsIge = best['bare ige']! / best['two calls']!;
  console.log(`## Two 512 KiB MTProto 2.0 messages decrypted, ${c.backend} backend, MB/s of ciphertext (both messages)\n`);
  console.log(
    table(
      ['mtprotoDecryptPair', '2 × mtprotoDecrypt', '2 × aesIgeDecryptInto', 'pair speed-up', 'pair / IGE (time)', 'two calls / IGE (time)'],
      [[fmt(best.pair!), fmt(best['two calls']!), fmt(best['bare ige']!), `${speedUp.toFixed(2)}×`, `${vsIge.toFixed(2)}×`, `${twoVsIge.toFixed(2)}×`]],
    ),
  );
  console.log();
  return [
    ['mtprotoDecryptPair 2 × 512 KiB vs 2 × mtprotoDecrypt (speed)', speedUp, c.backend === 'native' ? '(info; ~2× on AES-NI + SHA-NI)' : '(info)'],
    ['mtprotoDecryptPair 2 × 512 KiB vs 2 × aesIgeDecryptInto (time)', vsIge, '(info)'],
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { createCrypto, nativeInfo } = await import('../src/index.js');
  const info = nativeInfo();
  const c = createCrypto({ backend: 'unavailable' in info ? 'js' : 'native' });
  console.log('unavailable' in info ? `native: ${info.unavailable}\n` : `native: AES ${info.aes}, SHA-256 ${info.sha256}\n`);
  const budget = Number(process.env.BENCH_BUDGET_MS ?? 200);
  const ratios = [...benchMtprotoPair(c, budget), ...benchMtprotoDecryptPair(c, budget)];
  console.log(table(['comparison', 'ratio', 'target'], ratios.map(([a, r, t]) => [a, r.toFixed(2), t])));
}
