// Our client's Connection (reconnects, resends, msgs_state_req probes)
// against a started emulator with each fault on: every call resolves exactly
// once and the emulator ran each exactly once. A small matrix (one codec,
// 200 calls a cell); the client package's own matrix is the full one.
import test from 'ava';
import { Connection, RpcError, transportWire } from '@telegram-mt/client';
import type { tl } from '@telegram-mt/tl';
import { startEmulator, type Emulator, type Fault } from '../src/index.js';
import { keyPath } from './helpers/memory.js';

let emulator: Emulator;
test.before(async () => {
  emulator = await startEmulator({ rsaKeyPath: keyPath, dcCount: 1 });
});
test.after.always(async () => {
  await emulator?.stop();
});

const N = 200;

function open(): Connection {
  return new Connection({
    dc: emulator.dcs[0]!,
    wire: transportWire({ codec: 'intermediate' }),
    apiId: 1,
    rsaPublicKeys: emulator.rsaPublicKeys,
    pingInterval: 0,
    probeInterval: 300,
  });
}

/** N calls, one a millisecond, under `fault`; how many resolved, failed, and ran. */
async function run(fault: Fault, clearAfterMs?: number): Promise<{ ok: number; failed: unknown[]; executions: number; connections: number }> {
  const conn = open();
  try {
    await conn.connect();
    const before = emulator.stats(1).executions.get('help.getNearestDc') ?? 0;
    const connections = emulator.stats(1).connections;
    emulator.faults.set({ dc: 1 }, fault);
    const timer = clearAfterMs === undefined ? undefined : setTimeout(() => emulator.faults.clear(), clearAfterMs);
    let ok = 0;
    const failed: unknown[] = [];
    const settled = new Set<number>();
    await Promise.all(
      Array.from({ length: N }, (_, i) =>
        new Promise((r) => setTimeout(r, i))
          .then(() => conn.invoke({ _: 'help.getNearestDc' } as tl.TlMethod, { timeout: 15_000 }))
          .then(
            () => {
              if (settled.has(i)) throw new Error(`call ${i} settled twice`);
              settled.add(i);
              ok++;
            },
            (e: unknown) => {
              settled.add(i);
              failed.push(e);
            },
          ),
      ),
    );
    clearTimeout(timer);
    emulator.faults.clear();
    return {
      ok,
      failed,
      executions: (emulator.stats(1).executions.get('help.getNearestDc') ?? 0) - before,
      connections: emulator.stats(1).connections - connections,
    };
  } finally {
    emulator.faults.clear();
    conn.close();
  }
}

const cells: [string, Fault, number?][] = [
  ['drops every 30 frames', { kind: 'drop', afterFrames: 30, times: 5 }],
  ['duplicated answers', { kind: 'duplicate', probability: 0.3, seed: 1 }],
  ['reordered answers', { kind: 'reorder', probability: 0.3, seed: 2 }],
  ['delayed answers', { kind: 'delay', ms: 5, jitterMs: 10, seed: 3 }],
  ['a stale salt', { kind: 'stale-salt' }],
  ['transport error -429', { kind: 'transport-error', code: -429, afterFrames: 40, times: 3 }],
  ['bad_msg_notification 16', { kind: 'bad-msg', code: 16, times: 3 }],
  ['bad_msg_notification 48', { kind: 'bad-msg', code: 48, times: 3 }],
  ['a stall (half-open) lifted after 300 ms', { kind: 'stall', afterFrames: 20 }, 300],
];

for (const [name, fault, clearAfter] of cells) {
  test.serial(`client Connection under ${name}: ${N} calls, each resolved once and run once`, async (t) => {
    const r = await run(fault, clearAfter);
    t.deepEqual(r.failed, []);
    t.is(r.ok, N);
    t.is(r.executions, N);
    if (fault.kind === 'drop' || fault.kind === 'transport-error') t.true(r.connections >= 1, `the client reconnected (${r.connections} connections)`);
  });
}

test.serial('client Connection refused with AUTH_KEY_DUPLICATED: a typed error, and the call never runs', async (t) => {
  const conn = open();
  t.teardown(() => conn.close());
  await conn.connect();
  const h = emulator.faults.set({ dc: 1 }, { kind: 'refuse', error: 'AUTH_KEY_DUPLICATED' });
  t.teardown(() => emulator.faults.clear(h));
  const before = emulator.stats(1).executions.get('help.getNearestDc') ?? 0;
  const err = await t.throwsAsync(conn.invoke({ _: 'help.getNearestDc' } as tl.TlMethod, { timeout: 5000 }));
  t.true(err instanceof RpcError);
  t.like(err, { code: 406, text: 'AUTH_KEY_DUPLICATED' });
  t.is((emulator.stats(1).executions.get('help.getNearestDc') ?? 0) - before, 0);
});
