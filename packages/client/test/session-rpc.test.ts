import test from 'ava';
import { serializeObject, serializeResult, type tl } from '@telegram-mt/tl';
import { RpcError, BadMessageError } from '../src/errors.js';
import type { ClientSessionEvent } from '../src/mtproto/session/client/session.js';
import type { ServerSessionEvent } from '../src/mtproto/session/server/session.js';
import { readU32 } from '../src/mtproto/session/wire.js';
import { ID_MSG_CONTAINER } from '../src/mtproto/session/ids.js';
import { makePair, type Pair } from './support/session-pair.js';

/** Client → server: every packet the client flushes, and the events they gave. */
function up(p: Pair): ServerSessionEvent[] {
  return p.client.flush().flatMap((packet) => p.server.receive(packet));
}

/** Server → client. */
function down(p: Pair): ClientSessionEvent[] {
  return p.server.flush().flatMap((packet) => p.client.receive(packet));
}

function requests(events: ServerSessionEvent[]) {
  return events.filter((e): e is Extract<ServerSessionEvent, { type: 'request' }> => e.type === 'request');
}

const nearest: tl.NearestDc = { _: 'nearestDc', country: 'NL', thisDc: 2, nearestDc: 4 };

test('a request goes up encrypted, its rpc_result comes back routed and typed', (t) => {
  const p = makePair();
  const id = p.client.invoke({ _: 'help.getNearestDc' });
  const got = up(p);
  t.like(got[0], { type: 'new-session', sessionId: p.client.sessionId });
  const [req] = requests(got);
  t.deepEqual(req!.body, serializeObject({ _: 'help.getNearestDc' }));
  t.is(req!.msgId & 3n, 0n);
  t.is(req!.seqNo, 1);
  p.server.sendResult(req!.msgId, serializeResult('help.getNearestDc', nearest));
  const events = down(p);
  t.like(
    events.find((e) => e.type === 'new-session'),
    { type: 'new-session', firstMsgId: req!.msgId, serverSalt: p.server.core.serverSalt },
  );
  t.deepEqual(
    events.find((e) => e.type === 'result'),
    { type: 'result', requestId: id, result: nearest },
  );
  t.is(p.client.pending, 0);
  // The server's answer was content-related: the client owes an ack. A lone ack waits (for more, or
  // for the edge's ack timer: a forced flush) instead of riding with the next request.
  t.true(p.client.core.pendingAcks > 0);
  p.client.invoke({ _: 'help.getNearestDc' });
  const next = up(p);
  t.false(next.some((e) => e.type === 'ack'));
  t.true(p.client.core.pendingAcks > 0);
  const forced = p.client.flush(true).flatMap((packet) => p.server.receive(packet));
  t.true(forced.some((e) => e.type === 'ack'));
  t.is(p.client.core.pendingAcks, 0);
});

test('acks ride along with a request once ackRide of them wait, in the same container', (t) => {
  const ackRide = 4;
  const p = makePair({ client: { limits: { ackRide } } });
  let carried: ServerSessionEvent[] = [];
  const seen = { rode: 0, waited: 0 };
  // Each round: a request (with the acks, once enough wait), its answer (one more ack owed).
  for (let round = 0; round < 10; round++) {
    const owed = p.client.core.pendingAcks;
    p.client.invoke({ _: 'help.getNearestDc' });
    carried = up(p);
    const ack = carried.find((e): e is Extract<ServerSessionEvent, { type: 'ack' }> => e.type === 'ack');
    if (owed >= ackRide) {
      t.is(ack?.msgIds.length, owed, `round ${round}: the ${owed} acks waiting ride along`);
      t.is(p.client.core.pendingAcks, 0);
      seen.rode++;
    } else {
      t.is(ack, undefined, `round ${round}: ${owed} acks wait`);
      t.is(p.client.core.pendingAcks, owed);
      seen.waited++;
    }
    const [req] = requests(carried);
    p.server.sendResult(req!.msgId, serializeResult('help.getNearestDc', nearest));
    down(p);
  }
  t.true(seen.rode >= 2 && seen.waited >= 4, JSON.stringify(seen));
});

