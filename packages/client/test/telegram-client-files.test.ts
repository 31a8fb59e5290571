// Files through TelegramClient: sendFile from one DC, the other side sees the
// message and downloads the document from the media DC neither has used
// (the login carried there by export/importAuthorization), bytes equal.
import { createHash, randomBytes } from 'node:crypto';
import test from 'ava';
import type { Message, TelegramClient } from '../src/index.js';
import { clientFor, logIn, waitFor } from './support/clients.js';
import { startEmulator, type Emulator } from './support/emulator.js';

let emulator: Emulator;
const open: TelegramClient[] = [];
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test.before(async () => {
  emulator = await startEmulator({ dcCount: 3, world: { mediaDc: 1 } });
  emulator.world.createUser({ phone: '31622000001', firstName: 'Fay', username: 'fay_tg', dc: 3 });
  emulator.world.createUser({ phone: '31622000002', firstName: 'Gus', username: 'gus_tg', dc: 2 });
});
test.after.always(async () => {
  await Promise.all(open.map((c) => c.disconnect()));
  await emulator?.stop();
});

test('sendFile → newMessage with a document → downloadFile from the media DC, equal SHA-256', async (t) => {
  t.timeout(60_000);
  // With PFS: the main connection and the transfer lanes of each DC share one bound temporary key.
  const fay = clientFor(emulator, { pfs: true });
  const gus = clientFor(emulator, { pfs: true });
  open.push(fay, gus);
  await logIn(emulator, fay, '31622000001');
  await logIn(emulator, gus, '31622000002');
  const bytes = randomBytes(3 * 1024 * 1024 + 123);
  const arrived = waitFor<Message>((take) => {
    const h = (m: Message) => m.media && take(m);
    gus.on('newMessage', h);
    return () => gus.off('newMessage', h);
  }, 20_000, 'the file message');
  const progress: number[] = [];
  const sent = await fay.sendFile('@gus_tg', bytes, { fileName: 'data.bin', caption: 'the **numbers**', parseMode: 'markdown', onProgress: (done) => progress.push(done) });
  t.is(sent.text, 'the numbers');
  t.is(sent.media?._, 'messageMediaDocument');
  t.is(progress.at(-1), bytes.length);
  t.true(progress.every((p, i) => i === 0 || p >= progress[i - 1]!), 'progress only grows');
  const m = await arrived;
  t.is(m.text, 'the numbers');
  t.deepEqual(m.entities.map((e) => e._), ['messageEntityBold']);
  const media = m.media as { document?: { dcId: number; attributes: { _: string; fileName?: string }[] } };
  t.is(media.document?.dcId, 1, 'kept on the media DC');
  t.is(media.document?.attributes.find((a) => a._ === 'documentAttributeFilename')?.fileName, 'data.bin');
  const got = await gus.downloadFile(m, { parallel: 4 });
  t.is(got.length, bytes.length);
  t.is(sha(got), sha(bytes));
  // A photo goes as a photo, and comes back byte for byte too.
  const png = randomBytes(40_000);
  const photo = await fay.sendFile('@gus_tg', png, { fileName: 'pic.png' });
  t.is(photo.media?._, 'messageMediaPhoto');
  t.is(sha(await fay.downloadFile(photo)), sha(png));
  // One binding per DC, whatever the number of lanes.
  for (const c of [...fay.connectionStats(), ...gus.connectionStats()]) t.true(c.tempKeysBound <= 1, `DC ${c.dcId} lane ${c.lane}: ${c.tempKeysBound} bindings`);
  t.true(gus.connectionStats().filter((c) => c.dcId === 1).length > 1, 'several lanes on the media DC');
});
