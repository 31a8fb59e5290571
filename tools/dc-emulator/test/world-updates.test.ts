import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { Harness, inputPeerOf, inputUserOf } from './helpers/world-harness.js';

const send = (peer: tl.InputPeer, message: string, randomId: bigint): tl.messages.sendMessage => ({ _: 'messages.sendMessage', peer, message, randomId });
const diff = (pts: number, date: number, ptsTotalLimit?: number): tl.updates.getDifference => ({ _: 'updates.getDifference', pts, date, qts: 0, ptsTotalLimit });

test('getState, then getDifference: empty, full, sliced; the pts chain has no holes', async (t) => {
  const h = new Harness({ differenceSliceLimit: 10 });
  const a = h.device(2);
  const b = h.device(2);
  const alice = await h.login(a, '31600000101', 'Alice');
  const bob = await h.login(b, '31600000102', 'Bob');
  const s0 = await h.call(b, { _: 'updates.getState' });
  t.is(s0.pts, 1);
  t.is((await h.call(b, diff(s0.pts, s0.date)))._, 'updates.differenceEmpty');
  t.is(await h.error(b, diff(s0.pts + 5, s0.date)), 'PERSISTENT_TIMESTAMP_INVALID');
  for (let i = 0; i < 25; i++) await h.call(a, send(inputPeerOf(bob), `m${i}`, BigInt(i + 1)));
  await h.call(a, { _: 'messages.editMessage', peer: inputPeerOf(bob), id: 3, message: 'edited' });
  const seen: string[] = [];
  let other = 0;
  let pts = s0.pts;
  for (let round = 0; round < 10; round++) {
    const d = await h.call(b, diff(pts, s0.date));
    if (d._ === 'updates.differenceSlice') {
      t.is(d.newMessages.length, 10);
      seen.push(...(d.newMessages as tl.message[]).map((m) => m.message));
      pts = d.intermediateState.pts;
      continue;
    }
    t.is(d._, 'updates.difference');
    const full = d as tl.updates.difference;
    seen.push(...(full.newMessages as tl.message[]).map((m) => m.message));
    other += full.otherUpdates.length;
    t.is(full.state.pts, 27);
    t.true(full.users.some((u) => u.id === alice.id));
    break;
  }
  t.deepEqual(seen, Array.from({ length: 25 }, (_, i) => `m${i}`));
  t.is(other, 1); // the edit
  const s1 = await h.call(b, { _: 'updates.getState' });
  t.is(s1.pts, 27);
  t.is(s1.unreadCount, 25);
});

test('differenceTooLong when the gap passes the limit or fell off the log', async (t) => {
  const h = new Harness({ differenceTooLong: 20, logLimit: 50 });
  const a = h.device(2);
  const b = h.device(2);
  await h.login(a, '31600000201');
  const bob = await h.login(b, '31600000202');
  for (let i = 0; i < 30; i++) await h.call(a, send(inputPeerOf(bob), `m${i}`, BigInt(i + 1)));
  const d = await h.call(b, diff(1, 0));
  t.deepEqual(d, { _: 'updates.differenceTooLong', pts: 31 });
  t.is((await h.call(b, diff(15, 0)))._, 'updates.difference');
  t.is((await h.call(b, diff(15, 0, 5)))._, 'updates.differenceTooLong'); // the client's own ptsTotalLimit
  const h2 = new Harness({ logLimit: 10 });
  const a2 = h2.device(2);
  const b2 = h2.device(2);
  await h2.login(a2, '31600000203');
  const bob2 = await h2.login(b2, '31600000204');
  for (let i = 0; i < 15; i++) await h2.call(a2, send(inputPeerOf(bob2), `m${i}`, BigInt(i + 1)));
  t.is((await h2.call(b2, diff(2, 0)))._, 'updates.differenceTooLong');
  t.is((await h2.call(b2, diff(7, 0)))._, 'updates.difference');
});