test('pipelined requests answered out of order reach their own callers', (t) => {
  const p = makePair();
  const ids: number[] = [];
  for (let i = 0; i < 50; i++) ids.push(p.client.ping(BigInt(i)));
  const reqs = requests(up(p)).reverse();
  // ping is answered by the server core itself; answer the pings' rpc_result path by hand too.
  t.is(reqs.length, 0);
  const events = down(p).filter((e) => e.type === 'result');
  t.is(events.length, 50);
  for (const e of events) {
    if (e.type !== 'result') continue;
    const pingId = (e.result as { pingId: bigint }).pingId;
    t.is(e.requestId, ids[Number(pingId)]);
  }
  // Generic requests: reverse order answers.
  const rids: number[] = [];
  for (let i = 0; i < 20; i++) rids.push(p.client.invoke({ _: 'help.getNearestDc' }));
  const rq = requests(up(p));
  t.is(rq.length, 20);
  rq.reverse().forEach((r, i) => p.server.sendResult(r.msgId, serializeResult('help.getNearestDc', { ...nearest, thisDc: 19 - i })));
  for (const e of down(p)) {
    if (e.type !== 'result') continue;
    t.is((e.result as tl.NearestDc).thisDc, rids.indexOf(e.requestId));
  }
  t.is(p.client.pending, 0);
});

test('requests go out packed in msg_container, bounded per container', (t) => {
  const p = makePair({ client: { limits: { maxContainerMessages: 8 } } });
  for (let i = 0; i < 20; i++) p.client.invoke({ _: 'help.getNearestDc' });
  const packets = p.client.flush();
  t.is(packets.length, 3);
  let n = 0;
  for (const packet of packets) {
    const opened = p.server.core.envelope.open(packet);
    if (typeof opened === 'string') return t.fail(opened);
    t.is(readU32(opened.body, 0), ID_MSG_CONTAINER);
    t.is(opened.seqNo % 2, 0, 'a container is not content-related');
    n += readU32(opened.body, 4);
    t.is(requests(p.server.receive(packet)).length, readU32(opened.body, 4));
  }
  t.is(n, 20);
  t.is(p.client.stats.containersOut, 3);
  // The server's answers come back in one container too, with its acks.
  const before = p.server.stats.containersOut;
  for (let i = 0; i < 3; i++) p.server.sendMessage(serializeObject({ _: 'updatesTooLong' }));
  const events = down(p);
  t.is(p.server.stats.containersOut, before + 1);
  t.is(events.filter((e) => e.type === 'update').length, 3);
  t.deepEqual(events.find((e) => e.type === 'update'), { type: 'update', msgId: (events.find((e) => e.type === 'update') as { msgId: bigint }).msgId, update: { _: 'updatesTooLong' } });
});

test('gzip_packed both ways: a big request arrives whole, a big answer is read transparently', (t) => {
  const p = makePair();
  const message = 'hello '.repeat(1000);
  const request: tl.messages.sendMessage = {
    _: 'messages.sendMessage',
    peer: { _: 'inputPeerSelf' },
    message,
    randomId: 42n,
  } as tl.messages.sendMessage;
  const id = p.client.invoke(request);
  const wire = p.client.flush();
  t.true(wire[0]!.length < 1000, 'the request went compressed');
  const [req] = requests(wire.flatMap((w) => p.server.receive(w)));
  t.deepEqual(req!.body, serializeObject(request));
  p.server.sendResult(req!.msgId, serializeResult('messages.sendMessage', { _: 'updatesTooLong' }));
  t.like(down(p).find((e) => e.type === 'result'), { requestId: id, result: { _: 'updatesTooLong' } });

  // A large answer goes gzip_packed inside rpc_result and is read transparently.
  const id2 = p.client.invoke({ _: 'help.getNearestDc' });
  const [req2] = requests(up(p));
  const bigDc = { ...nearest, country: 'N'.repeat(5000) };
  p.server.sendResult(req2!.msgId, serializeResult('help.getNearestDc', bigDc));
  const answer = p.server.flush();
  t.is(answer.length, 1);
  t.true(answer[0]!.length < 1000, 'the answer went compressed');
  const opened = p.server.core.envelope.open(answer[0]!);
  t.is(opened, 'msg-key', 'the server cannot open its own direction');
  const events = p.client.receive(answer[0]!);
  t.deepEqual(events.find((e) => e.type === 'result'), { type: 'result', requestId: id2, result: bigDc });
});

