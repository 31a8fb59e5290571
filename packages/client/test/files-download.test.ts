// downloadFile against the in-memory host: getFile's offset/limit rules,
// known and unknown sizes, FILE_MIGRATE_X, writing by position into a path,
// resuming an interrupted download, and aborts that leave nothing behind.
import test from 'ava';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { tl } from '@telegram-mt/tl';
import { RpcError } from '../src/errors.js';
import { downloadFile, FileTransferError, guessMimeType, resolveFileLocation, RESUME_SUFFIX, uploadedMedia } from '../src/files/index.js';
import { bytesOf, FakeFileHost, liveTimers, sha256, transient } from './files-fake-host.js';

const KIB = 1024;
const MIB = 1024 * KIB;

test.serial('known sizes: every request keeps to 4 KiB offsets and never crosses 1 MiB', async (t) => {
  for (const size of [1, KIB, 512 * KIB, 512 * KIB + 1, 5 * MIB + 3]) {
    for (const partSize of [undefined, 1024 * KIB, 64 * KIB]) {
      const host = new FakeFileHost();
      const data = bytesOf(size, size);
      const location = host.store(data, 2);
      const got = await downloadFile(host, location, { size, partSize, parallel: 3 });
      t.is(sha256(got), sha256(data), `${size} by ${partSize}`);
      const limit = partSize ?? 512 * KIB;
      t.is(host.calls.length, Math.ceil(size / limit));
      t.true(host.calls.every((c) => c.limit === limit && c.offset! % (4 * KIB) === 0));
    }
  }
  const e = await t.throwsAsync(downloadFile(new FakeFileHost(), new FakeFileHost().store(bytesOf(5), 2), { partSize: 3000 }), { instanceOf: FileTransferError });
  t.is(e!.code, 'PART_SIZE_INVALID');
});

test.serial('unknown size: the end is found by a short part, or an empty one after whole parts', async (t) => {
  for (const size of [7, 512 * KIB, 2 * MIB, 2 * MIB + 100]) {
    const host = new FakeFileHost();
    host.delayMs = 1;
    const data = bytesOf(size, 9);
    const totals = new Set<number>();
    const got = await downloadFile(host, host.store(data, 2), { parallel: 4, onProgress: (_d, total) => totals.add(total) });
    t.is(sha256(got), sha256(data), `${size}`);
    t.true(totals.has(size));
  }
});

test.serial('into: the file lands in the caller\'s buffer, which must hold it', async (t) => {
  const host = new FakeFileHost();
  const data = bytesOf(2 * MIB + 5, 21);
  const location = host.store(data, 2);
  // Known size, a larger buffer used twice: the result is a view of it, from its start.
  const into = new Uint8Array(3 * MIB).fill(0xee);
  for (let round = 0; round < 2; round++) {
    const got = await downloadFile(host, location, { size: data.length, into, parallel: 3 });
    t.is(got.buffer, into.buffer);
    t.is(got.byteOffset, into.byteOffset);
    t.is(got.length, data.length);
    t.is(sha256(got), sha256(data));
    t.true(into.subarray(data.length).every((b) => b === 0xee), 'nothing written past the file');
  }
  // Unknown size: found by the short part, still into the buffer.
  const found = await downloadFile(host, location, { into, parallel: 2 });
  t.is(found.buffer, into.buffer);
  t.is(sha256(found), sha256(data));
  // A buffer shorter than a known size is refused before any call.
  const calls = host.calls.length;
  await t.throwsAsync(downloadFile(host, location, { size: data.length, into: new Uint8Array(MIB) }), { instanceOf: RangeError, message: /into holds 1048576 bytes/ });
  t.is(host.calls.length, calls);
  // Of unknown size, the file runs past it: a typed failure, not a write out of bounds.
  const e = await t.throwsAsync(downloadFile(host, location, { into: new Uint8Array(MIB + 7), parallel: 2 }), { instanceOf: FileTransferError });
  t.is(e!.code, 'FILE_TOO_BIG');
  await t.throwsAsync(downloadFile(host, location, { into: [1, 2] as never }), { instanceOf: TypeError });
  await t.throwsAsync(downloadFile(host, location, { into, to: '/tmp/x' } as never), { instanceOf: TypeError });
});

