// Every fault kind, in memory: our client's sans-IO session on one side, a DC
// connection with a fake link on the other, the injector between them.
import test from 'ava';
import { serializeObject, type tl } from '@telegram-mt/tl';
import { FaultInjector, type Fault } from '../src/fault-injector.js';
import { exchange, handshake, MemoryLink, memoryDc, newSession, roundTrip, serverMessages } from './helpers/memory.js';

type Events = Awaited<ReturnType<typeof exchange>>;

function setup(opts: Parameters<typeof memoryDc>[0] = {}) {
  const injector = opts.injector ?? new FaultInjector(7);
  const dc = memoryDc({ ...opts, injector });
  const link = new MemoryLink();
  const conn = dc.accept(link);
  const key = handshake(dc, conn, link);
  const session = newSession(key);
  return { dc, link, conn, key, session, injector };
}

const answered = (id: number) => (events: Events) =>
  events.some((e) => (e.type === 'result' || e.type === 'error') && e.requestId === id);

function answerOf(events: Events, id: number): { result?: unknown; error?: unknown } {
  for (const e of events) {
    if (e.type === 'result' && e.requestId === id) return { result: e.result };
    if (e.type === 'error' && e.requestId === id) return { error: e.error };
  }
  throw new Error(`no answer to request ${id}`);
}

const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends one call and lets the DC answer (without reading the answer). */
async function call(s: ReturnType<typeof setup>): Promise<number> {
  const id = s.session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  for (const p of s.session.flush(true)) s.conn.onPacket(p);
  await tick();
  await tick();
  return id;
}

test('drop after N frames closes the connection without a transport error; each new connection gets N', async (t) => {
  const s = setup();
  s.injector.set({ dc: s.dc.id }, { kind: 'drop', afterFrames: 4 });
  await call(s); // frame 1 in, 2 out
  await call(s); // 3 in, 4 out
  t.false(s.link.closed);
  await call(s); // 5 in: over the limit, so never read
  t.true(s.link.closed);
  t.deepEqual(s.link.transportErrors, []);
  t.is(s.link.take().length, 2, 'the third call was not answered on this connection');
  // The session outlives the connection: the next connection carries on in it.
  const link2 = new MemoryLink();
  const conn2 = s.dc.accept(link2);
  const id = s.session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  const events = await exchange(s.session, conn2, link2, answered(id));
  t.like(answerOf(events, id).result, { _: 'nearestDc' });
  t.is(s.dc.stats.executions.get('help.getNearestDc'), 3, 'the dropped frame was never read; the others ran once');
});

test('drop after N bytes; times bounds how often it fires; clear lifts it', async (t) => {
  const s = setup();
  const h = s.injector.set({}, { kind: 'drop', afterBytes: 1, times: 1 });
  await call(s);
  t.true(s.link.closed);
  const link2 = new MemoryLink();
  const conn2 = s.dc.accept(link2);
  const id = s.session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  await exchange(s.session, conn2, link2, answered(id));
  t.false(link2.closed, 'times: 1 — fired once');
  t.is(s.injector.list().length, 1);
  s.injector.clear(h);
  t.is(s.injector.list().length, 0);
  t.is(s.injector.active, 0);
});

test('stall: half-open — nothing is read or answered and the socket stays open, until cleared', async (t) => {
  const s = setup();
  const h = s.injector.set({ connection: s.conn.id }, { kind: 'stall', afterFrames: 2 });
  await call(s); // answered (2 frames)
  t.is(s.link.take().length, 1);
  const stalled = await call(s);
  t.deepEqual(s.link.take(), []);
  t.false(s.link.closed);
  t.is(s.dc.stats.executions.get('help.getNearestDc'), 1, 'the stalled call was not even read');
  s.injector.clear(h);
  // The client resends its unanswered call (here by hand: a new request) and the connection works again.
  const id = s.session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  const events = await exchange(s.session, s.conn, s.link, answered(id));
  t.like(answerOf(events, id).result, { _: 'nearestDc' });
  t.false(events.some((e) => (e.type === 'result' || e.type === 'error') && e.requestId === stalled));
});

test('a connection predicate selects; other connections and DCs are untouched', async (t) => {
  const s = setup();
  s.injector.set({ dc: 99 }, { kind: 'drop' });
  s.injector.set({ connection: (c) => c.id !== s.conn.id }, { kind: 'drop' });
  await call(s);
  t.false(s.link.closed);
  t.is(s.link.take().length, 1);
});

