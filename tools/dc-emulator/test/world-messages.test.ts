import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { Harness, inputPeerOf, inputUserOf, type Device } from './helpers/world-harness.js';
import { idsHash } from '../src/rpc/users.js';

async function pair(h: Harness): Promise<{ a: Device; b: Device; alice: tl.user; bob: tl.user; a2: Device }> {
  const a = h.device(2);
  const b = h.device(2);
  const alice = await h.login(a, '31600000011', 'Alice');
  const bob = await h.login(b, '31600000022', 'Bob');
  const a2 = h.device(2);
  await h.login(a2, '31600000011');
  return { a, b, alice, bob, a2 };
}

const send = (peer: tl.InputPeer, message: string, randomId: bigint, replyTo?: number): tl.messages.sendMessage => ({
  _: 'messages.sendMessage',
  peer,
  message,
  randomId,
  replyTo: replyTo === undefined ? undefined : { _: 'inputReplyToMessage', replyToMsgId: replyTo },
});

test('private message: updateShortSentMessage to the sender, updateShortMessage pushed to the others', async (t) => {
  const h = new Harness();
  const { a, alice, bob } = await pair(h);
  const entities: tl.MessageEntity[] = [{ _: 'messageEntityBold', offset: 0, length: 2 }];
  const r = (await h.call(a, { ...send(inputPeerOf(bob), 'hi Bob', 1n), entities })) as tl.updateShortSentMessage;
  t.is(r._, 'updateShortSentMessage');
  t.true(r.out);
  t.is(r.id, 1);
  t.is(r.pts, 2);
  t.is(r.ptsCount, 1);
  const toBob = h.pushesFor(bob.id);
  t.is(toBob.length, 1);
  const m = toBob[0]!.updates as tl.updateShortMessage;
  t.is(m._, 'updateShortMessage');
  t.is(m.userId, alice.id);
  t.is(m.message, 'hi Bob');
  t.falsy(m.out);
  t.deepEqual(m.entities, entities);
  // Alice's other sessions hear it too, except the one that sent it.
  const toAlice = h.pushesFor(alice.id);
  t.is(toAlice.length, 1);
  t.true((toAlice[0]!.updates as tl.updateShortMessage).out);
  t.is(toAlice[0]!.origin?.sessionId, a.sessionId);
  // The same random_id again is refused, not sent twice.
  t.is(await h.error(a, send(inputPeerOf(bob), 'hi Bob', 1n)), 'RANDOM_ID_DUPLICATE');
  t.is(await h.error(a, send(inputPeerOf(bob), '   ', 2n)), 'MESSAGE_EMPTY');
  t.is(await h.error(a, send(inputPeerOf(bob), 'x'.repeat(4097), 3n)), 'MESSAGE_TOO_LONG');
  t.is(await h.error(a, send({ ...inputPeerOf(bob), accessHash: 7n }, 'x', 4n)), 'PEER_ID_INVALID');
  t.is(await h.error(a, send(inputPeerOf(bob), 'x', 5n, 99)), 'REPLY_TO_INVALID');
});

