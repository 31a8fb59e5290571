// GramJS (`telegram` 2.26.22, layer 198), an independent client, moves a
// file through the emulator with its own upload and download code: parts
// saved with saveBigFilePart, a document sent to Saved Messages, kept on
// another DC (mediaDc), reached by FILE_MIGRATE and GramJS's own
// exportAuthorization / importAuthorization, read back with equal SHA-256.
import test from 'ava';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, TelegramClient } from 'telegram';
import { StringSession } from 'telegram/sessions/index.js';
import { Logger } from 'telegram/extensions/index.js';
import { LogLevel } from 'telegram/extensions/Logger.js';
import { CustomFile } from 'telegram/client/uploads.js';
import { startEmulator } from '../src/index.js';
import { emulatorConnection, trustKeys } from './helpers/gramjs.js';
import { within } from './helpers/our-side.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

test('GramJS uploads just over 10 MB (a big file), sends it, and downloads it from the media DC through FILE_MIGRATE', async (t) => {
  t.timeout(180_000);
  const log: string[] = [];
  const emulator = await startEmulator({
    dcCount: 3,
    rsaKeyPath: join(mkdtempSync(join(tmpdir(), 'tgmt-emu-')), 'rsa.pem'),
    log: (l) => log.push(l),
    world: { passwordIterations: 1000, mediaDc: 3 },
  });
  t.teardown(() => emulator.stop());
  trustKeys(emulator.rsaPublicKeys);
  const home = emulator.dcs[1]!;
  const phone = '31611113001';
  emulator.world.createUser({ phone, firstName: 'Gram', dc: home.id });

  const session = new StringSession('');
  session.setDC(home.id, home.host, 443);
  const client = new TelegramClient(session, 1, 'gramjs-files', {
    connectionRetries: 1,
    autoReconnect: false,
    useWSS: false,
    connection: emulatorConnection(emulator.dcs),
    baseLogger: new Logger(process.env.GRAMJS_LOG ? LogLevel.DEBUG : LogLevel.NONE),
  });
  t.teardown(() => within(client.destroy(), 10_000, 'GramJS closes').catch(() => {}));
  let loginError: unknown;
  await within(
    client.start({
      phoneNumber: phone,
      phoneCode: async () => emulator.world.inbox(phone).at(-1)!,
      password: async () => {
        throw new Error('no 2FA was set');
      },
      onError: async (e) => {
        loginError = e;
        return true;
      },
    }),
    30_000,
    'GramJS logs in',
  );
  if (loginError) throw loginError;

  const bytes = randomBytes(10 * 1024 * 1024 + 4321);
  const input = await within(client.uploadFile({ file: new CustomFile('big.bin', bytes.length, '', bytes), workers: 4 }), 90_000, 'GramJS uploadFile');
  t.true(input instanceof Api.InputFileBig);
  const message = await within(client.sendFile('me', { file: input, forceDocument: true, caption: 'from GramJS' }), 20_000, 'GramJS sendFile');
  t.is(message.message, 'from GramJS');
  const doc = (message.media as Api.MessageMediaDocument).document as Api.Document;
  t.is(doc.dcId, 3);
  t.is(Number(doc.size), bytes.length);
  t.true(doc.attributes.some((a) => a instanceof Api.DocumentAttributeFilename && a.fileName === 'big.bin'));

  const back = (await within(client.downloadMedia(message, {}), 90_000, 'GramJS downloadMedia')) as Buffer;
  t.is(back.length, bytes.length);
  t.is(sha256(back), sha256(bytes));
  t.true((emulator.stats(3).executions.get('auth.importAuthorization') ?? 0) >= 1, 'GramJS carried its login to DC 3');
  t.is(emulator.stats(home.id).internalErrors + emulator.stats(3).internalErrors, 0, log.join('\n'));
});
