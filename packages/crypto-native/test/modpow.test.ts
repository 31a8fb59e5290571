// modPowAsync: every backend against a plain BigInt reference and
// node:crypto's Diffie–Hellman, the edge cases, the argument errors (same
// class and message everywhere, thrown synchronously), many calls in flight.
import { createDiffieHellman } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import test from 'ava';

import { backends, bytesFrom, js, native } from './backends.js';
import { loadAddon } from '../src/native/addon.js';
import type { Crypto } from '../src/types.js';
import { DH_PRIME } from './dh-prime.js';


const big = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`));
const bytesOf = (x: bigint, n: number): Uint8Array => Buffer.from(x.toString(16).padStart(n * 2, '0'), 'hex');
const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Right-to-left binary exponentiation: slow, obviously right. */
function reference(base: Uint8Array, exponent: Uint8Array, modulus: Uint8Array): string {
  const m = big(modulus);
  let b = big(base) % m;
  let e = big(exponent);
  let r = 1n % m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return hexOf(bytesOf(r, modulus.length));
}

/** Deterministic odd modulus of n bytes with the top bit set. */
function oddModulus(label: string, n: number): Uint8Array {
  const m = bytesFrom(label, n);
  m[0]! |= 0x80;
  m[n - 1]! |= 1;
  return m;
}

async function agrees(t: import('ava').ExecutionContext, c: Crypto, base: Uint8Array, exponent: Uint8Array, modulus: Uint8Array, what: string): Promise<void> {
  const got = await c.modPowAsync(base, exponent, modulus);
  t.true(got instanceof Uint8Array, `${c.backend} ${what}: a Uint8Array`);
  t.is(got.length, modulus.length, `${c.backend} ${what}: padded to the modulus`);
  t.is(hexOf(got), reference(base, exponent, modulus), `${c.backend} ${what}`);
}

test('random 2048-bit inputs agree with the BigInt reference', async (t) => {
  for (const c of backends) {
    for (let i = 0; i < 3; i++) {
      const exponent = bytesFrom(`exp/${i}`, 256);
      await agrees(t, c, bytesFrom(`base/${i}`, 256), exponent, DH_PRIME, `dh_prime #${i}`);
      await agrees(t, c, bytesFrom(`base2/${i}`, 256), exponent, oddModulus(`mod/${i}`, 256), `random modulus #${i}`);
    }
  }
});

test("g^b and g_a^b agree with node:crypto's DiffieHellman", async (t) => {
  const dh = createDiffieHellman(DH_PRIME, 3);
  const b = bytesFrom('dh/b', 256);
  dh.setPrivateKey(Buffer.from(b));
  const gA = bytesFrom('dh/g_a', 256);
  gA[0] = 0x11; // below the prime
  const gB = dh.generateKeys();
  const secret = dh.computeSecret(Buffer.from(gA));
  for (const c of backends) {
    t.is(hexOf(await c.modPowAsync(Uint8Array.of(3), b, DH_PRIME)), gB.toString('hex').padStart(512, '0'), `${c.backend} g_b`);
    t.is(hexOf(await c.modPowAsync(gA, b, DH_PRIME)), secret.toString('hex').padStart(512, '0'), `${c.backend} auth key`);
  }
});

test('4096-bit modulus and exponent, the largest accepted', async (t) => {
  const modulus = oddModulus('mod/4096', 512);
  for (const c of backends) {
    await agrees(t, c, bytesFrom('base/4096', 512), bytesFrom('exp/4096', 512), modulus, '4096-bit');
  }
});

test('edge cases: zero exponent, zero base, base ≥ modulus, tiny and zero-led moduli', async (t) => {
  const m = DH_PRIME;
  const one = bytesOf(1n, 256);
  const cases: [string, Uint8Array, Uint8Array, Uint8Array, string?][] = [
    ['empty exponent', bytesFrom('b', 256), new Uint8Array(0), m, hexOf(one)],
    ['zero exponent bytes', bytesFrom('b', 256), new Uint8Array(256), m, hexOf(one)],
    ['zero base', new Uint8Array(256), bytesFrom('e', 256), m, '00'.repeat(256)],
    ['empty base', new Uint8Array(0), bytesFrom('e', 256), m, '00'.repeat(256)],
    ['0^0', new Uint8Array(0), new Uint8Array(0), m, hexOf(one)],
    ['base = modulus', m, bytesFrom('e', 256), m, '00'.repeat(256)],
    ['base = modulus + 2', bytesOf(big(m) + 2n, 256), bytesFrom('e', 256), m],
    ['base of 512 bytes over a 256-byte modulus', bytesFrom('long base', 512), bytesFrom('e', 256), m],
    ['base = modulus - 1, exponent 2', bytesOf(big(m) - 1n, 256), Uint8Array.of(2), m, hexOf(one)],
    ['modulus 3', Uint8Array.of(5), Uint8Array.of(7), Uint8Array.of(3), '02'],
    ['modulus 3, base 3', Uint8Array.of(3), Uint8Array.of(1), Uint8Array.of(3), '00'],
    ['modulus 3, exponent 0', Uint8Array.of(2), Uint8Array.of(0), Uint8Array.of(3), '01'],
    ['zero-led modulus pads the result', Uint8Array.of(2), Uint8Array.of(1), Uint8Array.of(0, 0, 0, 7), '00000002'],
    ['zero-led 2048-bit modulus', bytesFrom('b', 256), bytesFrom('e', 256), Buffer.concat([Buffer.alloc(3), m])],
    ['exponent with leading zero bytes', bytesFrom('b', 256), Buffer.concat([Buffer.alloc(200), bytesFrom('e', 56)]), m],
    ['exponent 1 returns the reduced base', bytesOf(big(m) + 5n, 256), Uint8Array.of(1), m, hexOf(bytesOf(5n, 256))],
  ];
  for (const c of backends) {
    for (const [name, base, exponent, modulus, want] of cases) {
      await agrees(t, c, base, exponent, modulus, name);
      if (want !== undefined) t.is(hexOf(await c.modPowAsync(base, exponent, modulus)), want, `${c.backend} ${name}`);
    }
  }
});

