// A tiny benchmark harness: runs each case in short timed batches, several
// rounds interleaved between the contenders (the order turning every round, so
// no case always follows the same neighbour), and keeps the median. Time is
// the process's CPU time, not the wall clock: on a shared, loaded machine the
// wall clock mostly measures the other tenants. Ratios between cases of one
// run are what to read.

export interface BenchCase {
  name: string;
  fn: () => unknown;
}

let sink: unknown;

/** CPU time of this process (all its threads, GC helpers included), in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function opsPerSecond(fn: () => unknown, ms: number): number {
  // Warm up and size a batch to ~5 ms.
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) sink = fn();
    const dt = performance.now() - t0;
    if (dt > 5) break;
    batch *= 2;
  }
  let ops = 0;
  const t0 = cpuMs();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < batch; i++) sink = fn();
    ops += batch;
    t = cpuMs();
  }
  return (ops * 1000) / (t - t0);
}

/** ops/s per case: the median of `rounds` rounds of `ms` each. */
export function run(cases: BenchCase[], { rounds = 5, ms = 300 } = {}): Map<string, number> {
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < cases.length; j++) {
      const c = cases[(j + r) % cases.length]!;
      samples.get(c.name)!.push(opsPerSecond(c.fn, ms));
    }
  }
  const out = new Map<string, number>();
  for (const [name, list] of samples) {
    list.sort((a, b) => a - b);
    out.set(name, list[list.length >> 1]!);
  }
  void sink;
  return out;
}

export const fmt = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(1);