test('replies map to the recipient\'s own message ids; history pages newest first', async (t) => {
  const h = new Harness();
  const { a, b, alice, bob } = await pair(h);
  await h.call(b, send({ _: 'inputPeerSelf' }, 'note to self', 9n)); // Bob id 1: his numbering now runs ahead of Alice's
  await h.call(b, send(inputPeerOf(alice), 'first from Bob', 10n)); // Bob id 2, Alice id 1
  for (let i = 0; i < 5; i++) await h.call(a, send(inputPeerOf(bob), `a${i}`, BigInt(20 + i))); // Alice 2..6, Bob 3..7
  await h.call(a, send(inputPeerOf(bob), 'reply', 30n, 1)); // Alice replies to her id 1 = Bob's id 2
  const hist = (await h.call(b, { _: 'messages.getHistory', peer: inputPeerOf(alice), offsetId: 0, offsetDate: 0, addOffset: 0, limit: 3, maxId: 0, minId: 0, hash: 0n })) as tl.messages.messagesSlice;
  t.is(hist._, 'messages.messagesSlice');
  t.is(hist.count, 7);
  const msgs = hist.messages as tl.message[];
  t.deepEqual(msgs.map((m) => m.id), [8, 7, 6]);
  t.is(msgs[0]!.message, 'reply');
  t.is((msgs[0]!.replyTo as tl.messageReplyHeader).replyToMsgId, 2);
  t.true(hist.users.some((u) => u.id === alice.id));
  const older = (await h.call(b, { _: 'messages.getHistory', peer: inputPeerOf(alice), offsetId: 5, offsetDate: 0, addOffset: 0, limit: 10, maxId: 0, minId: 0, hash: 0n })) as tl.messages.messagesSlice;
  t.deepEqual((older.messages as tl.message[]).map((m) => m.id), [4, 3, 2]);
  const all = await h.call(b, { _: 'messages.getHistory', peer: inputPeerOf(alice), offsetId: 0, offsetDate: 0, addOffset: 0, limit: 100, maxId: 0, minId: 0, hash: 0n });
  t.is(all._, 'messages.messages');
  const bounded = (await h.call(b, { _: 'messages.getHistory', peer: inputPeerOf(alice), offsetId: 0, offsetDate: 0, addOffset: 0, limit: 100, maxId: 7, minId: 3, hash: 0n })) as tl.messages.messagesSlice;
  t.deepEqual((bounded.messages as tl.message[]).map((m) => m.id), [6, 5, 4]);
  const newer = (await h.call(b, { _: 'messages.getHistory', peer: inputPeerOf(alice), offsetId: 4, offsetDate: 0, addOffset: -2, limit: 2, maxId: 0, minId: 0, hash: 0n })) as tl.messages.messagesSlice;
  t.deepEqual((newer.messages as tl.message[]).map((m) => m.id), [5, 4]);
});

test('getDialogs lists chats by latest message with unread counts; readHistory reads both sides', async (t) => {
  const h = new Harness();
  const { a, b, alice, bob } = await pair(h);
  const carol = h.world.createUser({ phone: '31600000033', firstName: 'Carol' });
  const c = h.device(2);
  await h.login(c, '31600000033');
  await h.call(a, send(inputPeerOf(bob), 'one', 1n));
  await h.call(a, send(inputPeerOf(bob), 'two', 2n));
  h.clock += 5000;
  await h.call(c, send({ _: 'inputPeerUser', userId: bob.id, accessHash: bob.accessHash! }, 'from carol', 3n));
  const d = (await h.call(b, { _: 'messages.getDialogs', offsetDate: 0, offsetId: 0, offsetPeer: { _: 'inputPeerEmpty' }, limit: 10, hash: 0n })) as tl.messages.dialogs;
  t.is(d._, 'messages.dialogs');
  const dialogs = d.dialogs as tl.dialog[];
  t.deepEqual(dialogs.map((x) => (x.peer as tl.peerUser).userId), [carol.id, alice.id]);
  t.is(dialogs[1]!.unreadCount, 2);
  t.is(d.messages.length, 2);
  const page = (await h.call(b, { _: 'messages.getDialogs', offsetDate: 0, offsetId: 0, offsetPeer: { _: 'inputPeerEmpty' }, limit: 1, hash: 0n })) as tl.messages.dialogsSlice;
  t.is(page._, 'messages.dialogsSlice');
  t.is(page.count, 2);

  h.pushes.length = 0;
  const read = await h.call(b, { _: 'messages.readHistory', peer: inputPeerOf(alice), maxId: 0 });
  t.is(read.ptsCount, 1);
  const outbox = h.pushesFor(alice.id).flatMap((p) => (p.updates as tl.updates).updates);
  t.deepEqual(outbox.map((u) => u._), ['updateReadHistoryOutbox']);
  t.is((outbox[0] as tl.updateReadHistoryOutbox).maxId, 2);
  const again = await h.call(b, { _: 'messages.getDialogs', offsetDate: 0, offsetId: 0, offsetPeer: { _: 'inputPeerEmpty' }, limit: 10, hash: 0n });
  t.is(((again as tl.messages.dialogs).dialogs[1] as tl.dialog).unreadCount, 0);
  t.is((await h.call(b, { _: 'messages.readHistory', peer: inputPeerOf(alice), maxId: 0 })).ptsCount, 0);
});