test.serial('a server that answers wrong sizes is caught', async (t) => {
  const host = new FakeFileHost();
  const location = host.store(bytesOf(1000), 2);
  const e = await t.throwsAsync(downloadFile(host, location, { size: 2000 }), { instanceOf: FileTransferError });
  t.is(e!.code, 'SIZE_MISMATCH');
  const e2 = await t.throwsAsync(downloadFile(host, location, { size: 500 }), { instanceOf: FileTransferError });
  t.is(e2!.code, 'SIZE_MISMATCH');
});

test.serial('FILE_MIGRATE_X: the download moves to the DC the file is on', async (t) => {
  const host = new FakeFileHost();
  const data = bytesOf(3 * MIB, 4);
  const location = host.store(data, 4);
  host.delayMs = 1;
  const got = await downloadFile(host, location, { size: data.length, parallel: 8 });
  t.is(sha256(got), sha256(data));
  const dcs = host.calls.map((c) => c.dcId);
  t.is(dcs[0], 2);
  // The parts in flight together are all redirected; later ones go straight to DC 4.
  t.true(dcs.filter((d) => d === 2).length <= 8);
  t.is(dcs.at(-1), 4);
  // A loop of redirects is cut off.
  const looping = new FakeFileHost();
  looping.faults.push({ method: 'upload.getFile', error: () => new RpcError(303, 'FILE_MIGRATE_3'), times: 100 });
  const e = await t.throwsAsync(downloadFile(looping, looping.store(data, 2), { size: data.length, parallel: 1 }), { instanceOf: FileTransferError });
  t.is(e!.code, 'TOO_MANY_MIGRATIONS');
});

test.serial('transient failures are retried', async (t) => {
  const host = new FakeFileHost();
  const data = bytesOf(3 * MIB, 5);
  host.faults.push({ method: 'upload.getFile', error: transient, when: (r) => (r as tl.upload.getFile).offset === BigInt(MIB), times: 3 });
  host.faults.push({ method: 'upload.getFile', error: () => new RpcError(500, 'RPC_CALL_FAIL'), times: 1 });
  t.is(sha256(await downloadFile(host, host.store(data, 2))), sha256(data));
});

test.serial('locations from documents, photos, media and messages', (t) => {
  const document: tl.document = {
    _: 'document', id: 5n, accessHash: 6n, fileReference: new Uint8Array([9]), date: 0, mimeType: 'x/y', size: 1234n, dcId: 3, attributes: [],
  };
  const fromMessage = resolveFileLocation({ media: { _: 'messageMediaDocument', document } });
  t.deepEqual(fromMessage, { location: { _: 'inputDocumentFileLocation', id: 5n, accessHash: 6n, fileReference: new Uint8Array([9]), thumbSize: '' }, dcId: 3, size: 1234 });
  const photo: tl.photo = {
    _: 'photo', id: 1n, accessHash: 2n, fileReference: new Uint8Array(), date: 0, dcId: 4,
    sizes: [
      { _: 'photoStrippedSize', type: 'i', bytes: new Uint8Array(3) },
      { _: 'photoSize', type: 'm', w: 320, h: 320, size: 9000 },
      { _: 'photoSizeProgressive', type: 'y', w: 1280, h: 1280, sizes: [1000, 40000, 90000] },
    ],
  };
  const p = resolveFileLocation({ _: 'messageMediaPhoto', photo });
  t.is((p.location as tl.inputPhotoFileLocation).thumbSize, 'y');
  t.is(p.size, 90000);
  t.is(p.dcId, 4);
  for (const bad of [{ media: { _: 'messageMediaEmpty' } }, {}, { _: 'documentEmpty', id: 1n }, { _: 'messageMediaGeo' }]) {
    t.is(t.throws(() => resolveFileLocation(bad as never), { instanceOf: FileTransferError })!.code, 'LOCATION_INVALID');
  }
});

