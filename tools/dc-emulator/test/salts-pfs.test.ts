// Rotating salts (schedule, grace, get_future_salts, a forced rotation) and
// PFS as startEmulator wires it (auth.bindTempAuthKey, the unbound-key gate).
import test from 'ava';
import { serializeObject, type tl } from '@telegram-mt/tl';
import { MAX_FUTURE_SALTS, SaltSchedule } from '../src/salts.js';
import { startEmulator } from '../src/index.js';
import { exchange, handshake, keyPath, MemoryLink, memoryDc, newSession, roundTrip, serverMessages } from './helpers/memory.js';
import { binderFor, queueBind } from './helpers/pfs.js';

type Events = Awaited<ReturnType<typeof exchange>>;
const answered = (id: number) => (events: Events) =>
  events.some((e) => (e.type === 'result' || e.type === 'error') && e.requestId === id);
function answerOf(events: Events, id: number): { result?: unknown; error?: unknown } {
  for (const e of events) {
    if (e.type === 'result' && e.requestId === id) return { result: e.result };
    if (e.type === 'error' && e.requestId === id) return { error: e.error };
  }
  throw new Error(`no answer to request ${id}`);
}

test('a salt schedule: windows back to back, the previous salt within its grace, a forced rotation without', (t) => {
  const s = new SaltSchedule(42n, 7n, 1000, { lifetimeSeconds: 100, graceSeconds: 30 });
  t.is(s.current(1000), 7n, 'window 0 carries the handshake salt');
  t.is(s.current(1099), 7n);
  const next = s.current(1100);
  t.not(next, 7n);
  t.is(new SaltSchedule(42n, 7n, 1000, { lifetimeSeconds: 100, graceSeconds: 30 }).current(1100), next, 'deterministic');
  t.true(s.accepts(7n, 1129), 'previous salt within the grace');
  t.false(s.accepts(7n, 1130), 'and not after it');
  t.false(s.accepts(123n, 1050));
  const f = s.future(1150, 3);
  t.deepEqual(f.map((w) => w.validSince), [1100, 1200, 1300]);
  t.deepEqual(f.map((w) => w.validUntil), [1200, 1300, 1400]);
  t.is(f[0]!.salt, next);
  t.is(s.future(1150, 1000).length, MAX_FUTURE_SALTS);
  t.is(s.future(1150, 0).length, 1);
  s.rotateNow(1150);
  t.not(s.current(1150), next);
  t.false(s.accepts(next, 1150), 'a forced rotation leaves the old salt no grace');
  t.throws(() => new SaltSchedule(1n, 1n, 0, { lifetimeSeconds: 0, graceSeconds: 0 }), { instanceOf: RangeError });
});

test('salts rotate: the previous one passes within the grace, then bad_server_salt; each call runs once', async (t) => {
  let now = Date.now();
  const dc = memoryDc({ now: () => now, salts: { lifetimeSeconds: 60, graceSeconds: 30 } });
  const link = new MemoryLink();
  const conn = dc.accept(link);
  const key = handshake(dc, conn, link);
  const session = newSession(key);
  const first = session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  await exchange(session, conn, link, answered(first));
  const salt0 = session.serverSalt;

  now += 70_000; // window 1, within the grace of window 0
  session.core.serverSalt = salt0;
  const second = session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  for (const p of session.flush(true)) conn.onPacket(p);
  await new Promise((r) => setImmediate(r));
  const msgs = serverMessages(key.authKey, link.take());
  t.false(msgs.some((m) => m._ === 'bad_server_salt'), 'the previous salt is still good');
  t.true(msgs.some((m) => m._ === 'rpc_result'));

  now += 60_000; // window 2: salt 0 is two windows old
  session.core.serverSalt = salt0;
  session.send('get_future_salts', serializeObject({ _: 'get_future_salts', num: 2 } as tl.TlAny));
  const third = session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  const { messages } = await roundTrip(session, conn, link);
  const bad = messages.find((m) => m._ === 'bad_server_salt') as tl.bad_server_salt;
  t.truthy(bad, 'a stale salt gets bad_server_salt');
  const current = dc.saltsOf(dc.authKeys.get(key.authKeyId)!).current(Math.floor(now / 1000));
  t.is(bad.newServerSalt, current);
  // The client takes the new salt and resends; the call runs once.
  const events = await exchange(session, conn, link, (e) => answered(third)(e));
  t.like(answerOf(events, third).result, { _: 'nearestDc' });
  t.is(dc.stats.executions.get('help.getNearestDc'), 3);
  t.not(second, third);
});

test('get_future_salts lists the schedule from the current window', async (t) => {
  let now = Date.now();
  const dc = memoryDc({ now: () => now, salts: { lifetimeSeconds: 60, graceSeconds: 0 } });
  const link = new MemoryLink();
  const conn = dc.accept(link);
  const key = handshake(dc, conn, link);
  const session = newSession(key);
  now += 130_000;
  const schedule = dc.saltsOf(dc.authKeys.get(key.authKeyId)!);
  session.core.serverSalt = schedule.current(Math.floor(now / 1000));
  session.send('get_future_salts', serializeObject({ _: 'get_future_salts', num: 4 } as tl.TlAny));
  const { messages } = await roundTrip(session, conn, link);
  const fs = messages.find((m) => m._ === 'future_salts') as tl.future_salts;
  t.is(fs.salts.length, 4);
  t.deepEqual(
    fs.salts.map((s) => s.salt),
    schedule.future(Math.floor(now / 1000), 4).map((w) => w.salt),
  );
  t.true(fs.salts[0]!.validSince <= fs.now && fs.now < fs.salts[0]!.validUntil);
});

test('startEmulator: faults.set stale-salt rotates now; bindTempAuthKey is registered and unbound temp keys are refused', async (t) => {
  const emulator = await startEmulator({ rsaKeyPath: keyPath, dcCount: 2 });
  t.teardown(() => emulator.stop());
  t.throws(() => emulator.faults.set({ dc: 9 }, { kind: 'drop' }), { instanceOf: RangeError });
  t.true(emulator.registry.has('auth.bindTempAuthKey'));
  const dc = emulator.dc(1);
  const link = new MemoryLink();
  const conn = dc.accept(link);
  const perm = handshake(dc, conn, link);
  const temp = handshake(dc, conn, link, { expiresIn: 600 });
  const session = newSession(temp);

  const early = session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  t.like(answerOf(await exchange(session, conn, link, answered(early)), early).error, { code: 401, text: 'AUTH_KEY_PERM_EMPTY' });
  const bind = queueBind(session, binderFor(perm, temp, session), conn);
  t.deepEqual(answerOf(await exchange(session, conn, link, answered(bind)), bind), { result: true });
  t.is(dc.tempKeyBindings.size, 1);
  t.is(emulator.dc(2).tempKeyBindings.size, 0, 'one binding table per DC');

  emulator.faults.set({ dc: 1 }, { kind: 'stale-salt' });
  t.is(emulator.faults.list().length, 0, 'acts once, nothing stays set');
  const call = session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  const round = await roundTrip(session, conn, link);
  t.true(round.messages.some((m) => m._ === 'bad_server_salt'), 'the salt in use went stale at once');
  const events = round.events.concat(await exchange(session, conn, link, answered(call)));
  t.like(answerOf(events, call).result, { _: 'nearestDc', thisDc: 1 });
  t.is(emulator.stats(1).executions.get('help.getNearestDc'), 1, 'refused once, run once');
  t.is(emulator.stats(1).executions.get('auth.bindTempAuthKey'), 1);
});
