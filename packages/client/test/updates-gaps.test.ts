// The common box's pts, seq and qts rules on a virtual clock.
import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { FakeServer, Harness, SELF } from './updates-fake-server.js';

function fresh(options = {}) {
  const server = new FakeServer();
  server.pts = 10;
  server.seq = 5;
  server.qts = 3;
  const h = new Harness(server, options);
  return { server, h };
}

test('a fresh box asks updates.getState first and takes its state', (t) => {
  const { server, h } = fresh();
  t.deepEqual(server.calls.map((c) => c._), ['updates.getState']);
  t.deepEqual(h.box.getState(), { pts: 10, qts: 3, date: server.date, seq: 5, channels: {} });
  t.deepEqual(h.delivered, []);
});

test('updates arriving in order are delivered in order, once, and move the state', (t) => {
  const { server, h } = fresh();
  h.feed(server.privateMessage(7n, 'a'));
  h.feed(server.chatMessage(50n, 8n, 'b'));
  h.feed(server.seqMessage(7n, 'c'));
  h.feed(server.combined(9n, ['d', 'e']));
  h.feed(server.botStopped(7n));
  const texts = h.delivered.map((u) => (u._ === 'updateNewMessage' ? (u.message as tl.message).message : u._));
  t.deepEqual(texts, ['a', 'b', 'c', 'd', 'e', 'updateBotStopped']);
  t.deepEqual(h.box.getState(), { pts: 15, qts: 4, date: server.date, seq: 8, channels: {} });
  t.is(server.calls.length, 1, 'no difference was needed');
  t.is(h.box.stats().duplicates, 0);
});

test('short messages are expanded into updateNewMessage with the right peers', (t) => {
  const { server, h } = fresh();
  const out: tl.updateShortMessage = { ...server.privateMessage(7n, 'mine'), out: true };
  h.feed(out);
  h.feed(server.chatMessage(50n, 8n, 'group'));
  const [a, b] = h.delivered as tl.updateNewMessage[];
  const ma = a!.message as tl.message;
  const mb = b!.message as tl.message;
  t.deepEqual(ma.peerId, { _: 'peerUser', userId: 7n });
  t.deepEqual(ma.fromId, { _: 'peerUser', userId: SELF });
  t.true(ma.out);
  t.deepEqual(mb.peerId, { _: 'peerChat', chatId: 50n });
  t.deepEqual(mb.fromId, { _: 'peerUser', userId: 8n });
  t.is(a!.pts, 11);
});

test('a pts gap waits 0.5 s and is closed by the late update without a difference', (t) => {
  const { server, h } = fresh();
  const first = server.privateMessage(7n, 'first');
  const second = server.privateMessage(7n, 'second');
  h.feed(second);
  t.deepEqual(h.delivered, [], 'held while the gap is open');
  t.is(h.box.nextDeadline(), 500);
  h.advance(300);
  h.feed(first);
  t.deepEqual(h.messageKeys(), ['common:1', 'common:2']);
  t.is(h.box.nextDeadline(), 15 * 60_000 + 300, 'only the idle deadline is left');
  h.advance(1000);
  t.is(server.calls.length, 1, 'still only getState');
  t.is(h.box.stats().gapsClosedByWait, 1);
  t.is(h.box.getState()!.pts, 12);
});

test('a pts gap that stays open for 0.5 s is filled by getDifference, and nothing repeats', (t) => {
  const { server, h } = fresh();
  server.privateMessage(7n, 'lost');
  server.chatMessage(50n, 8n, 'lost too');
  const third = server.privateMessage(7n, 'third');
  h.feed(third);
  h.advance(499);
  t.is(server.calls.length, 1, 'no difference before the wait ends');
  h.advance(1);
  const diff = server.calls[1] as tl.updates.getDifference;
  t.is(diff._, 'updates.getDifference');
  t.is(diff.pts, 10);
  t.is(diff.qts, 3);
  t.deepEqual(h.messageKeys(), ['common:1', 'common:2', 'common:3']);
  t.is(h.box.getState()!.pts, 13);
  t.is(h.box.stats().pending, 0);
  // The held copy of 'third' was inside the difference: it counted as a duplicate.
  t.is(h.box.stats().duplicates, 1);
});