test.serial('into a path: positional writes, the result is the byte count', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tgmt-dl-'));
  try {
    const host = new FakeFileHost();
    host.delayMs = 1;
    const data = bytesOf(3 * MIB + 77, 6);
    const path = join(dir, 'out.bin');
    await writeFile(path, bytesOf(10 * MIB)); // an old, longer file is replaced
    const n = await downloadFile(host, host.store(data, 2), { to: path, parallel: 5 });
    t.is(n, data.length);
    t.is(sha256(await readFile(path)), sha256(data));
    t.false(existsSync(path + RESUME_SUFFIX));
    // Unknown size into a path too.
    const n2 = await downloadFile(host, host.store(data, 2), { to: path, size: undefined });
    t.is(n2, data.length);
    t.is((await stat(path)).size, data.length);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.serial('an interrupted download into a path resumes where it stopped', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tgmt-dl-'));
  try {
    for (const known of [true, false]) {
      const host = new FakeFileHost();
      host.delayMs = 2;
      const data = bytesOf(6 * MIB + 5, 8);
      const location = host.store(data, 2);
      const path = join(dir, `r${known}.bin`);
      const ac = new AbortController();
      host.onCall = (n) => n >= 7 && !ac.signal.aborted && ac.abort();
      const size = known ? data.length : undefined;
      const e = await t.throwsAsync(downloadFile(host, location, { to: path, size, signal: ac.signal, parallel: 3 }), { instanceOf: FileTransferError });
      t.is(e!.code, 'ABORTED');
      t.is(host.pending, 0);
      t.true(existsSync(path + RESUME_SUFFIX));
      const doneBefore = host.calls.length;
      host.onCall = undefined;
      const progress: number[] = [];
      await downloadFile(host, location, { to: path, size, parallel: 3, onProgress: (d) => progress.push(d) });
      t.is(sha256(await readFile(path)), sha256(data));
      t.false(existsSync(path + RESUME_SUFFIX));
      const again = host.calls.length - doneBefore;
      // 13 parts in all; the parts finished before the abort are not fetched again.
      t.true(again < 13, `${again} calls after resuming`);
      t.true(progress[0]! > 512 * KIB);
      t.is(progress.at(-1), data.length);
      // A different file into the same path does not reuse the sidecar.
      const other = bytesOf(6 * MIB + 5, 99);
      await downloadFile(host, host.store(other, 2), { to: path });
      t.is(sha256(await readFile(path)), sha256(other));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.serial('an AbortSignal stops a download: nothing pending, no timer left', async (t) => {
  const host = new FakeFileHost();
  host.delayMs = 20;
  const ac = new AbortController();
  host.onCall = (n) => n >= 3 && !ac.signal.aborted && ac.abort();
  const before = liveTimers();
  const data = bytesOf(8 * MIB);
  const e = await t.throwsAsync(downloadFile(host, host.store(data, 2), { size: data.length, signal: ac.signal, parallel: 8 }), { instanceOf: FileTransferError });
  t.is(e!.code, 'ABORTED');
  t.is(host.pending, 0);
  t.is(liveTimers(), before);
});

test.serial('uploadedMedia: photos for JPEG and PNG, documents with their file name otherwise', (t) => {
  const file = { _: 'inputFile', id: 1n, parts: 1, name: 'a.PDF', md5Checksum: '' } as const;
  t.is(guessMimeType('a.PDF'), 'application/pdf');
  t.is(guessMimeType('noext'), 'application/octet-stream');
  t.is(guessMimeType('x.bin', new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), 'image/jpeg');
  t.deepEqual(uploadedMedia(file), {
    _: 'inputMediaUploadedDocument', file, mimeType: 'application/pdf', forceFile: undefined, attributes: [{ _: 'documentAttributeFilename', fileName: 'a.PDF' }],
  });
  t.is(uploadedMedia({ ...file, name: 'p.jpg' })._, 'inputMediaUploadedPhoto');
  t.is(uploadedMedia({ ...file, name: 'p.jpg' }, { forceDocument: true })._, 'inputMediaUploadedDocument');
});
