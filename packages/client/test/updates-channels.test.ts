// Channel boxes: their own pts, gaps filled by getChannelDifference with its
// limit and pages, channelDifferenceTooLong, updateChannelTooLong.
import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { FakeServer, Harness, channelChat } from './updates-fake-server.js';

const CH = 777n;

function withChannel(options = {}) {
  const server = new FakeServer();
  server.pts = 10;
  server.addChannel(CH, 4242n, 100);
  const h = new Harness(server, options);
  return { server, h };
}

test('a channel first seen seeds its pts from its update; later ones are checked', (t) => {
  const { server, h } = withChannel();
  h.feed(server.channelMessage(CH, 'one'));
  h.feed(server.channelMessage(CH, 'two'));
  t.deepEqual(h.messageKeys(), [`channel:${CH}:1`, `channel:${CH}:2`]);
  t.deepEqual(h.box.getState()!.channels, { [String(CH)]: 102 });
  t.is(server.calls.length, 1);
});

test('channel and common boxes are independent: a channel gap holds only that channel', (t) => {
  const { server, h } = withChannel();
  h.feed(server.channelMessage(CH, 'one'));
  server.channelMessage(CH, 'lost');
  h.feed(server.channelMessage(CH, 'three'));
  h.feed(server.privateMessage(7n, 'private'));
  t.deepEqual(h.messageKeys(), [`channel:${CH}:1`, 'common:1']);
  h.advance(500);
  const req = server.calls.at(-1) as tl.updates.getChannelDifference;
  t.is(req._, 'updates.getChannelDifference');
  t.deepEqual(req.channel, { _: 'inputChannel', channelId: CH, accessHash: 4242n }, 'access hash learned from the chats');
  t.is(req.pts, 101);
  t.is(req.limit, 100);
  t.deepEqual(req.filter, { _: 'channelMessagesFilterEmpty' });
  t.deepEqual(h.messageKeys(), [`channel:${CH}:1`, 'common:1', `channel:${CH}:2`, `channel:${CH}:3`]);
  t.is(h.box.getState()!.channels[String(CH)], 103);
  t.is(h.box.stats().pending, 0);
});

test('a channel gap closed by the late update needs no request', (t) => {
  const { server, h } = withChannel();
  h.feed(server.channelMessage(CH, 'one'));
  const two = server.channelMessage(CH, 'two');
  h.feed(server.channelMessage(CH, 'three'));
  h.advance(200);
  h.feed(two);
  h.advance(1000);
  t.deepEqual(h.messageKeys(), [`channel:${CH}:1`, `channel:${CH}:2`, `channel:${CH}:3`]);
  t.false(server.calls.some((c) => c._ === 'updates.getChannelDifference'));
});

test('getChannelDifference pages by its limit until final (users 100, bots 100000)', (t) => {
  const { server, h } = withChannel();
  h.feed(server.channelMessage(CH, 'first'));
  for (let i = 0; i < 250; i++) server.channelMessage(CH, `m${i}`);
  h.feed(server.channelMessage(CH, 'last'));
  h.advance(500);
  const reqs = server.calls.filter((c): c is tl.updates.getChannelDifference => c._ === 'updates.getChannelDifference');
  t.deepEqual(reqs.map((r) => [r.pts, r.limit]), [[101, 100], [201, 100], [301, 100]]);
  const keys = h.messageKeys();
  t.is(keys.length, 252, 'first + 250 missed + last');
  t.is(new Set(keys).size, 252);
  t.is(h.box.getState()!.channels[String(CH)], 352);

  const bot = withChannel({ isBot: true });
  bot.h.feed(bot.server.channelMessage(CH, 'first'));
  bot.server.channelMessage(CH, 'lost');
  bot.h.feed(bot.server.channelMessage(CH, 'third'));
  bot.h.advance(500);
  t.is((bot.server.calls.at(-1) as tl.updates.getChannelDifference).limit, 100_000);
});

