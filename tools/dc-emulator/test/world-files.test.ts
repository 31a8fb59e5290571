// Uploads, downloads and media messages of the world, through the in-memory
// dispatcher (every answer and push through the TL codec both ways).
import test from 'ava';
import { createHash, randomBytes } from 'node:crypto';
import type { tl } from '@telegram-mt/tl';
import { Harness, inputPeerOf, type Device } from './helpers/world-harness.js';

const KiB = 1024;
const MiB = 1024 * 1024;
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

let nextFileId = 1n;

/** Uploads `bytes` in `partSize` parts (saveBigFilePart above 10 MB); returns the InputFile. */
async function upload(h: Harness, d: Device, bytes: Uint8Array, partSize = 512 * KiB, opts: { big?: boolean; md5?: string; name?: string } = {}): Promise<tl.InputFile> {
  const id = nextFileId++;
  const total = Math.max(1, Math.ceil(bytes.length / partSize));
  const big = opts.big ?? bytes.length > 10 * MiB;
  for (let i = 0; i < total; i++) {
    const part = bytes.subarray(i * partSize, (i + 1) * partSize);
    const ok = big
      ? await h.call(d, { _: 'upload.saveBigFilePart', fileId: id, filePart: i, fileTotalParts: total, bytes: part })
      : await h.call(d, { _: 'upload.saveFilePart', fileId: id, filePart: i, bytes: part });
    if (ok !== true) throw new Error('saveFilePart answered false');
  }
  const name = opts.name ?? 'blob.bin';
  return big ? { _: 'inputFileBig', id, parts: total, name } : { _: 'inputFile', id, parts: total, name, md5Checksum: opts.md5 ?? '' };
}

const docMedia = (file: tl.InputFile, fileName = 'blob.bin'): tl.inputMediaUploadedDocument => ({
  _: 'inputMediaUploadedDocument',
  file,
  mimeType: 'application/octet-stream',
  attributes: [{ _: 'documentAttributeFilename', fileName }],
});

const locationOf = (doc: tl.document): tl.inputDocumentFileLocation => ({
  _: 'inputDocumentFileLocation',
  id: doc.id,
  accessHash: doc.accessHash,
  fileReference: doc.fileReference,
  thumbSize: '',
});

const getFile = (location: tl.InputFileLocation, offset: number, limit: number, precise?: boolean): tl.upload.getFile => ({
  _: 'upload.getFile',
  location,
  offset: BigInt(offset),
  limit,
  precise,
});

/** Downloads a whole file in `limit` chunks. */
async function download(h: Harness, d: Device, location: tl.InputFileLocation, size: number, limit = MiB): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < size; offset += limit) {
    const r = (await h.call(d, getFile(location, offset, limit))) as tl.upload.file;
    chunks.push(Buffer.from(r.bytes));
    if (r.bytes.length < limit) break;
  }
  return Buffer.concat(chunks);
}

async function signedIn(h: Harness, dc = 2, phone = '31600007001'): Promise<{ d: Device; me: tl.user }> {
  const d = h.device(dc);
  const me = await h.login(d, phone, 'Uploader');
  return { d, me };
}

async function uploadDoc(h: Harness, d: Device, bytes: Uint8Array, partSize?: number): Promise<tl.document> {
  const file = await upload(h, d, bytes, partSize);
  const media = (await h.call(d, { _: 'messages.uploadMedia', peer: { _: 'inputPeerSelf' }, media: docMedia(file) })) as tl.messageMediaDocument;
  return media.document as tl.document;
}