test('edit and delete reach every copy; errors for the wrong author or id', async (t) => {
  const h = new Harness();
  const { a, b, alice, bob } = await pair(h);
  await h.call(a, send(inputPeerOf(bob), 'typo', 1n));
  h.pushes.length = 0;
  const edited = (await h.call(a, { _: 'messages.editMessage', peer: inputPeerOf(bob), id: 1, message: 'fixed' })) as tl.updates;
  t.is(edited.updates[0]!._, 'updateEditMessage');
  const bobEdit = (h.pushesFor(bob.id)[0]!.updates as tl.updates).updates[0] as tl.updateEditMessage;
  t.is((bobEdit.message as tl.message).message, 'fixed');
  t.truthy((bobEdit.message as tl.message).editDate);
  t.is(await h.error(a, { _: 'messages.editMessage', peer: inputPeerOf(bob), id: 1, message: 'fixed' }), 'MESSAGE_NOT_MODIFIED');
  t.is(await h.error(b, { _: 'messages.editMessage', peer: inputPeerOf(alice), id: 1, message: 'hack' }), 'MESSAGE_AUTHOR_REQUIRED');
  t.is(await h.error(a, { _: 'messages.editMessage', peer: inputPeerOf(bob), id: 42, message: 'x' }), 'MESSAGE_ID_INVALID');

  await h.call(a, send(inputPeerOf(bob), 'second', 2n));
  h.pushes.length = 0;
  const del = await h.call(a, { _: 'messages.deleteMessages', revoke: false, id: [1, 77] });
  t.is(del.ptsCount, 1);
  t.is(h.pushesFor(bob.id).length, 0); // not revoked: Bob keeps his copy
  const revoke = await h.call(a, { _: 'messages.deleteMessages', revoke: true, id: [2] });
  t.is(revoke.ptsCount, 1);
  const bobDel = (h.pushesFor(bob.id)[0]!.updates as tl.updates).updates[0] as tl.updateDeleteMessages;
  t.deepEqual(bobDel.messages, [2]);
  const bobHist = (await h.call(b, { _: 'messages.getHistory', peer: inputPeerOf(alice), offsetId: 0, offsetDate: 0, addOffset: 0, limit: 10, maxId: 0, minId: 0, hash: 0n })) as tl.messages.messages;
  t.deepEqual((bobHist.messages as tl.message[]).map((m) => m.message), ['fixed']);
});

test('contacts: import by phone, list with hash, delete, resolve usernames', async (t) => {
  const h = new Harness();
  const { a, alice, bob } = await pair(h);
  h.world.createUser({ phone: '31600000044', firstName: 'Dan', username: 'dan_the_man' });
  const imp = await h.call(a, {
    _: 'contacts.importContacts',
    contacts: [
      { _: 'inputPhoneContact', clientId: 1n, phone: '+31 600 000 022', firstName: 'Bobby', lastName: 'B' },
      { _: 'inputPhoneContact', clientId: 2n, phone: '31600099999', firstName: 'Nobody', lastName: '' },
    ],
  });
  t.deepEqual(imp.imported.map((i) => i.clientId), [1n]);
  const seen = imp.users[0] as tl.user;
  t.is(seen.firstName, 'Bobby');
  t.true(seen.contact);
  t.is(seen.phone, '31600000022');
  const list = (await h.call(a, { _: 'contacts.getContacts', hash: 0n })) as tl.contacts.contacts;
  t.deepEqual(list.contacts.map((c) => c.userId), [bob.id]);
  t.false(list.contacts[0]!.mutual);
  t.is(idsHash([bob.id]) === 0n, false);
  t.is((await h.call(a, { _: 'contacts.getContacts', hash: idsHash([bob.id]) }))._, 'contacts.contactsNotModified');
  await h.call(a, { _: 'contacts.deleteContacts', id: [inputUserOf(seen)] });
  t.is(((await h.call(a, { _: 'contacts.getContacts', hash: 0n })) as tl.contacts.contacts).contacts.length, 0);
  const r = await h.call(a, { _: 'contacts.resolveUsername', username: '@Dan_The_Man' });
  t.is((r.users[0] as tl.user).firstName, 'Dan');
  t.is(await h.error(a, { _: 'contacts.resolveUsername', username: 'nobody_here' }), 'USERNAME_NOT_OCCUPIED');
  t.is(await h.error(a, { _: 'contacts.resolveUsername', username: 'bad name!' }), 'USERNAME_INVALID');
  t.truthy(alice);
});

