// TelegramClient end to end against the emulator: logins (PHONE_MIGRATE,
// 2FA, bot, QR), messages as events in order and once, peers, dialogs,
// contacts, FLOOD_WAIT handling, logOut.
import test from 'ava';
import {
  FloodWaitError,
  MemoryStorage,
  RpcError,
  TelegramClientError,
  type Message,
  type TelegramClient,
} from '../src/index.js';
import { clientFor, logIn, waitFor } from './support/clients.js';
import { EmulatorRpcError, startEmulator, type Emulator } from './support/emulator.js';

let emulator: Emulator;
const open: TelegramClient[] = [];
const track = (c: TelegramClient) => (open.push(c), c);

test.before(async () => {
  emulator = await startEmulator({ dcCount: 3 });
  const w = emulator.world;
  w.createUser({ phone: '31600000001', firstName: 'Ann', username: 'ann_tg', dc: 3 });
  w.createUser({ phone: '31600000002', firstName: 'Ben', lastName: 'Bold', username: 'ben_tg', dc: 2, password: 'hunter2' });
  w.createUser({ phone: '31600000003', firstName: 'Cas', username: 'cas_tg', dc: 1 });
  w.createUser({ phone: '31600000004', firstName: 'Dee', username: 'dee_tg', dc: 2 });
  w.createUser({ phone: '31600000005', firstName: 'Eve', username: 'eve_tg', dc: 1 });
});

test.after.always(async () => {
  await Promise.all(open.map((c) => c.disconnect()));
  await emulator?.stop();
});

