// mtcute (`@mtcute/node` 0.30.3), an independent client of layer 227, against
// the emulator through its own high-level TelegramClient with in-memory
// storage and its updates manager on: it logs in with a phone code, imports
// and fetches contacts, sends a message our client receives, and receives one
// ours sends through its onNewMessage handler. Everything it is sent is
// written in layer 227 (the emulator's bundled schema/layer-227.tl).
import test from 'ava';
import { startEmulator } from '../src/index.js';
import { isMtcuteShortAuthKeyError, mtcuteClient, rsaKeyMtcuteFinds } from './helpers/mtcute.js';
import { Inbox, ourUser, within } from './helpers/our-side.js';

test('mtcute (layer 227) logs in with a phone code, fetches contacts and chats with our client', async (t) => {
  t.timeout(90_000);
  const log: string[] = [];
  const emulator = await startEmulator({ dcCount: 2, rsaKeyPath: rsaKeyMtcuteFinds(), log: (l) => log.push(l) });
  t.teardown(() => emulator.stop());
  const home = emulator.dcs[1]!; // DC 2, home of both users
  emulator.world.createUser({ phone: '31611113001', firstName: 'Mt', username: 'mt_cute', dc: home.id });
  emulator.world.createUser({ phone: '31611113002', firstName: 'Ours', username: 'ours_tgmt', dc: home.id });

  const ours = await ourUser(emulator, '31611113002', home.id);
  t.teardown(() => ours.close());

  const client = await mtcuteClient(t, emulator, home);
  const errors: unknown[] = [];
  client.onError.add((e) => errors.push(e));

  const phone = '31611113001';
  const me = await within(
    client.start({ phone, code: async () => emulator.world.inbox(phone).at(-1)!, codeSentCallback: () => {} }),
    30_000,
    'mtcute logs in',
  );
  t.is(me.username, 'mt_cute');
  t.true(
    emulator.dc(home.id).openConnections.some((c) => c.layer === 227),
    'mtcute announced layer 227',
  );

  const before = await within(client.call({ _: 'updates.getState' }), 10_000, 'mtcute updates.getState');

  // Contacts: import ours by phone, then fetch the list.
  const imported = await within(client.importContacts([{ phone: '31611113002', firstName: 'Ours', lastName: 'Side' }]), 10_000, 'mtcute importContacts');
  t.is(imported.users.length, 1);
  const contacts = await within(client.getContacts(), 10_000, 'mtcute getContacts');
  t.deepEqual(
    contacts.map((u) => u.firstName),
    ['Ours'],
  );

  // mtcute → ours.
  await within(client.sendText(contacts[0]!, 'hello from mtcute'), 10_000, 'mtcute sendText');
  t.is(await ours.inbox.next((s) => s === 'hello from mtcute', 10_000, 'our client receives mtcute’s message'), 'hello from mtcute');

  // Ours → mtcute, seen by its onNewMessage handler.
  const received = new Inbox();
  const entities = new Map<string, string[]>();
  client.onNewMessage.add((m) => {
    entities.set(m.text, m.entities.map((e) => e.kind));
    received.push(m.text);
  });
  await within(ours.client.sendMessage('@mt_cute', '**hello** from telegram-mt', { parseMode: 'markdown' }), 10_000, 'our client sends');
  t.is(await received.next((s) => s === 'hello from telegram-mt', 15_000, 'mtcute’s onNewMessage handler fires'), 'hello from telegram-mt');
  t.deepEqual(entities.get('hello from telegram-mt'), ['bold']);

  // Both messages, in order, from the difference since the state before them.
  const diff = await within(client.call({ _: 'updates.getDifference', pts: before.pts, date: before.date, qts: before.qts }), 10_000, 'mtcute updates.getDifference');
  if (diff._ !== 'updates.difference') throw new Error(`getDifference gave ${diff._}`);
  t.deepEqual(
    diff.newMessages.map((m) => (m._ === 'message' ? m.message : m._)),
    ['hello from mtcute', 'hello from telegram-mt'],
  );
  t.is(diff.state.pts, before.pts + 2);

  t.log(`mtcute called: ${[...emulator.stats(home.id).executions.keys()].join(', ')}`);
  t.deepEqual(errors.filter((e) => !isMtcuteShortAuthKeyError(e)), []);
  t.is(emulator.stats(home.id).internalErrors, 0, log.join('\n'));
});

test('mtcute (layer 227) signs in with a 2FA password proven by its own SRP', async (t) => {
  t.timeout(90_000);
  const emulator = await startEmulator({ dcCount: 2, rsaKeyPath: rsaKeyMtcuteFinds() });
  t.teardown(() => emulator.stop());
  const home = emulator.dcs[1]!;
  emulator.world.createUser({ phone: '31611113102', firstName: 'Locked', dc: home.id, password: 'hunter2' });
  const client = await mtcuteClient(t, emulator, home);
  const me = await within(
    client.start({ phone: '31611113102', code: async () => emulator.world.inbox('31611113102').at(-1)!, password: 'hunter2', codeSentCallback: () => {} }),
    30_000,
    'mtcute logs in with 2FA',
  );
  t.is(me.firstName, 'Locked');
  t.is(emulator.stats(home.id).internalErrors, 0);
});

test('mtcute (layer 227) logs in by QR code, accepted by our TelegramClient already signed in as the same user', async (t) => {
  t.timeout(90_000);
  const emulator = await startEmulator({ dcCount: 2, rsaKeyPath: rsaKeyMtcuteFinds() });
  t.teardown(() => emulator.stop());
  const home = emulator.dcs[1]!;
  emulator.world.createUser({ phone: '31611113201', firstName: 'Scanner', dc: home.id });
  const ours = await ourUser(emulator, '31611113201', home.id);
  t.teardown(() => ours.close());

  const client = await mtcuteClient(t, emulator, home);
  const accepted: string[] = [];
  const me = await within(
    client.start({
      qrCodeHandler: (url) => {
        // The URL the QR code would show: tg://login?token=<base64url>; our side "scans" it.
        const token = new URL(url).searchParams.get('token')!;
        if (accepted.includes(token)) return;
        accepted.push(token);
        void ours.client.invoke({ _: 'auth.acceptLoginToken', token: Buffer.from(token, 'base64url') }).catch((e: unknown) => t.log(`acceptLoginToken: ${e}`));
      },
    }),
    30_000,
    'mtcute logs in by QR code',
  );
  t.is(me.firstName, 'Scanner');
  t.is(me.id, Number(ours.user.id));
  t.is(accepted.length, 1);
});