test('basic group: every member gets its own copy, pushed as updateShortChatMessage', async (t) => {
  const h = new Harness();
  const { a, b, alice, bob } = await pair(h);
  const created = await h.call(a, { _: 'messages.createChat', users: [inputUserOf(bob)], title: 'Team' });
  const chat = (created.updates as tl.updates).chats[0] as tl.chat;
  t.is(chat.participantsCount, 2);
  await h.call(b, send(inputPeerOf(alice), 'dm first', 1n)); // shifts Bob's ids so copies differ
  h.pushes.length = 0;
  const r = (await h.call(a, send({ _: 'inputPeerChat', chatId: chat.id }, 'hello team', 2n))) as tl.updates;
  t.deepEqual(r.updates.map((u) => u._), ['updateMessageID', 'updateNewMessage']);
  t.is((r.updates[0] as tl.updateMessageID).randomId, 2n);
  const toBob = h.pushesFor(bob.id)[0]!.updates as tl.updateShortChatMessage;
  t.is(toBob._, 'updateShortChatMessage');
  t.is(toBob.chatId, chat.id);
  t.is(toBob.fromId, alice.id);
  t.is(toBob.id, 2); // Bob's own numbering
  t.is(await h.error(h.device(2), send({ _: 'inputPeerChat', chatId: chat.id }, 'x', 3n)), 'AUTH_KEY_UNREGISTERED');
  const carol = h.device(2);
  await h.login(carol, '31600000055');
  t.is(await h.error(carol, send({ _: 'inputPeerChat', chatId: chat.id }, 'x', 3n)), 'PEER_ID_INVALID');
  t.is(await h.error(a, { _: 'messages.createChat', users: [], title: 'x' }), 'USERS_TOO_FEW');
});