for (const [name, size, partSize] of [
  ['1 byte', 1, 512 * KiB],
  ['1 KiB', KiB, 512 * KiB],
  ['exactly one 512 KiB part', 512 * KiB, 512 * KiB],
  ['3 MB in 128 KiB parts', 3 * MiB + 777, 128 * KiB],
  ['12 MB through saveBigFilePart', 12 * MiB + 5, 512 * KiB],
] as const) {
  test(`round trip: ${name} comes back with the same SHA-256`, async (t) => {
    const h = new Harness();
    const { d } = await signedIn(h);
    const bytes = randomBytes(size);
    const doc = await uploadDoc(h, d, bytes, partSize);
    t.is(doc.size, BigInt(size));
    t.is(doc.dcId, 2);
    t.is(doc.mimeType, 'application/octet-stream');
    t.deepEqual(doc.attributes, [{ _: 'documentAttributeFilename', fileName: 'blob.bin' }]);
    const back = await download(h, d, locationOf(doc), size);
    t.is(back.length, size);
    t.is(sha256(back), sha256(bytes));
    // Smaller chunks read the same bytes.
    if (size <= 3 * MiB + 777) t.is(sha256(await download(h, d, locationOf(doc), size, 64 * KiB)), sha256(bytes));
  });
}

test('getFile: a range inside one part, a range across parts, past the end, and the precise flag', async (t) => {
  const h = new Harness();
  const { d } = await signedIn(h);
  const bytes = randomBytes(2 * MiB + 100);
  const doc = await uploadDoc(h, d, bytes, 256 * KiB);
  const loc = locationOf(doc);
  const inside = (await h.call(d, getFile(loc, 8 * KiB, 4 * KiB))) as tl.upload.file;
  t.is(inside.type._, 'storage.filePartial');
  t.deepEqual(Buffer.from(inside.bytes), bytes.subarray(8 * KiB, 12 * KiB));
  const across = (await h.call(d, getFile(loc, MiB, MiB))) as tl.upload.file;
  t.deepEqual(Buffer.from(across.bytes), bytes.subarray(MiB, 2 * MiB));
  const tail = (await h.call(d, getFile(loc, 2 * MiB, 4 * KiB))) as tl.upload.file;
  t.is(tail.bytes.length, 100);
  const beyond = (await h.call(d, getFile(loc, 3 * MiB, 4 * KiB))) as tl.upload.file;
  t.is(beyond.bytes.length, 0);
  // precise: 1 KiB multiples, a limit that does not divide 1 MiB.
  const precise = (await h.call(d, getFile(loc, 3 * KiB, 3 * KiB, true))) as tl.upload.file;
  t.deepEqual(Buffer.from(precise.bytes), bytes.subarray(3 * KiB, 6 * KiB));
  t.is(await h.error(d, getFile(loc, MiB - KiB, 2 * KiB, true)), 'LIMIT_INVALID');
});

test('getFile: LIMIT_INVALID and OFFSET_INVALID by the rules of upload.getFile', async (t) => {
  const h = new Harness();
  const { d } = await signedIn(h);
  const loc = locationOf(await uploadDoc(h, d, randomBytes(3 * MiB)));
  t.is(await h.error(d, getFile(loc, 0, 0)), 'LIMIT_INVALID');
  t.is(await h.error(d, getFile(loc, 0, 1000)), 'LIMIT_INVALID'); // not a multiple of 4 KiB
  t.is(await h.error(d, getFile(loc, 0, 12 * KiB)), 'LIMIT_INVALID'); // does not divide 1 MiB
  t.is(await h.error(d, getFile(loc, 0, 2 * MiB)), 'LIMIT_INVALID'); // above 1 MiB
  t.is(await h.error(d, getFile(loc, 512 * KiB + 4 * KiB, 512 * KiB)), 'LIMIT_INVALID'); // crosses the 1 MiB boundary
  t.is(await h.error(d, getFile(loc, 1000, 4 * KiB)), 'OFFSET_INVALID');
  t.is(await h.error(d, getFile(loc, -4096, 4 * KiB)), 'OFFSET_INVALID');
  t.is(await h.error(d, getFile(loc, 1000, 4 * KiB, true)), 'OFFSET_INVALID'); // precise still wants 1 KiB multiples
  t.is(await h.error(d, getFile(loc, 1024, 1000, true)), 'LIMIT_INVALID');
});

