// The fault matrix through the emulator's own fault injector (both
// directions: answers are lost, duplicated and reordered too), over every
// codec: each call resolves once and runs once. N = FAULT_MATRIX_CALLS (200).
import test from 'ava';
import { Connection } from '../src/network/connection.js';
import { transportWire } from '../src/network/transport-wire.js';
import { startEmulator, type EmulatorFault } from './support/emulator.js';

const N = Number(process.env.FAULT_MATRIX_CALLS ?? 200);
const CODECS = ['abridged', 'intermediate', 'padded', 'full'] as const;

/** A fault set before the calls, or at call `at` (a fraction of N). */
const CELLS: Record<string, { fault: EmulatorFault; at?: number; expect?: 'reconnects' }> = {
  'drop after 25 frames (each connection)': { fault: { kind: 'drop', afterFrames: 25 }, expect: 'reconnects' },
  'drop after 4 KB (each connection)': { fault: { kind: 'drop', afterBytes: 4096 }, expect: 'reconnects' },
  'half-open stall after 8 frames, on two connections': { fault: { kind: 'stall', afterFrames: 8 }, expect: 'reconnects' },
  'duplicate answers (p = 0.3)': { fault: { kind: 'duplicate', probability: 0.3, seed: 7 } },
  'reorder answers (p = 0.3)': { fault: { kind: 'reorder', probability: 0.3, seed: 9 } },
  'delay 0–10 ms': { fault: { kind: 'delay', ms: 2, jitterMs: 8, seed: 3 } },
  'transport error -429 after 20 frames': { fault: { kind: 'transport-error', code: -429, afterFrames: 20 }, expect: 'reconnects' },
  'bad_msg_notification 16, five times': { fault: { kind: 'bad-msg', code: 16, times: 5 } },
  'bad_server_salt (48), five times': { fault: { kind: 'bad-msg', code: 48, times: 5 } },
  'stale salt mid-run': { fault: { kind: 'stale-salt' }, at: 0.5 },
  'server clock 400 s ahead mid-run': { fault: { kind: 'skew', ms: 400_000 }, at: 0.5 },
};

for (const [name, cell] of Object.entries(CELLS)) {
  for (const codec of CODECS) {
    test(`injector matrix: ${name} over ${codec}, ${N} calls, each resolved and run exactly once`, async (t) => {
      const emulator = await startEmulator({ dcCount: 1 });
      const executed = new Uint8Array(N);
      emulator.registerMethod('help.getAppConfig', (_ctx, req) => {
        executed[req.hash]!++;
        return { _: 'help.appConfigNotModified' as const };
      });
      const c = new Connection({
        dc: emulator.dcs[0]!,
        apiId: 1,
        rsaPublicKeys: emulator.rsaPublicKeys,
        wire: transportWire({ codec }),
        pingInterval: 400,
        probeInterval: 500,
        reconnect: { baseDelay: 20, maxDelay: 300, maxAttempts: 30 },
      });
      const resolved = new Uint8Array(N);
      // A stall stays on for every new connection: lifted once the keep-alive has noticed it twice.
      c.on('state', (s) => {
        if (cell.fault.kind === 'stall' && s === 'ready' && c.reconnects >= 2) emulator.faults.clear();
      });
      try {
        await c.connect();
        if (cell.at === undefined) emulator.faults.set({ dc: 1 }, cell.fault);
        let next = 0;
        const started = Date.now();
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            while (next < N) {
              const i = next++;
              if (cell.at !== undefined && i === Math.floor(N * cell.at)) emulator.faults.set({ dc: 1 }, cell.fault);
              await c.invoke({ _: 'help.getAppConfig', hash: i }, { timeout: 60_000 });
              resolved[i]!++;
            }
          }),
        );
        t.log(`${name}/${codec}: ${N} calls in ${Date.now() - started} ms, ${c.reconnects} reconnects, out-of-window ${c.stats!.outOfWindow}`);
        let once = 0;
        for (let i = 0; i < N; i++) if (resolved[i] === 1 && executed[i] === 1) once++;
        t.is(once, N, 'every call resolved once and ran once');
        if (cell.expect === 'reconnects') t.true(c.reconnects > 0);
      } finally {
        c.close();
        t.is(c.pending, 0, 'nothing pending after close');
        t.deepEqual(c.sessionBuffers, { pending: 0, queued: 0, acks: 0 });
        await emulator.stop();
      }
    });
  }
}
