// TelegramClient against the loopback Telegram of this repository:
//   npm run build && npx tsx packages/client/examples/telegram-client.ts
import { FileStorage, TelegramClient } from '@telegram-mt/client';
import { startEmulator } from '@telegram-mt/dc-emulator';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const emulator = await startEmulator(); // three DCs on 127.0.0.1
emulator.world.createUser({ phone: '31600000001', firstName: 'Ann', username: 'ann_example', dc: 3 });
emulator.world.createUser({ phone: '31600000002', firstName: 'Ben', username: 'ben_example', dc: 2, password: 'hunter2' });

const make = (storage?: FileStorage) =>
  new TelegramClient({
    apiId: 12345,
    apiHash: '0123456789abcdef0123456789abcdef',
    dcs: emulator.dcs, // Telegram's production DCs by default
    rsaPublicKeys: emulator.rsaPublicKeys, // and their keys
    ...(storage ? { storage } : {}),
  });

const ann = make(new FileStorage(join(mkdtempSync(join(tmpdir(), 'tgmt-')), 'ann.session')));
const ben = make();
// The code would come by SMS or in the app; the emulator keeps an inbox per phone.
const codeFor = (phone: string) => async () => emulator.world.inbox(phone).at(-1)!;
await ann.start({ phone: '+31600000001', code: codeFor('31600000001') }); // PHONE_MIGRATE_3 followed
await ben.start({ phone: '+31600000002', code: codeFor('31600000002'), password: async () => 'hunter2' }); // 2FA by SRP

const arrived = new Promise<string>((resolve) => ben.on('newMessage', (m) => resolve(`${m.senderId}: ${m.text}`)));
await ann.sendMessage('@ben_example', 'Hello **Ben**', { parseMode: 'markdown' });
console.log('Ben got', await arrived);

for await (const m of ben.iterHistory('ann_example', { limit: 10 })) console.log(m.id, m.out ? '→' : '←', m.text);
const file = await ben.sendFile('@ann_example', Buffer.from('a small file'), { fileName: 'note.txt', caption: 'for you' });
console.log('downloaded back:', Buffer.from(await ben.downloadFile(file)).toString());

await ann.disconnect(); // writes ann.session: the next run logs in without a code
await ben.disconnect();
await emulator.stop();
