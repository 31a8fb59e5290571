// Resilience figures against the DC emulator, in one run (bounded: fixed
// counts, deadlines on every phase):
//   - reconnect to first answer after a drop (median of 20), next to a fresh
//     connection's first answer with a stored key, measured the same way;
//   - windowed RPC throughput with 1% of the client's frames lost, next to
//     the same with no loss;
//   - memory per idle connected client, 1,000 clients on one stored key,
//     with the emulator in its own process (tgmt-emulator) so that only the
//     client side is counted. tools/bench (bench:memory) measures the same
//     next to GramJS and mtcute, each library in a child process of its own.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Connection, transportWire, type ConnectionOptions } from '@telegram-mt/client';
import { FaultPlan, startEmulator } from '../test/support/emulator.js';

const DROPS = 20;
const CALLS = 20_000;
const CLIENTS = 1000;
const DEADLINE_MS = 120_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function withDeadline<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${DEADLINE_MS} ms`)), DEADLINE_MS);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

export async function resilienceBench(): Promise<string[]> {
  const out: string[] = [];
  const faults = new FaultPlan();
  const emulator = await startEmulator({ dcCount: 1, faults });
  faults.emulator = emulator;
  emulator.registerMethod('help.getAppConfig', () => ({ _: 'help.appConfigNotModified' as const }));
  const base: ConnectionOptions = {
    dc: emulator.dcs[0]!,
    apiId: 1,
    rsaPublicKeys: emulator.rsaPublicKeys,
    wire: transportWire({ codec: 'intermediate' }),
    pingInterval: 0,
  };
  try {
    // ---- reconnect to first answer ----
    const first = new Connection({ ...base, pfs: false });
    await first.invoke({ _: 'help.getAppConfig', hash: 0 });
    const key = first.authKey!;
    first.close();
    const fresh: number[] = [];
    for (let i = 0; i < DROPS; i++) {
      const t0 = performance.now();
      const c = new Connection({ ...base, pfs: false, authKey: key });
      await withDeadline(c.invoke({ _: 'help.getAppConfig', hash: i }), 'fresh connection');
      fresh.push(performance.now() - t0);
      c.close();
    }
    for (const baseDelay of [200, 10]) {
      const c = new Connection({ ...base, pfs: false, authKey: key, reconnect: { baseDelay } });
      await c.invoke({ _: 'help.getAppConfig', hash: 0 });
      const times: number[] = [];
      for (let i = 0; i < DROPS; i++) {
        const t0 = performance.now();
        for (const conn of emulator.dc(1).openConnections) conn.close();
        await new Promise<void>((resolve) => c.once('state', () => resolve()));
        await withDeadline(c.invoke({ _: 'help.getAppConfig', hash: i }), 'reconnect');
        times.push(performance.now() - t0);
      }
      c.close();
      out.push(
        `reconnect → first answer (baseDelay ${baseDelay} ms): median ${median(times).toFixed(1)} ms; ` +
          `fresh connection → first answer: ${median(fresh).toFixed(1)} ms; ratio ${(median(times) / median(fresh)).toFixed(2)}×`,
      );
    }

    // ---- throughput under 1% frame loss (rounds alternate, best of 3 each: JIT warm-up hits both alike) ----
    const rates: Record<string, number[]> = { 'no loss': [], '1% loss': [] };
    let lost = 0;
    const original = faults.incoming.bind(faults);
    for (let round = 0; round < 3; round++) {
      for (const [label, every] of [['no loss', 0], ['1% loss', 100]] as const) {
        const c = new Connection({ ...base, pfs: false, authKey: key, probeInterval: 100 });
        await c.invoke({ _: 'help.getAppConfig', hash: 0 });
        let n = 0;
        // Loss without a close: every n-th frame from the client is swallowed.
        faults.incoming = (p, info) => {
          if (every > 0 && ++n % every === 0) {
            lost++;
            return null;
          }
          return original(p, info);
        };
        let next = 0;
        const t0 = performance.now();
        await withDeadline(
          Promise.all(
            Array.from({ length: 32 }, async () => {
              while (next < CALLS) {
                next++;
                await c.invoke({ _: 'help.getAppConfig', hash: next }, { timeout: 60_000 });
              }
            }),
          ),
          label,
        );
        rates[label]!.push((CALLS * 1000) / (performance.now() - t0));
        faults.incoming = original;
        c.close();
      }
    }
    const best = (xs: number[]): number => Math.max(...xs);
    out.push(
      `windowed RPC (32 in flight, ${CALLS} calls, best of 3): ${Math.round(best(rates['no loss']!))}/s without loss, ` +
        `${Math.round(best(rates['1% loss']!))}/s with 1% of client frames lost (${lost} frames lost in all); ` +
        `ratio ${(best(rates['1% loss']!) / best(rates['no loss']!)).toFixed(2)}×`,
    );
  } finally {
    await emulator.stop();
  }

  // ---- memory per idle client, the emulator in its own process ----
  const cli = fileURLToPath(new URL('../../../tools/dc-emulator/dist/cli.js', import.meta.url));
  const child = spawn(process.execPath, [cli, '--dcs', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const info = await withDeadline(
      new Promise<{ dcs: { id: number; host: string; port: number }[]; rsaPublicKeys: string[] }>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          const nl = buf.indexOf('\n');
          if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)));
        });
        child.once('exit', (code) => reject(new Error(`tgmt-emulator exited with ${code}`)));
      }),
      'tgmt-emulator start',
    );
    const opts: ConnectionOptions = { ...base, dc: info.dcs[0]!, rsaPublicKeys: info.rsaPublicKeys, pfs: false };
    const seed = new Connection(opts);
    await seed.invoke({ _: 'help.getNearestDc' });
    const key = seed.authKey!;
    const gc = (globalThis as { gc?: () => void }).gc;
    const used = (): number => {
      gc?.();
      const m = process.memoryUsage();
      // external already includes arrayBuffers.
      return m.heapUsed + m.external;
    };
    const before = used();
    const clients: Connection[] = [];
    await withDeadline(
      (async () => {
        for (let i = 0; i < CLIENTS; i += 50) {
          const batch = Array.from({ length: 50 }, () => new Connection({ ...opts, authKey: key, pingInterval: 60_000 }));
          await Promise.all(batch.map((c) => c.invoke({ _: 'help.getNearestDc' })));
          clients.push(...batch);
        }
      })(),
      `${CLIENTS} clients`,
    );
    await new Promise((r) => setTimeout(r, 300)); // acks flushed, buffers settled
    const after = used();
    out.push(
      `memory per idle connected client (${CLIENTS} in one process, heap + external, ${gc ? 'after gc' : 'no --expose-gc: upper bound'}): ` +
        `${((after - before) / CLIENTS / 1024).toFixed(1)} KB (target ≤ 100 KB)`,
    );
    for (const c of clients) c.close();
    seed.close();
  } finally {
    child.kill();
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const line of await resilienceBench()) console.log(line);
}
