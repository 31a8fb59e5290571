// Pushed updates outlive the TCP connection, as on Telegram: a message sent
// while the recipient's client is between connections reaches it as a push
// once it resumes the same session, in order and exactly once; a push that
// went out but was never acknowledged is sent again as the same message.
import test, { type ExecutionContext } from 'ava';
import { Connection, transportWire } from '@telegram-mt/client';
import type { ServerSession } from '@telegram-mt/client/mtproto';
import type { tl } from '@telegram-mt/tl';
import { startEmulator, type Emulator, type PacketFaults } from '../src/index.js';
import { emptyOutboxCounters, Outboxes } from '../src/outbox.js';
import { keyPath } from './helpers/memory.js';
import { ourUser, within } from './helpers/our-side.js';

/** Polls `cond` every 10 ms until it holds, or fails after `ms` saying what was awaited. */
async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface User {
  conn: Connection;
  user: tl.user;
  /** Texts of the updateShortMessage pushes received, in order. */
  texts: string[];
  /** The emulator's connection ids this user's client opened so far. */
  connectionIds: Set<number>;
}

/** Logs `phone` in on DC 2 with our low-level Connection (no PFS: one key, one session that resumes on reconnect). */
async function login(t: ExecutionContext, emulator: Emulator, phone: string): Promise<User> {
  const dc = emulator.dc(2);
  const before = new Set(dc.openConnections.map((c) => c.id));
  const conn = new Connection({
    dc: emulator.dcs[1]!,
    apiId: 1,
    rsaPublicKeys: emulator.rsaPublicKeys,
    wire: transportWire({ codec: 'intermediate' }),
    pfs: false,
    pingInterval: 0,
    reconnect: { baseDelay: 50, maxDelay: 400, maxAttempts: 50 },
  });
  t.teardown(() => conn.close());
  const texts: string[] = [];
  conn.on('update', (u) => {
    if (u._ === 'updateShortMessage') texts.push((u as tl.updateShortMessage).message);
  });
  const sent = (await within(
    conn.invoke({ _: 'auth.sendCode', phoneNumber: phone, apiId: 1, apiHash: 'x', settings: { _: 'codeSettings' } }),
    10_000,
    'auth.sendCode',
  )) as tl.auth.sentCode;
  const code = emulator.world.inbox(phone).at(-1)!;
  const auth = (await within(conn.invoke({ _: 'auth.signIn', phoneNumber: phone, phoneCodeHash: sent.phoneCodeHash, phoneCode: code }), 10_000, 'auth.signIn')) as tl.auth.authorization;
  const connectionIds = new Set(dc.openConnections.map((c) => c.id).filter((id) => !before.has(id)));
  return { conn, user: auth.user as tl.user, texts, connectionIds };
}

async function setup(t: ExecutionContext, faults?: PacketFaults) {
  const emulator = await startEmulator({ rsaKeyPath: keyPath, world: { passwordIterations: 1000 }, faults });
  t.teardown(() => emulator.stop());
  emulator.world.createUser({ phone: '31600007001', firstName: 'Ann', dc: 2 });
  emulator.world.createUser({ phone: '31600007002', firstName: 'Ben', dc: 2 });
  const ann = await login(t, emulator, '31600007001');
  const ben = await login(t, emulator, '31600007002');
  const peer: tl.inputPeerUser = { _: 'inputPeerUser', userId: ben.user.id, accessHash: ben.user.accessHash! };
  let randomId = 1n;
  const send = (message: string) => within(ann.conn.invoke({ _: 'messages.sendMessage', peer, message, randomId: randomId++ }), 10_000, `Ann sends ${message}`);
  return { emulator, dc: emulator.dc(2), stats: emulator.stats(2), ann, ben, send };
}

/** Closes Ben's side of every connection that is not Ann's, and keeps his reconnects failing until the returned function runs. */
function cutOff(emulator: Emulator, ann: User): () => void {
  const dc = emulator.dc(2);
  const notAnn = (c: { id: number }) => !ann.connectionIds.has(c.id);
  const handle = emulator.faults.set({ dc: 2, connection: notAnn }, { kind: 'drop', afterFrames: 0 });
  for (const c of dc.openConnections) if (notAnn(c)) c.close();
  return () => emulator.faults.clear(handle);
}