test('getFile: FILE_ID_INVALID, FILE_REFERENCE_EXPIRED, LOCATION_INVALID, AUTH_KEY_UNREGISTERED', async (t) => {
  const h = new Harness();
  const { d } = await signedIn(h);
  const doc = await uploadDoc(h, d, randomBytes(5000));
  const loc = locationOf(doc);
  t.is(await h.error(d, getFile({ ...loc, accessHash: loc.accessHash + 1n }, 0, 4 * KiB)), 'FILE_ID_INVALID');
  t.is(await h.error(d, getFile({ ...loc, id: 12345n }, 0, 4 * KiB)), 'FILE_ID_INVALID');
  t.is(await h.error(d, getFile({ ...loc, fileReference: new Uint8Array([1, 2, 3]) }, 0, 4 * KiB)), 'FILE_REFERENCE_EXPIRED');
  t.is(await h.error(d, getFile({ ...loc, thumbSize: 'm' }, 0, 4 * KiB)), 'LOCATION_INVALID');
  t.is(await h.error(d, getFile({ _: 'inputPhotoFileLocation', id: doc.id, accessHash: doc.accessHash, fileReference: doc.fileReference, thumbSize: 'x' }, 0, 4 * KiB)), 'FILE_ID_INVALID');
  t.is(await h.error(d, getFile({ _: 'inputFileLocation', volumeId: 1n, localId: 1, secret: 1n, fileReference: new Uint8Array() }, 0, 4 * KiB)), 'LOCATION_INVALID');
  t.is(await h.error(h.device(2), getFile(loc, 0, 4 * KiB)), 'AUTH_KEY_UNREGISTERED');
});

test('mediaDc: files live on it; getFile elsewhere is FILE_MIGRATE_X, and works there after importAuthorization', async (t) => {
  const h = new Harness({ mediaDc: 3 });
  const { d } = await signedIn(h);
  const bytes = randomBytes(700 * KiB);
  const doc = await uploadDoc(h, d, bytes);
  t.is(doc.dcId, 3);
  t.is(await h.error(d, getFile(locationOf(doc), 0, MiB)), 'FILE_MIGRATE_3');
  const on3 = h.device(3);
  t.is(await h.error(on3, getFile(locationOf(doc), 0, MiB)), 'AUTH_KEY_UNREGISTERED');
  const exported = await h.call(d, { _: 'auth.exportAuthorization', dcId: 3 });
  await h.call(on3, { _: 'auth.importAuthorization', id: exported.id, bytes: exported.bytes });
  t.is(sha256(await download(h, on3, locationOf(doc), bytes.length)), sha256(bytes));
  // Without mediaDc a file stays on the DC it was sent from.
  const plain = new Harness();
  const p = await signedIn(plain, 1, '31600007002');
  const doc1 = await uploadDoc(plain, p.d, randomBytes(10));
  t.is(doc1.dcId, 1);
});

