// Every service message about messages, client side, sans-IO on a fake clock:
// a real client session and a real server session wired by hand, the server
// made to send what a test needs (core.telegram.org/mtproto/service_messages,
// /mtproto/service_messages_about_messages).
import test from 'ava';
import { deserializeObject, serializeObject, serializeResult, type tl } from '@telegram-mt/tl';
import { BadMessageError, RequestInDoubtError } from '../src/errors.js';
import type { ClientSessionEvent } from '../src/mtproto/session/client/session.js';
import type { ServerSessionEvent } from '../src/mtproto/session/server/session.js';
import { badMsgNotification, badServerSalt } from '../src/mtproto/session/service-messages.js';
import { makePair, type Pair } from './support/session-pair.js';

function up(p: Pair): ServerSessionEvent[] {
  return p.client.flush().flatMap((packet) => p.server.receive(packet));
}
/** Server → client: what the client reports (new_session_created left out). */
function down(p: Pair): ClientSessionEvent[] {
  return p.server
    .flush()
    .flatMap((packet) => p.client.receive(packet))
    .filter((e) => e.type !== 'new-session');
}
/** The TL objects the server received as requests (service messages included). */
function received(events: ServerSessionEvent[]): { msgId: bigint; obj: tl.TlAny }[] {
  return events.flatMap((e) => (e.type === 'request' ? [{ msgId: e.msgId, obj: deserializeObject(e.body) }] : []));
}
/** Sends a TL object from the server, as a reply (msg_id ≡ 1 mod 4) by default. */
function serverSends(p: Pair, obj: tl.TlAny, contentRelated = true): void {
  p.server.sendMessage(serializeObject(obj), { response: true, contentRelated });
}
/** A call that goes up and is received; returns its request id and msg_id. */
function call(p: Pair, hash = 0): { id: number; msgId: bigint } {
  const id = p.client.invoke({ _: 'help.getAppConfig', hash });
  const got = received(up(p)).filter((r) => r.obj._ === 'help.getAppConfig');
  return { id, msgId: got[got.length - 1]!.msgId };
}
const notModified = serializeResult('help.getAppConfig', { _: 'help.appConfigNotModified' });

test('future_salts: asked with get_future_salts, kept, and switched to before the current one expires', (t) => {
  const p = makePair();
  t.true(p.client.wantsFutureSalts);
  p.client.requestFutureSalts(2);
  const [req] = received(up(p));
  t.like(req?.obj, { _: 'get_future_salts', num: 2 });
  const now = Math.floor(p.clock.now() / 1000);
  serverSends(p, {
    _: 'future_salts',
    reqMsgId: req!.msgId,
    now,
    salts: [
      { _: 'future_salt', validSince: now - 10, validUntil: now + 600, salt: 0xa1n },
      { _: 'future_salt', validSince: now + 540, validUntil: now + 7200, salt: 0xb2n },
    ],
  } as tl.TlAny);
  t.deepEqual(down(p), [], 'consumed by the session');
  t.is(p.client.pending, 0);
  t.false(p.client.wantsFutureSalts, 'salts for two hours: no need to ask');
  p.client.invoke({ _: 'help.getNearestDc' });
  p.client.flush();
  t.is(p.client.serverSalt, 0xa1n);
  t.like(p.client.takePendingEvents()[0], { type: 'salt', serverSalt: 0xa1n });
  // 60 s before the first salt's valid_until the next one takes over.
  p.clock.advance(545_000);
  p.client.invoke({ _: 'help.getNearestDc' });
  p.client.flush();
  t.is(p.client.serverSalt, 0xb2n);
  // Close to the end of what we know: time to ask again.
  p.clock.advance(6_000_000);
  t.true(p.client.wantsFutureSalts);
});

test('future_salts nobody asked for are not taken', (t) => {
  const p = makePair();
  call(p);
  serverSends(p, { _: 'future_salts', reqMsgId: 4n, now: 0, salts: [{ _: 'future_salt', validSince: 0, validUntil: 2 ** 31 - 1, salt: 1n }] } as tl.TlAny);
  down(p);
  t.is(p.client.salts.size, 0);
  t.is(p.client.stats.dropped['unknown-request'], 1);
});

