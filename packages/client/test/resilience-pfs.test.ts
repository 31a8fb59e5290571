// PFS end to end against the DC emulator (core.telegram.org/api/pfs): traffic
// on a temporary key bound with auth.bindTempAuthKey, renewed mid-stream
// without losing or repeating a call, a lost temporary key replaced, and
// PFS switched off.
import test from 'ava';
import { Connection, type ConnectionOptions } from '../src/network/connection.js';
import { transportWire } from '../src/network/transport-wire.js';
import { startEmulator, type Emulator } from './support/emulator.js';

async function setup(): Promise<{ emulator: Emulator; executed: Map<number, number> }> {
  const emulator = await startEmulator({ dcCount: 1 });
  const executed = new Map<number, number>();
  emulator.registerMethod('help.getAppConfig', (_ctx, req) => {
    executed.set(req.hash, (executed.get(req.hash) ?? 0) + 1);
    return { _: 'help.appConfigNotModified' as const };
  });
  return { emulator, executed };
}

function connect(emulator: Emulator, opts: Partial<ConnectionOptions> = {}): Connection {
  return new Connection({
    dc: emulator.dcs[0]!,
    apiId: 1,
    rsaPublicKeys: emulator.rsaPublicKeys,
    wire: transportWire({ codec: 'intermediate' }),
    pingInterval: 500,
    probeInterval: 250,
    reconnect: { baseDelay: 20, maxDelay: 300, maxAttempts: 20 },
    ...opts,
  });
}

test('on by default: a temporary key made, bound with auth.bindTempAuthKey, carrying every call; the permanent key kept apart', async (t) => {
  const { emulator, executed } = await setup();
  const c = connect(emulator);
  for (let i = 0; i < 20; i++) await c.invoke({ _: 'help.getAppConfig', hash: i });
  const perm = c.authKey!;
  t.is(c.tempKeysBound, 1);
  t.not(c.trafficKeyId, perm.authKeyId);
  t.is(perm.expiresAt, undefined, 'what the connection hands out to store is the permanent key');
  const keys = emulator.dc(1).authKeys;
  t.like(keys.get(c.trafficKeyId!), { temp: true });
  t.like(keys.get(perm.authKeyId), { temp: false });
  t.is(executed.size, 20);
  c.close();
  await emulator.stop();
});

test('renewed mid-stream before expiry: calls keep flowing, each answered and run once, across several keys', async (t) => {
  const { emulator, executed } = await setup();
  // A key lives 30 s; the next is made 27 s before its end: a new key about every 3 s.
  const c = connect(emulator, { pfs: { expiresIn: 30, renewBefore: 27, stopBefore: 2 } });
  const keys = new Set<bigint>();
  // At least 7.5 s of traffic, longer (up to 25 s) on a loaded machine until three keys have carried calls.
  const until = Date.now() + 7_500;
  const cap = Date.now() + 25_000;
  let n = 0;
  const resolved = new Map<number, number>();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (Date.now() < until || (keys.size < 3 && Date.now() < cap)) {
        const i = n++;
        await c.invoke({ _: 'help.getAppConfig', hash: i }, { timeout: 20_000 });
        resolved.set(i, (resolved.get(i) ?? 0) + 1);
        if (c.trafficKeyId !== undefined) keys.add(c.trafficKeyId);
        await new Promise((res) => setTimeout(res, 2)); // a steady stream, not a flood
      }
    }),
  );
  t.log(`${n} calls over ${c.tempKeysBound} temporary keys`);
  t.true(c.tempKeysBound >= 3, `only ${c.tempKeysBound} keys`);
  t.true(keys.size >= 3);
  t.is(resolved.size, n);
  t.true([...resolved.values()].every((k) => k === 1));
  t.is(executed.size, n);
  t.true([...executed.values()].every((k) => k === 1), 'no call ran twice across a switch');
  c.close();
  t.is(c.pending, 0);
  await emulator.stop();
});

test('a temporary key the server lost (-404): a new one is made and bound, calls go on, the permanent key untouched', async (t) => {
  const { emulator, executed } = await setup();
  const c = connect(emulator);
  await c.invoke({ _: 'help.getAppConfig', hash: 0 });
  const perm = c.authKey!.authKeyId;
  const temp = c.trafficKeyId!;
  emulator.dc(1).forgetKey(temp);
  for (const conn of emulator.dc(1).openConnections) conn.close();
  for (let i = 1; i <= 10; i++) await c.invoke({ _: 'help.getAppConfig', hash: i });
  t.not(c.trafficKeyId, temp);
  t.is(c.authKey!.authKeyId, perm);
  t.is(c.tempKeysBound, 2);
  t.is(c.state, 'ready');
  t.is(executed.size, 11);
  c.close();
  await emulator.stop();
});

test('switched off: traffic on the permanent key, no temporary key', async (t) => {
  const { emulator } = await setup();
  const c = connect(emulator, { pfs: false });
  await c.invoke({ _: 'help.getAppConfig', hash: 1 });
  t.is(c.trafficKeyId, c.authKey!.authKeyId);
  t.is(c.tempKeysBound, 0);
  t.is(emulator.dc(1).authKeys.size, 1);
  c.close();
  await emulator.stop();
});
