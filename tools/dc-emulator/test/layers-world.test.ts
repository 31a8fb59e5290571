// The world's answers, built in layer 228, written in the bundled older
// layers (198: GramJS, 227: mtcute) and read back by a codec of that layer
// alone: each must decode, and keep what the client needs of it.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSchemaCodec, type tl } from '@telegram-mt/tl';
import { dispatch } from '../src/rpc/dispatch.js';
import { BUNDLED_LAYERS, loadBundledLayer } from '../src/layers/shelf.js';
import { LayerAdapter } from '../src/layers/adapt.js';
import { Harness, inputPeerOf, inputUserOf } from './helpers/world-harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const mtproto = readFileSync(join(dirname(require.resolve('@telegram-mt/tl/package.json')), 'schema', 'mtproto.tl'), 'utf8');
const reader = (layer: number) => createSchemaCodec([mtproto, readFileSync(join(here, '..', 'schema', `layer-${layer}.tl`), 'utf8')]);

for (const layer of BUNDLED_LAYERS) {
  test(`layer ${layer}: login, messages, contacts, dialogs, groups, channels and updates are written in the layer and read back`, async (t) => {
    const write = loadBundledLayer(layer);
    const read = reader(layer);
    const h = new Harness();
    const alice = h.device(2);
    const bob = h.device(2);
    const a = await h.login(alice, '+10001');
    const b = await h.login(bob, '+10002');
    // Every call as the harness does it, then the answer through the old layer.
    const call = async (device: typeof alice, request: tl.TlMethod): Promise<any> => {
      const outcome = await dispatch(request, {
        registry: h.registry,
        connection: { layer, client: undefined },
        base: { dcId: device.dcId, dcs: [], authKeyId: device.authKeyId, sessionId: device.sessionId, msgId: 1n, now: () => h.clock },
        waitFor: async () => true,
      });
      if ('error' in outcome) throw outcome.internal ?? outcome.error;
      return read.deserializeResult(outcome.method, write.serializeResult(outcome.method, outcome.result));
    };

    const sent = await call(alice, { _: 'auth.sendCode', phoneNumber: '+10003', apiId: 1, apiHash: 'x', settings: { _: 'codeSettings' } });
    t.is(sent._, 'auth.sentCode');
    t.is(typeof sent.phoneCodeHash, 'string');

    const me = await call(alice, { _: 'users.getUsers', id: [{ _: 'inputUserSelf' }] });
    t.like(me[0], { _: 'user', id: a.id, self: true, firstName: 'Test' });
    await call(alice, { _: 'contacts.importContacts', contacts: [{ _: 'inputPhoneContact', clientId: 1n, phone: '+10002', firstName: 'Bob', lastName: '' }] });
    const contacts = await call(alice, { _: 'contacts.getContacts', hash: 0n });
    t.is(contacts._, 'contacts.contacts');
    t.deepEqual(contacts.users.map((u: tl.user) => [u.id, u.firstName]), [[b.id, 'Bob']]);

    const out = await call(alice, { _: 'messages.sendMessage', peer: inputPeerOf(b), message: 'hello', randomId: 7n });
    t.true(['updateShortSentMessage', 'updates'].includes(out._), out._);
    // Bob's push, as his connection in this layer would write it.
    const push = h.pushesFor(b.id).at(-1)!.updates;
    const pushed = read.deserializeObject(write.serializeObject(push));
    t.is(pushed._, push._);
    t.regex(JSON.stringify(pushed, (_, v) => (typeof v === 'bigint' ? String(v) : v)), /"hello"/);

    const state = await call(bob, { _: 'updates.getState' });
    t.is(state._, 'updates.state');
    const diff = await call(bob, { _: 'updates.getDifference', pts: 1, date: 0, qts: 0 });
    t.is(diff._, 'updates.difference');
    t.deepEqual(
      diff.newMessages.map((m: tl.message) => m.message),
      ['hello'],
    );
    const history = await call(bob, { _: 'messages.getHistory', peer: inputPeerOf(a), offsetId: 0, offsetDate: 0, addOffset: 0, limit: 10, maxId: 0, minId: 0, hash: 0n });
    t.deepEqual(history.messages.map((m: tl.message) => m.message), ['hello']);
    const dialogs = await call(bob, { _: 'messages.getDialogs', offsetDate: 0, offsetId: 0, offsetPeer: { _: 'inputPeerEmpty' }, limit: 10, hash: 0n });
    t.is(dialogs.dialogs.length, 1);
    const full = await call(alice, { _: 'users.getFullUser', id: inputUserOf(b) });
    t.is(full._, 'users.userFull');

    // A basic group and a channel: pushes, differences and the channel's own box, in the layer.
    const group = h.world.createChat(a.id, 'group', [b.id]);
    await call(alice, { _: 'messages.sendMessage', peer: { _: 'inputPeerChat', chatId: group.id }, message: 'to the group', randomId: 8n });
    const groupPush = read.deserializeObject(write.serializeObject(h.pushesFor(b.id).at(-1)!.updates));
    t.is(groupPush._, 'updateShortChatMessage');
    t.is(groupPush.message, 'to the group');
    const channel = h.world.createChannel(a.id, { title: 'news' }, [b.id]);
    const inputChannel = { _: 'inputChannel' as const, channelId: channel.id, accessHash: channel.accessHash };
    await call(alice, { _: 'messages.sendMessage', peer: { _: 'inputPeerChannel', channelId: channel.id, accessHash: channel.accessHash }, message: 'news', randomId: 9n });
    const channelPush = read.deserializeObject(write.serializeObject(h.pushesFor(b.id).at(-1)!.updates));
    t.is(channelPush._, 'updates');
    t.true(channelPush.updates.some((u: { _: string }) => u._ === 'updateNewChannelMessage'));
    t.is(channelPush.chats[0]._, 'channel');
    const channelDiff = await call(bob, { _: 'updates.getChannelDifference', channel: inputChannel, filter: { _: 'channelMessagesFilterEmpty' }, pts: 1, limit: 100 });
    t.is(channelDiff._, 'updates.channelDifference');
    t.deepEqual(channelDiff.newMessages.map((m: tl.message) => m.message), ['news']);
  });
}

