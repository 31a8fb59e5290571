// 2048-bit modular exponentiation, the handshake's Diffie–Hellman:
// modPowAsync on each backend against node:crypto's
// DiffieHellman.computeSecret on a DH object built once, in the same run.
// Latency is wall-clock (the work runs on another thread, so this
// process's CPU time would not show the wait). "JS-thread µs" is the CPU
// time of the JS thread alone per call, what the handshake cannot overlap:
// from /proc's per-thread schedstat on Linux (wall-clock measures of the
// event loop count the time the thread waits for a core while the pool
// computes, on a busy 2-core machine most of it), else the event loop's
// active time.
// `tsx bench/modpow.ts` runs this section alone; bench/run.ts includes it.
import { createDiffieHellman } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import type { Crypto } from '../src/types.js';
import { fmt, table } from './harness.js';
import { DH_PRIME } from '../test/dh-prime.js';


interface Timing {
  /** wall-clock µs per call, best window */
  us: number;
  /** JS-thread CPU µs per call, same window */
  jsUs: number;
}

/** CPU µs the main (JS) thread has run, or undefined off Linux. */
function jsThreadCpuUs(): number | undefined {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
  } catch {
    return undefined;
  }
}
const perThread = jsThreadCpuUs() !== undefined;

/**
 * Runs `fn` one call after another (each awaited) in `windows` windows of
 * budget/windows ms, at least `minCalls` calls each; reports the best.
 */
async function time(fn: () => unknown, budgetMs: number, windows = 5, minCalls = 3): Promise<Timing> {
  for (let i = 0; i < 2; i++) await fn(); // warm up
  let best: Timing = { us: Infinity, jsUs: Infinity };
  for (let w = 0; w < windows; w++) {
    const elu = performance.eventLoopUtilization();
    const cpu0 = jsThreadCpuUs() ?? 0;
    const start = performance.now();
    let calls = 0;
    do {
      await fn();
      calls++;
    } while (calls < minCalls || performance.now() - start < budgetMs / windows);
    const us = ((performance.now() - start) * 1000) / calls;
    const jsUs = perThread ? (jsThreadCpuUs()! - cpu0) / calls : (performance.eventLoopUtilization(elu).active * 1000) / calls;
    if (us < best.us) best = { us, jsUs };
  }
  return best;
}

/** Prints the table and returns [comparison, ratio, target] rows. */
export async function benchModPow(native: Crypto | undefined, js: Crypto, budget: number): Promise<[string, number, string][]> {
  const b = Buffer.from(DH_PRIME.map((x, i) => (x * 31 + i * 7) & 0xff)); // any 2048-bit exponent
  const gA = Buffer.from(DH_PRIME.map((x, i) => (x * 13 + i) & 0xff));
  gA[0] = 0x11; // below the prime
  const dh = createDiffieHellman(DH_PRIME, 3); // validates the prime once, ~0.3 s
  dh.setPrivateKey(b);
  const want = dh.computeSecret(gA).toString('hex').padStart(512, '0');
  // Everyone must compute the same auth key before being timed.
  for (const c of native ? [native, js] : [js]) {
    if (Buffer.from(await c.modPowAsync(gA, b, DH_PRIME)).toString('hex') !== want) throw new Error(`${c.backend} modPowAsync disagrees`);
  }

  const rows: string[][] = [];
  const row = (name: string, t: Timing): void => {
    rows.push([name, fmt(t.us), fmt(t.jsUs)]);
  };
  const node = await time(() => dh.computeSecret(gA), budget);
  row('node:crypto DiffieHellman.computeSecret (cached object, sync)', node);
  const ratios: [string, number, string][] = [];
  if (native) {
    const nat = await time(() => native.modPowAsync(gA, b, DH_PRIME), budget);
    row('native modPowAsync, one at a time', nat);
    // The round trip through the pool with (almost) nothing to compute.
    const three = Uint8Array.of(3);
    const tiny = await time(() => native.modPowAsync(Uint8Array.of(2), Uint8Array.of(5), three), budget / 2);
    row('native modPowAsync, 1-byte modulus (the overhead of a call)', tiny);
    // What waiting alone costs the JS thread: sleeping in epoll and waking.
    const wait = await time(() => new Promise((resolve) => setTimeout(resolve, 2)), budget / 2);
    row('(baseline: await a 2 ms timer, no work)', wait);
    // 64 in flight: the pool's threads share the cores.
    const batch = await time(() => Promise.all(Array.from({ length: 64 }, () => native.modPowAsync(gA, b, DH_PRIME))), budget * 2, 3, 1);
    row('native modPowAsync, 64 in flight (per call)', { us: batch.us / 64, jsUs: batch.jsUs / 64 });
    ratios.push(['native modPowAsync 2048-bit latency vs node:crypto computeSecret', node.us / nat.us, '(info, ≈ 1)']);
    ratios.push(['JS-thread CPU of a native modPowAsync vs computeSecret', nat.jsUs / node.jsUs, '(info, ≪ 1)']);
    ratios.push(['native 64 in flight, per call, vs computeSecret', node.us / (batch.us / 64), '(info)']);
  }
  const slow = await time(() => js.modPowAsync(gA, b, DH_PRIME), budget, 3, 1);
  row('js modPowAsync (BigInt, sliced), one at a time', slow);
  ratios.push(['js modPowAsync 2048-bit vs node:crypto computeSecret', node.us / slow.us, '(info)']);

  console.log('## 2048-bit modular exponentiation (the DH of the handshake), µs per call\n');
  console.log(table(['', 'latency µs', `JS-thread ${perThread ? 'CPU' : 'event-loop'} µs`], rows));
  console.log(`\n(libuv thread pool: ${process.env.UV_THREADPOOL_SIZE ?? 4} threads)\n`);
  return ratios;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { createCrypto, nativeInfo } = await import('../src/index.js');
  const info = nativeInfo();
  const native = 'unavailable' in info ? undefined : createCrypto({ backend: 'native' });
  if (!native) console.log(`native: ${(info as { unavailable: string }).unavailable}\n`);
  const ratios = await benchModPow(native, createCrypto({ backend: 'js' }), Number(process.env.BENCH_BUDGET_MS ?? 200) * 5);
  console.log(table(['comparison', 'ratio', 'target'], ratios.map(([a, r, t]) => [a, r.toFixed(2), t])));
}
