// Bounded fuzzing of both roles: garbage that passes the msg_key check (the
// forger holds the key) must be refused or counted, never thrown, never hang.
import test from 'ava';
import { packContainer } from '../src/mtproto/session/container.js';
import { rpcResult, rpcError, badMsgNotification, badServerSalt, newSessionCreated, pong } from '../src/mtproto/session/service-messages.js';
import { msgsAck } from '../src/mtproto/session/core.js';
import { forgeServerPacket, makePair, msgIdAt, seededRandom } from './support/session-pair.js';

const ROUNDS = 3000;

/** Well-formed service messages to start mutations from. */
function seeds(reqMsgId: bigint): Uint8Array[] {
  return [
    rpcResult(reqMsgId, Uint8Array.of(0x7e, 0xaf, 0x17, 0xe3)),
    rpcResult(reqMsgId, rpcError(420, 'FLOOD_WAIT_42')),
    badMsgNotification(reqMsgId, 1, 16),
    badServerSalt(reqMsgId, 1, 5n),
    newSessionCreated(reqMsgId, 1n, 2n),
    pong(reqMsgId, 3n),
    msgsAck([reqMsgId, 1n]),
    packContainer([{ msgId: 0x1111n, seqNo: 1, body: pong(reqMsgId, 1n) }]),
    Uint8Array.of(0xa1, 0xcf, 0x72, 0x30, 4, 1, 2, 3, 4, 0, 0, 0), // gzip_packed of junk
  ];
}

function mutate(rand: (out: Uint8Array) => void, seed: Uint8Array): Uint8Array {
  const b = new Uint8Array(1);
  rand(b);
  const kind = b[0]! % 4;
  const out = seed.slice();
  if (kind === 0) {
    // flip a few bytes
    const pos = new Uint8Array(4);
    rand(pos);
    for (const p of pos) out[p % out.length]! ^= 1 << (p & 7);
  } else if (kind === 1) {
    // truncate to whole words
    return out.subarray(0, Math.max(4, (b[0]! % out.length) & ~3));
  } else if (kind === 2) {
    // random words after the constructor id
    rand(out.subarray(4));
  } else {
    // a random length field: ints at random word offsets set to huge or negative values
    const v = new DataView(out.buffer);
    const off = (b[0]! * 4) % Math.max(4, out.length - 3);
    v.setInt32(off & ~3, b[0]! & 1 ? -1 : 0x7fffffff, true);
  }
  return out;
}

test('the client role never throws on garbage that passes the msg_key check', (t) => {
  const p = makePair();
  const rand = seededRandom(42);
  const reqs: bigint[] = [];
  for (let i = 0; i < 20; i++) p.client.invoke({ _: 'help.getNearestDc' });
  for (const packet of p.client.flush()) {
    for (const e of p.server.receive(packet)) if (e.type === 'request') reqs.push(e.msgId);
  }
  let accepted = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const base = seeds(reqs[i % reqs.length]!);
    const body = mutate(rand, base[i % base.length]!);
    const aligned = body.subarray(0, body.length & ~3);
    const packet = forgeServerPacket(p.cipher, {
      sessionId: p.client.sessionId,
      msgId: msgIdAt(p.clock, 0, 3, i),
      seqNo: (i & 1) + 2 * i,
      body: aligned,
    });
    t.notThrows(() => {
      if (p.client.receive(packet).length > 0) accepted++;
    });
  }
  const s = p.client.stats;
  t.is(s.packetsIn, ROUNDS);
  t.true(s.dropped.malformed > 0);
  t.true(p.client.pending <= 20);
  t.log(`accepted ${accepted}, dropped ${JSON.stringify(s.dropped)}`);
});

test('the server role never throws on garbage that passes the msg_key check', (t) => {
  const p = makePair();
  const rand = seededRandom(43);
  for (let i = 0; i < ROUNDS; i++) {
    const base = seeds(BigInt(i));
    const body = mutate(rand, base[i % base.length]!);
    const aligned = body.subarray(0, body.length & ~3);
    const packet = forgeServerPacket(
      p.cipher,
      { sessionId: 77n, msgId: msgIdAt(p.clock, 0, 0, i), seqNo: 2 * i + 1, body: aligned },
      undefined,
      0,
    );
    t.notThrows(() => p.server.receive(packet));
  }
  t.notThrows(() => p.server.flush());
  t.is(p.server.stats.packetsIn, ROUNDS);
});