test('saveFilePart / saveBigFilePart: every part rule', async (t) => {
  const h = new Harness();
  const { d } = await signedIn(h);
  const save = (fileId: bigint, filePart: number, bytes: Uint8Array) => h.error(d, { _: 'upload.saveFilePart', fileId, filePart, bytes });
  const saveBig = (fileId: bigint, filePart: number, fileTotalParts: number, bytes: Uint8Array) =>
    h.error(d, { _: 'upload.saveBigFilePart', fileId, filePart, fileTotalParts, bytes });
  t.is(await h.error(h.device(2), { _: 'upload.saveFilePart', fileId: 900n, filePart: 0, bytes: new Uint8Array(KiB) }), 'AUTH_KEY_UNREGISTERED');
  // Another key of the same user adds to the same file.
  const d2 = h.device(2);
  await h.login(d2, '31600007001');
  await h.call(d2, { _: 'upload.saveFilePart', fileId: 905n, filePart: 1, bytes: new Uint8Array(10) });
  await h.call(d, { _: 'upload.saveFilePart', fileId: 905n, filePart: 0, bytes: new Uint8Array(KiB) });
  const joined = (await h.call(d2, { _: 'messages.uploadMedia', peer: { _: 'inputPeerSelf' }, media: docMedia({ _: 'inputFile', id: 905n, parts: 2, name: 'j', md5Checksum: '' }) })) as tl.messageMediaDocument;
  t.is((joined.document as tl.document).size, BigInt(KiB + 10));
  t.is(await save(900n, 0, new Uint8Array(0)), 'FILE_PART_EMPTY');
  t.is(await save(900n, 0, new Uint8Array(512 * KiB + 1)), 'FILE_PART_TOO_BIG');
  t.is(await save(900n, -1, new Uint8Array(KiB)), 'FILE_PART_INVALID');
  t.is(await save(900n, 4000, new Uint8Array(KiB)), 'FILE_PART_INVALID');
  // A part that turns out not to be the last must be a multiple of 1 KiB dividing 512 KiB.
  await h.call(d, { _: 'upload.saveFilePart', fileId: 901n, filePart: 0, bytes: new Uint8Array(1000) });
  t.is(await save(901n, 1, new Uint8Array(1000)), 'FILE_PART_SIZE_INVALID');
  await h.call(d, { _: 'upload.saveFilePart', fileId: 902n, filePart: 2, bytes: new Uint8Array(10) });
  t.is(await save(902n, 0, new Uint8Array(3 * KiB)), 'FILE_PART_SIZE_INVALID'); // 3 KiB does not divide 512 KiB
  await h.call(d, { _: 'upload.saveFilePart', fileId: 902n, filePart: 0, bytes: new Uint8Array(4 * KiB) });
  t.is(await save(902n, 1, new Uint8Array(8 * KiB)), 'FILE_PART_SIZE_CHANGED');
  t.is(await save(902n, 3, new Uint8Array(4 * KiB)), 'FILE_PART_SIZE_INVALID'); // part 2 (10 bytes) would become a middle part
  // Small files stop at 10 MB: past it saveBigFilePart is the way.
  for (let i = 0; i < 20; i++) await h.call(d, { _: 'upload.saveFilePart', fileId: 903n, filePart: i, bytes: new Uint8Array(512 * KiB) });
  t.is(await save(903n, 20, new Uint8Array(KiB)), 'FILE_PARTS_INVALID');
  // Big files: the part count is announced and must hold.
  t.is(await saveBig(904n, 0, 0, new Uint8Array(KiB)), 'FILE_PARTS_INVALID');
  t.is(await saveBig(904n, 0, 4001, new Uint8Array(KiB)), 'FILE_PARTS_INVALID');
  t.is(await saveBig(904n, 3, 3, new Uint8Array(KiB)), 'FILE_PART_INVALID');
  t.is(await saveBig(904n, 0, 3, new Uint8Array(1000)), 'FILE_PART_SIZE_INVALID'); // not the last, so a full part
  await h.call(d, { _: 'upload.saveBigFilePart', fileId: 904n, filePart: 0, fileTotalParts: 3, bytes: new Uint8Array(KiB) });
  t.is(await saveBig(904n, 1, 4, new Uint8Array(KiB)), 'FILE_PARTS_INVALID');
  t.is(await saveBig(904n, 2, 3, new Uint8Array(2 * KiB)), 'FILE_PART_SIZE_INVALID'); // the last part is no bigger than the others
  t.is(await save(904n, 1, new Uint8Array(KiB)), 'FILE_ID_INVALID'); // one file id, one method
});