test('messages sent while the recipient is between connections arrive as pushes when its session resumes, in order, once', async (t) => {
  t.timeout(60_000);
  const { emulator, dc, stats, ann, ben, send } = await setup(t);
  await send('online');
  await until(() => ben.texts.includes('online'), 10_000, 'Ben gets the message while online');

  const reopen = cutOff(emulator, ann);
  await send('while away 1');
  await send('while away 2');
  await send('while away 3');
  t.is(stats.pushesQueued, 3, 'kept for the session without a connection');
  t.deepEqual(ben.texts, ['online']);

  reopen();
  await until(() => ben.texts.length >= 4, 15_000, 'Ben gets what was sent while he was away');
  t.true(ben.conn.reconnects >= 1);
  // On a new connection, in the same session: the DC knows one session of Ben's key.
  t.false(dc.openConnections.some((c) => ben.connectionIds.has(c.id)));
  t.is(dc.sessions.ofKey(ben.conn.authKey!.authKeyId).length, 1);
  await send('after');
  await until(() => ben.texts.includes('after'), 10_000, 'Ben gets the next message');
  // A round trip on Ben's connection, then a pause: any copy would have come by now.
  await within(ben.conn.ping(), 10_000, 'Ben pings');
  await new Promise((r) => setTimeout(r, 200));
  t.deepEqual(ben.texts, ['online', 'while away 1', 'while away 2', 'while away 3', 'after']);
  t.is(stats.pushesDelivered, 3);
  t.is(stats.pushesDropped, 0);
  t.is(stats.internalErrors, 0);
});

test('a push written on a connection that dies before it arrives is sent again on the next one', async (t) => {
  t.timeout(60_000);
  const { emulator, dc, stats, ann, ben, send } = await setup(t);
  const benConnection = dc.openConnections.find((c) => !ann.connectionIds.has(c.id))!;
  // Half-open: the push is written (and counted as sent) but nothing reaches Ben.
  const stall = emulator.faults.set({ dc: 2, connection: benConnection.id }, { kind: 'stall' });
  await send('lost on the wire');
  await new Promise((r) => setTimeout(r, 50));
  t.is(stats.pushesQueued, 0, 'the session had a connection: written at once');
  t.deepEqual(ben.texts, []);
  const reopen = cutOff(emulator, ann);
  emulator.faults.clear(stall);
  reopen();
  await until(() => ben.texts.length >= 1, 15_000, 'Ben gets the push sent again');
  await within(ben.conn.ping(), 10_000, 'Ben pings');
  await new Promise((r) => setTimeout(r, 200));
  t.deepEqual(ben.texts, ['lost on the wire']);
  t.is(stats.pushesResent, 1);
  t.is(stats.internalErrors, 0);
});

test('an unacknowledged push too old to go again as the same message (the client would refuse its msg_id) is given up, counted', async (t) => {
  t.timeout(60_000);
  const { emulator, dc, stats, ann, ben, send } = await setup(t);
  const benConnection = dc.openConnections.find((c) => !ann.connectionIds.has(c.id))!;
  const stall = emulator.faults.set({ dc: 2, connection: benConnection.id }, { kind: 'stall' });
  await send('too late');
  const reopen = cutOff(emulator, ann);
  emulator.faults.clear(stall);
  // 250 s on, past the 240 s a push is resent as the same message, within the 300 s the DC takes Ben's msg_ids.
  emulator.faults.set({ dc: 2 }, { kind: 'skew', ms: 250_000 });
  reopen();
  await until(() => stats.pushesUnackedForgotten === 1, 15_000, 'the DC gives the push up when Ben is back');
  t.is(stats.pushesResent, 0);
  t.false(ben.texts.includes('too late'));
});

