// GramJS (`telegram` 2.26.22), an independent client of layer 198, against
// the emulator through its own high-level TelegramClient: it logs in with a
// phone code, imports and fetches contacts, sends a message our client
// receives, and receives one ours sends as a NewMessage event. Everything it
// is sent is written in layer 198 (the emulator's bundled schema/layer-198.tl).
import test, { type ExecutionContext } from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, TelegramClient } from 'telegram';
import { StringSession } from 'telegram/sessions/index.js';
import { NewMessage, type NewMessageEvent } from 'telegram/events/index.js';
import { Logger } from 'telegram/extensions/index.js';
import { LogLevel } from 'telegram/extensions/Logger.js';
import { startEmulator, type Emulator } from '../src/index.js';
import { emulatorConnection, trustKeys } from './helpers/gramjs.js';
import { Inbox, ourUser, within } from './helpers/our-side.js';

/** A GramJS TelegramClient with a fresh StringSession whose home is `home`; destroyed at the end of the test. */
function gramjsClient(t: ExecutionContext, dcs: readonly { id: number; host: string; port: number }[], home: { id: number; host: string }): TelegramClient {
  const session = new StringSession('');
  // StringSession keeps the port as a signed 16-bit int (the OS picks ours above 32767);
  // the connection class dials the real one, so the session holds a stand-in.
  session.setDC(home.id, home.host, 443);
  const client = new TelegramClient(session, 1, 'gramjs-test', {
    connectionRetries: 1,
    autoReconnect: false,
    useWSS: false,
    connection: emulatorConnection(dcs),
    baseLogger: new Logger(process.env.GRAMJS_LOG ? LogLevel.DEBUG : LogLevel.NONE),
  });
  t.teardown(() => within(client.destroy(), 10_000, 'GramJS closes').catch(() => {}));
  return client;
}

/** GramJS's own login flow, the code read from the emulator's inbox; the first error stops it and is thrown. */
async function gramjsLogIn(client: TelegramClient, emulator: Emulator, phone: string, extra: { password?: string; names?: [string, string] } = {}): Promise<void> {
  let loginError: unknown;
  await within(
    client.start({
      phoneNumber: phone,
      phoneCode: async () => emulator.world.inbox(phone).at(-1)!,
      password: async () => {
        if (extra.password === undefined) throw new Error('no 2FA was set');
        return extra.password;
      },
      ...(extra.names ? { firstAndLastNames: async () => extra.names! } : {}),
      onError: async (e) => {
        loginError = e;
        return true; // stop: no retry prompts in a test
      },
    }),
    30_000,
    `GramJS logs in as ${phone}`,
  );
  if (loginError) throw loginError;
}