test('finishing an upload: FILE_PART_X_MISSING, FILE_PARTS_INVALID, MD5_CHECKSUM_INVALID, FILE_ID_INVALID', async (t) => {
  const h = new Harness();
  const { d } = await signedIn(h);
  const use = (file: tl.InputFile) => h.error(d, { _: 'messages.uploadMedia', peer: { _: 'inputPeerSelf' }, media: docMedia(file) });
  const bytes = randomBytes(3 * 4 * KiB);
  for (const i of [0, 2]) await h.call(d, { _: 'upload.saveFilePart', fileId: 950n, filePart: i, bytes: bytes.subarray(i * 4 * KiB, (i + 1) * 4 * KiB) });
  t.is(await use({ _: 'inputFile', id: 950n, parts: 3, name: 'a', md5Checksum: '' }), 'FILE_PART_1_MISSING');
  t.is(await use({ _: 'inputFile', id: 951n, parts: 1, name: 'a', md5Checksum: '' }), 'FILE_PART_0_MISSING');
  t.is(await use({ _: 'inputFile', id: 950n, parts: 2, name: 'a', md5Checksum: '' }), 'FILE_PARTS_INVALID'); // part 2 is beyond
  t.is(await use({ _: 'inputFile', id: 950n, parts: 0, name: 'a', md5Checksum: '' }), 'FILE_PARTS_INVALID');
  await h.call(d, { _: 'upload.saveFilePart', fileId: 950n, filePart: 1, bytes: bytes.subarray(4 * KiB, 8 * KiB) });
  t.is(await use({ _: 'inputFile', id: 950n, parts: 3, name: 'a', md5Checksum: md5(Buffer.from('other')) }), 'MD5_CHECKSUM_INVALID');
  t.is(await use({ _: 'inputFileBig', id: 950n, parts: 3, name: 'a' }), 'FILE_ID_INVALID');
  const ok = (await h.call(d, { _: 'messages.uploadMedia', peer: { _: 'inputPeerSelf' }, media: docMedia({ _: 'inputFile', id: 950n, parts: 3, name: 'a', md5Checksum: md5(bytes).toUpperCase() }) })) as tl.messageMediaDocument;
  t.is((ok.document as tl.document).size, BigInt(bytes.length));
  // Big: inputFileBig must name the announced count.
  for (let i = 0; i < 2; i++) await h.call(d, { _: 'upload.saveBigFilePart', fileId: 960n, filePart: i, fileTotalParts: 2, bytes: new Uint8Array(KiB) });
  t.is(await use({ _: 'inputFileBig', id: 960n, parts: 3, name: 'b' }), 'FILE_PARTS_INVALID');
  t.is(await use({ _: 'inputFile', id: 960n, parts: 2, name: 'b', md5Checksum: '' }), 'FILE_ID_INVALID');
  // Parts are the uploader's: another account cannot use them.
  const other = await signedIn(h, 2, '31600007009');
  t.is(await h.error(other.d, { _: 'messages.uploadMedia', peer: { _: 'inputPeerSelf' }, media: docMedia({ _: 'inputFileBig', id: 960n, parts: 2, name: 'b' }) }), 'FILE_PART_0_MISSING');
});

