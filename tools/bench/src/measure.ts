// Timing helpers. Every loop is bounded twice: by a count and by a deadline.

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export class DeadlineError extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${Math.round(ms)} ms`);
    this.name = 'DeadlineError';
  }
}

export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/** A rate: how many operations completed, in how long, and whether all of those asked for did. */
export interface Rate {
  done: number;
  asked: number;
  ms: number;
  perSecond: number;
  complete: boolean;
  /** The emulator's CPU time per completed call, µs (filled in by the caller). */
  serverCpuUs?: number;
  /** The first failure, when some calls failed. */
  error?: string;
}

function rateOf(done: number, asked: number, ms: number): Rate {
  return { done, asked, ms, perSecond: (done * 1000) / ms, complete: done === asked };
}

/** Up to `count` calls of `one`, each awaited before the next, stopping at `budgetMs`. */
export async function sequential(count: number, budgetMs: number, one: () => Promise<unknown>): Promise<Rate> {
  const t0 = performance.now();
  const stopAt = t0 + budgetMs;
  let done = 0;
  while (done < count && performance.now() < stopAt) {
    await withDeadline(one(), Math.max(1, stopAt - performance.now()) + 5_000, 'sequential call');
    done++;
  }
  return rateOf(done, count, performance.now() - t0);
}

/** `count` calls started at once; the rate counts those answered before `budgetMs`. */
export async function pipelined(count: number, budgetMs: number, one: () => Promise<unknown>): Promise<Rate> {
  let done = 0;
  let failed: unknown;
  const t0 = performance.now();
  let last = t0;
  const all: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    all.push(
      one().then(
        () => {
          done++;
          last = performance.now();
        },
        (e: unknown) => {
          failed ??= e;
        },
      ),
    );
  }
  try {
    await withDeadline(Promise.all(all), budgetMs, 'pipelined calls');
  } catch {
    last = performance.now();
  }
  if (failed !== undefined && done === 0) throw failed;
  const r = rateOf(done, count, last - t0);
  if (failed !== undefined) r.error = String((failed as Error).message ?? failed);
  return r;
}

/** `count` calls with at most `window` in flight (a new one starts as each finishes), within `budgetMs`. */
export async function windowed(
  count: number,
  window: number,
  budgetMs: number,
  one: () => Promise<unknown>,
): Promise<Rate> {
  let started = 0;
  let done = 0;
  let failed: unknown;
  const t0 = performance.now();
  const stopAt = t0 + budgetMs;
  const lane = async (): Promise<void> => {
    while (started < count && failed === undefined && performance.now() < stopAt) {
      started++;
      try {
        await one();
        done++;
      } catch (e) {
        failed ??= e;
      }
    }
  };
  try {
    await withDeadline(Promise.all(Array.from({ length: Math.min(window, count) }, lane)), budgetMs + 5_000, 'windowed calls');
  } catch (e) {
    failed ??= e;
  }
  if (failed !== undefined && done === 0) throw failed;
  const r = rateOf(done, count, performance.now() - t0);
  if (failed !== undefined) r.error = String((failed as Error).message ?? failed);
  return r;
}

export interface Timed {
  /** Wall-clock milliseconds of each timed run. */
  times: number[];
  /** This process's CPU time (user + system) per timed run, ms: the server runs elsewhere. */
  cpuMsEach: number;
  /** Runs that failed (not timed, not counted), and the first failure. */
  failures: number;
  firstFailure?: string;
}

/** Times `n` runs of `one` (after `warmup` untimed ones) within `budgetMs`; what `one` resolves to is run untimed after it. */
export async function timeEach(
  n: number,
  warmup: number,
  budgetMs: number,
  one: () => Promise<(() => Promise<void>) | void>,
): Promise<Timed> {
  const stopAt = performance.now() + budgetMs;
  const times: number[] = [];
  let cpu = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  // A failed run is retried, up to `n` failures in all.
  for (let i = 0; i < n + warmup && failures <= n && performance.now() < stopAt; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let after: (() => Promise<void>) | void;
    try {
      after = await withDeadline(one(), Math.max(1, stopAt - t0) + 5_000, 'timed call');
    } catch (e) {
      failures++;
      firstFailure ??= (e as Error).message;
      i--;
      continue;
    }
    const t1 = performance.now();
    const c = process.cpuUsage(c0);
    if (after) await withDeadline(after(), 10_000, 'clean-up after a timed call'); // untimed
    if (i >= warmup) {
      times.push(t1 - t0);
      cpu += (c.user + c.system) / 1000;
    }
  }
  return { times, cpuMsEach: times.length ? cpu / times.length : NaN, failures, firstFailure };
}