test('channels: posts with channel pts, pushed to members, read and deleted', async (t) => {
  const h = new Harness();
  const { a, b, alice, bob } = await pair(h);
  const created = (await h.call(a, { _: 'channels.createChannel', broadcast: true, title: 'News', about: '' })) as tl.updates;
  const ch = created.chats[0] as tl.channel;
  t.true(ch.broadcast);
  const input: tl.inputChannel = { _: 'inputChannel', channelId: ch.id, accessHash: ch.accessHash! };
  const peer: tl.inputPeerChannel = { _: 'inputPeerChannel', channelId: ch.id, accessHash: ch.accessHash! };
  await h.call(a, { _: 'channels.inviteToChannel', channel: input, users: [inputUserOf(bob)] });
  h.pushes.length = 0;
  const r = (await h.call(a, send(peer, 'post 1', 1n))) as tl.updates;
  const u = r.updates[1] as tl.updateNewChannelMessage;
  t.is(u._, 'updateNewChannelMessage');
  t.is(u.pts, 2);
  t.true((u.message as tl.message).post);
  t.is((u.message as tl.message).fromId, undefined);
  t.is(h.pushesFor(bob.id).length, 1);
  t.is(await h.error(b, send(peer, 'not allowed', 2n)), 'CHAT_WRITE_FORBIDDEN');
  await h.call(a, send(peer, 'post 2', 3n));
  const hist = (await h.call(b, { _: 'messages.getHistory', peer, offsetId: 0, offsetDate: 0, addOffset: 0, limit: 10, maxId: 0, minId: 0, hash: 0n })) as tl.messages.channelMessages;
  t.is(hist._, 'messages.channelMessages');
  t.is(hist.pts, 3);
  t.deepEqual((hist.messages as tl.message[]).map((m) => m.message), ['post 2', 'post 1']);
  const dialogs = (await h.call(b, { _: 'messages.getDialogs', offsetDate: 0, offsetId: 0, offsetPeer: { _: 'inputPeerEmpty' }, limit: 10, hash: 0n })) as tl.messages.dialogs;
  const chDialog = (dialogs.dialogs as tl.dialog[]).find((d) => d.peer._ === 'peerChannel')!;
  t.is(chDialog.unreadCount, 2);
  t.is(chDialog.pts, 3);
  t.true(await h.call(b, { _: 'channels.readHistory', channel: input, maxId: 0 }));
  t.is(await h.error(b, { _: 'channels.deleteMessages', channel: input, id: [1] }), 'MESSAGE_DELETE_FORBIDDEN');
  const del = await h.call(a, { _: 'channels.deleteMessages', channel: input, id: [1] });
  t.deepEqual([del.pts, del.ptsCount], [4, 1]);
  t.is(await h.error(a, send({ ...peer, accessHash: 1n }, 'x', 9n)), 'CHANNEL_INVALID');
  // A megagroup lets members write, with their user as sender.
  const g = (await h.call(a, { _: 'channels.createChannel', megagroup: true, title: 'Chat', about: '' })) as tl.updates;
  const sg = g.chats[0] as tl.channel;
  await h.call(a, { _: 'channels.inviteToChannel', channel: { _: 'inputChannel', channelId: sg.id, accessHash: sg.accessHash! }, users: [inputUserOf(bob)] });
  const mine = (await h.call(b, send({ _: 'inputPeerChannel', channelId: sg.id, accessHash: sg.accessHash! }, 'hey', 10n))) as tl.updates;
  t.deepEqual(((mine.updates[1] as tl.updateNewChannelMessage).message as tl.message).fromId, { _: 'peerUser', userId: bob.id });
  t.truthy(alice);
});

test('messages.getMessages and channels.getMessages by id and by reply; unknown ids are messageEmpty', async (t) => {
  const h = new Harness();
  const { a, bob } = await pair(h);
  await h.call(a, send(inputPeerOf(bob), 'root', 1n));
  await h.call(a, send(inputPeerOf(bob), 'answer', 2n, 1));
  const r = (await h.call(a, { _: 'messages.getMessages', id: [{ _: 'inputMessageID', id: 2 }, { _: 'inputMessageReplyTo', id: 2 }, { _: 'inputMessageID', id: 9 }] })) as tl.messages.messages;
  t.deepEqual(r.messages.map((m) => (m._ === 'message' ? m.message : m._)), ['answer', 'root', 'messageEmpty']);
  t.true(r.users.some((u) => u.id === bob.id));
  const created = (await h.call(a, { _: 'channels.createChannel', broadcast: true, title: 'N', about: '' })) as tl.updates;
  const ch = created.chats[0] as tl.channel;
  const input: tl.inputChannel = { _: 'inputChannel', channelId: ch.id, accessHash: ch.accessHash! };
  await h.call(a, send({ _: 'inputPeerChannel', channelId: ch.id, accessHash: ch.accessHash! }, 'post', 3n));
  const c = (await h.call(a, { _: 'channels.getMessages', channel: input, id: [{ _: 'inputMessageID', id: 1 }] })) as tl.messages.channelMessages;
  t.is((c.messages[0] as tl.message).message, 'post');
  t.is(await h.error(h.device(2), { _: 'messages.getMessages', id: [] }), 'AUTH_KEY_UNREGISTERED');
});
