// Bounded buffers and bad input: typed errors, no growth past the limits,
// and no loss when a limit is hit.
import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { FakeServer, Harness } from './updates-fake-server.js';
import { UpdatesBox, UpdatesError, parseUpdatesState } from '../src/updates/index.js';

test('past maxPendingPerBox the held updates are dropped and the difference fetched at once, losing nothing', (t) => {
  const server = new FakeServer();
  const h = new Harness(server, { maxPendingPerBox: 16 });
  server.privateMessage(7n, 'lost');
  const later = Array.from({ length: 40 }, (_, i) => server.privateMessage(7n, `m${i}`));
  for (const u of later.slice(0, 16)) h.feed(u);
  t.is(h.box.stats().pending, 16);
  t.is(server.calls.length, 1, 'still waiting out the gap');
  h.feed(later[16]!);
  t.is(server.calls.length, 2, 'the 17th forced the difference without waiting');
  for (const u of later.slice(17)) h.feed(u);
  t.deepEqual(h.messageKeys(), Array.from({ length: 41 }, (_, i) => `common:${i + 1}`));
  t.is(h.box.stats().pending, 0);
});

test('overflow while a difference is in flight fetches once more afterwards', (t) => {
  const server = new FakeServer();
  const h = new Harness(server, { maxPendingPerBox: 4 }, true);
  h.answerAll();
  server.privateMessage(7n, 'lost');
  h.feed(server.privateMessage(7n, 'gap'));
  h.advance(500);
  const waiting = h.requests.splice(0);
  const answer = server.answer(waiting[0]!.request);
  for (let i = 0; i < 10; i++) h.feed(server.privateMessage(7n, `during ${i}`));
  h.box.answer(waiting[0]!.id, answer, h.clock);
  h.pump();
  t.is(h.requests.length, 1, 'a second getDifference for what was dropped');
  h.answerAll();
  t.deepEqual(h.messageKeys(), Array.from({ length: 12 }, (_, i) => `common:${i + 1}`));
});

test('seq containers held are bounded too', (t) => {
  const server = new FakeServer();
  const h = new Harness(server, { maxPendingPerBox: 3 });
  server.seqMessage(7n, 'lost');
  for (let i = 0; i < 5; i++) h.feed(server.seqMessage(7n, `s${i}`));
  t.deepEqual(h.messageKeys(), Array.from({ length: 6 }, (_, i) => `common:${i + 1}`));
  t.is(h.box.getState()!.seq, 6);
});

test('past maxChannels the least recently updated channel is forgotten', (t) => {
  const server = new FakeServer();
  for (let i = 1n; i <= 5n; i++) server.addChannel(i, i, 10);
  const h = new Harness(server, { maxChannels: 3 });
  for (let i = 1n; i <= 3n; i++) h.feed(server.channelMessage(i, 'x'));
  h.feed(server.channelMessage(1n, 'touch 1'));
  h.feed(server.channelMessage(4n, 'x'));
  t.deepEqual(Object.keys(h.box.getState()!.channels).sort(), ['1', '3', '4']);
  h.feed(server.channelMessage(5n, 'x'));
  t.deepEqual(Object.keys(h.box.getState()!.channels).sort(), ['1', '4', '5']);
  t.is(h.box.stats().channels, 3);
});

test('bad input gets a typed error and leaves the box usable', (t) => {
  const server = new FakeServer();
  const h = new Harness(server, {}, true);
  const err = t.throws(() => h.box.feed({ _: 'updateNewMessage' } as unknown as tl.Updates, 0), { instanceOf: UpdatesError });
  t.is(err?.code, 'BAD_UPDATES');
  t.throws(() => h.box.feed(null as unknown as tl.Updates, 0), { instanceOf: UpdatesError });
  t.is(t.throws(() => h.box.answer(999, {}, 0), { instanceOf: UpdatesError })?.code, 'UNKNOWN_REQUEST');
  t.is(t.throws(() => h.box.fail(999, 'x', 0), { instanceOf: UpdatesError })?.code, 'UNKNOWN_REQUEST');
  // A wrong result type fails the request (and it is retried later).
  const { id } = h.requests.splice(0)[0]!;
  t.is(t.throws(() => h.box.answer(id, { _: 'updates.differenceEmpty', date: 0, seq: 0 }, 0), { instanceOf: UpdatesError })?.code, 'BAD_RESULT');
  t.is(h.box.nextDeadline(), 1000);
  h.advance(1000);
  h.answerAll();
  t.truthy(h.box.getState());
});

test('a stored state is checked field by field', (t) => {
  const good = { pts: 1, qts: 2, date: 3, seq: 4, channels: { '77': 5 } };
  t.deepEqual(parseUpdatesState(good), good);
  const bad: unknown[] = [
    null,
    'x',
    { ...good, pts: -1 },
    { ...good, seq: 1.5 },
    { ...good, date: 2 ** 31 },
    { ...good, channels: [] },
    { ...good, channels: { abc: 1 } },
    { ...good, channels: { '0': 1 } },
    { ...good, channels: { '5': '1' } },
    { ...good, channels: { '9223372036854775808': 1 } },
  ];
  for (const b of bad) {
    const e = t.throws(() => parseUpdatesState(b), { instanceOf: UpdatesError }, JSON.stringify(b));
    t.is(e?.code, 'BAD_STATE');
  }
  t.throws(() => parseUpdatesState({ ...good, channels: { '1': 1, '2': 2 } }, 1), { message: /more than 1 channels/ });
  t.throws(() => new UpdatesBox({ now: 0, state: { ...good, qts: NaN } }), { instanceOf: UpdatesError });
});

test('a container without its vectors is refused with a typed error', (t) => {
  const h = new Harness(new FakeServer());
  const e = t.throws(() => h.box.feed({ _: 'updates', date: 0, seq: 0 } as unknown as tl.Updates, 0), { instanceOf: UpdatesError });
  t.is(e?.code, 'BAD_UPDATES');
});