test('memory: a total cap with EMULATOR_STORAGE_FULL, and idle uploads dropped', async (t) => {
  const h = new Harness({ fileBytesMax: MiB, uploadIdleSeconds: 60 });
  const { d } = await signedIn(h);
  await h.call(d, { _: 'upload.saveFilePart', fileId: 1n, filePart: 0, bytes: new Uint8Array(512 * KiB) });
  await h.call(d, { _: 'upload.saveFilePart', fileId: 1n, filePart: 1, bytes: new Uint8Array(256 * KiB) });
  t.is(await h.error(d, { _: 'upload.saveFilePart', fileId: 2n, filePart: 0, bytes: new Uint8Array(512 * KiB) }), 'EMULATOR_STORAGE_FULL');
  t.is(h.world.files.uploads.size, 1);
  // Abandoned: after the idle time its parts are gone and the room is back.
  h.clock += 61_000;
  t.true(await h.call(d, { _: 'upload.saveFilePart', fileId: 2n, filePart: 0, bytes: new Uint8Array(512 * KiB) }));
  t.is(h.world.files.uploads.size, 1);
  t.is(await h.error(d, { _: 'messages.uploadMedia', peer: { _: 'inputPeerSelf' }, media: docMedia({ _: 'inputFile', id: 1n, parts: 2, name: 'x', md5Checksum: '' }) }), 'FILE_PART_0_MISSING');
  // Re-saving a part replaces it without charging twice.
  for (let i = 0; i < 5; i++) t.true(await h.call(d, { _: 'upload.saveFilePart', fileId: 2n, filePart: 0, bytes: new Uint8Array(512 * KiB) }));
  const files = h.world.files;
  const used = files.quota.used;
  t.true(used >= 512 * KiB && used < 513 * KiB);
  // Turned into two documents (a retried uploadMedia), the bytes count once and go back when both are forgotten.
  const input: tl.InputFile = { _: 'inputFile', id: 2n, parts: 1, name: 'x', md5Checksum: '' };
  const one = (await h.call(d, { _: 'messages.uploadMedia', peer: { _: 'inputPeerSelf' }, media: docMedia(input) })) as tl.messageMediaDocument;
  const two = (await h.call(d, { _: 'messages.uploadMedia', peer: { _: 'inputPeerSelf' }, media: docMedia(input) })) as tl.messageMediaDocument;
  t.not(one.document!.id, two.document!.id);
  t.is(files.quota.used, used);
  t.true(files.forget(one.document!.id));
  t.is(files.quota.used, used);
  t.is(await h.error(d, getFile(locationOf(one.document as tl.document), 0, 4 * KiB)), 'FILE_ID_INVALID');
  t.true(files.forget(two.document!.id));
  t.is(files.quota.used, 0);
  t.false(files.forget(two.document!.id));
  t.is(await h.error(d, { _: 'messages.uploadMedia', peer: { _: 'inputPeerSelf' }, media: docMedia(input) }), 'FILE_PART_0_MISSING');
  // clear(): every pending upload and file gone, the quota back to zero.
  await h.call(d, { _: 'upload.saveFilePart', fileId: 3n, filePart: 0, bytes: new Uint8Array(100) });
  files.addDocument(new Uint8Array(1000), { dcId: 2 });
  files.clear();
  t.is(files.quota.used, 0);
  t.is(files.uploads.size, 0);
});

test('sendMedia: a document reaches the peer as updateNewMessage, in getHistory, downloadable by the peer', async (t) => {
  const h = new Harness();
  const a = h.device(2);
  const b = h.device(2);
  const alice = await h.login(a, '31600007011', 'Alice');
  const bob = await h.login(b, '31600007022', 'Bob');
  const bytes = randomBytes(1500 * KiB);
  const file = await upload(h, a, bytes, 512 * KiB, { md5: md5(bytes) });
  h.pushes.length = 0;
  const sent = (await h.call(a, { _: 'messages.sendMedia', peer: inputPeerOf(bob), media: docMedia(file, 'report.pdf'), message: 'the report', randomId: 5n })) as tl.updates;
  t.is(sent._, 'updates');
  t.deepEqual(sent.updates.map((u) => u._), ['updateMessageID', 'updateNewMessage']);
  const mine = (sent.updates[1] as tl.updateNewMessage).message as tl.message;
  t.true(mine.out);
  t.is(mine.message, 'the report');
  const doc = (mine.media as tl.messageMediaDocument).document as tl.document;
  t.deepEqual(doc.attributes, [{ _: 'documentAttributeFilename', fileName: 'report.pdf' }]);

  const toBob = h.pushesFor(bob.id);
  t.is(toBob.length, 1);
  const pushed = toBob[0]!.updates as tl.updates;
  t.is(pushed._, 'updates');
  const theirs = (pushed.updates[0] as tl.updateNewMessage).message as tl.message;
  t.falsy(theirs.out);
  t.is((theirs.fromId as tl.peerUser).userId, alice.id);
  t.is(((theirs.media as tl.messageMediaDocument).document as tl.document).id, doc.id);
  t.true(pushed.users.some((u) => u.id === alice.id));
  t.is(h.pushesFor(alice.id)[0]!.origin?.sessionId, a.sessionId);

  const hist = (await h.call(b, { _: 'messages.getHistory', peer: inputPeerOf(alice), offsetId: 0, offsetDate: 0, addOffset: 0, limit: 10, maxId: 0, minId: 0, hash: 0n })) as tl.messages.messages;
  const seen = (hist.messages[0] as tl.message).media as tl.messageMediaDocument;
  const bobDoc = seen.document as tl.document;
  t.is(sha256(await download(h, b, locationOf(bobDoc), bytes.length)), sha256(bytes));

  // The same document again by id, and the errors on the way.
  const again = (await h.call(a, { _: 'messages.sendMedia', peer: inputPeerOf(bob), media: { _: 'inputMediaDocument', id: { _: 'inputDocument', id: doc.id, accessHash: doc.accessHash, fileReference: doc.fileReference } }, message: '', randomId: 6n })) as tl.updates;
  t.is((((again.updates[1] as tl.updateNewMessage).message as tl.message).media as tl.messageMediaDocument).document!.id, doc.id);
  t.is(await h.error(a, { _: 'messages.sendMedia', peer: inputPeerOf(bob), media: docMedia(file), message: 'x'.repeat(1025), randomId: 7n }), 'MEDIA_CAPTION_TOO_LONG');
  t.is(await h.error(a, { _: 'messages.sendMedia', peer: inputPeerOf(bob), media: docMedia(file), message: '', randomId: 5n }), 'RANDOM_ID_DUPLICATE');
  t.is(await h.error(a, { _: 'messages.sendMedia', peer: inputPeerOf(bob), media: { _: 'inputMediaDocument', id: { _: 'inputDocument', id: doc.id, accessHash: 1n, fileReference: doc.fileReference } }, message: '', randomId: 8n }), 'MEDIA_INVALID');
  t.is(await h.error(a, { _: 'messages.sendMedia', peer: inputPeerOf(bob), media: { _: 'inputMediaEmpty' }, message: '', randomId: 9n }), 'MEDIA_INVALID');
});