test('a push that arrived but whose ack was lost is sent again as the same message, which the client drops as a replay', async (t) => {
  t.timeout(60_000);
  let deaf: number | undefined;
  const faults: PacketFaults = { incoming: (p, info) => (info.connectionId === deaf ? null : p) };
  const { emulator, dc, stats, ann, ben, send } = await setup(t, faults);
  const benConnection = dc.openConnections.find((c) => !ann.connectionIds.has(c.id))!;
  deaf = benConnection.id; // Ben's acks never reach the DC
  await send('acked, but not heard');
  await until(() => ben.texts.length >= 1, 10_000, 'Ben gets the push');
  const replaysBefore = ben.conn.stats!.dropped.replay;
  const reopen = cutOff(emulator, ann);
  reopen();
  await until(() => stats.pushesResent >= 1, 15_000, 'the DC sends the unacknowledged push again');
  await within(ben.conn.ping(), 10_000, 'Ben pings');
  await until(() => ben.conn.stats!.dropped.replay > replaysBefore, 5_000, 'Ben drops the copy as a replay');
  t.deepEqual(ben.texts, ['acked, but not heard']);
  t.is(stats.pushesResent, 1);
  // Acknowledged on the new connection: nothing is left to send again.
  await until(() => {
    for (const s of dc.sessions.ofKey(ben.conn.authKey!.authKeyId)) if ((dc.outboxes.peek(s)?.unackedCount ?? 0) > 0) return false;
    return true;
  }, 10_000, 'Ben acknowledges the copy');
  t.is(stats.internalErrors, 0);
});

test('a session away keeps at most maxMessages pushes: the oldest go, counted', async (t) => {
  t.timeout(60_000);
  const { emulator, dc, stats, ann, ben, send } = await setup(t);
  dc.outboxes.limits.maxMessages = 3;
  const reopen = cutOff(emulator, ann);
  for (let i = 1; i <= 5; i++) await send(`m${i}`);
  t.is(stats.pushesQueued, 5);
  t.is(stats.pushesDropped, 2);
  reopen();
  await until(() => ben.texts.length >= 3, 15_000, 'Ben gets what was kept');
  await within(ben.conn.ping(), 10_000, 'Ben pings');
  await new Promise((r) => setTimeout(r, 200));
  t.deepEqual(ben.texts, ['m3', 'm4', 'm5']);
  t.is(stats.pushesDelivered, 3);
});

