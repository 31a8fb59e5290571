// The file module end to end against the DC emulator over loopback sockets:
// uploads on the home DC, documents kept on a media DC (3), downloads there
// (after FILE_MIGRATE_X from a DC that does not have the file), cancellation,
// and a connection dropped mid-transfer.
import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { downloadFile, FileTransferError, uploadedMedia, uploadFile, type UploadedFile } from '../src/files/index.js';
import { startEmulator, type Emulator } from './support/emulator.js';
import { ConnectionFileHost } from './files-emulator-host.js';
import { defaultCipher } from '../src/mtproto/session/native-cipher.js';
import { bytesOf, sha256 } from './files-fake-host.js';

const KIB = 1024;
const MIB = 1024 * KIB;
const HOME = 2;
const MEDIA = 3;

let emulator: Emulator;
let phones = 0;

test.before(async () => {
  emulator = await startEmulator({ dcCount: 3, world: { passwordIterations: 1000, mediaDc: MEDIA } });
});
test.after.always(async () => {
  await emulator?.stop();
});

/** A user signed in on the home DC through a fresh host (its own connections). */
async function signedIn(t: { teardown(f: () => void): void }, lanes = 4): Promise<ConnectionFileHost> {
  const phone = `3160000${String(9000 + ++phones)}`;
  emulator.world.createUser({ phone, firstName: `F${phones}`, dc: HOME });
  const host = new ConnectionFileHost(emulator, HOME, lanes);
  t.teardown(() => host.close());
  await host.login(phone, (p) => emulator.world.inbox(p));
  return host;
}

/** The document an upload becomes (messages.uploadMedia: kept on the media DC). */
async function asDocument(host: ConnectionFileHost, file: UploadedFile): Promise<tl.messageMediaDocument> {
  return (await host.invokeOnDc(HOME, {
    _: 'messages.uploadMedia',
    peer: { _: 'inputPeerSelf' },
    media: { _: 'inputMediaUploadedDocument', file, mimeType: 'application/octet-stream', attributes: [] },
  })) as tl.messageMediaDocument;
}

for (const [label, size] of [
  ['1 byte', 1],
  ['1 KiB', KIB],
  ['exactly one part (32 KiB)', 32 * KIB],
] as const) {
  test.serial(`${label} round-trips through the emulator`, async (t) => {
    const host = await signedIn(t);
    const data = bytesOf(size, size + 11);
    const file = await uploadFile(host, data, { fileName: 'x.bin' });
    t.is(file.parts, 1);
    const media = await asDocument(host, file);
    const doc = media.document as tl.document;
    t.is(doc.dcId, MEDIA);
    t.is(Number(doc.size), size);
    t.is(sha256(await downloadFile(host, media)), sha256(data));
    t.is(host.pending, 0);
  });
}

test.serial('50 MB round-trips with equal SHA-256 (saveBigFilePart, parts over 4 lanes)', async (t) => {
  const host = await signedIn(t);
  const data = bytesOf(50 * 1000 * 1000, 50);
  const t0 = performance.now();
  let seen = 0;
  const pairedBefore = defaultCipher().stats.paired;
  const file = await uploadFile(host, data, { parallel: 8, onProgress: (done) => (seen = done) });
  const t1 = performance.now();
  t.is(file._, 'inputFileBig');
  // 8 parts are asked for at once over 4 connections: their flushes meet at the end of the turn, encrypted in pairs.
  t.true(defaultCipher().stats.paired >= pairedBefore + 8, `${defaultCipher().stats.paired - pairedBefore} parts paired`);
  t.is(seen, data.length);
  const media = await asDocument(host, file);
  const t2 = performance.now();
  const openedBefore = defaultCipher().stats.openedPaired;
  const back = await downloadFile(host, media, { parallel: 8 });
  const t3 = performance.now();
  // Answers that arrive in the same turn on different connections are decrypted in pairs (emulator and client share the thread here, so some do).
  t.true(defaultCipher().stats.openedPaired > openedBefore, 'no answers decrypted in pairs');
  t.is(back.length, data.length);
  t.is(sha256(back), sha256(data));
  t.log(`50 MB: upload ${(t1 - t0).toFixed(0)} ms, download ${(t3 - t2).toFixed(0)} ms (client and emulator in one thread)`);
});

test.serial('a download from a DC the client never used: FILE_MIGRATE_X, then the login carried there', async (t) => {
  const host = await signedIn(t);
  const data = bytesOf(3 * MIB + 5, 3);
  const media = await asDocument(host, await uploadFile(host, data));
  t.deepEqual([...new Set(host.dcsUsed)], [HOME]);
  // Asked on the home DC (as for a location that does not say its DC): the server redirects.
  const back = await downloadFile(host, media, { dcId: HOME, parallel: 8 });
  t.is(sha256(back), sha256(data));
  t.deepEqual([...new Set(host.dcsUsed)], [HOME, MEDIA]);
});

