// Random mixes of arguments (right and wrong types and sizes, detached,
// shared and offset views, proxies, look-alikes, other realms): both
// backends must agree on every outcome, and nothing may crash the process.
import { runInNewContext } from 'node:vm';

import test from 'ava';

import { detached, js, native } from './backends.js';
import type { Crypto } from '../src/types.js';
import { isBytes } from '../src/validate.js';

function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
}

const otherRealm = runInNewContext('Uint8Array') as Uint8ArrayConstructor;

function pool(): unknown[] {
  const backing = new Uint8Array(600).map((_, i) => i * 31);
  const shared = new Uint8Array(new SharedArrayBuffer(600));
  const other = new otherRealm(32);
  const lookAlike = Object.setPrototypeOf({ length: 32 }, Uint8Array.prototype) as unknown;
  const values: unknown[] = [
    undefined, null, 0, 8, 4, -0, NaN, 1e300, '0', 0n, 8n, {}, [], [1, 2, 3], Symbol('s'),
    () => 1, new ArrayBuffer(32), new DataView(new ArrayBuffer(32)), new Uint16Array(16),
    new Uint8ClampedArray(32), new Int8Array(32), Buffer.alloc(32, 7), other, lookAlike,
    new Proxy(new Uint8Array(32), {}), detached(32), detached(0),
  ];
  for (const n of [0, 1, 15, 16, 17, 32, 33, 64, 160, 255, 256, 257]) {
    values.push(new Uint8Array(n).fill(n & 255));
    values.push(backing.subarray(3, 3 + n)); // offset views into one buffer (overlaps)
    values.push(shared.subarray(5, 5 + n));
  }
  return values;
}

type Outcome = { ok: unknown } | { error: string };

function outcome(f: () => unknown): Outcome {
  try {
    const r = f();
    return { ok: isBytes(r) ? Buffer.from(r).toString('hex') : r };
  } catch (err) {
    return { error: `${(err as Error).constructor.name}: ${(err as Error).message}` };
  }
}

const calls: [string, number, (c: Crypto, a: unknown[]) => unknown][] = [
  ['aesIgeEncrypt', 3, (c, a) => c.aesIgeEncrypt(a[0] as never, a[1] as never, a[2] as never)],
  ['aesIgeDecrypt', 3, (c, a) => c.aesIgeDecrypt(a[0] as never, a[1] as never, a[2] as never)],
  ['aesIgeEncryptInto', 4, (c, a) => c.aesIgeEncryptInto(a[0] as never, a[1] as never, a[2] as never, a[3] as never)],
  ['aesIgeDecryptInto', 4, (c, a) => c.aesIgeDecryptInto(a[0] as never, a[1] as never, a[2] as never, a[3] as never)],
  ['mtprotoEncrypt', 4, (c, a) => c.mtprotoEncrypt(a[0] as never, a[1] as never, a[2] as never, a[3] as never)],
  ['mtprotoDecrypt', 5, (c, a) => c.mtprotoDecrypt(a[0] as never, a[1] as never, a[2] as never, a[3] as never, a[4] as never)],
  ['factorizePQ', 1, (c, a) => c.factorizePQ(a[0] as never)],
];

(native ? test : test.skip)('random argument mixes: same outcome on both backends, no crash', (t) => {
  const next = rng(20261125);
  let compared = 0;
  for (let i = 0; i < 6000; i++) {
    const [name, arity, call] = calls[i % calls.length]!;
    // Fresh values each round: a call may write into (or mutate) its outputs.
    const values = pool();
    const pick = (): unknown => values[Math.floor(next() * values.length)];
    const args = Array.from({ length: arity }, pick);
    if (name === 'factorizePQ' && next() < 0.5) args[0] = BigInt(Math.floor(next() * 2 ** 40));
    // Each backend gets its own copies of writable arguments.
    const copy = (a: unknown[]): unknown[] =>
      a.map((v) => (isBytes(v) && !(v.buffer instanceof SharedArrayBuffer) && v.length > 0 && v.byteOffset === 0 ? v.slice() : v));
    const simple = args.every((v) => !isBytes(v) || v.byteOffset === 0);
    const argsN = simple ? copy(args) : args;
    const argsJ = simple ? copy(args) : args;
    const a = outcome(() => call(native!, argsN));
    const b = outcome(() => call(js, argsJ));
    if ('error' in a || 'error' in b) {
      t.deepEqual(a, b, `${name}(${args.map((v) => Object.prototype.toString.call(v)).join(', ')})`);
    } else if (simple) {
      t.deepEqual(a, b, name);
      for (let j = 0; j < arity; j++) {
        if (isBytes(argsN[j]) && argsJ[j] !== argsN[j]) {
          t.deepEqual(Buffer.from(argsN[j] as Uint8Array), Buffer.from(argsJ[j] as Uint8Array), `${name} arg ${j}`);
        }
      }
    }
    compared++;
  }
  t.is(compared, 6000);
});