test('updates at or below the local pts are dropped, never delivered twice', (t) => {
  const { server, h } = fresh();
  const a = server.privateMessage(7n, 'a');
  const b = server.seqMessage(7n, 'b');
  h.feed(a);
  h.feed(a);
  h.feed(b);
  h.feed(b);
  h.feed({ ...b, seq: 0 }); // the same update again without seq: its pts catches it
  t.deepEqual(h.messageKeys(), ['common:1', 'common:2']);
  t.is(h.box.stats().duplicates, 3);
});

test('a seq gap holds the container and applies it once the missing one comes', (t) => {
  const { server, h } = fresh();
  const s1 = server.seqMessage(7n, 's1');
  const s2 = server.seqMessage(7n, 's2');
  h.feed(s2);
  t.deepEqual(h.delivered, []);
  h.advance(100);
  h.feed(s1);
  t.deepEqual(h.messageKeys(), ['common:1', 'common:2']);
  t.is(h.box.getState()!.seq, 7);
  t.is(server.calls.length, 1);
});

test('a seq gap that stays open is filled by getDifference', (t) => {
  const { server, h } = fresh();
  server.seqMessage(7n, 'lost');
  const s2 = server.combined(7n, ['x', 'y']);
  h.feed(s2);
  h.advance(500);
  t.is(server.calls.at(-1)!._, 'updates.getDifference');
  t.deepEqual(h.messageKeys(), ['common:1', 'common:2', 'common:3']);
  t.is(h.box.getState()!.seq, 8);
  t.is(h.box.stats().pending, 0);
});

test('qts: in order applies, a jump is a gap filled by the difference, qts 0 is unordered', (t) => {
  const { server, h } = fresh();
  h.feed(server.botStopped(7n));
  server.botStopped(8n);
  h.feed(server.botStopped(9n));
  h.feed({ _: 'updateShort', date: server.date, update: { _: 'updateBotStopped', userId: 5n, date: 0, stopped: false, qts: 0 } });
  t.deepEqual(
    h.delivered.map((u) => (u as tl.updateBotStopped).userId),
    [7n, 5n],
    'the qts 0 update is not held behind the gap',
  );
  h.advance(500);
  t.deepEqual(
    h.delivered.map((u) => (u as tl.updateBotStopped).userId),
    [7n, 5n, 8n, 9n],
  );
  t.is(h.box.getState()!.qts, 6);
});

test('updatesTooLong asks for the difference at once', (t) => {
  const { server, h } = fresh();
  server.privateMessage(7n, 'a');
  server.privateMessage(7n, 'b');
  h.feed({ _: 'updatesTooLong' });
  t.deepEqual(h.messageKeys(), ['common:1', 'common:2']);
});

test('updateShortSentMessage and affectedMessages move pts without delivering', (t) => {
  const { server, h } = fresh();
  server.pts++;
  h.feed({ _: 'updateShortSentMessage', out: true, id: 1, pts: server.pts, ptsCount: 1, date: server.date });
  server.pts += 2;
  h.box.feedAffected({ pts: server.pts, ptsCount: 2 }, h.clock);
  h.pump();
  t.deepEqual(h.delivered, []);
  t.is(h.box.getState()!.pts, 13);
  h.feed(server.privateMessage(7n, 'next'));
  t.is(h.delivered.length, 1);
  t.is(server.calls.length, 1, 'no gap was seen');
});

test('updates arriving while a difference is in flight are held, then checked against its result', (t) => {
  const { server, h } = fresh();
  h.manual = true;
  server.privateMessage(7n, 'lost');
  h.feed(server.privateMessage(7n, 'gap'));
  h.advance(500);
  t.is(h.requests.length, 1);
  // The server answers from its state now; then more arrive before we read it.
  const answer = server.getDifference(h.requests[0]!.request as tl.updates.getDifference);
  const late = server.privateMessage(7n, 'after');
  h.feed(late);
  h.feed(server.seqMessage(7n, 'after, with seq'));
  t.is(h.delivered.length, 0);
  h.box.answer(h.requests.splice(0)[0]!.id, answer, h.clock);
  h.pump();
  t.deepEqual(h.messageKeys(), ['common:1', 'common:2', 'common:3', 'common:4']);
  t.is(h.box.getState()!.pts, 14);
  t.is(h.box.getState()!.seq, 6);
});

