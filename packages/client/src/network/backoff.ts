import type { RandomSource } from '../mtproto/session/clock.js';

/** How a connection comes back after it drops. */
export interface ReconnectOptions {
  /** Attempts in a row before giving up (the connection then closes); default 10. */
  maxAttempts: number;
  /** Delay before the first retry, ms (default 200); doubles per failed attempt. */
  baseDelay: number;
  /** Longest delay, ms (default 30 000). */
  maxDelay: number;
}

export const defaultReconnectOptions: ReconnectOptions = { maxAttempts: 10, baseDelay: 200, maxDelay: 30_000 };

/**
 * Exponential backoff with "equal jitter": half the doubled delay fixed, half
 * random, so that many clients dropped at once do not return in step.
 */
export function backoffDelay(attempt: number, o: ReconnectOptions, random: RandomSource): number {
  const full = Math.min(o.maxDelay, o.baseDelay * 2 ** Math.min(attempt, 30));
  const b = new Uint8Array(2);
  random(b);
  const r = (b[0]! | (b[1]! << 8)) / 65536;
  return Math.round(full / 2 + (full / 2) * r);
}