test('channels: getDifference names the channel, getChannelDifference serves its pts box with limits', async (t) => {
  const h = new Harness({ channelDifferenceLimit: 100, differenceTooLong: 150 });
  const a = h.device(2);
  const b = h.device(2);
  await h.login(a, '31600000301');
  const bob = await h.login(b, '31600000302');
  const created = (await h.call(a, { _: 'channels.createChannel', megagroup: true, title: 'G', about: '' })) as tl.updates;
  const ch = created.chats[0] as tl.channel;
  const input: tl.inputChannel = { _: 'inputChannel', channelId: ch.id, accessHash: ch.accessHash! };
  const peer: tl.inputPeerChannel = { _: 'inputPeerChannel', channelId: ch.id, accessHash: ch.accessHash! };
  await h.call(a, { _: 'channels.inviteToChannel', channel: input, users: [inputUserOf(bob)] });
  const s0 = await h.call(b, { _: 'updates.getState' });
  const cd = (pts: number, limit: number): tl.updates.getChannelDifference => ({ _: 'updates.getChannelDifference', channel: input, filter: { _: 'channelMessagesFilterEmpty' }, pts, limit });
  t.deepEqual(await h.call(b, cd(1, 10)), { _: 'updates.channelDifferenceEmpty', final: true, pts: 1, timeout: 30 });
  for (let i = 0; i < 120; i++) await h.call(a, send(peer, `c${i}`, BigInt(i + 1)));
  await h.call(a, { _: 'channels.deleteMessages', channel: input, id: [1] });
  const common = (await h.call(b, diff(s0.pts, s0.date))) as tl.updates.difference;
  t.deepEqual(common.otherUpdates.map((u) => u._), ['updateChannelTooLong']);
  t.is(common.chats[0]!.id, ch.id);
  const got: string[] = [];
  let pts = 1;
  let others = 0;
  for (let round = 0; round < 10; round++) {
    const d = (await h.call(b, cd(pts, 50))) as tl.updates.channelDifference;
    t.is(d._, 'updates.channelDifference');
    got.push(...(d.newMessages as tl.message[]).map((m) => m.message));
    others += d.otherUpdates.length;
    pts = d.pts;
    if (d.final) break;
  }
  t.is(got.length, 120);
  t.is(got[119], 'c119');
  t.is(others, 1);
  t.is(pts, 122);
  // Far behind: channelDifferenceTooLong with the latest messages and the dialog.
  for (let i = 0; i < 40; i++) await h.call(a, send(peer, `d${i}`, BigInt(1000 + i)));
  const far = (await h.call(b, cd(2, 20))) as tl.updates.channelDifferenceTooLong;
  t.is(far._, 'updates.channelDifferenceTooLong');
  t.is(far.messages.length, 20);
  t.is((far.messages[0] as tl.message).message, 'd39');
  t.is((far.dialog as tl.dialog).pts, 162);
  t.is(await h.error(b, cd(500, 10)), 'PERSISTENT_TIMESTAMP_INVALID');
  t.is(await h.error(b, cd(1, 0)), 'LIMIT_INVALID');
  t.is(await h.error(b, { ...cd(1, 10), channel: { ...input, accessHash: 3n } }), 'CHANNEL_INVALID');
});

test('updates reach every session of every affected user via onUpdate', async (t) => {
  const h = new Harness();
  const a = h.device(2);
  const b = h.device(2);
  const alice = await h.login(a, '31600000401');
  const bob = await h.login(b, '31600000402');
  await h.call(a, send(inputPeerOf(bob), 'x', 1n));
  await h.call(b, { _: 'messages.readHistory', peer: inputPeerOf(alice), maxId: 0 });
  const kinds = h.pushes.map((p) => `${p.userId === alice.id ? 'A' : 'B'}:${p.updates._ === 'updates' ? p.updates.updates[0]!._ : p.updates._}`);
  t.deepEqual(kinds, ['A:updateShortMessage', 'B:updateShortMessage', 'B:updateReadHistoryInbox', 'A:updateReadHistoryOutbox']);
  t.deepEqual(h.world.authKeysOf(alice.id), [{ dcId: 2, authKeyId: a.authKeyId }]);
});

test('FLOOD_WAIT_X past the configured rate, per user, and it lifts once the window passes', async (t) => {
  const h = new Harness({ flood: { calls: 3, windowMs: 10_000, methods: ['updates.getState'] } });
  const a = h.device(2);
  const b = h.device(2);
  await h.login(a, '31600000501');
  await h.login(b, '31600000502');
  for (let i = 0; i < 3; i++) await h.call(a, { _: 'updates.getState' });
  t.is(await h.error(a, { _: 'updates.getState' }), 'FLOOD_WAIT_10');
  h.clock += 4_000;
  t.is(await h.error(a, { _: 'updates.getState' }), 'FLOOD_WAIT_6');
  t.is((await h.call(b, { _: 'updates.getState' }))._, 'updates.state'); // another user has its own budget
  t.is((await h.call(a, { _: 'contacts.getContacts', hash: 0n }))._, 'contacts.contacts'); // not a limited method
  h.clock += 6_001;
  t.is((await h.call(a, { _: 'updates.getState' }))._, 'updates.state');
});