test('a stale future salt: the server refuses it with bad_server_salt, the client drops its salts, resends, one answer', (t) => {
  const p = makePair();
  p.client.salts.store([{ _: 'future_salt', validSince: 0, validUntil: 2 ** 31 - 1, salt: 0x77n }]);
  const id = p.client.invoke({ _: 'help.getAppConfig', hash: 1 });
  const first = up(p);
  t.like(first.find((e) => e.type === 'rejected'), { code: 48 });
  const ev = down(p).filter((e) => e.type === 'salt');
  t.like(ev[ev.length - 1], { serverSalt: p.server.core.serverSalt });
  t.is(p.client.salts.size, 0);
  const [req] = received(up(p)).filter((r) => r.obj._ === 'help.getAppConfig');
  p.server.sendResult(req!.msgId, notModified);
  const results = down(p).filter((e) => e.type === 'result');
  t.deepEqual(results.map((e) => e.type === 'result' && e.requestId), [id]);
});

test('bad_msg_notification 48 (no salt in it): the call resent; 32 and 33: a new session, resent', (t) => {
  for (const code of [48, 32, 33]) {
    const p = makePair();
    const { id, msgId } = call(p);
    const session = p.client.sessionId;
    p.server.sendMessage(badMsgNotification(msgId, 1, code), { response: true, contentRelated: false });
    down(p);
    t.is(p.client.sessionId !== session, code !== 48, `code ${code}: new session`);
    const again = received(up(p)).filter((r) => r.obj._ === 'help.getAppConfig');
    t.is(again.length, 1, `code ${code}: resent once`);
    p.server.sendResult(again[0]!.msgId, notModified);
    t.like(down(p).find((e) => e.type === 'result'), { requestId: id });
  }
});

test('bad_msg_notification 18, 34, 35, 64 fail the call with BadMessageError; resends are bounded', (t) => {
  for (const code of [18, 34, 35, 64]) {
    const p = makePair();
    const { id, msgId } = call(p);
    p.server.sendMessage(badMsgNotification(msgId, 1, code), { response: true, contentRelated: false });
    const err = down(p).find((e) => e.type === 'error');
    t.true(err?.type === 'error' && err.requestId === id && err.error instanceof BadMessageError && err.error.code === code);
  }
  // A server that refuses with 20 forever: six tries, then BadMessageError, no loop.
  const p = makePair();
  const id = p.client.invoke({ _: 'help.getAppConfig', hash: 0 });
  let failed: ClientSessionEvent | undefined;
  for (let i = 0; i < 10 && failed === undefined; i++) {
    const [req] = received(up(p)).filter((r) => r.obj._ === 'help.getAppConfig');
    if (req === undefined) break;
    p.server.sendMessage(badMsgNotification(req.msgId, 1, 20), { response: true, contentRelated: false });
    failed = down(p).find((e) => e.type === 'error');
  }
  t.true(failed?.type === 'error' && failed.requestId === id && failed.error instanceof BadMessageError);
  t.is(p.client.pending, 0);
});

test('bad_server_salt from a server 400 s ahead passes the time window as it names our pending msg_id; an update from it does not', (t) => {
  const p = makePair();
  const { id, msgId } = call(p);
  p.server.sendMessage(badServerSalt(msgId, 1, 0x5a1fn), { response: true, contentRelated: false });
  serverSends(p, { _: 'updatesTooLong' });
  p.clock.advance(400_000); // the server's clock is ahead (msg_ids are given as it sends) …
  const packets = p.server.flush();
  p.clock.advance(-400_000); // … of the client's.
  const ev = packets.flatMap((pk) => p.client.receive(pk));
  t.like(ev.find((e) => e.type === 'salt'), { serverSalt: 0x5a1fn });
  t.is(ev.filter((e) => e.type === 'update').length, 0);
  t.is(p.client.stats.outOfWindow, 1);
  // The update (and new_session_created with it) fail the window: they answer nothing of ours.
  t.true(p.client.stats.dropped['msg-id-too-new'] >= 1);
  t.is(p.client.pending, 1);
  // The pending table is the replay guard: the same notice again is a replay, and a late
  // rpc_result for a msg_id no longer pending is dropped.
  t.truthy(id);
});

