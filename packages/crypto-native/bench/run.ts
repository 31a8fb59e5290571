// `npm run bench`: AES-256-IGE, the fused MTProto packet call, pq
// factorization, AES-256-CTR and the handshake's modular exponentiation,
// for both backends and the peers, with every ratio taken from this one run.
// BENCH_BUDGET_MS scales the time per case (default 200).
import { execFileSync } from 'node:child_process';
import { createHash, generatePrimeSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createCrypto, nativeInfo } from '../src/index.js';
import { CBC_MIN_BYTES, igeEncryptTable } from '../src/js/aes-ige.js';
import type { Crypto } from '../src/types.js';
import { benchAesCtr } from './aes-ctr.js';
import { benchModPow } from './modpow.js';
import { benchMtprotoLarge } from './mtproto-large.js';
import { benchMtprotoDecryptPair, benchMtprotoPair } from './mtproto-pair.js';
import { cpuMs, fmt, mbPerSecond, measure, table } from './harness.js';
import { gramjs, nodeCbcIgeEncrypt, nodeEcbIge, wasm } from './peers.js';

const budget = Number(process.env.BENCH_BUDGET_MS ?? 200);
const js = createCrypto({ backend: 'js' });
const info = nativeInfo();
const native: Crypto | undefined = 'unavailable' in info ? undefined : createCrypto({ backend: 'native' });
const sizes = [64, 1024, 16384, 524288, 1048576];
const label = (n: number): string => (n >= 1024 ? `${n / 1024} KiB` : `${n} B`);
const results: Record<string, number> = {};
const ratios: [string, number, string][] = [];

console.log(`# @telegram-mt/crypto-native bench (node ${process.version}, ${process.arch})`);
console.log(native ? `native: AES ${(info as { aes: string }).aes}, CTR ${(info as { ctr: string }).ctr}, SHA-256 ${(info as { sha256: string }).sha256}` : `native: ${(info as { unavailable: string }).unavailable}`);
console.log(`budget ${budget} ms of CPU time per case, best of 6 windows\n`);