test('an offline user gets 500 messages across a private chat, a group and a channel, each once, from the differences', async (t) => {
  const h = new Harness();
  const a = h.device(2);
  const b = h.device(2);
  const alice = await h.login(a, '31600000601', 'Alice');
  const bob = await h.login(b, '31600000602', 'Bob');
  const chat = ((await h.call(a, { _: 'messages.createChat', users: [inputUserOf(bob)], title: 'G' })).updates as tl.updates).chats[0] as tl.chat;
  const ch = ((await h.call(a, { _: 'channels.createChannel', broadcast: true, title: 'C', about: '' })) as tl.updates).chats[0] as tl.channel;
  const input: tl.inputChannel = { _: 'inputChannel', channelId: ch.id, accessHash: ch.accessHash! };
  await h.call(a, { _: 'channels.inviteToChannel', channel: input, users: [inputUserOf(bob)] });
  const s0 = await h.call(b, { _: 'updates.getState' });
  const peers: tl.InputPeer[] = [inputPeerOf(bob), { _: 'inputPeerChat', chatId: chat.id }, { _: 'inputPeerChannel', channelId: ch.id, accessHash: ch.accessHash! }];
  for (let i = 0; i < 500; i++) {
    await h.call(a, send(peers[i % 3]!, `m${i}`, BigInt(i + 1)));
    if (i % 50 === 0) h.clock += 1000;
  }
  const got: string[] = [];
  let state = { pts: s0.pts, date: s0.date };
  const channels = new Set<bigint>();
  for (let round = 0; round < 100; round++) {
    const d = await h.call(b, diff(state.pts, state.date));
    if (d._ === 'updates.differenceEmpty') break;
    if (d._ === 'updates.differenceTooLong') t.fail('unexpected differenceTooLong');
    const part = d as tl.updates.difference | tl.updates.differenceSlice;
    got.push(...(part.newMessages as tl.message[]).map((m) => m.message));
    for (const u of part.otherUpdates) if (u._ === 'updateChannelTooLong') channels.add(u.channelId);
    const st = part._ === 'updates.difference' ? part.state : part.intermediateState;
    state = { pts: st.pts, date: st.date };
    if (part._ === 'updates.difference') break;
  }
  t.deepEqual([...channels], [ch.id]);
  let pts = 1;
  for (let round = 0; round < 100; round++) {
    const d = (await h.call(b, { _: 'updates.getChannelDifference', channel: input, filter: { _: 'channelMessagesFilterEmpty' }, pts, limit: 100 })) as tl.updates.channelDifference;
    if (d._ !== 'updates.channelDifference') break;
    got.push(...(d.newMessages as tl.message[]).map((m) => m.message));
    pts = d.pts;
    if (d.final) break;
  }
  const expected = Array.from({ length: 500 }, (_, i) => `m${i}`);
  t.is(got.length, 500);
  t.deepEqual([...got].sort(), [...expected].sort());
  // Nothing more once caught up.
  t.is((await h.call(b, diff(state.pts, h.clock / 1000 + 1)))._, 'updates.differenceEmpty');
  t.truthy(alice);
});

test('100 users in a ring each send and receive; every box ends consistent', async (t) => {
  const h = new Harness();
  const devices = Array.from({ length: 100 }, () => h.device(2));
  const users: tl.user[] = [];
  for (let i = 0; i < 100; i++) users.push(await h.login(devices[i]!, `3160100${String(i).padStart(4, '0')}`, `U${i}`));
  for (let i = 0; i < 100; i++) await h.call(devices[i]!, send(inputPeerOf(users[(i + 1) % 100]!), `from ${i}`, BigInt(i + 1)));
  for (let i = 0; i < 100; i++) {
    const prev = (i + 99) % 100;
    const d = (await h.call(devices[i]!, diff(1, 0))) as tl.updates.difference;
    const texts = (d.newMessages as tl.message[]).map((m) => `${m.out ? 'out' : 'in'}:${m.message}`).sort();
    t.deepEqual(texts, [`in:from ${prev}`, `out:from ${i}`].sort());
    t.is(d.state.pts, 3);
  }
  t.is(h.pushes.length, 200);
});
