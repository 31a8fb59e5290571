// getDifference's shapes (slice, tooLong), restarting from a stored state,
// and 500 updates missed while offline across a private chat, a group and a
// channel, recovered with no duplicate.
import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { FakeServer, Harness } from './updates-fake-server.js';
import { parseUpdatesState } from '../src/updates/index.js';

const CH = 900n;

test('differenceSlice continues from its intermediate state until the final difference', (t) => {
  const server = new FakeServer();
  server.sliceSize = 10;
  const h = new Harness(server);
  for (let i = 0; i < 34; i++) server.privateMessage(7n, `m${i}`);
  h.feed(server.privateMessage(7n, 'gap'));
  h.advance(500);
  const diffs = server.calls.filter((c): c is tl.updates.getDifference => c._ === 'updates.getDifference');
  t.deepEqual(diffs.map((d) => d.pts), [0, 10, 20, 30]);
  const keys = h.messageKeys();
  t.deepEqual(keys, Array.from({ length: 35 }, (_, i) => `common:${i + 1}`));
  t.is(h.box.getState()!.pts, 35);
});

test('differenceTooLong resets pts, tells the user, and asks once more from there', (t) => {
  const server = new FakeServer();
  const h = new Harness(server, { ptsTotalLimit: 20 });
  for (let i = 0; i < 50; i++) server.privateMessage(7n, `m${i}`);
  h.feed({ _: 'updatesTooLong' });
  t.deepEqual(h.notices, [{ _: 'differenceTooLong', pts: 50 }]);
  const diffs = server.calls.filter((c): c is tl.updates.getDifference => c._ === 'updates.getDifference');
  t.deepEqual(diffs.map((d) => d.pts), [0, 50]);
  t.is(h.box.getState()!.pts, 50);
  t.deepEqual(h.delivered, []);
  h.feed(server.privateMessage(7n, 'live'));
  t.deepEqual(h.messageKeys(), ['common:51']);
});

test('restarting from the stored state resumes exactly: nothing lost, nothing repeated', (t) => {
  const server = new FakeServer();
  server.addChannel(CH, 5n, 40);
  const first = new Harness(server);
  first.feed(server.privateMessage(7n, 'a'));
  first.feed(server.channelMessage(CH, 'b'));
  first.feed(server.seqMessage(7n, 'c'));
  const stored = JSON.parse(JSON.stringify(first.box.getState()));
  t.deepEqual(stored, { pts: 2, qts: 0, date: server.date, seq: 1, channels: { [String(CH)]: 41 } });

  // While down: more in every box.
  server.privateMessage(7n, 'd');
  server.channelMessage(CH, 'e');
  server.botStopped(3n);
  server.seqMessage(7n, 'f');

  const second = new Harness(server, { state: parseUpdatesState(stored), accessHashOf: () => 5n });
  const diff = server.calls.find((c, i) => i > 0 && c._ === 'updates.getDifference' && c.pts === 2) as tl.updates.getDifference;
  t.like(diff, { pts: 2, qts: 0, date: stored.date });
  t.deepEqual(second.messageKeys(), ['common:3', 'common:4', `channel:${CH}:2`]);
  t.is(second.delivered.filter((u) => u._ === 'updateBotStopped').length, 1);
  t.deepEqual(second.box.getState(), { pts: 4, qts: 1, date: server.date, seq: 2, channels: { [String(CH)]: 42 } });
  // And a live update after that is checked against the resumed state.
  second.feed(server.seqMessage(7n, 'g'));
  t.deepEqual(second.messageKeys().slice(-1), ['common:5']);
  t.is(second.box.stats().duplicates, 0);
});

