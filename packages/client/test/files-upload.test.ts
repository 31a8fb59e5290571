// uploadFile against the in-memory host: sizes at every boundary, every kind
// of source, parts spread over lanes, retries, aborts that leave nothing behind.
import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { RpcError } from '../src/errors.js';
import { FileTransferError, uploadFile, uploadPartSize, BIG_FILE_THRESHOLD } from '../src/files/index.js';
import { bytesOf, FakeFileHost, liveTimers, sha256, transient } from './files-fake-host.js';

const KIB = 1024;
const MIB = 1024 * KIB;

test.serial('part sizes follow Telegram’s rules and the size', (t) => {
  t.is(uploadPartSize(1), 32 * KIB);
  t.is(uploadPartSize(256 * KIB), 32 * KIB);
  t.is(uploadPartSize(256 * KIB + 1), 64 * KIB);
  t.is(uploadPartSize(4 * MIB), 512 * KIB);
  t.is(uploadPartSize(BIG_FILE_THRESHOLD + 1), 512 * KIB);
  t.is(uploadPartSize(undefined), 512 * KIB);
  t.is(uploadPartSize(100, 1024), 1024);
  for (const bad of [0, 1000, 3 * KIB, 1024 * KIB, 1.5]) {
    t.is(t.throws(() => uploadPartSize(100, bad), { instanceOf: FileTransferError })!.code, 'PART_SIZE_INVALID');
  }
});

for (const [label, size] of [
  ['1 byte', 1],
  ['1 KiB', KIB],
  ['exactly one part (32 KiB)', 32 * KIB],
  ['one byte over one part', 32 * KIB + 1],
  ['10 MiB, the largest small file', BIG_FILE_THRESHOLD],
  ['10 MiB + 1, the smallest big file', BIG_FILE_THRESHOLD + 1],
] as const) {
  test.serial(`a buffer of ${label} round-trips`, async (t) => {
    const host = new FakeFileHost();
    const data = bytesOf(size, size);
    const progress: number[] = [];
    const file = await uploadFile(host, data, { fileName: 'a.bin', onProgress: (done, total) => (t.is(total, size), progress.push(done)) });
    t.is(file._, size > BIG_FILE_THRESHOLD ? 'inputFileBig' : 'inputFile');
    t.is(file.name, 'a.bin');
    t.is(file.parts, Math.ceil(size / uploadPartSize(size)));
    if (file._ === 'inputFile') t.regex(file.md5Checksum, /^[0-9a-f]{32}$/);
    t.is(sha256(host.commit(file).bytes), sha256(data));
    t.is(progress.at(-1), size);
    t.is(host.pending, 0);
  });
}

test.serial('an empty file is refused before any call', async (t) => {
  const host = new FakeFileHost();
  const e = await t.throwsAsync(uploadFile(host, new Uint8Array(0)), { instanceOf: FileTransferError });
  t.is(e!.code, 'EMPTY_FILE');
  t.is(host.calls.length, 0);
});

test.serial('parts go in flight together, no more than `parallel`, spread over the lanes', async (t) => {
  const host = new FakeFileHost();
  host.delayMs = 2;
  const data = bytesOf(12 * MIB);
  const file = await uploadFile(host, data, { parallel: 6 });
  t.is(host.maxInFlight, 6);
  t.deepEqual(new Set(host.calls.map((c) => c.lane)), new Set([0, 1, 2]));
  t.true(host.calls.every((c) => c.dcId === 2 && c.method === 'upload.saveBigFilePart'));
  t.is(sha256(host.commit(file).bytes), sha256(data));
});

