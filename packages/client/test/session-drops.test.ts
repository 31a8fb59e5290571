import test from 'ava';
import { DROP_REASONS, type DropReason } from '../src/mtproto/session/stats.js';
import { packContainer } from '../src/mtproto/session/container.js';
import { msgsAck } from '../src/mtproto/session/core.js';
import { rpcResult, pong } from '../src/mtproto/session/service-messages.js';
import type { ServerSessionEvent } from '../src/mtproto/session/server/session.js';
import { readLong, readU32, writeU32 } from '../src/mtproto/session/wire.js';
import { ID_BAD_MSG_NOTIFICATION, ID_NEW_SESSION_CREATED } from '../src/mtproto/session/ids.js';
import { bytesOf, forgeServerPacket, makePair, msgIdAt, type Pair } from './support/session-pair.js';

/** updatesTooLong#e317af7e: the smallest body a server may send unasked. */
const UPDATE = Uint8Array.of(0x7e, 0xaf, 0x17, 0xe3);

function onlyDrop(t: import('ava').ExecutionContext, p: Pair, reason: DropReason, n = 1): void {
  for (const r of DROP_REASONS) t.is(p.client.stats.dropped[r], r === reason ? n : 0, `dropped[${r}]`);
}

function forge(p: Pair, f: Partial<Parameters<typeof forgeServerPacket>[1]>, key?: Uint8Array): Uint8Array {
  return forgeServerPacket(
    p.cipher,
    { sessionId: p.client.sessionId, msgId: msgIdAt(p.clock, 0, 3), seqNo: 1, body: UPDATE, ...f },
    key,
  );
}

test('a well-formed forged packet is accepted (the baseline for the drops below)', (t) => {
  const p = makePair();
  const events = p.client.receive(forge(p, {}));
  t.deepEqual(events, [{ type: 'update', msgId: msgIdAt(p.clock, 0, 3), update: { _: 'updatesTooLong' } }]);
  onlyDrop(t, p, 'length', 0);
});

const cases: [string, DropReason, (p: Pair) => Uint8Array][] = [
  ['too short', 'length', () => new Uint8Array(50)],
  ['one byte short of the smallest packet', 'length', (p) => forge(p, {}).subarray(0, 24 + 47)],
  ['another auth key', 'auth-key-id', (p) => forge(p, {}, bytesOf(99, 256))],
  [
    'a flipped ciphertext bit',
    'msg-key',
    (p) => {
      const b = forge(p, {});
      b[40]! ^= 1;
      return b;
    },
  ],
  [
    'the client direction (x = 0)',
    'msg-key',
    (p) => forgeServerPacket(p.cipher, { sessionId: p.client.sessionId, msgId: msgIdAt(p.clock, 0, 3), seqNo: 1, body: UPDATE }, undefined, 0),
  ],
  ['message_data_length past the end', 'padding', (p) => forge(p, { length: 400 })],
  ['message_data_length not a multiple of 4', 'padding', (p) => forge(p, { length: 2 })],
  ['padding over 1024 bytes', 'padding', (p) => forge(p, { padding: 1036 })],
  ['padding under 12 bytes', 'padding', (p) => forge(p, { body: Uint8Array.of(...UPDATE, 0, 0, 0, 0), padding: 8 })],
  ['another session_id', 'session-id', (p) => forge(p, { sessionId: 12345n })],
  ['an even msg_id', 'msg-id-parity', (p) => forge(p, { msgId: msgIdAt(p.clock, 0, 0) })],
  ['msg_id 301 s old', 'msg-id-too-old', (p) => forge(p, { msgId: msgIdAt(p.clock, -301, 1) })],
  ['msg_id 31 s ahead', 'msg-id-too-new', (p) => forge(p, { msgId: msgIdAt(p.clock, 31, 1) })],
  [
    'a container inside a container',
    'malformed',
    (p) => forge(p, { seqNo: 2, body: packContainer([{ msgId: msgIdAt(p.clock, 0, 3, 1), seqNo: 2, body: packContainer([]) }]) }),
  ],
  [
    'a container claiming more than it holds',
    'malformed',
    (p) => {
      const c = packContainer([{ msgId: msgIdAt(p.clock, 0, 3, 1), seqNo: 1, body: UPDATE }]);
      writeU32(c, 4, 1000);
      return forge(p, { seqNo: 2, body: c });
    },
  ],
  ['an unknown constructor', 'malformed', (p) => forge(p, { body: Uint8Array.of(1, 2, 3, 4) })],
  ['rpc_result for no request', 'unknown-request', (p) => forge(p, { msgId: msgIdAt(p.clock, 0, 1), body: rpcResult(4n, UPDATE) })],
  ['pong for no ping', 'unknown-request', (p) => forge(p, { msgId: msgIdAt(p.clock, 0, 1), body: pong(4n, 5n) })],
];