test('small random inputs agree with the reference', async (t) => {
  for (const c of backends) {
    for (let i = 0; i < 150; i++) {
      const seed = bytesFrom(`small/${i}`, 3);
      const modulus = bytesFrom(`small/m/${i}`, 1 + (seed[0]! % 40));
      modulus[modulus.length - 1]! |= 1;
      if (big(modulus) <= 1n) modulus[modulus.length - 1] = 3;
      await agrees(t, c, bytesFrom(`small/b/${i}`, seed[1]! % 50), bytesFrom(`small/e/${i}`, seed[2]! % 50), modulus, `small #${i}`);
    }
  }
});

test('views at an offset, Buffers and shared memory are read correctly', async (t) => {
  const shared = new Uint8Array(new SharedArrayBuffer(1024));
  shared.set(bytesFrom('sab', 1024));
  shared[700]! |= 1;
  const base = shared.subarray(3, 259);
  const exponent = shared.subarray(300, 556);
  const modulus = shared.subarray(445, 701);
  for (const c of backends) {
    await agrees(t, c, base, exponent, modulus, 'SharedArrayBuffer views');
    await agrees(t, c, Buffer.from(base), Buffer.from(exponent), DH_PRIME, 'Buffers');
  }
});

test('the inputs are copied at the call: changing them afterwards does not matter', async (t) => {
  for (const c of backends) {
    const base = bytesFrom('copy/b', 256);
    const exponent = bytesFrom('copy/e', 256);
    const modulus = Uint8Array.from(DH_PRIME);
    const want = reference(base, exponent, modulus);
    const pending = c.modPowAsync(base, exponent, modulus);
    base.fill(7);
    exponent.fill(0);
    modulus.fill(0xff);
    t.is(hexOf(await pending), want, c.backend);
  }
});

test('64 concurrent calls all resolve to their own results', async (t) => {
  for (const c of backends) {
    // The js backend runs on the JS thread: smaller numbers keep it brief.
    const n = c === js ? 64 : 256;
    const modulus = c === js ? oddModulus('conc/m', n) : DH_PRIME;
    const calls = Array.from({ length: 64 }, (_, i) => {
      const base = bytesFrom(`conc/b/${i}`, n);
      const exponent = bytesFrom(`conc/e/${i}`, n);
      return { want: reference(base, exponent, modulus), got: c.modPowAsync(base, exponent, modulus) };
    });
    const got = await Promise.all(calls.map((x) => x.got));
    for (let i = 0; i < calls.length; i++) t.is(hexOf(got[i]!), calls[i]!.want, `${c.backend} call ${i}`);
    t.is(new Set(got.map(hexOf)).size, 64, `${c.backend}: 64 distinct results`);
  }
});

test('each result is a fresh buffer', async (t) => {
  for (const c of backends) {
    const [a, b] = await Promise.all([
      c.modPowAsync(Uint8Array.of(2), Uint8Array.of(10), DH_PRIME),
      c.modPowAsync(Uint8Array.of(2), Uint8Array.of(10), DH_PRIME),
    ]);
    t.deepEqual(a, b);
    a![255] ^= 1;
    t.notDeepEqual(a, b, `${c.backend}: results share no memory`);
  }
});

test('the js backend yields to the event loop while it works', async (t) => {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const pending = js.modPowAsync(bytesFrom('yield/b', 256), bytesFrom('yield/e', 256), DH_PRIME);
  await pending;
  running = false;
  // 2048 exponent bits are 8 slices of 256; other work runs between them.
  t.true(turns >= 7, `${turns} event-loop turns during one exponentiation`);
});