test('rpc_error becomes RpcError with parsed arguments', (t) => {
  const p = makePair();
  const a = p.client.invoke({ _: 'help.getNearestDc' });
  const b = p.client.invoke({ _: 'help.getNearestDc' });
  const c = p.client.invoke({ _: 'help.getNearestDc' });
  const [ra, rb, rc] = requests(up(p));
  p.server.sendError(ra!.msgId, 420, 'FLOOD_WAIT_42');
  p.server.sendError(rb!.msgId, 303, 'PHONE_MIGRATE_2');
  p.server.sendError(rc!.msgId, 400, 'PEER_ID_INVALID');
  const errors = new Map(
    down(p).flatMap((e) => (e.type === 'error' ? [[e.requestId, e.error as RpcError] as const] : [])),
  );
  t.true(errors.get(a) instanceof RpcError);
  t.like(errors.get(a), { code: 420, text: 'FLOOD_WAIT_42', name: 'FLOOD_WAIT', seconds: 42, dcId: undefined });
  t.like(errors.get(b), { code: 303, text: 'PHONE_MIGRATE_2', name: 'PHONE_MIGRATE', dcId: 2, seconds: undefined });
  t.like(errors.get(c), { code: 400, text: 'PEER_ID_INVALID', name: 'PEER_ID_INVALID', value: undefined });
  t.is(errors.get(a)!.method, 'help.getNearestDc');
});

test('RpcError parses the error families of core.telegram.org/api/errors', (t) => {
  t.like(new RpcError(420, 'SLOWMODE_WAIT_10'), { name: 'SLOWMODE_WAIT', seconds: 10 });
  t.like(new RpcError(420, 'FLOOD_PREMIUM_WAIT_3'), { name: 'FLOOD_PREMIUM_WAIT', seconds: 3 });
  t.like(new RpcError(303, 'FILE_MIGRATE_4'), { name: 'FILE_MIGRATE', dcId: 4 });
  t.like(new RpcError(303, 'USER_MIGRATE_5'), { name: 'USER_MIGRATE', dcId: 5 });
  t.like(new RpcError(400, '2FA_CONFIRM_WAIT_3600'), { name: '2FA_CONFIRM_WAIT', seconds: 3600 });
  t.like(new RpcError(400, 'FILE_PART_3_MISSING'), { name: 'FILE_PART_X_MISSING', value: 3, seconds: undefined });
  t.like(new RpcError(401, 'AUTH_KEY_UNREGISTERED'), { name: 'AUTH_KEY_UNREGISTERED', value: undefined });
});

test('an answer that does not parse fails its request with a TlError, not a crash', (t) => {
  const p = makePair();
  const id = p.client.invoke({ _: 'help.getNearestDc' });
  const [req] = requests(up(p));
  p.server.sendResult(req!.msgId, serializeObject({ _: 'updatesTooLong' }));
  const [err] = down(p).filter((e) => e.type === 'error');
  t.is(err?.type === 'error' && err.requestId, id);
  t.is(err?.type === 'error' && err.error.name, 'TlError');
});

test('ping is answered by the server core with pong, routed by msg_id', (t) => {
  const p = makePair();
  const id = p.client.ping(77n);
  const ev = up(p);
  t.like(ev.find((e) => e.type === 'ping'), { type: 'ping', pingId: 77n });
  const res = down(p).find((e) => e.type === 'result');
  t.like(res, { type: 'result', requestId: id, result: { _: 'pong', pingId: 77n } });
});

test('bad_server_salt: the client takes the new salt and resends; the request still succeeds', (t) => {
  const p = makePair({ client: { serverSalt: 999n } });
  const id = p.client.invoke({ _: 'help.getNearestDc' });
  const first = up(p);
  t.like(first.find((e) => e.type === 'rejected'), { code: 48 });
  t.is(requests(first).length, 0);
  const ev = down(p);
  t.like(ev.find((e) => e.type === 'salt'), { serverSalt: p.server.core.serverSalt });
  t.is(p.client.serverSalt, p.server.core.serverSalt);
  const [req] = requests(up(p));
  t.truthy(req);
  p.server.sendResult(req!.msgId, serializeResult('help.getNearestDc', nearest));
  t.like(down(p).find((e) => e.type === 'result'), { requestId: id });
});

test('a client offset an hour off: the server refuses with 17; the notice, outside the window, still passes as it names our pending msg_id', (t) => {
  // The window check is a security rule (security_guidelines); a notice about one of our own pending
  // msg_ids is taken anyway (the pending table guards against its replay), or the clock could never recover.
  const p = makePair({ client: { timeOffset: 3600 } });
  const id = p.client.invoke({ _: 'help.getNearestDc' });
  const first = up(p);
  t.like(first.find((e) => e.type === 'rejected'), { code: 17 });
  const ev = down(p);
  t.is(p.client.stats.dropped['msg-id-too-old'], 0);
  t.is(p.client.stats.outOfWindow, 1);
  t.like(ev.find((e) => e.type === 'time-synced'), { timeOffset: 0 });
  const [req] = requests(up(p));
  t.truthy(req);
  p.server.sendResult(req!.msgId, serializeResult('help.getNearestDc', nearest));
  t.like(down(p).find((e) => e.type === 'result'), { requestId: id });
  t.is(p.client.pending, 0);
});