for (const [what, reason, make] of cases) {
  test(`dropped and counted: ${what} → ${reason}`, (t) => {
    const p = makePair();
    const events = p.client.receive(make(p));
    t.deepEqual(events, []);
    onlyDrop(t, p, reason);
    t.is(p.client.stats.packetsIn, 1);
  });
}

test('0–15 trailing bytes (padded intermediate transport) are not part of the message', (t) => {
  const p = makePair();
  for (let extra = 1; extra <= 15; extra++) {
    const packet = forge(p, { msgId: msgIdAt(p.clock, 0, 3, extra) });
    const padded = new Uint8Array(packet.length + extra);
    padded.set(packet);
    padded.fill(0xa5, packet.length);
    t.is(p.client.receive(padded).length, 1);
  }
  onlyDrop(t, p, 'length', 0);
});

test('a replayed packet is refused, and so is a repeated msg_id inside a container', (t) => {
  const p = makePair();
  const packet = forge(p, {});
  t.is(p.client.receive(packet).length, 1);
  t.deepEqual(p.client.receive(packet), []);
  onlyDrop(t, p, 'replay');
  const inner = msgIdAt(p.clock, 0, 3, 5);
  const c = packContainer([
    { msgId: inner, seqNo: 1, body: UPDATE },
    { msgId: inner, seqNo: 1, body: UPDATE },
  ]);
  t.is(p.client.receive(forge(p, { msgId: msgIdAt(p.clock, 0, 3, 9), seqNo: 2, body: c })).length, 1);
  onlyDrop(t, p, 'replay', 2);
});

test('the ack queue is bounded: overflow drops the oldest and counts', (t) => {
  const p = makePair({ client: { limits: { maxPendingAcks: 2, ackThreshold: 100 } } });
  for (let i = 0; i < 3; i++) p.client.receive(forge(p, { msgId: msgIdAt(p.clock, 0, 3, i) }));
  onlyDrop(t, p, 'ack-overflow');
  t.is(p.client.core.pendingAcks, 2);
  // Acks alone wait for the threshold, or go when forced.
  t.deepEqual(p.client.flush(), []);
  const [packet] = p.client.flush(true);
  const opened = p.server.core.envelope.open(packet!);
  if (typeof opened === 'string') return t.fail(opened);
  t.deepEqual(opened.body, msgsAck([msgIdAt(p.clock, 0, 3, 1), msgIdAt(p.clock, 0, 3, 2)]));
  t.is(opened.seqNo % 2, 0);
});

// ---- the server role's refusals ----

function forgeUp(p: Pair, f: { msgId: bigint; seqNo: number; body?: Uint8Array; salt?: bigint; sessionId?: bigint }): Uint8Array {
  return forgeServerPacket(p.cipher, { sessionId: f.sessionId ?? 77n, body: UPDATE, ...f }, undefined, 0);
}

function notices(p: Pair): { code: number; badMsgId: bigint }[] {
  const out: { code: number; badMsgId: bigint }[] = [];
  for (const packet of p.server.flush()) {
    const m = p.client.core.envelope.open(packet);
    if (typeof m === 'string') throw new Error(m);
    const bodies = readU32(m.body, 0) === 0x73f1f8dc ? unpack(m.body) : [m.body];
    for (const b of bodies) {
      if (readU32(b, 0) === ID_BAD_MSG_NOTIFICATION) out.push({ code: readU32(b, 16), badMsgId: readLong(b, 4) });
    }
  }
  return out;
}

function unpack(body: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let pos = 8;
  for (let i = 0; i < readU32(body, 4); i++) {
    const len = readU32(body, pos + 12);
    out.push(body.subarray(pos + 16, pos + 16 + len));
    pos += 16 + len;
  }
  return out;
}

function requestsOf(events: ServerSessionEvent[]) {
  return events.filter((e) => e.type === 'request');
}

const refusals: [string, number, (p: Pair) => Uint8Array][] = [
  ['msg_id not divisible by 4', 18, (p) => forgeUp(p, { msgId: msgIdAt(p.clock, 0, 1), seqNo: 1 })],
  ['msg_id 301 s old', 16, (p) => forgeUp(p, { msgId: msgIdAt(p.clock, -301, 0), seqNo: 1 })],
  ['msg_id 31 s ahead', 17, (p) => forgeUp(p, { msgId: msgIdAt(p.clock, 31, 0), seqNo: 1 })],
  // 35: an odd seq_no expected (content-related), even received; 34: the other way round.
  ['content-related with an even seq_no', 35, (p) => forgeUp(p, { msgId: msgIdAt(p.clock, 0, 0), seqNo: 2 })],
  [
    'a container with an odd seq_no',
    34,
    (p) => {
      const c = packContainer([{ msgId: msgIdAt(p.clock, 0, 0, 1), seqNo: 1, body: UPDATE }]);
      return forgeUp(p, { msgId: msgIdAt(p.clock, 0, 0, 2), seqNo: 3, body: c });
    },
  ],
  [
    'a broken container',
    64,
    (p) => {
      const c = packContainer([{ msgId: msgIdAt(p.clock, 0, 0, 1), seqNo: 1, body: UPDATE }]);
      return forgeUp(p, { msgId: msgIdAt(p.clock, 0, 0, 2), seqNo: 2, body: c.subarray(0, c.length - 4) });
    },
  ],
  [
    'an inner msg_id equal to the container\'s',
    19,
    (p) => {
      const id = msgIdAt(p.clock, 0, 0, 2);
      return forgeUp(p, { msgId: id, seqNo: 2, body: packContainer([{ msgId: id, seqNo: 1, body: UPDATE }]) });
    },
  ],
];

