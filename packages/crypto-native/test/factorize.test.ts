import { checkPrimeSync, generatePrimeSync } from 'node:crypto';

import test from 'ava';

import { backends } from './backends.js';

for (const c of backends) {
  test(`${c.backend}: the spec's sample pq`, (t) => {
    t.deepEqual(c.factorizePQ(0x17ed48941a08f981n), [0x494c553bn, 0x53911073n]);
  });

  test(`${c.backend}: random products of 31- and 32-bit primes`, (t) => {
    for (let i = 0; i < 40; i++) {
      const p = generatePrimeSync(31 + (i % 2), { bigint: true });
      const q = generatePrimeSync(32, { bigint: true });
      const [a, b] = c.factorizePQ(p * q);
      t.is(a * b, p * q);
      t.true(a <= b);
      t.deepEqual([a, b], p < q ? [p, q] : [q, p]);
    }
  });

  test(`${c.backend}: edges of the range`, (t) => {
    t.deepEqual(c.factorizePQ(4n), [2n, 2n]);
    t.deepEqual(c.factorizePQ(6n), [2n, 3n]);
    t.deepEqual(c.factorizePQ(49n), [7n, 7n]);
    t.deepEqual(c.factorizePQ(2n * 9223372036854775783n), [2n, 9223372036854775783n]);
    // Two primes just below 2^32: the product is just below 2^64.
    t.deepEqual(c.factorizePQ(4294967291n * 4294967279n), [4294967279n, 4294967291n]);
    // A small and a large factor.
    const big = 3074457345618258599n; // prime, just below 2^64 / 6
    t.true(checkPrimeSync(big));
    t.deepEqual(c.factorizePQ(5n * big), [5n, big]);
  });

  test(`${c.backend}: bad pq gives RangeError/TypeError`, (t) => {
    const range = (pq: bigint, message: string): void => {
      t.throws(() => c.factorizePQ(pq), { instanceOf: RangeError, message }, String(pq));
    };
    range(0n, 'pq must be greater than 1');
    range(1n, 'pq must be greater than 1');
    range(-15n, 'pq must be greater than 1');
    range(1n << 64n, 'pq must be below 2^64');
    range((1n << 64n) + 15n, 'pq must be below 2^64');
    range(1n << 4096n, 'pq must be below 2^64');
    range(2n, 'pq is prime');
    range(0x494c553bn, 'pq is prime');
    range(18446744073709551557n, 'pq is prime'); // the largest 64-bit prime
    range(8n, 'pq is not a product of two primes');
    range(1000003n * 1000033n * 17n, 'pq is not a product of two primes');
    range(4294967291n * 4294967291n - 1n, 'pq is not a product of two primes');
    for (const bad of [15, '15', null, undefined, 15.5, {}]) {
      t.throws(() => c.factorizePQ(bad as never), { instanceOf: TypeError, message: 'pq must be a bigint' });
    }
  });
}