test('delay: outgoing frames wait, in order', async (t) => {
  const s = setup();
  // Long enough that two in-memory calls finish well inside it even on a loaded machine.
  s.injector.set({}, { kind: 'delay', ms: 1000, jitterMs: 20, seed: 3 });
  const started = performance.now();
  await call(s);
  await call(s);
  t.deepEqual(s.link.sent, []);
  for (let i = 0; i < 100 && s.link.sent.length < 2; i++) await sleep(50);
  const packets = s.link.take();
  t.is(packets.length, 2);
  t.true(performance.now() - started >= 1000);
  const events = packets.flatMap((p) => s.session.receive(p));
  t.is(events.filter((e) => e.type === 'result').length, 2);
});

test('duplicate: every outgoing frame twice; the client reads each answer once', async (t) => {
  const s = setup();
  s.injector.set({}, { kind: 'duplicate' });
  const id = await call(s);
  const packets = s.link.take();
  t.is(packets.length, 2);
  t.deepEqual(packets[0], packets[1]);
  const events = packets.flatMap((p) => s.session.receive(p));
  t.is(events.filter((e) => e.type === 'result' && e.requestId === id).length, 1);
});

test('duplicate with a probability is replayable from its seed', async (t) => {
  const pattern = async (seed: number) => {
    const s = setup();
    s.injector.set({}, { kind: 'duplicate', probability: 0.5, seed });
    const sizes: number[] = [];
    for (let i = 0; i < 12; i++) {
      await call(s);
      sizes.push(s.link.take().length);
    }
    return sizes.join('');
  };
  const a = await pattern(11);
  t.is(a, await pattern(11));
  t.regex(a, /1/);
  t.regex(a, /2/);
});

test('reorder: a frame is held back and sent after the next one (or alone after a few ms)', async (t) => {
  const s = setup();
  s.injector.set({}, { kind: 'reorder', times: 1, holdMs: 200 });
  const first = await call(s);
  t.deepEqual(s.link.sent, [], 'held back');
  const second = await call(s);
  const packets = s.link.take();
  t.is(packets.length, 2);
  const order = packets.flatMap((p) => s.session.receive(p)).flatMap((e) => (e.type === 'result' ? [e.requestId] : []));
  t.deepEqual(order, [second, first]);
  // Alone, a held frame still goes out.
  s.injector.clear();
  s.injector.set({}, { kind: 'reorder', times: 1, holdMs: 10 });
  await call(s);
  t.deepEqual(s.link.sent, []);
  await sleep(40);
  t.is(s.link.take().length, 1);
});

for (const code of [-404, -429]) {
  test(`transport error ${code} after N frames, then close`, async (t) => {
    const s = setup();
    s.injector.set({}, { kind: 'transport-error', code, afterFrames: 2 });
    await call(s);
    t.false(s.link.closed);
    await call(s);
    t.deepEqual(s.link.transportErrors, [code]);
    t.true(s.link.closed);
  });
}

for (const code of [16, 17, 18, 19, 20, 32, 33, 34, 35, 48, 64]) {
  test(`bad_msg_notification ${code} on demand: the message is refused unread`, async (t) => {
    const s = setup();
    // A first call, so the session exists and carries on after the refusal.
    const warm = s.session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
    await exchange(s.session, s.conn, s.link, answered(warm));
    s.injector.set({}, { kind: 'bad-msg', code, times: 1 });
    s.session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
    const packets = s.session.flush(true);
    for (const p of packets) s.conn.onPacket(p);
    await tick();
    const sent = s.link.take();
    const msgs = serverMessages(s.key.authKey, sent);
    const refusal = msgs.find((m) => m._ === 'bad_msg_notification' || m._ === 'bad_server_salt') as
      | tl.bad_msg_notification
      | tl.bad_server_salt;
    t.truthy(refusal);
    t.is(refusal._, code === 48 ? 'bad_server_salt' : 'bad_msg_notification');
    t.is(refusal.errorCode, code);
    t.is(s.dc.stats.executions.get('help.getNearestDc'), 1, 'the refused call did not run');
  });
}

test('bad_msg_notification 16 once: the client resyncs, resends, and the call runs exactly once', async (t) => {
  const s = setup();
  s.injector.set({}, { kind: 'bad-msg', code: 16, times: 1 });
  const id = s.session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  const events = await exchange(s.session, s.conn, s.link, answered(id));
  t.like(answerOf(events, id).result, { _: 'nearestDc' });
  t.is(s.dc.stats.executions.get('help.getNearestDc'), 1);
});