const m256 = DH_PRIME;
const e256 = bytesFrom('err/e', 256);
const b256 = bytesFrom('err/b', 256);
type Case = [name: string, args: unknown[], errorClass: typeof TypeError | typeof RangeError, message: string];
const cases: Case[] = [
  ['base a string', ['02', e256, m256], TypeError, 'base must be a Uint8Array'],
  ['base a number array', [[2], e256, m256], TypeError, 'base must be a Uint8Array'],
  ['base a bigint', [2n, e256, m256], TypeError, 'base must be a Uint8Array'],
  ['exponent a Uint16Array', [b256, new Uint16Array(8), m256], TypeError, 'exponent must be a Uint8Array'],
  ['exponent missing', [b256, undefined, m256], TypeError, 'exponent must be a Uint8Array'],
  ['modulus an ArrayBuffer', [b256, e256, new ArrayBuffer(256)], TypeError, 'modulus must be a Uint8Array'],
  ['modulus a DataView', [b256, e256, new DataView(new ArrayBuffer(8))], TypeError, 'modulus must be a Uint8Array'],
  ['types before sizes', [new Uint8Array(513), e256, null], TypeError, 'modulus must be a Uint8Array'],
  ['base of 513 bytes', [new Uint8Array(513), e256, m256], RangeError, 'base must be at most 512 bytes long, got 513'],
  ['exponent of 513 bytes', [b256, new Uint8Array(513), m256], RangeError, 'exponent must be at most 512 bytes long, got 513'],
  ['modulus of 513 bytes', [b256, e256, new Uint8Array(513).fill(0xff)], RangeError, 'modulus must be at most 512 bytes long, got 513'],
  ['huge exponent', [b256, new Uint8Array(64 << 20), m256], RangeError, `exponent must be at most 512 bytes long, got ${64 << 20}`],
  ['sizes before the modulus value', [b256, new Uint8Array(600), Uint8Array.of(4)], RangeError, 'exponent must be at most 512 bytes long, got 600'],
  ['even modulus', [b256, e256, Uint8Array.of(1, 0)], RangeError, 'modulus must be odd and greater than 1'],
  ['even 2048-bit modulus', [b256, e256, bytesOf(big(m256) + 1n, 256)], RangeError, 'modulus must be odd and greater than 1'],
  ['modulus 1', [b256, e256, Uint8Array.of(1)], RangeError, 'modulus must be odd and greater than 1'],
  ['modulus 1, zero-led', [b256, e256, Uint8Array.of(0, 0, 1)], RangeError, 'modulus must be odd and greater than 1'],
  ['modulus 0', [b256, e256, new Uint8Array(256)], RangeError, 'modulus must be odd and greater than 1'],
  ['empty modulus', [b256, e256, new Uint8Array(0)], RangeError, 'modulus must be odd and greater than 1'],
];

for (const [name, args, errorClass, message] of cases) {
  test(`${name}: thrown synchronously, the same on every backend`, (t) => {
    for (const c of backends) {
      t.throws(() => (c.modPowAsync as (...a: unknown[]) => unknown)(...args), { instanceOf: errorClass, message }, c.backend);
    }
  });
}

test('under Node the addon has OpenSSL to call, so native runs its own modPowAsync', (t) => {
  // Where the symbols are missing the native backend quietly uses the js
  // function; under Node that would mean the tests above ran js twice.
  const { addon } = loadAddon();
  if (!addon) {
    t.is(native, undefined);
    t.pass('addon not built: js only');
    return;
  }
  t.is(typeof addon.modPowAsync, 'function');
  t.is(native!.modPowAsync, addon.modPowAsync!);
});

test('a worker thread ended with exponentiations in flight does not take the process down', async (t) => {
  if (!native) {
    t.pass('addon not built');
    return;
  }
  const addonPath = fileURLToPath(new URL('../build/Release/crypto_native.node', import.meta.url));
  // Each worker queues 16 exponentiations and reports each result.
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const addon = require(workerData.addonPath);
    const modulus = Buffer.from(workerData.modulus);
    for (let i = 0; i < 16; i++) {
      addon.modPowAsync(Buffer.of(3), Buffer.alloc(256, i + 1), modulus).then((r) => parentPort.postMessage(r.length));
    }
    parentPort.postMessage('queued');
  `;
  const start = (): Worker => new Worker(source, { eval: true, workerData: { addonPath, modulus: DH_PRIME } });
  for (let i = 0; i < 6; i++) {
    const w = start();
    await new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    await w.terminate(); // while the pool still works on its calls
  }
  const w = start();
  const lengths: number[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('worker results did not arrive in 20 s')), 20_000);
    w.on('message', (m: unknown) => {
      if (typeof m === 'number' && lengths.push(m) === 16) {
        clearTimeout(timer);
        resolve();
      }
    });
    w.once('error', reject);
  });
  await w.terminate();
  t.deepEqual(lengths, new Array(16).fill(256));
});
