// Fixed inputs for sans-IO tests: a fake clock, seeded randomness, a test auth key.
import type { Clock, RandomSource } from '../../src/mtproto/session/clock.js';

export class FakeClock implements Clock {
  constructor(public t = 1_764_000_000_000) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** xorshift32: the same bytes for the same seed, every run. */
export function seededRandom(seed = 0x9e3779b9): RandomSource {
  let s = seed >>> 0 || 1;
  return (out) => {
    for (let i = 0; i < out.length; i++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      out[i] = s & 0xff;
    }
  };
}

export function bytesOf(seed: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  seededRandom(seed)(b);
  return b;
}

export const AUTH_KEY = bytesOf(1, 256);
export const SALT = 0x1122334455667788n;