test('after 15 minutes without updates the box asks for the difference', (t) => {
  const { server, h } = fresh();
  server.privateMessage(7n, 'silently lost');
  h.advance(15 * 60_000 - 1);
  t.is(server.calls.length, 1);
  h.advance(1);
  t.is(server.calls.length, 2);
  t.deepEqual(h.messageKeys(), ['common:1']);
});

test('a failed getDifference is retried with a doubling delay', (t) => {
  const { server, h } = fresh({ retryMs: 1000 });
  h.manual = true;
  server.privateMessage(7n, 'lost');
  h.feed(server.privateMessage(7n, 'gap'));
  h.advance(500);
  h.box.fail(h.requests.splice(0)[0]!.id, new Error('500 INTERNAL'), h.clock);
  h.pump();
  t.is(h.box.nextDeadline(), 1500);
  h.advance(1000);
  t.is(h.requests.length, 1, 'retried after 1 s');
  h.box.fail(h.requests.splice(0)[0]!.id, new Error('timeout'), h.clock);
  h.pump();
  t.is(h.box.nextDeadline(), h.clock + 2000);
  h.advance(2000);
  h.answerAll();
  t.deepEqual(h.messageKeys(), ['common:1', 'common:2']);
});

test('updatePtsChanged refetches the state with updates.getState and continues from it', (t) => {
  const { server, h } = fresh();
  h.feed(server.privateMessage(7n, 'before'));
  server.pts = 3; // the server renumbered the box
  h.feed({ _: 'updateShort', date: server.date, update: { _: 'updatePtsChanged' } });
  t.is(server.calls.at(-1)!._, 'updates.getState');
  t.is(h.box.getState()!.pts, 3);
  h.feed(server.privateMessage(7n, 'after'));
  t.deepEqual(h.messageKeys(), ['common:1', 'common:2']);
  t.is(server.calls.filter((c) => c._ === 'updates.getDifference').length, 0);
});

test('updates that come before the first getState answer wait for it: none is lost, none comes twice', (t) => {
  // The getState answer describes pts 10, but is handled after pushes the server made later (pts 11, 12):
  // delivered once each, and no difference from pts 10 brings them again.
  const server = new FakeServer();
  server.pts = 10;
  const h = new Harness(server, {}, true);
  t.deepEqual(h.requests.map((r) => r.request._), ['updates.getState']);
  const stateThen = server.answer(h.requests[0]!.request);
  const a = server.privateMessage(7n, 'a');
  const b = server.privateMessage(7n, 'b');
  h.feed(a);
  h.feed(b);
  t.deepEqual(h.delivered, [], 'held until the state is known');
  t.is(h.box.stats().pending, 2);
  const { id } = h.requests.shift()!;
  h.box.answer(id, stateThen, h.clock);
  h.pump();
  t.deepEqual(h.messageKeys(), ['common:1', 'common:2']);
  h.feed(server.privateMessage(7n, 'c'));
  h.advance(2000);
  t.deepEqual(h.messageKeys(), ['common:1', 'common:2', 'common:3']);
  t.deepEqual(h.requests.map((r) => r.request._), [], 'no difference was needed');
  t.is(h.box.getState()!.pts, 13);

  // The other order: the state already covers a push handled before it (pts ≤ state): delivered once, as it is.
  const server2 = new FakeServer();
  server2.pts = 10;
  const h2 = new Harness(server2, {}, true);
  const early = server2.privateMessage(7n, 'early');
  h2.feed(early);
  const { id: id2, request } = h2.requests.shift()!;
  h2.box.answer(id2, server2.answer(request), h2.clock); // state pts 11: after 'early'
  h2.pump();
  h2.feed(server2.privateMessage(7n, 'next'));
  h2.advance(2000);
  t.deepEqual(h2.messageKeys(), ['common:1', 'common:2']);
  t.deepEqual(h2.requests.map((r) => r.request._), []);
});
