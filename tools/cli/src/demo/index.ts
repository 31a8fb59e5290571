// The demo that `npm start` runs: a loopback Telegram with three DCs, the
// protocol underneath in brief, then TelegramClient as people use it — two
// logins (PHONE_MIGRATE, 2FA), a chat through pushed events, a bridge that
// relays one group into another, and a file sent and downloaded with a
// progress bar. It stops by itself.
import { randomBytes } from 'node:crypto';
import { startEmulator, type Emulator } from '@telegram-mt/dc-emulator';
import { LAYER, type tl } from '@telegram-mt/tl';
import { createClient, type CliClient, type Message } from '../client-api.js';
import type { Out } from '../terminal/out.js';
import { createProgress, formatBytes } from '../terminal/progress.js';
import { startBridge } from './bridge.js';
import { showProtocol } from './protocol.js';
import { nextMessage } from './wait.js';

const PHONES = { ann: '+31611110001', ben: '+31611110002', cas: '+31611110003' };

export async function runDemo(out: Out): Promise<void> {
  out.line(`telegram-mt demo — MTProto 2.0, TL layer ${LAYER}, against the embedded DC emulator`);
  out.step('Starting a loopback Telegram with three DCs');
  const emulator = await startEmulator({ dcCount: 3 });
  const clients: CliClient[] = [];
  try {
    for (const dc of emulator.dcs) out.ok(`DC ${dc.id} listening on ${dc.host}:${dc.port} (every transport on one port)`);
    await showProtocol(out, emulator);
    await withClients(out, emulator, clients);
  } finally {
    for (const c of clients) await c.disconnect().catch(() => {});
    await emulator.stop();
  }
  out.step('Done: the emulator is stopped.');
}

const rate = (bytes: number, t0: number) => {
  const seconds = (performance.now() - t0) / 1000;
  return `${(seconds * 1000).toFixed(0)} ms, ${formatBytes(Math.round(bytes / seconds))}/s`;
};

function entityList(text: string, entities: readonly tl.MessageEntity[]): string {
  return entities.map((e) => `${e._.replace(/^messageEntity/, '').toLowerCase()} "${text.slice(e.offset, e.offset + e.length)}"`).join(', ') || 'none';
}