test.serial('sendMedia: a document in a message, downloaded from the message into a path', async (t) => {
  const host = await signedIn(t);
  const data = bytesOf(700 * KIB, 8);
  const file = await uploadFile(host, data, { fileName: 'note.bin' });
  const updates = (await host.invokeOnDc(HOME, {
    _: 'messages.sendMedia',
    peer: { _: 'inputPeerSelf' },
    media: { _: 'inputMediaUploadedDocument', file, mimeType: 'application/octet-stream', attributes: [] },
    message: 'a file',
    randomId: 77n,
  })) as tl.updates;
  const message = updates.updates.map((u) => (u as tl.updateNewMessage).message).find((m) => m?._ === 'message') as tl.message;
  t.is(message.message, 'a file');
  const { mkdtemp, readFile, rm } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'tgmt-e2e-'));
  try {
    const n = await downloadFile(host, message, { to: join(dir, 'note.bin') });
    t.is(n, data.length);
    t.is(sha256(await readFile(join(dir, 'note.bin'))), sha256(data));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.serial('AbortSignal: an upload and a download stop with nothing pending on any connection', async (t) => {
  const host = await signedIn(t);
  const data = bytesOf(20 * MIB, 4);
  const ac = new AbortController();
  const up = uploadFile(host, data, { parallel: 8, signal: ac.signal, onProgress: (done) => done >= 2 * MIB && ac.abort() });
  const e = await t.throwsAsync(up, { instanceOf: FileTransferError });
  t.is(e!.code, 'ABORTED');
  t.is(host.pending, 0);

  const media = await asDocument(host, await uploadFile(host, data, { parallel: 8 }));
  const ac2 = new AbortController();
  const down = downloadFile(host, media, { parallel: 8, signal: ac2.signal, onProgress: (done) => done >= 2 * MIB && ac2.abort() });
  const e2 = await t.throwsAsync(down, { instanceOf: FileTransferError });
  t.is(e2!.code, 'ABORTED');
  t.is(host.pending, 0);
});

test.serial('a connection dropped mid-transfer recovers (upload and download)', async (t) => {
  const host = await signedIn(t);
  const data = bytesOf(16 * MIB + 3, 5);
  // Every connection of the home DC is closed once after carrying 12 more frames.
  const upFault = emulator.faults.set({ dc: HOME }, { kind: 'drop', afterFrames: 12, times: 2 });
  let file: UploadedFile;
  try {
    file = await uploadFile(host, data, { parallel: 8 });
  } finally {
    emulator.faults.clear(upFault);
  }
  const reconnectsUp = host.opened.reduce((n, c) => n + c.reconnects, 0);
  t.true(reconnectsUp >= 1, `${reconnectsUp} reconnects`);
  const media = await asDocument(host, file);
  // A lane carries about 8 of the 32 parts; requests that share a flush share a frame, so under load
  // a lane may see fewer than 20 frames in all: 8 is passed on every lane whatever the timing.
  const downFault = emulator.faults.set({ dc: MEDIA }, { kind: 'drop', afterFrames: 8, times: 2 });
  try {
    const back = await downloadFile(host, media, { parallel: 8 });
    t.is(sha256(back), sha256(data));
  } finally {
    emulator.faults.clear(downFault);
  }
  const reconnects = host.opened.reduce((n, c) => n + c.reconnects, 0);
  t.true(reconnects > reconnectsUp, `${reconnects} reconnects in all`);
  t.is(host.pending, 0);
});

test.serial('a PNG goes as a photo (uploadedMedia) and comes back from the message by its largest size', async (t) => {
  const host = await signedIn(t);
  // A PNG signature and IHDR (640 × 480) in front of 300 KiB of payload: the emulator reads only the header.
  const png = bytesOf(300 * KIB, 21);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 2, 128, 0, 0, 1, 224]);
  const file = await uploadFile(host, png, { fileName: 'pic.png' });
  const media = uploadedMedia(file, { head: png.subarray(0, 64) });
  t.is(media._, 'inputMediaUploadedPhoto');
  t.is(uploadedMedia(file, { forceDocument: true })._, 'inputMediaUploadedDocument');
  const updates = (await host.invokeOnDc(HOME, { _: 'messages.sendMedia', peer: { _: 'inputPeerSelf' }, media, message: '', randomId: 78n })) as tl.updates;
  const message = updates.updates.map((u) => (u as tl.updateNewMessage).message).find((m) => m?._ === 'message') as tl.message;
  const photo = (message.media as tl.messageMediaPhoto).photo as tl.photo;
  t.is(photo.dcId, MEDIA);
  t.is(sha256(await downloadFile(host, message)), sha256(png));
});

test.serial('a download into a path, interrupted, resumes from the parts on disk', async (t) => {
  const host = await signedIn(t);
  const data = bytesOf(12 * MIB + 9, 31);
  const media = await asDocument(host, await uploadFile(host, data, { parallel: 8 }));
  const { mkdtemp, readFile, rm } = await import('node:fs/promises');
  const { existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'tgmt-e2e-'));
  try {
    const path = join(dir, 'big.bin');
    const ac = new AbortController();
    const e = await t.throwsAsync(
      downloadFile(host, media, { to: path, parallel: 4, signal: ac.signal, onProgress: (done) => done >= 4 * MIB && ac.abort() }),
      { instanceOf: FileTransferError },
    );
    t.is(e!.code, 'ABORTED');
    t.true(existsSync(path + '.tgmt-resume'));
    t.is(host.pending, 0);
    let first: number | undefined;
    const n = await downloadFile(host, media, { to: path, parallel: 4, onProgress: (done) => (first ??= done) });
    t.is(n, data.length);
    t.true(first! >= 4 * MIB + 512 * KIB, `resumed at ${first}`);
    t.is(sha256(await readFile(path)), sha256(data));
    t.false(existsSync(path + '.tgmt-resume'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
