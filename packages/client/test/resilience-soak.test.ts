// A bounded soak against the DC emulator: many calls with the connection
// dropped periodically; every call resolved and run exactly once, the
// session's buffers empty at the end, and the heap back within a margin of
// what it was after warm-up. SOAK=1 runs 100,000 calls (at most 10 minutes);
// by default a short run keeps the suite fast.
import test from 'ava';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Connection } from '../src/network/connection.js';
import { transportWire } from '../src/network/transport-wire.js';
import { FaultPlan, startEmulator } from './support/emulator.js';

const SOAK = process.env.SOAK === '1';
const CALLS = SOAK ? 100_000 : 4_000;
const WARMUP = SOAK ? 5_000 : 1_000;
const TIME_LIMIT_MS = SOAK ? 600_000 : 60_000;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test(`soak: ${CALLS} calls with periodic drops, each once, buffers empty, heap within a margin of the warmed-up heap`, async (t) => {
  t.timeout(TIME_LIMIT_MS + 30_000);
  const faults = new FaultPlan();
  const emulator = await startEmulator({ dcCount: 1, faults });
  faults.emulator = emulator;
  // Counts per call, allocated up front so that the test's own bookkeeping does not grow the heap.
  const executed = new Uint8Array(CALLS);
  emulator.registerMethod('help.getAppConfig', (_ctx, req) => {
    executed[req.hash]!++;
    return { _: 'help.appConfigNotModified' as const };
  });
  const resolved = new Uint8Array(CALLS);
  const c = new Connection({
    dc: emulator.dcs[0]!,
    apiId: 1,
    rsaPublicKeys: emulator.rsaPublicKeys,
    wire: transportWire({ codec: 'intermediate' }),
    pingInterval: 1000,
    probeInterval: 1000,
    reconnect: { baseDelay: 10, maxDelay: 200, maxAttempts: 20 },
  });
  const deadline = Date.now() + TIME_LIMIT_MS;
  let next = 0;
  const run = async (until: number): Promise<void> => {
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < until && Date.now() < deadline) {
          const i = next++;
          await c.invoke({ _: 'help.getAppConfig', hash: i }, { timeout: 60_000 });
          resolved[i]!++;
        }
      }),
    );
  };
  try {
    await c.connect();
    await run(WARMUP);
    const warm = heapAfterGc();
    // The drops start after warm-up: reconnects and resends are what the soak is about.
    faults.dropEvery = SOAK ? 400 : 40;
    const started = Date.now();
    await run(CALLS);
    const done = next;
    const end = heapAfterGc();
    const ms = Date.now() - started;
    t.log(
      `${done - WARMUP} calls after warm-up in ${ms} ms (${Math.round(((done - WARMUP) / ms) * 1000)}/s), ${c.reconnects} reconnects; ` +
        `heap ${(warm / 1048576).toFixed(1)} MB after warm-up, ${(end / 1048576).toFixed(1)} MB at the end`,
    );
    t.true(done >= Math.min(CALLS, WARMUP + 1000), 'the time limit left room for the calls');
    let once = 0;
    for (let i = 0; i < done; i++) if (resolved[i] === 1 && executed[i] === 1) once++;
    t.is(once, done, 'every call resolved once and ran once');
    t.true(c.reconnects > 0);
    const b = c.sessionBuffers!;
    t.is(b.queued, 0);
    t.true(b.pending <= 2, `pending ${b.pending}`); // a keep-alive ping or a probe may be in flight
    t.true(b.acks < 1024);
    t.true(end <= warm * 1.25 + 8 * 1048576, `heap grew from ${warm} to ${end}`);
  } finally {
    c.close();
    t.is(c.pending, 0);
    await emulator.stop();
  }
});