test('500 updates across a private chat, a group and a channel while offline are recovered once each', (t) => {
  const server = new FakeServer();
  server.addChannel(CH, 99n, 1000);
  const before = new Harness(server);
  before.feed(server.privateMessage(7n, 'hello'));
  before.feed(server.channelMessage(CH, 'hello channel'));
  const stored = JSON.stringify(before.box.getState());

  const expected = new Set<string>();
  for (let i = 0; i < 500; i++) {
    if (i % 3 === 0) server.privateMessage(7n, `p${i}`);
    else if (i % 3 === 1) server.chatMessage(60n, 8n, `g${i}`);
    else server.channelMessage(CH, `c${i}`);
  }
  for (const e of server.log.slice(1)) {
    expected.add(`common:${((e.update as tl.updateNewMessage).message as tl.message).id}`);
  }
  for (const e of server.channels.get(CH)!.log.slice(1)) {
    expected.add(`channel:${CH}:${((e.update as tl.updateNewChannelMessage).message as tl.message).id}`);
  }
  t.is(expected.size, 500);

  const after = new Harness(server, { state: parseUpdatesState(JSON.parse(stored)) });
  const dateOfDifference = server.date;
  // As the client reconnects, the server also pushes some of the same updates live.
  after.feed(server.channelMessage(CH, 'live'));
  expected.add(`channel:${CH}:168`);
  const keys = after.messageKeys();
  t.is(keys.length, 501, 'every missed update, plus the live one');
  t.is(new Set(keys).size, keys.length, 'no duplicate');
  t.deepEqual(new Set(keys), expected);
  // In each box, in order.
  const common = keys.filter((k) => k.startsWith('common:')).map((k) => Number(k.split(':')[1]));
  const channel = keys.filter((k) => k.startsWith('channel:')).map((k) => Number(k.split(':')[2]));
  t.deepEqual(common, [...common].sort((a, b) => a - b));
  t.deepEqual(channel, [...channel].sort((a, b) => a - b));
  const kinds = server.calls.slice(2).map((c) => c._);
  t.true(kinds.includes('updates.getDifference'));
  t.true(kinds.includes('updates.getChannelDifference'), 'the channel came back through updateChannelTooLong');
  // A seq-0 container does not move date (only seq-bearing ones and differences do).
  t.deepEqual(after.box.getState(), { pts: server.pts, qts: 0, date: dateOfDifference, seq: 0, channels: { [String(CH)]: server.channels.get(CH)!.pts } });

  // A second restart from the newest state delivers nothing again.
  const again = new Harness(server, { state: after.box.getState()! });
  t.deepEqual(again.messageKeys(), []);
});

test('live updates racing the recovery (answers computed before they arrive) are neither lost nor repeated', (t) => {
  const server = new FakeServer();
  server.sliceSize = 40;
  server.addChannel(CH, 99n, 1000);
  const before = new Harness(server);
  before.feed(server.privateMessage(7n, 'hello'));
  before.feed(server.channelMessage(CH, 'hello channel'));
  const stored = before.box.getState()!;
  for (let i = 0; i < 500; i++) {
    if (i % 3 === 0) server.privateMessage(7n, `p${i}`);
    else if (i % 3 === 1) server.chatMessage(60n, 8n, `g${i}`);
    else server.channelMessage(CH, `c${i}`);
  }
  const after = new Harness(server, { state: stored }, true);
  let live = 0;
  for (let round = 0; round < 100 && after.requests.length > 0; round++) {
    const waiting = after.requests.splice(0);
    const answers = waiting.map(({ request }) => server.answer(request));
    // Between the server answering and the answer reaching us, more happens.
    if (live < 6) {
      after.feed(server.privateMessage(7n, `live p${live}`));
      after.feed(server.channelMessage(CH, `live c${live}`));
      after.feed(server.seqMessage(7n, `live s${live}`));
      live += 3;
    }
    waiting.forEach(({ id }, i) => after.box.answer(id, answers[i], after.clock));
    after.pump();
    after.advance(600);
  }
  t.is(after.requests.length, 0, 'settled');
  const keys = after.messageKeys();
  t.is(new Set(keys).size, keys.length, 'no duplicate');
  t.is(keys.length, 500 + 3 * 2, 'every missed and every live update');
  const state = after.box.getState()!;
  t.is(state.pts, server.pts);
  t.is(state.seq, server.seq);
  t.is(state.channels[String(CH)], server.channels.get(CH)!.pts);
  t.is(after.box.stats().pending, 0);
});

test('a state saved while a gap is open loses nothing: the held update comes back through the difference', (t) => {
  const server = new FakeServer();
  const first = new Harness(server);
  first.feed(server.privateMessage(7n, 'a'));
  server.privateMessage(7n, 'lost');
  first.feed(server.privateMessage(7n, 'held'));
  t.deepEqual(first.messageKeys(), ['common:1']);
  const saved = first.box.getState()!;
  t.is(saved.pts, 1, 'the held update is not in the saved state');
  const second = new Harness(server, { state: saved });
  t.deepEqual(second.messageKeys(), ['common:2', 'common:3']);
});
