// telegram-mt's MTProto sessions against the DC emulator (a child process on
// 127.0.0.1), next to GramJS and mtcute against the same emulator, in one run:
// handshake time (median of 20 new auth keys) with the cost of its arithmetic
// alone, sequential RPC round trips, and 10,000 pipelined pings.
// Usage: tsx src/run.ts [peer names…]   (default: all of them)
import { handshakeArithmetic, type ArithmeticResult } from './arithmetic.js';
import { startChildEmulator } from './emulator.js';
import { median, pipelined, sequential, timeEach, windowed, type Rate } from './measure.js';
import type { Peer, PeerTarget } from './peers/peer.js';
import { printReport, type PeerResult } from './report.js';

const HANDSHAKES = 20;
const HANDSHAKE_WARMUP = 2;
const HANDSHAKE_BUDGET_MS = 30_000;
const WARMUP_CALLS = 1_000;
const SEQUENTIAL = 2_000;
const SEQUENTIAL_BUDGET_MS = 10_000;
const PIPELINED = 10_000;
const PIPELINED_BUDGET_MS = 20_000;
const WINDOW = 500;
const WINDOWED_BUDGET_MS = 15_000;
const TOTAL_BUDGET_MS = 170_000; // the whole run stays under ~3 minutes

const PEERS: Record<string, () => Promise<Peer>> = {
  'telegram-mt': async () => (await import('./peers/ours.js')).ours,
  gramjs: async () => (await import('./peers/gramjs.js')).gramjs,
  mtcute: async () => (await import('./peers/mtcute.js')).mtcute,
};

/** Runs a phase and notes the emulator's CPU per completed call. */
async function onServer(serverCpuMs: () => number, phase: () => Promise<Rate>): Promise<Rate> {
  const c0 = serverCpuMs();
  const r = await phase();
  if (r.done > 0) r.serverCpuUs = ((serverCpuMs() - c0) * 1000) / r.done;
  return r;
}

async function measurePeer(peer: Peer, target: PeerTarget, serverCpuMs: () => number): Promise<PeerResult> {
  const server = (phase: () => Promise<Rate>) => onServer(serverCpuMs, phase);
  const result: PeerResult = { name: peer.name, errors: [], notes: [...(peer.notes ?? [])] };
  try {
    const s0 = serverCpuMs();
    const t = await timeEach(HANDSHAKES, HANDSHAKE_WARMUP, HANDSHAKE_BUDGET_MS, () => peer.newAuthKey(target));
    // Per attempt, warm-ups and failures included: the emulator's work cannot be split finer from outside.
    result.handshakeServerCpuMs = (serverCpuMs() - s0) / (t.times.length + HANDSHAKE_WARMUP + t.failures);
    result.handshakeMs = median(t.times);
    result.handshakeCpuMs = t.cpuMsEach;
    result.handshakes = t.times.length;
    if (t.failures > 0) result.notes.push(`${t.failures} handshake(s) failed and were retried; the first: ${t.firstFailure}`);
    if (t.times.length === 0) throw new Error(t.firstFailure ?? 'no handshake completed');
  } catch (e) {
    result.errors.push(`handshake: ${(e as Error).message}`);
  }
  let session;
  try {
    session = await peer.open(target);
  } catch (e) {
    result.errors.push(`session: ${(e as Error).message}`);
    return result;
  }
  try {
    // This client's own warm-up (JIT): untimed calls of each kind, bounded.
    await sequential(WARMUP_CALLS, SEQUENTIAL_BUDGET_MS, () => session.rpc());
    if (session.ping) await sequential(WARMUP_CALLS, SEQUENTIAL_BUDGET_MS, session.ping);
    await windowed(2 * WARMUP_CALLS, WINDOW, WINDOWED_BUDGET_MS, () => session.rpc());
    result.sequentialRpc = await server(() => sequential(SEQUENTIAL, SEQUENTIAL_BUDGET_MS, () => session.rpc()));
    const ping = session.ping;
    if (ping) {
      result.sequentialPing = await server(() => sequential(SEQUENTIAL, SEQUENTIAL_BUDGET_MS, ping));
      result.pipelinedPing = await server(() => pipelined(PIPELINED, PIPELINED_BUDGET_MS, ping));
    } else {
      result.notes.push(`no ping: ${session.noPing ?? 'not offered'}`);
    }
    result.windowedRpc = await server(() => windowed(PIPELINED, WINDOW, WINDOWED_BUDGET_MS, () => session.rpc()));
    result.pipelinedRpc = await server(() => pipelined(PIPELINED, PIPELINED_BUDGET_MS, () => session.rpc()));
  } catch (e) {
    result.errors.push(`calls: ${(e as Error).message}`);
  } finally {
    await session.close().catch(() => {});
  }
  return result;
}

/** Untimed traffic of every kind measured, from our client, bounded in count and time. */
async function warmUpEmulator(target: PeerTarget): Promise<void> {
  const t0 = performance.now();
  const { ours } = await import('./peers/ours.js');
  for (let i = 0; i < 4; i++) await (await ours.newAuthKey(target))();
  const session = await ours.open(target);
  try {
    await sequential(3 * WARMUP_CALLS, SEQUENTIAL_BUDGET_MS, () => session.rpc());
    await sequential(3 * WARMUP_CALLS, SEQUENTIAL_BUDGET_MS, session.ping!);
    await pipelined(PIPELINED, PIPELINED_BUDGET_MS, session.ping!);
    await pipelined(PIPELINED, PIPELINED_BUDGET_MS, () => session.rpc());
  } finally {
    await session.close();
  }
  console.error(`bench: emulator warmed up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const chosen = names.length ? names : Object.keys(PEERS);
  for (const n of chosen) if (!PEERS[n]) throw new Error(`unknown peer ${n}; known: ${Object.keys(PEERS).join(', ')}`);

  const started = performance.now();
  const emulator = await startChildEmulator(2);
  const overall = setTimeout(() => {
    console.error(`bench: over ${TOTAL_BUDGET_MS} ms in all, giving up`);
    void emulator.stop().finally(() => process.exit(2));
  }, TOTAL_BUDGET_MS);
  try {
    const target: PeerTarget = { dc: emulator.dcs[1]!, rsaPublicKeys: emulator.rsaPublicKeys };
    // The emulator is one process for every client measured: warm it up (JIT) before any of them
    // is timed, or the first client measured pays for it.
    await warmUpEmulator(target);
    const arithmetic: ArithmeticResult = handshakeArithmetic(emulator.rsaPublicKeys[0]!, HANDSHAKES);
    const results: PeerResult[] = [];
    for (const n of chosen) {
      let peer: Peer;
      try {
        peer = await PEERS[n]!();
      } catch (e) {
        results.push({ name: n, errors: [`cannot load: ${(e as Error).message}`], notes: [] });
        continue;
      }
      const t0 = performance.now();
      results.push(await measurePeer(peer, target, () => emulator.cpuMs()));
      console.error(`bench: ${n} measured in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    printReport({
      arithmetic,
      results,
      counts: { handshakes: HANDSHAKES, sequential: SEQUENTIAL, pipelined: PIPELINED, window: WINDOW },
      seconds: (performance.now() - started) / 1000,
    });
  } finally {
    clearTimeout(overall);
    await emulator.stop();
  }
}

export type { Rate };

main().then(
  () => process.exit(0), // peers may leave timers behind (reconnect loops); the run is over
  (e: Error) => {
    console.error(`bench: ${e.stack ?? e.message}`);
    process.exit(1);
  },
);
