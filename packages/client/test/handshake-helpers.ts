// Shared test tools: scripted randomness and a fake clock.
import { createHash } from 'node:crypto';

export function hex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s.replace(/[^0-9a-fA-F]/g, ''), 'hex'));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}

/** Deterministic bytes for draws the test does not care about. */
export function seeded(seed: string): (n: number) => Uint8Array {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let o = 0; o < n; o += 32) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, n - o)), o);
    }
    return out;
  };
}

/**
 * Randomness that returns the given values, in order, for draws of exactly
 * their length; `null` entries (and anything after the script) are filled
 * deterministically. Records every draw for inspection.
 */
export function scripted(script: (Uint8Array | null)[], seed = 'filler') {
  const fill = seeded(seed);
  const draws: number[] = [];
  let i = 0;
  const random = (n: number): Uint8Array => {
    draws.push(n);
    const next = i < script.length ? script[i++] : null;
    if (next === null || next === undefined) return fill(n);
    if (next.length !== n) throw new Error(`scripted draw ${i - 1}: wanted ${n} bytes, script has ${next.length}`);
    return next.slice();
  };
  return { random, draws };
}

export function fakeClock(startMs: number) {
  let t = startMs;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}