async function withClients(out: Out, emulator: Emulator, clients: CliClient[]): Promise<void> {
  const { world } = emulator;
  const ann = world.createUser({ phone: PHONES.ann, firstName: 'Ann', username: 'ann_demo', dc: 1 });
  const ben = world.createUser({ phone: PHONES.ben, firstName: 'Ben', username: 'ben_demo', dc: 2, password: 'hunter2' });
  const cas = world.createUser({ phone: PHONES.cas, firstName: 'Cas', username: 'cas_demo', dc: 3 });
  const bot = world.createBot({ username: 'bridge_bot', firstName: 'Bridge', dc: 3 });
  const teamA = world.createChat(ann.id, 'Team A', [ben.id, bot.id]);
  const teamB = world.createChat(cas.id, 'Team B', [bot.id]);

  const open = async (): Promise<CliClient> => {
    const c = await createClient({
      apiId: 1,
      apiHash: 'tgmt-demo',
      dcs: emulator.dcs,
      rsaPublicKeys: emulator.rsaPublicKeys,
      device: { deviceModel: 'tgmt demo', appVersion: '0.1.0' },
    });
    clients.push(c);
    await c.connect();
    return c;
  };
  const sendCodes = (dc: number) => emulator.stats(dc).executions.get('auth.sendCode') ?? 0;
  const codeOf = (phone: string) => async () => world.inbox(phone).at(-1)!;

  out.step('Logging in with TelegramClient (PFS on; a fresh client asks DC 2)');
  const annClient = await open();
  const [dc2Before, dc1Before] = [sendCodes(2), sendCodes(1)];
  const annUser = await annClient.start({ phone: PHONES.ann, code: codeOf(PHONES.ann) });
  const migrated = sendCodes(2) > dc2Before && sendCodes(1) > dc1Before;
  out.ok(
    `Ann: ${migrated ? 'DC 2 answered auth.sendCode with PHONE_MIGRATE_1, so her client moved to DC 1' : 'asked for a code'}; ` +
      `signed in with the code ${world.inbox(PHONES.ann).at(-1)} from her inbox (user ${annUser.id}, home DC ${annClient.homeDcId})`,
  );

  const benClient = await open();
  let passwordAsked = false;
  const benUser = await benClient.start({
    phone: PHONES.ben,
    code: codeOf(PHONES.ben),
    password: async () => {
      passwordAsked = true;
      return 'hunter2';
    },
  });
  out.ok(
    `Ben: ${passwordAsked ? 'SESSION_PASSWORD_NEEDED after the code, so his client proved the 2FA password by SRP (the password never leaves his side); ' : ''}` +
      `signed in on DC ${benClient.homeDcId}`,
  );

  const casClient = await open();
  await casClient.start({ phone: PHONES.cas, code: codeOf(PHONES.cas) });
  const botClient = await open();
  await botClient.start({ botToken: bot.botToken! });
  out.ok(`Cas signed in on DC ${casClient.homeDcId}; @bridge_bot signed in with its bot token on DC ${botClient.homeDcId}`);

  out.step('Ann and Ben chat: messages arrive as newMessage events, pushed by the server, not polled');
  const say = async (from: CliClient, to: CliClient, toUsername: string, names: [string, string], text: string, markdown = false) => {
    const arrives = nextMessage(to, (m) => !m.out && m.text !== '', `message for ${names[1]}`);
    const sent = await from.sendMessage(toUsername, text, markdown ? { parseMode: 'markdown' } : {});
    out.ok(`${names[0]}: ${sent.text}`);
    const got = await arrives;
    out.note(`  → ${names[1]} received "${got.text}" (#${got.id} in ${names[1] === 'Ben' ? 'his' : 'her'} box; entities: ${entityList(got.text, got.entities)})`);
  };
  await say(annClient, benClient, '@ben_demo', ['Ann', 'Ben'], 'Hi Ben! This went DC 1 → DC 2 through the emulator.');
  await say(benClient, annClient, '@ann_demo', ['Ben', 'Ann'], 'Hi Ann, **loud** and clear.', true);
  const history = await benClient.getMessages('@ann_demo', { limit: 10 });
  out.ok(`Ben's history with Ann: ${history.length} messages (${history.map((m) => `#${m.id}${m.out ? ' out' : ' in'}`).join(', ')})`);

  out.step('A bridge: @bridge_bot relays every message of "Team A" into "Team B" as "[Name] text", formatting kept');
  out.note(`Team A: Ann, Ben and @bridge_bot · Team B: Cas and @bridge_bot`);
  const names = new Map<bigint, string>([
    [annUser.id, 'Ann'],
    [benUser.id, 'Ben'],
  ]);
  let bridgeError: unknown;
  const stop = startBridge(botClient, {
    from: -teamA.id,
    to: { _: 'inputPeerChat', chatId: teamB.id },
    names,
    onError: (e) => (bridgeError = e),
  });
  try {
    const relay = async (from: CliClient, who: string, text: string) => {
      const arrives = nextMessage(casClient, (m) => m.chatId === -teamB.id && !m.out, 'relayed message in Team B');
      const sent = await from.sendMessage({ _: 'inputPeerChat', chatId: teamA.id }, text, { parseMode: 'markdown' });
      out.ok(`${who} in Team A: "${sent.text}" (${entityList(sent.text, sent.entities)})`);
      const got = await arrives.catch((e: unknown) => {
        throw bridgeError ?? e;
      });
      out.note(`  → Cas sees in Team B: "${got.text}" (${entityList(got.text, got.entities)})`);
    };
    await relay(annClient, 'Ann', 'The **release** is on __Friday__, see [the notes](https://example.org/notes).');
    await relay(benClient, 'Ben', 'I will bring `v1.0` and **cake**.');
  } finally {
    stop();
  }

  await files(out, emulator, annClient, benClient);
}

async function files(out: Out, emulator: Emulator, annClient: CliClient, benClient: CliClient): Promise<void> {
  const calls = (dc: number, method: string) => emulator.stats(dc).executions.get(method) ?? 0;
  const size = 3 * 1024 * 1024 + 12345;
  out.step(`A file: Ann sends ${formatBytes(size)} to Ben, Ben downloads it (parts in flight over several connections)`);
  const bytes = randomBytes(size);
  const arrives = nextMessage(benClient, (m: Message) => m.media !== undefined, 'the file message', 30_000);
  const up = createProgress('  upload  ', process.stdout);
  let t0 = performance.now();
  const savedBefore = calls(1, 'upload.saveFilePart') + calls(1, 'upload.saveBigFilePart');
  const sent = await annClient.sendFile('@ben_demo', bytes, { fileName: 'demo.bin', caption: 'the build', onProgress: (d, t) => up.update(d, t) });
  up.done();
  const saved = calls(1, 'upload.saveFilePart') + calls(1, 'upload.saveBigFilePart') - savedBefore;
  out.ok(`Ann sent demo.bin as message #${sent.id}: ${saved} parts saved on her DC 1, then messages.sendMedia (${rate(size, t0)}; a progress bar on a terminal)`);
  const got = await arrives;
  const down = createProgress('  download', process.stdout);
  const before = [calls(2, 'upload.getFile'), calls(1, 'upload.getFile'), calls(1, 'auth.importAuthorization')] as const;
  t0 = performance.now();
  const data = await benClient.downloadFile(got, { onProgress: (d, t) => down.update(d, t) });
  down.done();
  const same = data instanceof Uint8Array && Buffer.compare(Buffer.from(data), bytes) === 0;
  const gotBytes = data instanceof Uint8Array ? data.length : data;
  const [askedHome, servedDc1, imported] = [calls(2, 'upload.getFile') - before[0], calls(1, 'upload.getFile') - before[1], calls(1, 'auth.importAuthorization') - before[2]];
  if (servedDc1 > 0) {
    // The document names its DC; a client that asks elsewhere gets FILE_MIGRATE_X.
    const how = askedHome > 0 ? 'his DC 2 answered FILE_MIGRATE_1' : 'the document names DC 1';
    const carried = imported > 0 ? ', so his client carried his login there (auth.exportAuthorization → importAuthorization)' : '';
    out.ok(`Ben lives on DC 2 and the file on DC 1: ${how}${carried}, and fetched ${servedDc1} parts from DC 1`);
  }
  (same ? out.ok : out.fail)(`Ben downloaded ${formatBytes(gotBytes)}: ${same ? 'the same bytes' : 'different bytes!'} (${rate(gotBytes, t0)})`);
}