test.serial('two people log in (PHONE_MIGRATE, 2FA) and chat; each sees the other in order, once', async (t) => {
  t.timeout(60_000);
  const ann = track(clientFor(emulator));
  const ben = track(clientFor(emulator));
  const annMe = await logIn(emulator, ann, '31600000001');
  t.is(annMe.firstName, 'Ann');
  t.is(ann.homeDcId, 3, 'PHONE_MIGRATE_3 moved Ann home');
  const benMe = await logIn(emulator, ben, '31600000002', 'hunter2');
  t.is(benMe.firstName, 'Ben');
  t.is(ben.homeDcId, 2);

  const seenByBen: Message[] = [];
  const seenByAnn: Message[] = [];
  ben.on('newMessage', (m) => {
    if (!m.out) seenByBen.push(m);
  });
  ann.on('newMessage', (m) => {
    if (!m.out) seenByAnn.push(m);
  });

  const N = 20;
  for (let i = 0; i < N; i++) {
    const sent = await ann.sendMessage('@ben_tg', `hello ${i}`);
    t.is(sent.text, `hello ${i}`);
    t.true(sent.out);
    await ben.sendMessage('ann_tg', `**reply** ${i}`, { parseMode: 'markdown', replyTo: undefined });
  }
  const deadline = Date.now() + 20_000;
  while ((seenByBen.length < N || seenByAnn.length < N) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  t.deepEqual(seenByBen.map((m) => m.text), Array.from({ length: N }, (_, i) => `hello ${i}`));
  t.deepEqual(seenByAnn.map((m) => m.text), Array.from({ length: N }, (_, i) => `reply ${i}`));
  t.deepEqual(seenByAnn[0]!.entities.map((e) => [e._, e.offset, e.length]), [['messageEntityBold', 0, 5]]);
  t.is(seenByBen[0]!.senderId, annMe.id);
  t.is(seenByBen[0]!.chatId, annMe.id);
  // Nothing more arrives later (no duplicates from differences).
  await new Promise((r) => setTimeout(r, 300));
  t.is(seenByBen.length, N);
  t.is(seenByAnn.length, N);

  const history = await ben.getMessages(annMe, { limit: 5 });
  t.is(history.length, 5);
  t.is(history[0]!.text, `reply ${N - 1}`);
  const all: Message[] = [];
  for await (const m of ben.iterHistory('ann_tg', { chunkSize: 7 })) all.push(m);
  t.is(all.length, 2 * N);
  t.deepEqual(all.map((m) => m.id), [...all.map((m) => m.id)].sort((a, b) => b - a), 'newest first');

  const dialogs = await ben.getDialogs();
  const withAnn = dialogs.find((d) => d.chatId === annMe.id);
  t.truthy(withAnn);
  t.is(withAnn!.title, 'Ann');
  t.is(withAnn!.topMessage?.text, `reply ${N - 1}`);
});

test.serial('async iterator, edits and deletes as events', async (t) => {
  t.timeout(30_000);
  const cas = track(clientFor(emulator));
  const dee = track(clientFor(emulator));
  await logIn(emulator, cas, '31600000003');
  await logIn(emulator, dee, '31600000004');
  const events = dee.updates();
  const sent = await cas.sendMessage('@dee_tg', 'first draft');
  const next = async () => {
    const r = await Promise.race([events.next(), new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no event in 10 s')), 10_000))]);
    return r.value!;
  };
  const a = await next();
  t.is(a.kind, 'newMessage');
  t.is(a.kind === 'newMessage' && a.message.text, 'first draft');
  const edited = await cas.editMessage('@dee_tg', sent.id, 'final <b>text</b>', { parseMode: 'html' });
  t.is(edited.text, 'final text');
  const b = await next();
  t.is(b.kind, 'editMessage');
  t.is(b.kind === 'editMessage' && b.message.text, 'final text');
  const deeCopy = (a.kind === 'newMessage' && a.message.id) as number;
  // Cas deletes for both sides (revoke): Dee hears of it. (The deleting session itself gets affectedMessages, no update.)
  await cas.deleteMessages('@dee_tg', [sent.id], { revoke: true });
  const c = await next();
  t.deepEqual(c, { kind: 'deleteMessage', ids: [deeCopy] });
  await events.return!();
});

test.serial('peers resolve by username, phone, id and object; unknown ones give typed errors', async (t) => {
  t.timeout(30_000);
  const eve = track(clientFor(emulator));
  const me = await logIn(emulator, eve, '31600000005');
  t.deepEqual(await eve.resolvePeer('me'), { _: 'inputPeerSelf' });
  const byName = await eve.resolvePeer('@Ann_tg');
  t.is(byName._, 'inputPeerUser');
  const annId = (byName as { userId: bigint }).userId;
  t.deepEqual(await eve.resolvePeer(annId), byName, 'by id from the cache once seen');
  t.deepEqual(await eve.resolvePeer(String(annId)), byName);
  t.deepEqual(await eve.resolvePeer('t.me/ann_tg'), byName);
  await t.throwsAsync(eve.resolvePeer('@nobody_has_this'), { instanceOf: TelegramClientError, message: /USERNAME_NOT_OCCUPIED/ });
  await t.throwsAsync(eve.resolvePeer(123456789n), { instanceOf: TelegramClientError, message: /no access hash/ });
  await t.throwsAsync(eve.resolvePeer(''), { instanceOf: TelegramClientError });
  await t.throwsAsync(eve.resolvePeer('not a name!'), { instanceOf: TelegramClientError });
  // Contacts: import by phone, then the phone resolves; delete.
  const imported = await eve.importContacts([{ phone: '+31 600 000 003', firstName: 'Cas' }]);
  t.is(imported.length, 1);
  const contacts = await eve.getContacts();
  t.true(contacts.some((u) => u.firstName === 'Cas'));
  const byPhone = await eve.resolvePeer('+31600000003');
  t.is((byPhone as { userId: bigint }).userId, imported[0]!.id);
  await eve.deleteContacts(['+31600000003']);
  t.false((await eve.getContacts()).some((u) => u.id === imported[0]!.id));
  t.is((await eve.getMe()).id, me.id);
});

test.serial('a bot logs in by token; logOut forgets the login', async (t) => {
  t.timeout(30_000);
  const bot = emulator.world.createBot({ username: 'relay_bot', firstName: 'Relay' });
  const client = track(clientFor(emulator));
  const me = await client.start({ botToken: bot.botToken! });
  t.true(me.bot);
  t.true(await client.isAuthorized());
  await client.logOut();
  t.false(await client.isAuthorized());
  await t.throwsAsync(client.getMe(), { instanceOf: RpcError });
});

test.serial('FLOOD_WAIT below the threshold is slept through; above it, FloodWaitError', async (t) => {
  t.timeout(30_000);
  const client = track(clientFor(emulator, { floodSleepThreshold: 1 }));
  await logIn(emulator, client, '31600000004');
  let calls = 0;
  const wait = { seconds: 1 };
  emulator.registerMethod('help.getPromoData', () => {
    calls++;
    if (calls === 1) throw new EmulatorRpcError(420, `FLOOD_WAIT_${wait.seconds}`);
    return { _: 'help.promoDataEmpty' as const, expires: 0 };
  });
  const t0 = Date.now();
  const r = await client.invoke({ _: 'help.getPromoData' });
  t.is(r._, 'help.promoDataEmpty');
  t.true(Date.now() - t0 >= 900, 'waited about a second');
  t.is(calls, 2);
  calls = 0;
  wait.seconds = 30;
  const e = await t.throwsAsync(client.invoke({ _: 'help.getPromoData' }), { instanceOf: FloodWaitError });
  t.is(e!.seconds, 30);
  t.is(calls, 1);
});

test.serial('a stored login resumes without asking; the session string carries it', async (t) => {
  t.timeout(30_000);
  const storage = new MemoryStorage();
  const first = track(clientFor(emulator, { storage }));
  const me = await logIn(emulator, first, '31600000003');
  const session = await first.exportSession();
  await first.disconnect({ keepStorage: true });
  const again = track(clientFor(emulator, { storage }));
  t.true(await again.isAuthorized());
  t.is(again.homeDcId, 1);
  t.is((await again.getMe()).id, me.id);
  const { importSession } = await import('../src/index.js');
  const fromString = track(clientFor(emulator, { storage: importSession(session) }));
  t.is((await fromString.start({ phone: 'unused', code: async () => t.fail() as never })).id, me.id);
});

test.serial('QR login: a logged-in device accepts the token; the new client follows loginTokenMigrateTo', async (t) => {
  t.timeout(30_000);
  const phone = '31600000009';
  emulator.world.createUser({ phone, firstName: 'Quinn', username: 'quinn_tg', dc: 3 });
  const old = track(clientFor(emulator));
  const me = await logIn(emulator, old, phone);
  const fresh = track(clientFor(emulator));
  const urls: string[] = [];
  const user = await fresh.qrLogin({
    onUrl: (url, expires) => {
      urls.push(url);
      t.true(expires.getTime() > Date.now());
      const token = Buffer.from(url.replace(/^tg:\/\/login\?token=/, ''), 'base64url');
      // The logged-in device scans it.
      void old.invoke({ _: 'auth.acceptLoginToken', token });
    },
  });
  t.is(urls.length, 1);
  t.is(user.id, me.id);
  t.is(fresh.homeDcId, 3, 'moved to the account’s DC');
  t.is((await fresh.getMe()).id, me.id);
  const ac = new AbortController();
  const third = track(clientFor(emulator));
  const aborted = third.qrLogin({ onUrl: () => ac.abort(new Error('user closed the QR window')), signal: ac.signal });
  await t.throwsAsync(aborted, { message: 'user closed the QR window' });
});

test.serial('with PFS, the login and pushed messages outlive temporary-key renewals', async (t) => {
  t.timeout(60_000);
  emulator.world.createUser({ phone: '31600000010', firstName: 'Pia', username: 'pia_tg', dc: 2 });
  emulator.world.createUser({ phone: '31600000011', firstName: 'Rex', username: 'rex_tg', dc: 1 });
  // Keys of 8 s renewed 6 s before expiry: a new temporary key every ~2 s.
  const pfs = { expiresIn: 8, renewBefore: 6, stopBefore: 1 };
  const pia = track(clientFor(emulator, { pfs, connection: { probeInterval: 500 } }));
  const rex = track(clientFor(emulator, { pfs }));
  await logIn(emulator, pia, '31600000010');
  await logIn(emulator, rex, '31600000011');
  const got: string[] = [];
  rex.on('newMessage', (m) => got.push(m.text));
  const main = () => pia.connectionStats().find((c) => c.dcId === 2 && c.lane === 0)!;
  const firstKey = main().trafficKeyId;
  t.truthy(firstKey);
  for (let i = 0; i < 6; i++) {
    await pia.sendMessage('@rex_tg', `tick ${i}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const deadline = Date.now() + 10_000;
  while (got.length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  t.deepEqual(got, Array.from({ length: 6 }, (_, i) => `tick ${i}`));
  t.true(main().tempKeysBound >= 2, `renewed (${main().tempKeysBound} temporary keys bound)`);
  t.not(main().trafficKeyId, firstKey);
  t.is((await pia.getMe()).firstName, 'Pia', 'still logged in on the new key');
});

test.serial('an unreachable DC fails within connectTimeout with a typed error, and leaves nothing running', async (t) => {
  t.timeout(20_000);
  const { createServer } = await import('node:net');
  // A port that accepts and never answers: the handshake cannot finish.
  const sockets: import('node:net').Socket[] = [];
  const silent = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as import('node:net').AddressInfo).port;
  const client = clientFor(emulator, { dcs: [{ id: 2, host: '127.0.0.1', port }], connectTimeout: 500 });
  const t0 = Date.now();
  await t.throwsAsync(client.connect(), { instanceOf: TelegramClientError, message: /not reached within 500 ms/ });
  t.true(Date.now() - t0 < 5000);
  await client.disconnect();
  for (const s of sockets) s.destroy();
  await new Promise((r) => silent.close(r));
});