for (const [error, code] of [
  ['AUTH_KEY_DUPLICATED', 406],
  ['AUTH_KEY_UNREGISTERED', 401],
  ['SESSION_REVOKED', 401],
] as const) {
  test(`refuse with ${error}: calls get ${code} and never run`, async (t) => {
    const s = setup();
    s.injector.set({}, { kind: 'refuse', error });
    const id = s.session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
    const events = await exchange(s.session, s.conn, s.link, answered(id));
    t.like(answerOf(events, id).error, { code, text: error });
    t.is(s.dc.stats.executions.get('help.getNearestDc'), undefined);
    t.is(s.dc.stats.callsRefused, 1);
  });
}

test('skew: the DC clock runs ahead; the client is told its msg_ids are too low', async (t) => {
  const base = Date.now();
  const s = setup({ now: () => base });
  s.injector.set({ dc: s.dc.id }, { kind: 'skew', ms: 600_000 });
  t.is(s.dc.now(), base + 600_000);
  s.session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  const { messages } = await roundTrip(s.session, s.conn, s.link);
  const bad = messages.find((m) => m._ === 'bad_msg_notification') as tl.bad_msg_notification;
  t.is(bad.errorCode, 16);
  s.injector.clear();
  t.is(s.dc.now(), base);
});

test('faults are validated: a bad one is a RangeError, not a silent no-op', (t) => {
  const inj = new FaultInjector();
  const bad: unknown[] = [
    { kind: 'drop', afterFrames: -1 },
    { kind: 'delay', ms: -5 },
    { kind: 'duplicate', probability: 2 },
    { kind: 'transport-error', code: 404 },
    { kind: 'bad-msg', code: 3 },
    { kind: 'refuse', error: 'NOPE' },
    { kind: 'skew', ms: Infinity },
    { kind: 'explode' },
  ];
  for (const f of bad) t.throws(() => inj.set({}, f as Fault), { instanceOf: RangeError });
  t.is(inj.active, 0);
});

test('msg_resend_req and msg_resend_ans_req send answers again from the call book, without running the call again', async (t) => {
  const s = setup();
  const id = s.session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  await exchange(s.session, s.conn, s.link, answered(id));
  const server = s.dc.sessions.ofKey(s.key.authKeyId)[0]!;
  const [reqMsgId] = s.dc.callsOf(server).finishedIds;
  for (const ctor of ['msg_resend_req', 'msg_resend_ans_req'] as const) {
    s.session.send(ctor, serializeObject({ _: ctor, msgIds: [reqMsgId!, 12345n << 2n] } as tl.TlAny));
    for (const p of s.session.flush(true)) s.conn.onPacket(p);
    await tick();
    const again = serverMessages(s.key.authKey, s.link.take()).filter((m) => m._ === 'rpc_result') as tl.rpc_result[];
    t.is(again.length, 1);
    t.is(again[0]!.reqMsgId, reqMsgId);
  }
  t.is(s.dc.stats.answersResent, 2);
  t.is(s.dc.stats.executions.get('help.getNearestDc'), 1);
});

test('ping wrapped in invokeWithoutUpdates / invokeWithLayer is answered as rpc_result with the pong', async (t) => {
  const s = setup();
  const a = s.session.invoke({ _: 'invokeWithoutUpdates', query: { _: 'ping', pingId: 77n } } as tl.TlMethod);
  const b = s.session.invoke({ _: 'invokeWithLayer', layer: 228, query: { _: 'ping', pingId: 78n } } as tl.TlMethod);
  const events = await exchange(s.session, s.conn, s.link, (e) => answered(a)(e) && answered(b)(e));
  t.like(answerOf(events, a).result, { _: 'pong', pingId: 77n });
  t.like(answerOf(events, b).result, { _: 'pong', pingId: 78n });
});

test('executions count each handler run by method', async (t) => {
  const s = setup();
  const ids: number[] = [];
  for (let i = 0; i < 50; i++) ids.push(s.session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod));
  ids.push(s.session.invoke({ _: 'help.getConfig' } as tl.TlMethod));
  const events = await exchange(s.session, s.conn, s.link, (e) => ids.every((id) => answered(id)(e)));
  t.is(events.filter((e) => e.type === 'result').length, 51);
  t.deepEqual(Object.fromEntries(s.dc.stats.executions), { 'help.getNearestDc': 50, 'help.getConfig': 1 });
});
