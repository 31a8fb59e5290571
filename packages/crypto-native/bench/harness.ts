// A small timing harness for a shared, noisy machine: time is this
// process's CPU time (so being descheduled does not count), each case runs
// in several short windows and the best one is reported, so one busy
// neighbour does not decide a ratio. Calls are batched so reading the
// clock costs little next to a 100 ns call.

export interface Rate {
  /** calls per second (best window) */
  perSecond: number;
  /** nanoseconds per call (best window) */
  nsPerCall: number;
}

/** Milliseconds of CPU time used by this process so far. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function measure(fn: () => void, budgetMs = 300, windows = 6): Rate {
  // Warm up (lets V8 optimise) and size a batch at ~1 ms.
  let batch = 1;
  const warmEnd = cpuMs() + Math.min(60, budgetMs / 4);
  while (cpuMs() < warmEnd) {
    const t0 = cpuMs();
    for (let i = 0; i < batch; i++) fn();
    if (cpuMs() - t0 < 1) batch *= 2;
  }
  let best = 0;
  const windowMs = budgetMs / windows;
  for (let w = 0; w < windows; w++) {
    let calls = 0;
    const start = cpuMs();
    let elapsed = 0;
    do {
      for (let i = 0; i < batch; i++) fn();
      calls += batch;
      elapsed = cpuMs() - start;
    } while (elapsed < windowMs);
    best = Math.max(best, (calls * 1000) / elapsed);
  }
  return { perSecond: best, nsPerCall: 1e9 / best };
}

export const mbPerSecond = (r: Rate, bytes: number): number => (r.perSecond * bytes) / 1e6;

export function fmt(x: number, digits = 1): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(digits);
}

export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}