// The rules for what an older layer lacks, on a made-up layer small enough to read.
const LAYER_50 = `// LAYER 50
boolFalse#bc799737 = Bool;
boolTrue#997275b5 = Bool;
vector#1cb5c415 {t:Type} # [ t ] = Vector t;
peerUser#59511722 user_id:long = Peer;
peerChat#36c6019a chat_id:int = Peer;
messageMediaEmpty#3ded6320 = MessageMedia;
messageMediaUnsupported#9f84f49e = MessageMedia;
messageEntityBold#bd610bc9 offset:int length:int = MessageEntity;
messageEntityUnknown#bb92ba95 offset:int length:int = MessageEntity;
message#10000001 flags:# out:flags.1?true id:int peer_id:Peer date:int message:string media:flags.9?MessageMedia entities:flags.7?Vector<MessageEntity> views:int = Message;
updateNewMessage#1f2b0afd message:Message pts:int pts_count:int = Update;
updateShort#78d4dec1 update:Update date:int = Updates;
updates#74ae4240 updates:Vector<Update> users:Vector<User> chats:Vector<Chat> date:int seq:int = Updates;
updatesTooLong#e317af7e = Updates;
user#10000002 id:long first_name:string about:string = User;
chatEmpty#29562865 id:long = Chat;
inputUserSelf#f7c1b13f = InputUser;
---functions---
users.getUsers#0d91a548 id:Vector<InputUser> = Vector<User>;
`;

test('an older layer gets its own constructors: fields dropped or defaulted, stand-ins, updates it lacks left out', (t) => {
  const codec = createSchemaCodec([LAYER_50]);
  const adapter = new LayerAdapter(codec);
  const message = {
    _: 'message',
    out: true,
    id: 5,
    peerId: { _: 'peerChat', chatId: 9n }, // long in 228, int here
    date: 100,
    message: 'hi',
    media: { _: 'messageMediaToDo', todo: {} }, // no such media here
    entities: [
      { _: 'messageEntityBold', offset: 0, length: 1 },
      { _: 'messageEntityFormattedDate', offset: 1, length: 1, date: 5 }, // no such entity here
    ],
    editDate: 3, // no such field here
  };
  const adapted = adapter.object({ _: 'updateShort', update: { _: 'updateNewMessage', message, pts: 2, ptsCount: 1 }, date: 100 });
  t.deepEqual(adapted, {
    _: 'updateShort',
    update: {
      _: 'updateNewMessage',
      message: {
        _: 'message',
        out: true,
        id: 5,
        peerId: { _: 'peerChat', chatId: 9 },
        date: 100,
        message: 'hi',
        media: { _: 'messageMediaUnsupported' },
        entities: [
          { _: 'messageEntityBold', offset: 0, length: 1 },
          { _: 'messageEntityUnknown', offset: 1, length: 1 },
        ],
        views: 0,
      },
      pts: 2,
      ptsCount: 1,
    },
    date: 100,
  });
  // It is written and read in layer 50 as such.
  t.deepEqual(codec.deserializeObject(codec.serializeObject(adapted as never)), adapted);

  // An update the layer lacks: left out of a vector; alone in updateShort, the client is told to get the difference.
  const story = { _: 'updateStory', peer: { _: 'peerUser', userId: 1n }, story: {} };
  t.deepEqual(adapter.object({ _: 'updateShort', update: story, date: 1 }), { _: 'updatesTooLong' });
  const many = adapter.object({ _: 'updates', updates: [story, { _: 'updateNewMessage', message, pts: 3, ptsCount: 1 }], users: [], chats: [], date: 1, seq: 0 }) as {
    updates: { _: string }[];
  };
  t.deepEqual(many.updates.map((u) => u._), ['updateNewMessage']);

  // A method's result by its type in the old layer; a missing string is empty, a TextWithEntities gives its text.
  t.deepEqual(adapter.result('users.getUsers', [{ _: 'user', id: 1n }, { _: 'user', id: 2n, firstName: 'B', about: { _: 'textWithEntities', text: 'x', entities: [] } }]), [
    { _: 'user', id: 1n, firstName: '', about: '' },
    { _: 'user', id: 2n, firstName: 'B', about: 'x' },
  ]);
});