test('msg_detailed_info: an answer we have is acknowledged, one we lack is asked for with msg_resend_req', (t) => {
  const p = makePair();
  const { msgId } = call(p);
  p.server.sendResult(msgId, notModified);
  down(p);
  const answerId = p.server.core.msgIds.lastId;
  serverSends(p, { _: 'msg_detailed_info', msgId, answerMsgId: answerId, bytes: 16, status: 0 } as tl.TlAny, false);
  serverSends(p, { _: 'msg_new_detailed_info', answerMsgId: answerId + 1000n, bytes: 16, status: 0 } as tl.TlAny, false);
  down(p);
  const acksBefore = p.client.core.pendingAcks;
  t.true(acksBefore >= 1);
  const got = received(up(p));
  t.deepEqual(
    got.map((r) => r.obj._),
    ['msg_resend_req'],
  );
  t.deepEqual((got[0]!.obj as tl.msg_resend_req).msgIds, [answerId + 1000n]);
});

test('msgs_state_req from the server: msgs_state_info from what the client received', (t) => {
  const p = makePair();
  const { msgId } = call(p);
  p.server.sendResult(msgId, notModified);
  down(p);
  const seen = p.server.core.msgIds.lastId;
  const nowId = (BigInt(Math.floor(p.clock.now() / 1000)) << 32n) | 1n;
  const ask = [seen, nowId, nowId + (100n << 32n), nowId - (1000n << 32n)];
  serverSends(p, { _: 'msgs_state_req', msgIds: ask } as tl.TlAny);
  down(p);
  const [answer] = received(up(p));
  t.like(answer?.obj, { _: 'msgs_state_info' });
  t.deepEqual([...(answer!.obj as tl.msgs_state_info).info], [4 | 8, 2, 3, 1]);
});

test('probe: a request lost on the way is asked about (msgs_state_req), found not received, and sent again once', (t) => {
  const p = makePair();
  const id = p.client.invoke({ _: 'help.getAppConfig', hash: 5 });
  p.client.flush(); // lost
  p.clock.advance(10_000);
  t.is(p.client.probe(p.clock.now() - 5_000), 1);
  const [ask] = received(up(p));
  t.like(ask?.obj, { _: 'msgs_state_req' });
  // The server's own answer (its replay window knows nothing of the lost message).
  const ids = (ask!.obj as tl.msgs_state_req).msgIds;
  serverSends(p, { _: 'msgs_state_info', reqMsgId: ask!.msgId, info: new Uint8Array(ids.length).fill(2) } as tl.TlAny, false);
  down(p);
  const again = received(up(p)).filter((r) => r.obj._ === 'help.getAppConfig');
  t.is(again.length, 1);
  t.not(again[0]!.msgId, ids[0]);
  p.server.sendResult(again[0]!.msgId, notModified);
  t.like(down(p).find((e) => e.type === 'result'), { requestId: id });
  t.is(p.client.pending, 0);
});

test('msgs_state_info: received (nothing resent), answered but lost (msg_resend_ans_req once), unknown (RequestInDoubtError)', (t) => {
  const p = makePair();
  const a = call(p, 1);
  const b = call(p, 2);
  const c = call(p, 3);
  p.clock.advance(10_000);
  p.client.probe(p.clock.now());
  const [ask] = received(up(p));
  const ids = (ask!.obj as tl.msgs_state_req).msgIds;
  t.deepEqual(ids, [a.msgId, b.msgId, c.msgId]);
  serverSends(p, { _: 'msgs_state_info', reqMsgId: ask!.msgId, info: Uint8Array.from([4 | 32, 4 | 32 | 64, 1]) } as tl.TlAny, false);
  const ev = down(p);
  const err = ev.find((e) => e.type === 'error');
  t.true(err?.type === 'error' && err.requestId === c.id && err.error instanceof RequestInDoubtError);
  const sent = received(up(p));
  t.deepEqual(sent.map((r) => r.obj._), ['msg_resend_ans_req']);
  t.deepEqual((sent[0]!.obj as tl.msg_resend_ans_req).msgIds, [b.msgId]);
  t.is(p.client.pending, 2);
  // msgs_all_info with the same news: nothing more is sent.
  serverSends(p, { _: 'msgs_all_info', msgIds: [a.msgId, b.msgId], info: Uint8Array.from([4, 4 | 64]) } as tl.TlAny, false);
  down(p);
  t.deepEqual(received(up(p)), []);
  p.server.sendResult(a.msgId, notModified);
  p.server.sendResult(b.msgId, notModified);
  t.is(down(p).filter((e) => e.type === 'result').length, 2);
  t.is(p.client.pending, 0);
});