for (const [what, code, make] of refusals) {
  test(`the server refuses ${what} with bad_msg_notification ${code}`, (t) => {
    const p = makePair();
    const events = p.server.receive(make(p));
    t.deepEqual(requestsOf(events), []);
    t.like(events.find((e) => e.type === 'rejected'), { code });
    t.is(notices(p)[0]?.code, code);
  });
}

test('the server lets an msgs_ack with an odd seq_no through, as Telegram does (mtcute numbers acks so)', (t) => {
  const p = makePair();
  const events = p.server.receive(forgeUp(p, { msgId: msgIdAt(p.clock, 0, 0), seqNo: 3, body: msgsAck([]) }));
  t.is(events.find((e) => e.type === 'rejected'), undefined);
  t.deepEqual(notices(p), []);
});

test('the server: a wrong salt gets bad_server_salt, a replay is ignored, seq_no may not go backwards', (t) => {
  const p = makePair();
  const e1 = p.server.receive(forgeUp(p, { msgId: msgIdAt(p.clock, 0, 0, 1), seqNo: 1, salt: 5n }));
  t.like(e1, [{ type: 'rejected', code: 48 }]);
  const ok = forgeUp(p, { msgId: msgIdAt(p.clock, 0, 0, 2), seqNo: 5 });
  const e2 = p.server.receive(ok);
  t.is(requestsOf(e2).length, 1);
  t.like(e2[0], { type: 'new-session', sessionId: 77n, firstMsgId: msgIdAt(p.clock, 0, 0, 2) });
  t.deepEqual(p.server.receive(ok), []);
  t.is(p.server.stats.dropped.replay, 1);
  const e3 = p.server.receive(forgeUp(p, { msgId: msgIdAt(p.clock, 0, 0, 3), seqNo: 3 }));
  t.like(e3, [{ type: 'rejected', code: 32 }]);
  const e4 = p.server.receive(forgeUp(p, { msgId: msgIdAt(p.clock, 0, 0, 1), seqNo: 7 }));
  t.like(e4, [{ type: 'rejected', code: 33 }]);
  // new_session_created went out once, first, with the salt.
  const bodies = p.server.flush().flatMap((pk) => {
    const m = p.client.core.envelope.open(pk);
    if (typeof m === 'string') throw new Error(m);
    return readU32(m.body, 0) === 0x73f1f8dc ? unpack(m.body) : [m.body];
  });
  const created = bodies.filter((b) => readU32(b, 0) === ID_NEW_SESSION_CREATED);
  t.is(created.length, 1);
  t.is(readLong(created[0]!, 20), p.server.core.serverSalt);
});

test('the server: below a full replay window is code 20; a new session_id starts a new session', (t) => {
  const p = makePair({ server: { limits: { replayWindow: 4 } } });
  for (let i = 1; i <= 6; i++) p.server.receive(forgeUp(p, { msgId: msgIdAt(p.clock, 0, 0, 10 + i), seqNo: 2 * i - 1 }));
  const e = p.server.receive(forgeUp(p, { msgId: msgIdAt(p.clock, 0, 0, 1), seqNo: 1 }));
  t.like(e, [{ type: 'rejected', code: 20 }]);
  const e2 = p.server.receive(forgeUp(p, { sessionId: 78n, msgId: msgIdAt(p.clock, 0, 0, 1), seqNo: 1 }));
  t.like(e2[0], { type: 'new-session', sessionId: 78n });
  t.is(requestsOf(e2).length, 1);
});

test('the server: a container numbered before its contents (either packing order) is accepted', (t) => {
  const p = makePair();
  // Container msg_id and seq_no first, contents after: some clients pack this way.
  const container = msgIdAt(p.clock, 0, 0, 1);
  const c = packContainer([
    { msgId: msgIdAt(p.clock, 0, 0, 2), seqNo: 1, body: UPDATE },
    { msgId: msgIdAt(p.clock, 0, 0, 3), seqNo: 3, body: UPDATE },
  ]);
  const events = p.server.receive(forgeUp(p, { msgId: container, seqNo: 4, body: c }));
  t.is(requestsOf(events).length, 2);
  t.deepEqual(events.filter((e) => e.type === 'rejected'), []);
  const next = p.server.receive(forgeUp(p, { msgId: msgIdAt(p.clock, 0, 0, 4), seqNo: 5 }));
  t.is(requestsOf(next).length, 1);
});
