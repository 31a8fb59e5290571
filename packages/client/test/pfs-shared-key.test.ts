// Several PFS connections on one permanent key (a DC's main connection and
// its transfer lanes) through one TempKeyShare: a single temporary key is
// bound and carries all of them, and a renewal binds one new key that every
// connection moves to. Without the share each would bind its own and, since
// a new binding overwrites the last (core.telegram.org/method/auth.bindTempAuthKey),
// unbind the others' keys.
import test from 'ava';
import { Connection, type ConnectionOptions } from '../src/network/connection.js';
import { TempKeyShare } from '../src/network/temp-key-share.js';
import { transportWire } from '../src/network/transport-wire.js';
import { startEmulator, type Emulator } from './support/emulator.js';
import { sleep, until } from './support/wait.js';

async function setup(now?: () => number) {
  const emulator = await startEmulator({ dcCount: 1, ...(now ? { now } : {}) });
  const executed = new Map<number, number>();
  emulator.registerMethod('help.getAppConfig', (_ctx, req) => {
    executed.set(req.hash, (executed.get(req.hash) ?? 0) + 1);
    return { _: 'help.appConfigNotModified' as const };
  });
  return { emulator, executed };
}

function options(emulator: Emulator, extra: Partial<ConnectionOptions> = {}): ConnectionOptions {
  return {
    dc: emulator.dcs[0]!,
    apiId: 1,
    rsaPublicKeys: emulator.rsaPublicKeys,
    wire: transportWire({ codec: 'intermediate' }),
    pingInterval: 500,
    probeInterval: 100,
    requestTimeout: 20_000,
    ...extra,
  };
}

const binds = (emulator: Emulator): number => emulator.dc(1).stats.executions.get('auth.bindTempAuthKey') ?? 0;

test('four connections on one permanent key share one temporary key: one binding, every call answered and run once', async (t) => {
  const { emulator, executed } = await setup();
  const seed = new Connection(options(emulator, { pfs: false }));
  await seed.invoke({ _: 'help.getAppConfig', hash: -1 });
  const key = seed.authKey!;
  seed.close();
  const share = new TempKeyShare();
  const conns = Array.from({ length: 4 }, () => new Connection(options(emulator, { authKey: key, tempKeyShare: share })));
  try {
    let n = 0;
    await Promise.all(
      conns.map(async (c) => {
        for (let i = 0; i < 50; i++) await c.invoke({ _: 'help.getAppConfig', hash: n++ });
      }),
    );
    t.is(binds(emulator), 1, 'one auth.bindTempAuthKey for all four');
    t.is(conns.reduce((k, c) => k + c.tempKeysBound, 0), 1);
    const traffic = new Set(conns.map((c) => c.trafficKeyId));
    t.is(traffic.size, 1, 'one temporary key carries every connection');
    t.not([...traffic][0], key.authKeyId);
    t.is(new Set(conns.map((c) => (c as unknown as { session: { sessionId: bigint } }).session.sessionId)).size, 4, 'a session each');
    t.is(executed.size, 201);
    t.true([...executed.values()].every((k) => k === 1));
    t.is(emulator.dc(1).stats.callsRefused, 0, 'no call met an unbound key');
  } finally {
    for (const c of conns) c.close();
    await emulator.stop();
  }
});

test('renewal through the share (moved clock): one new binding, every connection moves to it, calls streaming run once', async (t) => {
  const jump = { s: 0 };
  const now = () => Date.now() + jump.s * 1000;
  const { emulator, executed } = await setup(now);
  const share = new TempKeyShare();
  const pfs = { expiresIn: 3600, renewBefore: 600, stopBefore: 30 };
  const first = new Connection(options(emulator, { clock: { now }, pfs, tempKeyShare: share }));
  await first.invoke({ _: 'help.getAppConfig', hash: -1 });
  const conns = [first, ...Array.from({ length: 2 }, () => new Connection(options(emulator, { clock: { now }, pfs, authKey: first.authKey, tempKeyShare: share })))];
  const resolved = new Map<number, number>();
  let n = 0;
  let stop = false;
  const stream = Promise.all(
    conns.map(async (c) => {
      while (!stop) {
        const i = n++;
        await c.invoke({ _: 'help.getAppConfig', hash: i });
        resolved.set(i, (resolved.get(i) ?? 0) + 1);
        await sleep(1);
      }
    }),
  );
  try {
    await until('all on the first key', () => n > 60 && new Set(conns.map((c) => c.trafficKeyId)).size === 1);
    const firstKey = first.trafficKeyId;
    t.is(binds(emulator), 1);
    jump.s += 3100; // into the renewal window
    await until('all on a second key', () => conns.every((c) => c.trafficKeyId !== firstKey) && new Set(conns.map((c) => c.trafficKeyId)).size === 1);
    const at = n;
    await until('calls on the second key', () => n > at + 60);
    t.is(binds(emulator), 2, 'one binding for the renewal');
  } finally {
    stop = true;
    await Promise.race([stream, sleep(20_000)]);
  }
  t.is(resolved.size, n);
  t.true([...resolved.values()].every((k) => k === 1), 'each call resolved once');
  t.is(executed.size, n + 1);
  t.true([...executed.values()].every((k) => k === 1), 'none ran twice');
  for (const c of conns) c.close();
  t.true(conns.every((c) => c.pending === 0));
  await emulator.stop();
});