test('bad_msg_notification 16/17 inside the time window resync the clock and resend', (t) => {
  const p = makePair({ client: { timeOffset: 25 }, server: { limits: { maxFutureSeconds: 20 } } });
  const id = p.client.invoke({ _: 'help.getNearestDc' });
  t.like(up(p).find((e) => e.type === 'rejected'), { code: 17 });
  const ev = down(p);
  t.like(ev.find((e) => e.type === 'time-synced'), { timeOffset: 0 });
  const [req] = requests(up(p));
  t.truthy(req);
  p.server.sendResult(req!.msgId, serializeResult('help.getNearestDc', nearest));
  t.like(down(p).find((e) => e.type === 'result'), { requestId: id });
});

test('unfixable bad_msg_notification codes fail the request with BadMessageError', (t) => {
  const p = makePair();
  const id = p.client.invoke({ _: 'help.getNearestDc' });
  const [req] = requests(up(p));
  p.server.core.enqueue({
    body: (() => {
      const b = new Uint8Array(20);
      const v = new DataView(b.buffer);
      v.setUint32(0, 0xa7eff811, true);
      v.setBigInt64(4, req!.msgId, true);
      v.setInt32(12, req!.seqNo, true);
      v.setInt32(16, 35, true);
      return b;
    })(),
    contentRelated: false,
    kind: 'response',
  });
  const err = down(p).find((e) => e.type === 'error');
  t.true(err?.type === 'error' && err.error instanceof BadMessageError && err.error.code === 35);
  t.is(err?.type === 'error' && err.requestId, id);
  t.is(p.client.pending, 0);
});

test('a cancelled request is forgotten; its late answer is counted, not routed', (t) => {
  const p = makePair();
  const id = p.client.invoke({ _: 'help.getNearestDc' });
  const [req] = requests(up(p));
  t.true(p.client.cancel(id));
  t.false(p.client.cancel(id));
  p.server.sendResult(req!.msgId, serializeResult('help.getNearestDc', nearest));
  t.deepEqual(down(p).filter((e) => e.type === 'result'), []);
  t.is(p.client.stats.dropped['unknown-request'], 1);
});

test('the pending table is bounded', (t) => {
  const p = makePair({ client: { limits: { maxPending: 3 } } });
  for (let i = 0; i < 3; i++) p.client.invoke({ _: 'help.getNearestDc' });
  t.throws(() => p.client.invoke({ _: 'help.getNearestDc' }), { name: 'SessionLimitError' });
});

test('new_session_created: requests sent before first_msg_id are sent again', (t) => {
  const p = makePair();
  const lost = p.client.invoke({ _: 'help.getNearestDc' });
  p.client.flush(); // never delivered
  const kept = p.client.invoke({ _: 'help.getNearestDc' });
  const [second] = requests(up(p));
  p.server.sendResult(second!.msgId, serializeResult('help.getNearestDc', nearest));
  const events = down(p);
  t.like(events.find((e) => e.type === 'new-session'), { firstMsgId: second!.msgId });
  t.like(events.find((e) => e.type === 'result'), { requestId: kept });
  const [again] = requests(up(p));
  t.truthy(again);
  t.true(again!.msgId > second!.msgId);
  p.server.sendResult(again!.msgId, serializeResult('help.getNearestDc', nearest));
  t.like(down(p).find((e) => e.type === 'result'), { requestId: lost });
  t.is(p.client.pending, 0);
});

test('the server acks a request by answering it: an answer in the same flush carries no msgs_ack of it', (t) => {
  const p = makePair();
  p.client.invoke({ _: 'help.getNearestDc' });
  up(p);
  down(p); // new_session_created and the ack of the first request (not answered yet)
  p.client.invoke({ _: 'help.getNearestDc' });
  const [req] = requests(up(p));
  t.is(p.server.core.pendingAcks, 1);
  p.server.sendResult(req!.msgId, serializeResult('help.getNearestDc', nearest));
  t.is(p.server.core.pendingAcks, 0, 'the rpc_result is the acknowledgment');
  const packets = p.server.flush();
  t.is(packets.length, 1);
  const events = packets.flatMap((packet) => p.client.receive(packet));
  t.deepEqual(events.map((e) => e.type), ['result'], 'one message, no container, no ack');
  // A request left unanswered is still acknowledged on the next flush.
  p.client.invoke({ _: 'help.getNearestDc' });
  up(p);
  t.is(p.server.core.pendingAcks, 1);
  t.true(p.server.flush().length === 1 && p.server.core.pendingAcks === 0);
});