test('channelDifferenceTooLong resets the channel pts from the dialog and tells the user', (t) => {
  const { server, h } = withChannel();
  server.channelTooLongAfter = 50;
  h.feed(server.channelMessage(CH, 'first'));
  for (let i = 0; i < 80; i++) server.channelMessage(CH, `m${i}`);
  h.feed(server.channelMessage(CH, 'last'));
  h.advance(500);
  const notice = h.notices.find((n) => n._ === 'channelDifferenceTooLong');
  t.truthy(notice);
  if (notice?._ !== 'channelDifferenceTooLong') return;
  t.is(notice.channelId, CH);
  t.is(notice.messages.length, 5);
  t.is(h.box.getState()!.channels[String(CH)], 182);
  t.deepEqual(h.messageKeys(), [`channel:${CH}:1`], 'the missed posts are not delivered as new');
  h.feed(server.channelMessage(CH, 'after'));
  t.deepEqual(h.messageKeys(), [`channel:${CH}:1`, `channel:${CH}:83`], 'the channel continues from the reset pts');
});

test('updateChannelTooLong starts a channel difference, from its pts for an unknown channel', (t) => {
  const { server, h } = withChannel({ accessHashOf: (id: bigint) => (id === CH ? 4242n : undefined) });
  for (let i = 0; i < 3; i++) server.channelMessage(CH, `m${i}`);
  h.feed({ _: 'updateShort', date: server.date, update: { _: 'updateChannelTooLong', channelId: CH, pts: 100 } });
  const req = server.calls.at(-1) as tl.updates.getChannelDifference;
  t.is(req._, 'updates.getChannelDifference');
  t.is(req.pts, 100);
  t.deepEqual(h.messageKeys(), [`channel:${CH}:1`, `channel:${CH}:2`, `channel:${CH}:3`]);
});

test('a channel gap with no access hash known is reported and its held updates delivered', (t) => {
  const server = new FakeServer();
  server.addChannel(CH, 4242n, 100);
  const h = new Harness(server);
  const strip = (u: tl.updates): tl.updates => ({ ...u, chats: [] });
  h.feed(strip(server.channelMessage(CH, 'one')));
  server.channelMessage(CH, 'lost');
  h.feed(strip(server.channelMessage(CH, 'three')));
  h.advance(500);
  const notice = h.notices.find((n) => n._ === 'channelGapUnresolved');
  t.like(notice, { _: 'channelGapUnresolved', channelId: CH });
  t.deepEqual(h.messageKeys(), [`channel:${CH}:1`, `channel:${CH}:3`]);
  t.deepEqual(h.box.getState()!.channels, {}, 'no longer tracked: its next update re-seeds it');
});

test('a failed getChannelDifference (CHANNEL_PRIVATE) gives the channel up, saying why', (t) => {
  const { server, h } = withChannel();
  h.feed(server.channelMessage(CH, 'one'));
  server.channelMessage(CH, 'lost');
  const three = server.channelMessage(CH, 'three');
  three.chats = [channelChat(CH, 1n)]; // a stale access hash: the server refuses it
  h.feed(three);
  h.advance(500);
  const notice = h.notices.find((n) => n._ === 'channelGapUnresolved');
  t.truthy(notice);
  if (notice?._ === 'channelGapUnresolved') t.regex(notice.reason, /CHANNEL_INVALID/);
  t.deepEqual(h.messageKeys(), [`channel:${CH}:1`, `channel:${CH}:3`]);
});

test('many channels named at once are fetched a few at a time, and all of them complete', (t) => {
  const server = new FakeServer();
  const ids = Array.from({ length: 20 }, (_, i) => BigInt(5000 + i));
  for (const id of ids) server.addChannel(id, id + 1n, 10);
  const h = new Harness(server, { maxConcurrentChannelDifferences: 3 }, true);
  h.answerAll(); // getState
  for (const id of ids) h.feed(server.channelMessage(id, 'seen'));
  for (const id of ids) for (let i = 0; i < 3; i++) server.channelMessage(id, `m${i}`);
  h.feed({ _: 'updatesTooLong' });
  let most = 0;
  for (let round = 0; round < 100 && h.requests.length > 0; round++) {
    const channelRequests = h.requests.filter((r) => r.request._ === 'updates.getChannelDifference').length;
    most = Math.max(most, channelRequests);
    // Answer one at a time, as a slow network would.
    const { id, request } = h.requests.shift()!;
    h.box.answer(id, server.answer(request), h.clock);
    h.pump();
  }
  t.is(most, 3);
  t.is(h.requests.length, 0);
  const keys = h.messageKeys();
  t.is(keys.length, 80, '20 seen live, then 60 through the channel differences');
  t.is(new Set(keys).size, 80);
  t.is(Object.keys(h.box.getState()!.channels).length, 20);
});