test('sendMedia: an uploaded photo gets a photoSize of the original (PNG header measured), in a basic group too', async (t) => {
  const h = new Harness();
  const a = h.device(2);
  const b = h.device(2);
  await h.login(a, '31600007031', 'Alice');
  const bob = await h.login(b, '31600007032', 'Bob');
  // A PNG header of a 640×480 image, then bytes the emulator keeps as they are.
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from([0, 0, 2, 128, 0, 0, 1, 224]), randomBytes(3000)]);
  const created = await h.call(a, { _: 'messages.createChat', users: [{ _: 'inputUser', userId: bob.id, accessHash: bob.accessHash! }], title: 'Pics' });
  const chat = (created.updates as tl.updates).chats[0] as tl.chat;
  h.pushes.length = 0;
  const file = await upload(h, a, png);
  const sent = (await h.call(a, { _: 'messages.sendMedia', peer: { _: 'inputPeerChat', chatId: chat.id }, media: { _: 'inputMediaUploadedPhoto', file }, message: '', randomId: 1n })) as tl.updates;
  const photo = (((sent.updates[1] as tl.updateNewMessage).message as tl.message).media as tl.messageMediaPhoto).photo as tl.photo;
  t.deepEqual(photo.sizes, [{ _: 'photoSize', type: 'x', w: 640, h: 480, size: png.length }]);
  t.is(photo.dcId, 2);
  const toBob = h.pushesFor(bob.id)[0]!.updates as tl.updates;
  t.is(((toBob.updates[0] as tl.updateNewMessage).message as tl.message).media!._, 'messageMediaPhoto');
  const loc: tl.inputPhotoFileLocation = { _: 'inputPhotoFileLocation', id: photo.id, accessHash: photo.accessHash, fileReference: photo.fileReference, thumbSize: 'x' };
  const r = (await h.call(b, getFile(loc, 0, 4 * KiB))) as tl.upload.file;
  t.is(r.type._, 'storage.filePng');
  t.deepEqual(Buffer.from(r.bytes), png.subarray(0, 4 * KiB));
  t.is(await h.error(b, getFile({ ...loc, thumbSize: 'y' }, 0, 4 * KiB)), 'LOCATION_INVALID');
});