test('GramJS (layer 198) logs in with a phone code, fetches contacts and chats with our client', async (t) => {
  t.timeout(90_000);
  const log: string[] = [];
  const emulator = await startEmulator({ dcCount: 2, rsaKeyPath: join(mkdtempSync(join(tmpdir(), 'tgmt-emu-')), 'rsa.pem'), log: (l) => log.push(l) });
  t.teardown(() => emulator.stop());
  trustKeys(emulator.rsaPublicKeys);
  const home = emulator.dcs[1]!; // DC 2, home of both users
  emulator.world.createUser({ phone: '31611112001', firstName: 'Gram', username: 'gram_js', dc: home.id });
  emulator.world.createUser({ phone: '31611112002', firstName: 'Ours', username: 'ours_tgmt', dc: home.id });

  const ours = await ourUser(emulator, '31611112002', home.id);
  t.teardown(() => ours.close());

  const client = gramjsClient(t, emulator.dcs, home);
  await gramjsLogIn(client, emulator, '31611112001');
  const me = (await within(client.getMe(), 10_000, 'GramJS getMe')) as Api.User;
  t.is(me.username, 'gram_js');
  t.is(emulator.dc(home.id).openConnections.some((c) => c.layer === 198), true, 'GramJS announced layer 198');

  const before = await within(client.invoke(new Api.updates.GetState()), 10_000, 'GramJS updates.getState');

  // Contacts: import ours by phone, then fetch the list.
  const imported = await within(
    client.invoke(new Api.contacts.ImportContacts({ contacts: [new Api.InputPhoneContact({ clientId: BigInt(1) as never, phone: '31611112002', firstName: 'Ours', lastName: 'Side' })] })),
    10_000,
    'GramJS importContacts',
  );
  t.is(imported.users.length, 1);
  const contacts = await within(client.invoke(new Api.contacts.GetContacts({ hash: BigInt(0) as never })), 10_000, 'GramJS getContacts');
  if (!(contacts instanceof Api.contacts.Contacts)) throw new Error(`getContacts gave ${contacts.className}`);
  t.deepEqual(
    contacts.users.map((u) => (u as Api.User).firstName),
    ['Ours'],
  );

  // GramJS → ours.
  const ourEntity = contacts.users[0] as Api.User;
  await within(client.sendMessage(ourEntity, { message: 'hello from GramJS' }), 10_000, 'GramJS sendMessage');
  t.is(await ours.inbox.next((s) => s === 'hello from GramJS', 10_000, 'our client receives GramJS’s message'), 'hello from GramJS');

  // Ours → GramJS, seen by its NewMessage event handler.
  const received = new Inbox();
  const entities = new Map<string, string[]>();
  client.addEventHandler((e: NewMessageEvent) => {
    entities.set(e.message.message, (e.message.entities ?? []).map((x) => x.className));
    received.push(e.message.message);
  }, new NewMessage({}));
  await within(ours.client.sendMessage('@gram_js', '**hello** from telegram-mt', { parseMode: 'markdown' }), 10_000, 'our client sends');
  t.is(await received.next((s) => s === 'hello from telegram-mt', 15_000, 'GramJS’s NewMessage handler fires'), 'hello from telegram-mt');
  t.deepEqual(entities.get('hello from telegram-mt'), ['MessageEntityBold']);

  // Both messages, in order, from the difference since the state before them.
  const diff = await within(
    client.invoke(new Api.updates.GetDifference({ pts: before.pts, date: before.date, qts: before.qts })),
    10_000,
    'GramJS updates.getDifference',
  );
  if (!(diff instanceof Api.updates.Difference)) throw new Error(`getDifference gave ${diff.className}`);
  t.deepEqual(
    diff.newMessages.map((m) => (m as Api.Message).message),
    ['hello from GramJS', 'hello from telegram-mt'],
  );
  t.is(diff.state.pts, before.pts + 2);

  t.log(`GramJS called: ${[...emulator.stats(home.id).executions.keys()].join(', ')}`);
  t.is(emulator.stats(home.id).internalErrors, 0, log.join('\n'));
});

test('GramJS (layer 198) signs a new number up, and signs in with a 2FA password proven by its own SRP', async (t) => {
  t.timeout(90_000);
  const emulator = await startEmulator({ dcCount: 2, rsaKeyPath: join(mkdtempSync(join(tmpdir(), 'tgmt-emu-')), 'rsa.pem') });
  t.teardown(() => emulator.stop());
  trustKeys(emulator.rsaPublicKeys);
  const home = emulator.dcs[1]!;

  const fresh = gramjsClient(t, emulator.dcs, home);
  await gramjsLogIn(fresh, emulator, '31611112101', { names: ['New', 'Gram'] });
  const made = emulator.world.userByPhone('31611112101');
  t.like(made, { firstName: 'New', lastName: 'Gram' });
  t.is(((await within(fresh.getMe(), 10_000, 'GramJS getMe')) as Api.User).firstName, 'New');

  emulator.world.createUser({ phone: '31611112102', firstName: 'Locked', dc: home.id, password: 'hunter2' });
  const locked = gramjsClient(t, emulator.dcs, home);
  await gramjsLogIn(locked, emulator, '31611112102', { password: 'hunter2' });
  t.is(((await within(locked.getMe(), 10_000, 'GramJS getMe')) as Api.User).firstName, 'Locked');
  t.is(emulator.stats(home.id).internalErrors, 0);
});
