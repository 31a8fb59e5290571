// PFS renewal through a whole Connection against the emulator, on a clock
// the test moves: client and emulator share it, so hours pass in
// milliseconds. Temporary keys of one hour are renewed inside their renewal
// window while calls stream, and replaced after one expired outright; no
// call is lost or run twice, and nothing is ever sent on an expired key.
import test from 'ava';
import { Connection } from '../src/network/connection.js';
import { transportWire } from '../src/network/transport-wire.js';
import { startEmulator } from './support/emulator.js';
import { sleep, until } from './support/wait.js';

test('fake clock: temp keys renewed before expiry and replaced after one expired, calls streaming, each answered and run once', async (t) => {
  const jump = { s: 0 };
  const now = () => Date.now() + jump.s * 1000;
  const emulator = await startEmulator({ dcCount: 1, now });
  const executed = new Map<number, number>();
  emulator.registerMethod('help.getAppConfig', (_ctx, req) => {
    executed.set(req.hash, (executed.get(req.hash) ?? 0) + 1);
    return { _: 'help.appConfigNotModified' as const };
  });
  const c = new Connection({
    dc: emulator.dcs[0]!,
    apiId: 1,
    rsaPublicKeys: emulator.rsaPublicKeys,
    wire: transportWire({ codec: 'intermediate' }),
    clock: { now },
    pingInterval: 500,
    probeInterval: 100,
    reconnect: { baseDelay: 20, maxDelay: 300, maxAttempts: 20 },
    pfs: { expiresIn: 3600, renewBefore: 600, stopBefore: 30 },
  });
  const refusedBefore = emulator.dc(1).stats.refused;
  const resolved = new Map<number, number>();
  const keysUsed = new Set<bigint>();
  let n = 0;
  let stop = false;
  const stream = Promise.all(
    Array.from({ length: 8 }, async () => {
      while (!stop) {
        const i = n++;
        await c.invoke({ _: 'help.getAppConfig', hash: i }, { timeout: 20_000 });
        resolved.set(i, (resolved.get(i) ?? 0) + 1);
        keysUsed.add(c.trafficKeyId!);
        await sleep(1);
      }
    }),
  );
  try {
    await until('the first key bound', () => c.tempKeysBound === 1 && n > 50);
    const first = c.trafficKeyId!;

    // 1. Into the renewal window (3000 s of 3600): the next key is made and bound on the side.
    jump.s += 3000;
    await until('a second key bound', () => c.tempKeysBound === 2 && c.trafficKeyId !== first);
    const second = c.trafficKeyId!;
    const atSecond = n;
    await until('calls on the second key', () => n > atSecond + 50);

    // 2. Past the first key's expiry: it is dead at the server; traffic is already on the second.
    jump.s += 700;
    const atExpiry = n;
    await until('calls after the first key expired', () => n > atExpiry + 50);
    t.is(c.trafficKeyId, second);

    t.is(emulator.dc(1).stats.refused - refusedBefore, 0, 'nothing was sent on an expired key (no -404)');

    // 3. A jump past the whole life of the second key (no renewal window seen): stop, make a key, go on.
    // A packet in flight at the jump may reach the server after its key died (−404): the connection
    // comes back with a new key then — what a laptop waking from sleep meets.
    jump.s += 4000;
    await until('a third key bound', () => c.tempKeysBound === 3);
    const atThird = n;
    await until('calls on the third key', () => n > atThird + 50);
    t.not(c.trafficKeyId, second);
  } finally {
    stop = true;
    await Promise.race([stream, sleep(20_000)]);
  }
  t.log(`${n} calls over ${c.tempKeysBound} temporary keys (${keysUsed.size} seen carrying calls), ${c.reconnects} reconnects`);
  t.is(resolved.size, n, 'every call resolved');
  t.true([...resolved.values()].every((k) => k === 1), 'each once');
  t.is(executed.size, n, 'every call ran');
  t.true([...executed.values()].every((k) => k === 1), 'none twice');
  t.is(c.authKey!.expiresAt, undefined, 'the permanent key is what is handed out');
  c.close();
  t.is(c.pending, 0);
  await emulator.stop();
});
