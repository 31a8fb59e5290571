// AES-256-CTR (MTProto's obfuscation cipher): the addon's stream against
// node:crypto's aes-256-ctr in the same run. `tsx bench/aes-ctr.ts` runs
// this section alone; bench/run.ts includes it.
import { createCipheriv, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import type { Crypto } from '../src/types.js';
import { fmt, mbPerSecond, measure, table } from './harness.js';

const ctrSizes = [1024, 65536, 524288];

/** Prints the table and returns [comparison, ratio, target] rows. */
export function benchAesCtr(native: Crypto | undefined, js: Crypto, budget: number): [string, number, string][] {
  const key = randomBytes(32);
  const iv = randomBytes(16);
  // Everyone must produce node:crypto's keystream before being timed.
  const probe = randomBytes(5000);
  const want = createCipheriv('aes-256-ctr', key, iv).update(probe);
  for (const c of native ? [native, js] : [js]) {
    if (Buffer.compare(Buffer.from(c.createAesCtr(key, iv).update(probe)), want) !== 0) throw new Error(`${c.backend} AES-CTR disagrees`);
  }

  const names: string[] = [];
  const rows = new Map<string, string[]>();
  const mb: Record<string, number> = {};
  for (const n of ctrSizes) {
    const data = new Uint8Array(randomBytes(n));
    const out = new Uint8Array(n);
    const nodeStream = createCipheriv('aes-256-ctr', key, iv);
    const cases: [string, () => void][] = [];
    if (native) {
      const into = native.createAesCtr(key, iv);
      const alloc = native.createAesCtr(key, iv);
      cases.push(['native (into buffer)', () => into.update(data, out)]);
      cases.push(['native (allocating)', () => alloc.update(data)]);
    }
    const jsStream = js.createAesCtr(key, iv);
    cases.push(['js backend (node:crypto inside)', () => jsStream.update(data)]);
    cases.push(['node:crypto aes-256-ctr', () => nodeStream.update(data)]);
    for (const [name, fn] of cases) {
      const r = mbPerSecond(measure(fn, budget), n);
      mb[`${name}/${n}`] = r;
      if (!rows.has(name)) {
        rows.set(name, [name]);
        names.push(name);
      }
      rows.get(name)!.push(fmt(r));
    }
  }
  console.log('## AES-256-CTR (obfuscation), MB/s\n');
  console.log(table(['', ...ctrSizes.map((n) => `${n / 1024} KiB`)], names.map((n) => rows.get(n)!)));
  console.log();
  const ratios: [string, number, string][] = [];
  if (native) {
    for (const n of ctrSizes) {
      ratios.push([`native CTR ${n / 1024} KiB (into buffer) vs node:crypto`, mb[`native (into buffer)/${n}`]! / mb[`node:crypto aes-256-ctr/${n}`]!, '(info)']);
      ratios.push([`native CTR ${n / 1024} KiB (allocating) vs node:crypto`, mb[`native (allocating)/${n}`]! / mb[`node:crypto aes-256-ctr/${n}`]!, '(info)']);
    }
  }
  return ratios;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { createCrypto, nativeInfo } = await import('../src/index.js');
  const info = nativeInfo();
  const native = 'unavailable' in info ? undefined : createCrypto({ backend: 'native' });
  console.log(native ? `native CTR path: ${(info as { ctr: string }).ctr}\n` : `native: ${(info as { unavailable: string }).unavailable}\n`);
  const ratios = benchAesCtr(native, createCrypto({ backend: 'js' }), Number(process.env.BENCH_BUDGET_MS ?? 200));
  console.log(table(['comparison', 'ratio', 'target'], ratios.map(([a, r, t]) => [a, r.toFixed(2), t])));
}