// ---- the machine's bound: a C AES-NI IGE loop with no call overhead ----
type Bound = { chain14: number; encrypt: Record<string, number>; decrypt: Record<string, number> };
function cBound(): Bound | undefined {
  if (process.arch !== 'x64') return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'tgmt-bound-'));
  try {
    const exe = join(dir, 'ige-bound');
    execFileSync('cc', ['-O2', '-maes', fileURLToPath(new URL('ige-bound.c', import.meta.url)), '-o', exe]);
    return JSON.parse(execFileSync(exe, [String((budget * 5) / 1000)], { encoding: 'utf8' })) as Bound;
  } catch (err) {
    console.log(`(C bound unavailable: ${(err as Error).message.split('\n')[0]})`);
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
// Measured before and after the rest, best of the two, like every case.
const boundBefore = cBound();

// ---- correctness of every contender, so nobody is timed doing wrong work ----
{
  const key = randomBytes(32);
  const iv = randomBytes(32);
  const data = randomBytes(4096);
  const want = js.aesIgeEncrypt(data, key, iv);
  const same = (a: Uint8Array, name: string): void => {
    if (Buffer.compare(Buffer.from(a), Buffer.from(want)) !== 0) throw new Error(`${name} disagrees`);
  };
  if (native) same(native.aesIgeEncrypt(data, key, iv), 'native');
  same(gramjs.encrypt(data, key, iv), 'GramJS');
  same(wasm.encrypt(data, key, iv), '@mtcute/wasm');
  same(nodeEcbIge(true, data, key, iv), 'node:crypto ECB composition');
  same(nodeCbcIgeEncrypt(data, key, iv), 'node:crypto CBC composition');
  if (Buffer.compare(Buffer.from(nodeEcbIge(false, want, key, iv)), data) !== 0) throw new Error('ECB decrypt disagrees');
}

// ---- AES-256-IGE throughput ----
function igeCases(n: number, enc: boolean): [string, () => void][] {
  const data = new Uint8Array(randomBytes(n));
  const key = new Uint8Array(randomBytes(32));
  const iv = new Uint8Array(randomBytes(32));
  const out = new Uint8Array(n);
  const dataB = Buffer.from(data);
  const keyB = Buffer.from(key);
  const ivB = Buffer.from(iv);
  const cases: [string, () => void][] = [];
  if (native) {
    const into = enc ? native.aesIgeEncryptInto : native.aesIgeDecryptInto;
    const alloc = enc ? native.aesIgeEncrypt : native.aesIgeDecrypt;
    cases.push(['native (into buffer)', () => into(data, key, iv, out)]);
    cases.push(['native (allocating)', () => alloc(data, key, iv)]);
  }
  const jsInto = enc ? js.aesIgeEncryptInto : js.aesIgeDecryptInto;
  cases.push(['js (into buffer)', () => jsInto(data, key, iv, out)]);
  // The js backend encrypts from CBC_MIN_BYTES through node:crypto: this row is its table AES alone.
  if (enc) cases.push(['js table AES only', () => igeEncryptTable(data, key, iv, out, 0, n)]);
  cases.push(['GramJS', enc ? () => gramjs.encrypt(dataB, keyB, ivB) : () => gramjs.decrypt(dataB, keyB, ivB)]);
  cases.push(['@mtcute/wasm', enc ? () => wasm.encrypt(data, key, iv) : () => wasm.decrypt(data, key, iv)]);
  cases.push(['node:crypto ECB blocks', () => nodeEcbIge(enc, data, key, iv)]);
  if (enc) cases.push(['node:crypto CBC + XOR', () => nodeCbcIgeEncrypt(data, key, iv)]);
  return cases;
}

for (const enc of [true, false]) {
  const dir = enc ? 'encrypt' : 'decrypt';
  const names: string[] = [];
  const rows = new Map<string, string[]>();
  for (const n of sizes) {
    for (const [name, fn] of igeCases(n, enc)) {
      // The slow peers get less time at large sizes: a few calls suffice.
      const slow = /GramJS|ECB/.test(name) && n >= 16384;
      const mb = mbPerSecond(measure(fn, slow ? budget / 2 : budget, slow ? 3 : 6), n);
      results[`${dir}/${name}/${n}`] = mb;
      if (!rows.has(name)) {
        rows.set(name, [name]);
        names.push(name);
      }
      rows.get(name)!.push(fmt(mb));
    }
  }
  console.log(`## AES-256-IGE ${dir}, MB/s\n`);
  console.log(table(['', ...sizes.map(label)], names.map((n) => rows.get(n)!)));
  console.log();
}

// ---- small packets: where the call, not the cipher, is the cost ----
const small = [64, 128, 160, 192];
if (native) {
  const rows: string[][] = [];
  for (const enc of [true, false]) {
    for (const n of small) {
      const cases = new Map(igeCases(n, enc));
      const a = measure(cases.get('native (into buffer)')!, budget);
      const w = measure(cases.get('@mtcute/wasm')!, budget);
      rows.push([enc ? 'encrypt' : 'decrypt', label(n), fmt(a.nsPerCall, 0), fmt(w.nsPerCall, 0), `${(w.nsPerCall / a.nsPerCall).toFixed(2)}×`]);
      ratios.push([`native/${enc ? 'enc' : 'dec'} ${n} B vs @mtcute/wasm`, w.nsPerCall / a.nsPerCall, '≥ 2×']);
    }
  }
  const k = new Uint8Array(32);
  const empty = new Uint8Array(0);
  const crossing = measure(() => native.aesIgeEncryptInto(empty, k, k, empty), budget);
  console.log('## Small packets, ns per call (native into a caller buffer vs @mtcute/wasm)\n');
  console.log(table(['', 'size', 'native ns', 'wasm ns', 'native speed-up'], rows));
  console.log(`\nbare crossing (4 typed arrays, 0 bytes): ${fmt(crossing.nsPerCall, 0)} ns per call\n`);
}

// ---- the fused MTProto 2.0 packet call vs the same work in separate calls ----
if (native) {
  const authKey = new Uint8Array(randomBytes(256));
  const n = 160;
  const plaintext = new Uint8Array(randomBytes(n));
  const packet = new Uint8Array(16 + n);
  const plainOut = new Uint8Array(n);
  const keyIv = new Uint8Array(64);
  const x = 0;
  const sha = (a: Uint8Array, b: Uint8Array): Buffer => createHash('sha256').update(a).update(b).digest();
  // What a session would do without the fused call: node:crypto SHA-256
  // three times, then the native IGE into a buffer.
  const derive = (msgKey: Uint8Array): void => {
    const a = sha(msgKey, authKey.subarray(x, x + 36));
    const b = sha(authKey.subarray(40 + x, 76 + x), msgKey);
    keyIv.set(a.subarray(0, 8), 0);
    keyIv.set(b.subarray(8, 24), 8);
    keyIv.set(a.subarray(24, 32), 24);
    keyIv.set(b.subarray(0, 8), 32);
    keyIv.set(a.subarray(8, 24), 40);
    keyIv.set(b.subarray(24, 32), 56);
  };
  const key = keyIv.subarray(0, 32);
  const iv = keyIv.subarray(32, 64);
  const separateEncrypt = (c: Crypto) => (): void => {
    const msgKey = sha(authKey.subarray(88 + x, 120 + x), plaintext).subarray(8, 24);
    derive(msgKey);
    c.aesIgeEncryptInto(plaintext, key, iv, packet.subarray(16));
    packet.set(msgKey, 0);
  };
  native.mtprotoEncrypt(authKey, x, plaintext, packet);
  const fusedPacket = packet.slice();
  separateEncrypt(native)();
  if (Buffer.compare(fusedPacket, packet) !== 0) throw new Error('separate-call composition disagrees');
  const msgKey = packet.slice(0, 16);
  const ciphertext = packet.slice(16);
  const separateDecrypt = (c: Crypto) => (): boolean => {
    derive(msgKey);
    c.aesIgeDecryptInto(ciphertext, key, iv, plainOut);
    const check = sha(authKey.subarray(88 + x, 120 + x), plainOut).subarray(8, 24);
    return Buffer.compare(check, msgKey) === 0;
  };
  const rows: string[][] = [];
  for (const c of [native, js]) {
    const cases: [string, () => unknown, () => unknown][] = [
      ['encrypt', () => c.mtprotoEncrypt(authKey, x, plaintext, packet), separateEncrypt(c)],
      ['decrypt', () => c.mtprotoDecrypt(authKey, x, msgKey, ciphertext, plainOut), separateDecrypt(c)],
    ];
    for (const [dir, fused, separate] of cases) {
      const f = measure(fused, budget);
      const s = measure(separate, budget);
      rows.push([`${c.backend} ${dir}`, fmt(f.nsPerCall, 0), fmt(s.nsPerCall, 0), `${(s.nsPerCall / f.nsPerCall).toFixed(2)}×`]);
      if (c === native) ratios.push([`fused ${dir} 160 B vs separate calls`, s.nsPerCall / f.nsPerCall, '≥ 2×']);
    }
  }
  console.log("## MTProto 2.0 packet, 160 B: fused call vs node:crypto SHA-256 ×3 + the same backend's IGE, ns per packet\n");
  console.log(table(['', 'fused ns', 'separate ns', 'fused speed-up'], rows));
  console.log();
}

// ---- the message cipher on file-transfer sizes vs the bare IGE ----
if (native) ratios.push(...benchMtprotoLarge(native, budget));

// ---- two file parts at once: mtprotoEncryptPair vs two calls vs bare IGE ----
if (native) ratios.push(...benchMtprotoPair(native, budget));
if (native) ratios.push(...benchMtprotoDecryptPair(native, budget));

// ---- pq factorization ----
{
  const pqs: bigint[] = [0x17ed48941a08f981n];
  for (let i = 0; i < 11; i++) {
    pqs.push(generatePrimeSync(31 + (i % 2), { bigint: true }) * generatePrimeSync(32, { bigint: true }));
  }
  // Best mean over whole rounds of the set, in CPU time.
  const perPq = (f: (pq: bigint) => unknown, minMs: number): number => {
    let best = Infinity;
    const end = cpuMs() + minMs;
    do {
      const start = cpuMs();
      for (const pq of pqs) f(pq);
      best = Math.min(best, ((cpuMs() - start) * 1000) / pqs.length);
    } while (cpuMs() < end);
    return best;
  };
  const rows: string[][] = [];
  const us: Record<string, number> = {};
  const contenders: [string, (pq: bigint) => unknown][] = [
    ...(native ? [['native', native.factorizePQ] as [string, (pq: bigint) => unknown]] : []),
    ['js', js.factorizePQ],
    ['GramJS', gramjs.factorize],
  ];
  for (const [name, f] of contenders) {
    f(pqs[0]!); // warm up
    us[name] = perPq(f, name === 'GramJS' ? budget : budget * 2);
    rows.push([name, fmt(us[name]!)]);
  }
  console.log(`## pq factorization, µs per pq (mean over ${pqs.length} pqs of two 31–32-bit primes)\n`);
  console.log(table(['', 'µs per pq'], rows));
  console.log();
  if (native) ratios.push(['factorization native vs GramJS', us.GramJS! / us.native!, '≥ 10×']);
  ratios.push(['factorization js vs GramJS', us.GramJS! / us.js!, '(≥ 10× asked of the addon)']);
}

// ---- AES-256-CTR ----
ratios.push(...benchAesCtr(native, js, budget));

// ---- 2048-bit modular exponentiation (the handshake's DH), wall-clock ----
ratios.push(...(await benchModPow(native, js, budget * 2)));

// ---- the targets, as ratios from this run ----
const boundAfter = cBound();
const bound =
  boundBefore && boundAfter
    ? {
        chain14: Math.max(boundBefore.chain14, boundAfter.chain14),
        encrypt: boundBefore.encrypt['524288']! > boundAfter.encrypt['524288']! ? boundBefore.encrypt : boundAfter.encrypt,
        decrypt: boundBefore.decrypt['524288']! > boundAfter.decrypt['524288']! ? boundBefore.decrypt : boundAfter.decrypt,
      }
    : (boundBefore ?? boundAfter);
if (bound) {
  console.log('## The machine bound: C AES-NI IGE loop with no call overhead, MB/s\n');
  console.log(
    table(
      ['', ...sizes.map(label)],
      [
        ['C encrypt', ...sizes.map((n) => fmt(bound.encrypt[String(n)]!))],
        ['C decrypt', ...sizes.map((n) => fmt(bound.decrypt[String(n)]!))],
      ],
    ),
  );
  console.log(`\n14 dependent AES rounds (the latency limit of any IGE): ${fmt(bound.chain14)} MB/s\n`);
}
for (const dir of ['encrypt', 'decrypt'] as const) {
  const n512 = 524288;
  if (native && bound) {
    const nat = results[`${dir}/native (into buffer)/${n512}`]!;
    ratios.push([`native ${dir} 512 KiB vs C AES-NI IGE loop`, nat / bound[dir][String(n512)]!, '≥ 0.85']);
    ratios.push([`native ${dir} 512 KiB vs 14-round latency bound`, nat / bound.chain14, '(info)']);
  }
  if (native) {
    const nat = results[`${dir}/native (into buffer)/${n512}`]!;
    ratios.push([`native ${dir} 512 KiB vs node:crypto ECB blocks`, nat / results[`${dir}/node:crypto ECB blocks/${n512}`]!, '≥ 1.5×']);
    if (dir === 'encrypt') {
      ratios.push([`native encrypt 512 KiB vs node:crypto CBC + XOR`, nat / results[`encrypt/node:crypto CBC + XOR/${n512}`]!, '(info)']);
    }
  }
  for (const n of sizes) {
    ratios.push([`js ${dir} ${label(n)} vs GramJS`, results[`${dir}/js (into buffer)/${n}`]! / results[`${dir}/GramJS/${n}`]!, '≥ 3×']);
  }
  if (dir === 'encrypt') {
    for (const n of sizes.filter((n) => n >= CBC_MIN_BYTES)) {
      ratios.push([`js table AES only, encrypt ${label(n)} vs GramJS`, results[`encrypt/js table AES only/${n}`]! / results[`encrypt/GramJS/${n}`]!, '(info)']);
    }
  }
}
console.log('## Targets (ratios from this run)\n');
console.log(
  table(
    ['comparison', 'ratio', 'target'],
    ratios.map(([name, r, target]) => {
      const want = /([≥≤]) ([\d.]+)/.exec(target);
      const met = want && (want[1] === '≥' ? r >= Number(want[2]) : r <= Number(want[2]));
      const mark = want && !target.startsWith('(') ? (met ? ' ✓' : ' ✗') : '';
      return [name, `${r.toFixed(2)}${mark}`, target];
    }),
  ),
);