test('msgs_all_info saying not received, and msg_resend_req from the server: the request sent again with a new msg_id', (t) => {
  for (const how of ['all-info', 'resend-req'] as const) {
    const p = makePair();
    call(p, 1); // the server knows the session
    const id = p.client.invoke({ _: 'help.getAppConfig', hash: 9 });
    p.client.flush(); // the packet never arrives
    p.clock.advance(1000);
    const pending = [...(p.client as unknown as { byId: Map<number, { id: number; msgId: bigint }> }).byId.values()].find((r) => r.id === id)!.msgId;
    if (how === 'all-info') serverSends(p, { _: 'msgs_all_info', msgIds: [pending], info: Uint8Array.from([2]) } as tl.TlAny, false);
    else serverSends(p, { _: 'msg_resend_req', msgIds: [pending] } as tl.TlAny);
    down(p);
    const again = received(up(p)).filter((r) => r.obj._ === 'help.getAppConfig');
    t.is(again.length, 1, how);
    t.not(again[0]!.msgId, pending);
    p.server.sendResult(again[0]!.msgId, notModified);
    t.like(down(p).find((e) => e.type === 'result'), { requestId: id });
  }
});

test('destroy_session: the bare destroy_session_ok is routed to the pending call by session_id', (t) => {
  const p = makePair();
  up(p);
  const id = p.client.send('destroy_session', serializeObject({ _: 'destroy_session', sessionId: 42n } as tl.TlAny));
  received(up(p));
  serverSends(p, { _: 'destroy_session_none', sessionId: 7n } as tl.TlAny);
  serverSends(p, { _: 'destroy_session_ok', sessionId: 42n } as tl.TlAny);
  const ev = down(p);
  t.deepEqual(
    ev.filter((e) => e.type === 'result').map((e) => e.type === 'result' && [e.requestId, (e.result as tl.TlAny)._]),
    [[id, 'destroy_session_ok']],
  );
  t.is(p.client.stats.dropped['unknown-request'], 1);
});

test('rpc_drop_answer: a cancelled call is named to the server; its rpc_answer_* is consumed; the late answer is dropped', (t) => {
  const p = makePair();
  const { id, msgId } = call(p);
  t.true(p.client.dropAnswer(id));
  const [drop] = received(up(p));
  t.deepEqual(drop?.obj, { _: 'rpc_drop_answer', reqMsgId: msgId });
  p.server.sendResult(drop!.msgId, serializeResult('rpc_drop_answer', { _: 'rpc_answer_dropped_running' }));
  t.deepEqual(down(p), []);
  t.is(p.client.pending, 0);
  t.is(p.client.stats.dropped['unknown-request'], 0);
  p.server.sendResult(msgId, notModified);
  t.deepEqual(down(p), []);
  t.is(p.client.stats.dropped['unknown-request'], 1);
});

test('reconnected(): service requests in flight are given up, every unanswered call asked about; 10,000 in two msgs_state_req', (t) => {
  const p = makePair();
  const ids = Array.from({ length: 10_000 }, (_, i) => p.client.invoke({ _: 'help.getAppConfig', hash: i }));
  p.client.requestFutureSalts();
  up(p);
  t.is(p.client.pending, 10_001);
  t.is(p.client.reconnected(), 10_000);
  t.is(p.client.pendingCalls, 10_000);
  const asks = received(up(p)).filter((r) => r.obj._ === 'msgs_state_req');
  t.deepEqual(asks.map((a) => (a.obj as tl.msgs_state_req).msgIds.length), [8192, 1808]);
  // Asking again later gives up on the unanswered probes: the service requests never pile up.
  p.clock.advance(20_000);
  p.client.probe(p.clock.now());
  t.is(p.client.pending, 10_002);
  t.is(ids.length, 10_000);
});
