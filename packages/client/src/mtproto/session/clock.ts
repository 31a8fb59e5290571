import { randomFillSync } from 'node:crypto';

/** Wall-clock time in milliseconds since the Unix epoch. Injected so tests run on a fake clock. */
export interface Clock {
  now(): number;
}

/** Fills a buffer with random bytes. Injected so tests run on fixed randomness. */
export type RandomSource = (out: Uint8Array) => void;

export const systemClock: Clock = { now: () => Date.now() };

// randomFillSync costs about a microsecond per call whatever the size, and
// every packet wants a few padding bytes: draw them from a refilled pool.
const pool = new Uint8Array(4096);
let poolPos = pool.length;

export const systemRandom: RandomSource = (out) => {
  const n = out.length;
  if (n > 1024) {
    randomFillSync(out);
    return;
  }
  if (poolPos + n > pool.length) {
    randomFillSync(pool);
    poolPos = 0;
  }
  out.set(pool.subarray(poolPos, poolPos + n));
  // Never hand the same bytes out twice.
  poolPos += n;
};

/** A random signed 64-bit id (session_id, ping_id, unique_id). */
export function randomLong(random: RandomSource): bigint {
  const b = new Uint8Array(8);
  random(b);
  return new DataView(b.buffer).getBigInt64(0, true);
}