test.serial('a file path: small ones whole with MD5, big ones read by position', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tgmt-files-'));
  try {
    for (const size of [5000, 11 * MIB + 123]) {
      const host = new FakeFileHost();
      const data = bytesOf(size, 7);
      const path = join(dir, `f${size}.bin`);
      await writeFile(path, data);
      const file = await uploadFile(host, path, { parallel: 3 });
      t.is(file.name, `f${size}.bin`);
      t.is(sha256(host.commit(file).bytes), sha256(data));
    }
    const missing = await t.throwsAsync(uploadFile(new FakeFileHost(), join(dir, 'nope')), { instanceOf: FileTransferError });
    t.is(missing!.code, 'IO');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** A Readable giving `data` in chunks of odd sizes. */
function chunked(data: Uint8Array, chunk = 70_001): Readable {
  let at = 0;
  return new Readable({
    read() {
      if (at >= data.length) return this.push(null);
      this.push(Buffer.from(data.subarray(at, (at += chunk))));
    },
  });
}

test.serial('streams: known and unknown size, small and big', async (t) => {
  for (const [size, announce] of [
    [3 * MIB, true],
    [3 * MIB, false],
    [BIG_FILE_THRESHOLD, false],
    [12 * MIB + 5, true],
    [12 * MIB + 5, false],
  ] as const) {
    const host = new FakeFileHost();
    const data = bytesOf(size, 3);
    const totals = new Set<number>();
    const file = await uploadFile(host, chunked(data), { size: announce ? size : undefined, onProgress: (_d, total) => totals.add(total) });
    t.is(file._, size > BIG_FILE_THRESHOLD ? 'inputFileBig' : 'inputFile', `${size} ${announce}`);
    t.is(sha256(host.commit(file).bytes), sha256(data));
    if (size > BIG_FILE_THRESHOLD && !announce) {
      // Unknown size: -1 as the part count until the last part, which says the count.
      const big = host.calls.filter((c) => c.method === 'upload.saveBigFilePart');
      t.is(big.length, file.parts);
      t.deepEqual([...totals], [-1]);
    } else {
      t.deepEqual([...totals], [size]);
    }
  }
});

test.serial('a stream that does not give the announced size fails clearly', async (t) => {
  for (const [given, announced] of [
    [1000, 2000],
    [3000, 2000],
    [12 * MIB, 11 * MIB],
    [11 * MIB, 12 * MIB],
  ]) {
    const host = new FakeFileHost();
    const e = await t.throwsAsync(uploadFile(host, chunked(bytesOf(given!)), { size: announced }), { instanceOf: FileTransferError });
    t.is(e!.code, 'SIZE_MISMATCH', `${given} for ${announced}`);
    t.is(host.pending, 0);
  }
});

test.serial('a part that fails on the link is sent again; one that keeps failing stops the transfer', async (t) => {
  const host = new FakeFileHost();
  const data = bytesOf(2 * MIB);
  host.faults.push({ method: 'upload.saveFilePart', error: transient, when: (r) => (r as { filePart: number }).filePart === 3, times: 2 });
  host.faults.push({ method: 'upload.saveFilePart', error: () => new RpcError(420, 'FLOOD_WAIT_0'), times: 1 });
  const file = await uploadFile(host, data);
  t.is(sha256(host.commit(file).bytes), sha256(data));

  const failing = new FakeFileHost();
  failing.faults.push({ method: 'upload.saveFilePart', error: transient, when: (r) => (r as { filePart: number }).filePart === 1, times: 100 });
  const e = await t.throwsAsync(uploadFile(failing, data, { retries: 2 }), { instanceOf: FileTransferError });
  t.is(e!.code, 'RETRIES_EXHAUSTED');
  t.true(e!.cause instanceof Error);
  t.is(failing.pending, 0);
});

test.serial('an rpc_error that retrying cannot fix passes through, and the other parts stop', async (t) => {
  const host = new FakeFileHost();
  host.delayMs = 5;
  host.faults.push({ method: 'upload.saveBigFilePart', error: () => new RpcError(400, 'FILE_PART_SIZE_INVALID'), when: (r) => (r as { filePart: number }).filePart === 2, times: 1 });
  const before = liveTimers();
  const e = await t.throwsAsync(uploadFile(host, bytesOf(20 * MIB), { parallel: 4 }), { instanceOf: RpcError });
  t.is(e!.text, 'FILE_PART_SIZE_INVALID');
  t.is(host.pending, 0);
  t.true(host.calls.length < 40, `${host.calls.length} calls`);
  t.is(liveTimers(), before);
});

test.serial('an AbortSignal stops the upload: nothing pending, no timer left', async (t) => {
  const host = new FakeFileHost();
  host.delayMs = 20;
  const ac = new AbortController();
  host.onCall = (n) => n >= 6 && !ac.signal.aborted && ac.abort(new Error('user gave up'));
  const before = liveTimers();
  const e = await t.throwsAsync(uploadFile(host, chunked(bytesOf(30 * MIB)), { signal: ac.signal }), { instanceOf: FileTransferError });
  t.is(e!.code, 'ABORTED');
  t.is((e!.cause as Error).message, 'user gave up');
  t.is(host.pending, 0);
  t.is(liveTimers(), before);
  // Aborted before it starts: no call at all.
  const early = new FakeFileHost();
  const e2 = await t.throwsAsync(uploadFile(early, bytesOf(10), { signal: AbortSignal.abort() }), { instanceOf: FileTransferError });
  t.is(e2!.code, 'ABORTED');
  t.is(early.calls.length, 0);
});

test.serial('a retry pause is cut short by an abort', async (t) => {
  const host = new FakeFileHost();
  host.faults.push({ method: 'upload.saveFilePart', error: () => new RpcError(420, 'FLOOD_WAIT_30'), times: 100 });
  const ac = new AbortController();
  const before = liveTimers();
  const t0 = Date.now();
  setTimeout(() => ac.abort(), 50);
  const e = await t.throwsAsync(uploadFile(host, bytesOf(100), { signal: ac.signal }), { instanceOf: FileTransferError });
  t.is(e!.code, 'ABORTED');
  t.true(Date.now() - t0 < 5000);
  t.is(liveTimers(), before);
  // A FLOOD_WAIT longer than the threshold is passed on.
  const e2 = await t.throwsAsync(uploadFile(host, bytesOf(100), { floodSleepThreshold: 10 }), { instanceOf: RpcError });
  t.is(e2!.seconds, 30);
});

test.serial('a stream that stalls does not hold an aborted upload', async (t) => {
  for (const before of [1000, 11 * MIB]) {
    // Gives `before` bytes, then nothing ever again (and never ends).
    let given = 0;
    const stalled = new Readable({
      read() {
        if (given < before) {
          const n = Math.min(64 * KIB, before - given);
          given += n;
          this.push(Buffer.alloc(n, 7));
        }
      },
    });
    const host = new FakeFileHost();
    const timers = liveTimers();
    const ac = new AbortController();
    // (AbortSignal.timeout's timer does not keep the process alive: a plain one does.)
    setTimeout(() => ac.abort(), 100);
    const e = await t.throwsAsync(uploadFile(host, stalled, { signal: ac.signal }), { instanceOf: FileTransferError });
    t.is(e!.code, 'ABORTED', `after ${before} bytes`);
    t.is(host.pending, 0);
    t.true(stalled.destroyed);
    t.is(liveTimers(), timers);
  }
});