test('outbox bounds: messages, bytes, age, the DC-wide budget; everything given up is counted', (t) => {
  const counters = emptyOutboxCounters();
  const boxes = new Outboxes(counters, { maxMessages: 3, maxBytes: 100, maxAgeMs: 1000, maxTotalBytes: 150 });
  const session = {} as ServerSession;
  const box = boxes.of(session);
  const body = (n: number, fill: number) => new Uint8Array(n).fill(fill);

  // Count: the fourth push drops the first.
  for (let i = 1; i <= 4; i++) box.keep(body(10, i), 0);
  t.is(counters.pushesQueued, 4);
  t.is(counters.pushesDropped, 1);
  t.deepEqual(
    box.takeWaiting(0).map((p) => p.body[0]),
    [2, 3, 4],
  );
  t.is(counters.pushesDelivered, 3);
  t.is(boxes.totalBytes, 0);

  // Bytes: 60 + 60 > 100, so the first goes; a body over the bound is refused.
  box.keep(body(60, 1), 0);
  box.keep(body(60, 2), 0);
  t.is(counters.pushesDropped, 2);
  box.keep(body(101, 3), 0);
  t.is(counters.pushesDropped, 3);
  t.is(boxes.totalBytes, 60);

  // The DC-wide budget: another session's 100 bytes do not fit beside these 60.
  const other = boxes.of({} as ServerSession);
  other.keep(body(100, 9), 0);
  t.is(counters.pushesDropped, 4);
  t.is(other.waitingCount, 0);

  // Age: past maxAgeMs a kept push is dropped when the session comes back; the budget frees up.
  t.deepEqual(box.takeWaiting(2000), []);
  t.is(counters.pushesDropped, 5);
  t.is(boxes.totalBytes, 0);
  other.keep(body(100, 9), 2000);
  t.is(other.waitingCount, 1);

  // A session away longer than anything is kept gets nothing kept.
  box.leftAt = 0;
  box.keep(body(10, 1), 5000);
  t.is(box.waitingCount, 0);
  t.is(counters.pushesDropped, 6);

  // Sent, unacknowledged: acks release them; bounds forget the oldest, counted apart.
  box.leftAt = undefined;
  other.takeWaiting(2000);
  for (let i = 1; i <= 4; i++) box.sent({ body: body(10, i), at: 3000, msgId: BigInt(i) * 4n + 1n, seqNo: 2 * i - 1 });
  t.is(counters.pushesUnackedForgotten, 1);
  box.acked([9n, 13n]);
  t.is(box.unackedCount, 1);
  t.deepEqual(
    box.takeUnacked(3000).map((p) => p.msgId),
    [17n],
  );
  t.is(counters.pushesResent, 1);
  // Those the caller will not send again are given up, counted.
  box.sent({ body: body(10, 5), at: 3000, msgId: 21n, seqNo: 9 });
  box.sent({ body: body(10, 6), at: 3000, msgId: 25n, seqNo: 11 });
  t.deepEqual(
    box.takeUnacked(3000, (p) => p.msgId > 21n).map((p) => p.msgId),
    [25n],
  );
  t.is(counters.pushesUnackedForgotten, 2);
  t.is(counters.pushesResent, 2);

  // A forgotten session gives up what it kept.
  box.keep(body(10, 1), 3000);
  boxes.forget(session);
  t.is(counters.pushesDropped, 7);
  t.is(boxes.totalBytes, 0);
});

test('our TelegramClient (PFS: the login on the permanent key, traffic on a bound temporary one) gets a message sent while it was away, once', async (t) => {
  t.timeout(90_000);
  const emulator = await startEmulator({ rsaKeyPath: keyPath, world: { passwordIterations: 1000 } });
  t.teardown(() => emulator.stop());
  const dc = emulator.dc(2);
  emulator.world.createUser({ phone: '31600007101', firstName: 'Ann', username: 'ann_pfs', dc: 2 });
  emulator.world.createUser({ phone: '31600007102', firstName: 'Ben', username: 'ben_pfs', dc: 2 });
  const ann = await ourUser(emulator, '31600007101', 2);
  t.teardown(() => ann.close());
  const annConnections = new Set(dc.openConnections.map((c) => c.id));
  const ben = await ourUser(emulator, '31600007102', 2);
  t.teardown(() => ben.close());
  t.true(dc.tempKeyBindings.size >= 2, 'both clients bound a temporary key');

  await within(ann.client.sendMessage('@ben_pfs', 'online'), 10_000, 'Ann sends');
  await ben.inbox.next((x) => x === 'online', 10_000, 'Ben gets the message while online');

  const notAnn = (c: { id: number }) => !annConnections.has(c.id);
  const fault = emulator.faults.set({ dc: 2, connection: notAnn }, { kind: 'drop', afterFrames: 0 });
  for (const c of dc.openConnections) if (notAnn(c)) c.close();
  await within(ann.client.sendMessage('@ben_pfs', 'while away'), 10_000, 'Ann sends while Ben is away');
  const stats = emulator.stats(2);
  t.is(stats.pushesQueued, 1);
  emulator.faults.clear(fault);
  t.is(await ben.inbox.next((x) => x === 'while away', 20_000, 'Ben gets the message after reconnecting'), 'while away');
  await within(ann.client.sendMessage('@ben_pfs', 'after'), 10_000, 'Ann sends after');
  await ben.inbox.next((x) => x === 'after', 10_000, 'Ben gets the next message');
  await new Promise((r) => setTimeout(r, 300));
  await t.throwsAsync(ben.inbox.next(() => true, 50, 'a copy'), { message: /timed out/ });
  t.is(stats.pushesDelivered, 1);
  t.is(stats.internalErrors, 0);
});