test('sendMedia in a supergroup: updateNewChannelMessage with the media, and a member finds it in getChannelDifference', async (t) => {
  const h = new Harness();
  const a = h.device(2);
  const b = h.device(2);
  await h.login(a, '31600007041', 'Alice');
  const bob = await h.login(b, '31600007042', 'Bob');
  const created = (await h.call(a, { _: 'channels.createChannel', title: 'Files', about: '', megagroup: true })) as tl.updates;
  const channel = created.chats[0] as tl.channel;
  const inputChannel: tl.inputChannel = { _: 'inputChannel', channelId: channel.id, accessHash: channel.accessHash! };
  await h.call(a, { _: 'channels.inviteToChannel', channel: inputChannel, users: [{ _: 'inputUser', userId: bob.id, accessHash: bob.accessHash! }] });
  h.pushes.length = 0;
  const bytes = randomBytes(3000);
  const file = await upload(h, a, bytes);
  const peer: tl.inputPeerChannel = { _: 'inputPeerChannel', channelId: channel.id, accessHash: channel.accessHash! };
  const sent = (await h.call(a, { _: 'messages.sendMedia', peer, media: docMedia(file, 'notes.txt'), message: 'see attached', randomId: 3n })) as tl.updates;
  t.is(sent.updates[1]!._, 'updateNewChannelMessage');
  const pushed = (h.pushesFor(bob.id)[0]!.updates as tl.updates).updates[0] as tl.updateNewChannelMessage;
  const m = pushed.message as tl.message;
  t.is(m.message, 'see attached');
  const doc = (m.media as tl.messageMediaDocument).document as tl.document;
  t.deepEqual(doc.attributes, [{ _: 'documentAttributeFilename', fileName: 'notes.txt' }]);
  t.deepEqual(await download(h, b, locationOf(doc), bytes.length), bytes);
  const diff = (await h.call(b, { _: 'updates.getChannelDifference', channel: inputChannel, filter: { _: 'channelMessagesFilterEmpty' }, pts: 1, limit: 10 })) as tl.updates.channelDifference;
  t.is(((diff.newMessages.at(-1) as tl.message).media as tl.messageMediaDocument).document!.id, doc.id);
});

test('a document with a thumbnail: document.thumbs names it, getFile serves it by its type; a thumb never uploaded is an error', async (t) => {
  const h = new Harness();
  const { d } = await signedIn(h);
  // A JPEG start-of-frame for 120×80, then bytes kept as they are.
  const jpeg = Buffer.concat([Buffer.from('ffd8ffc0001108005000780301220002110103', 'hex'), randomBytes(2000)]);
  const thumb = await upload(h, d, jpeg);
  const file = await upload(h, d, randomBytes(9000));
  const media = (await h.call(d, { _: 'messages.uploadMedia', peer: { _: 'inputPeerSelf' }, media: { ...docMedia(file), thumb } })) as tl.messageMediaDocument;
  const doc = media.document as tl.document;
  t.deepEqual(doc.thumbs, [{ _: 'photoSize', type: 'm', w: 120, h: 80, size: jpeg.length }]);
  const r = (await h.call(d, getFile({ ...locationOf(doc), thumbSize: 'm' }, 0, 4 * KiB))) as tl.upload.file;
  t.is(r.type._, 'storage.fileJpeg');
  t.deepEqual(Buffer.from(r.bytes), jpeg.subarray(0, 4 * KiB));
  t.is(await h.error(d, getFile({ ...locationOf(doc), thumbSize: 's' }, 0, 4 * KiB)), 'LOCATION_INVALID');
  const missing: tl.InputFile = { _: 'inputFile', id: 999_999n, parts: 1, name: 't.jpg', md5Checksum: '' };
  t.is(await h.error(d, { _: 'messages.uploadMedia', peer: { _: 'inputPeerSelf' }, media: { ...docMedia(file), thumb: missing } }), 'FILE_PART_0_MISSING');
  // Forgetting the document gives back both its bytes and its thumbnail's.
  const before = h.world.files.quota.used;
  h.world.files.forget(doc.id);
  t.is(h.world.files.quota.used, before - 9000 - jpeg.length - 2 * 512);
});
