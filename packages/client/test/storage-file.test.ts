import test from 'ava';
import { mkdtemp, readFile, readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStorage, StorageCorruptError, StorageError, type Storage } from '../src/storage/index.js';
import { makeAuthKey, storageConformance } from './support/storage-conformance.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tgmt-storage-'));
}

storageConformance('FileStorage', async () => {
  const dir = await tempDir();
  const path = join(dir, 'session.json');
  let current: Storage = new FileStorage(path, { flushDelayMs: 5 });
  return {
    storage: current,
    reopen: async () => {
      await current.close();
      current = await new FileStorage(path, { flushDelayMs: 5 }).load();
      return current;
    },
    cleanup: async () => {
      await current.close().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
});

test('the file is mode 0600 JSON with bigints and bytes encoded, and no temp files stay', async (t) => {
  const dir = await tempDir();
  const path = join(dir, 's.json');
  const s = new FileStorage(path, { flushDelayMs: 0 });
  const key = makeAuthKey();
  await s.authKeys.set(2, key);
  await s.close();
  t.is((await stat(path)).mode & 0o777, 0o600);
  const doc = JSON.parse(await readFile(path, 'utf8'));
  t.is(doc.format, 'telegram-mt-storage');
  t.is(doc.version, 1);
  t.deepEqual(doc.records['auth-key:2:perm'].authKeyId, { $n: key.authKeyId.toString() });
  t.is(doc.records['auth-key:2:perm'].authKey.$b, Buffer.from(key.authKey).toString('base64'));
  t.deepEqual(await readdir(dir), ['s.json']);
  await rm(dir, { recursive: true });
});

test('writes are coalesced: a burst costs one write, and none waits longer than the delay', async (t) => {
  const dir = await tempDir();
  const path = join(dir, 's.json');
  const s = new FileStorage(path, { flushDelayMs: 30 });
  for (let i = 0; i < 1000; i++) await s.updates.setChannelPts(BigInt(i + 1), i);
  t.is(s.driver.stats.writes, 0);
  // Without any flush, the burst lands on disk within the delay (waited for generously, bounded).
  for (let i = 0; i < 100 && s.driver.stats.writes === 0; i++) await new Promise((r) => setTimeout(r, 10));
  t.is(s.driver.stats.writes, 1);
  const doc = JSON.parse(await readFile(path, 'utf8'));
  t.is(Object.keys(doc.records).length, 1000);
  await s.flush();
  t.is(s.driver.stats.writes, 1, 'nothing new, nothing written');
  await s.session.setHomeDc({ dcId: 3 });
  await s.flush();
  t.is(s.driver.stats.writes, 2, 'flush writes at once');
  await s.close();
  await rm(dir, { recursive: true });
});

test('a corrupt file is an error naming the file, and is left alone', async (t) => {
  const dir = await tempDir();
  const cases: [string, RegExp][] = [
    ['{"format":"telegram-mt-storage","version":1,"records":{"a":', /not JSON/],
    ['{"hello":1}', /not a telegram-mt-storage file/],
    ['{"format":"telegram-mt-storage","version":9,"records":{}}', /version 9/],
    ['{"format":"telegram-mt-storage","version":1,"records":{"k":{"$n":"1x"}}}', /bad bigint/],
    ['{"format":"telegram-mt-storage","version":1,"records":[]}', /records is not an object/],
  ];
  for (const [i, [content, reason]] of cases.entries()) {
    const path = join(dir, `bad${i}.json`);
    await writeFile(path, content);
    const s = new FileStorage(path);
    const e = await t.throwsAsync(() => s.load(), { instanceOf: StorageCorruptError });
    t.is(e?.path, path);
    t.regex(e!.message, reason);
    t.true(e!.message.includes(path));
    // Reads fail the same way instead of pretending the storage is empty.
    await t.throwsAsync(() => s.session.getHomeDc(), { instanceOf: StorageCorruptError });
    await s.close();
    t.is(await readFile(path, 'utf8'), content);
  }
  await rm(dir, { recursive: true });
});

test('a record of the wrong shape is a typed error, not garbage', async (t) => {
  const dir = await tempDir();
  const path = join(dir, 's.json');
  await writeFile(path, JSON.stringify({ format: 'telegram-mt-storage', version: 1, records: { 'home-dc': { dcId: 'two' }, 'auth-key:2:perm': { authKey: { $b: 'AAAA' } } } }));
  const s = new FileStorage(path);
  t.is((await t.throwsAsync(() => s.session.getHomeDc(), { instanceOf: StorageError }))?.code, 'BAD_RECORD');
  t.is((await t.throwsAsync(() => s.authKeys.get(2), { instanceOf: StorageError }))?.code, 'BAD_RECORD');
  await s.close();
  await rm(dir, { recursive: true });
});

test('one file, one storage per process; reopened after close', async (t) => {
  const dir = await tempDir();
  const path = join(dir, 's.json');
  const a = await new FileStorage(path).load();
  const b = new FileStorage(join(dir, '.', 's.json'));
  t.is((await t.throwsAsync(() => b.load(), { instanceOf: StorageError }))?.code, 'IN_USE');
  await a.session.setHomeDc({ dcId: 2 });
  await a.close();
  t.deepEqual(await b.session.getHomeDc(), { dcId: 2 });
  await b.close();
  await rm(dir, { recursive: true });
});

test('a failed write is reported by flush and retried', async (t) => {
  const dir = await tempDir();
  const path = join(dir, 'missing', 's.json');
  const s = new FileStorage(path, { flushDelayMs: 0 });
  await s.session.setHomeDc({ dcId: 2 });
  const e = await t.throwsAsync(() => s.flush(), { instanceOf: StorageError });
  t.is(e?.code, 'IO');
  t.true(e!.message.includes(path));
  await mkdir(join(dir, 'missing'));
  await s.flush();
  t.is(JSON.parse(await readFile(path, 'utf8')).records['home-dc'].dcId, 2);
  await s.close();
  await rm(dir, { recursive: true });
});

test('stale temp files from a crash do not matter', async (t) => {
  const dir = await tempDir();
  const path = join(dir, 's.json');
  const a = new FileStorage(path, { flushDelayMs: 0 });
  await a.session.setHomeDc({ dcId: 4 });
  await a.close();
  await writeFile(join(dir, '.s.json.1.abcdef.tmp'), '{"half');
  const b = await new FileStorage(path).load();
  t.deepEqual(await b.session.getHomeDc(), { dcId: 4 });
  await b.close();
  await rm(dir, { recursive: true });
});

test('many file storages in one process stay apart', async (t) => {
  const dir = await tempDir();
  const storages = Array.from({ length: 50 }, (_, i) => new FileStorage(join(dir, `c${i}.json`), { flushDelayMs: 5 }));
  await Promise.all(storages.map((s, i) => s.session.setSelf({ userId: BigInt(1000 + i), isBot: false })));
  await Promise.all(storages.map((s) => s.close()));
  const again = storages.map((s) => new FileStorage(s.path));
  const selves = await Promise.all(again.map((s) => s.session.getSelf()));
  t.deepEqual(selves.map((x) => x!.userId), storages.map((_, i) => BigInt(1000 + i)));
  await Promise.all(again.map((s) => s.close()));
  await rm(dir, { recursive: true });
});

test('a storage whose file was corrupt does not hold it: a new one opens the repaired file', async (t) => {
  const dir = await tempDir();
  const path = join(dir, 's.json');
  await writeFile(path, 'garbage');
  const a = new FileStorage(path);
  await t.throwsAsync(() => a.load(), { instanceOf: StorageCorruptError });
  await writeFile(path, JSON.stringify({ format: 'telegram-mt-storage', version: 1, records: { 'home-dc': { dcId: 3 } } }));
  const b = new FileStorage(path);
  t.deepEqual(await b.session.getHomeDc(), { dcId: 3 });
  await b.close();
  await a.close();
  await rm(dir, { recursive: true });
});

test('fuzz: a damaged file loads or is StorageCorruptError; its records read or are BAD_RECORD', async (t) => {
  const dir = await tempDir();
  const path = join(dir, 's.json');
  const s = new FileStorage(path, { flushDelayMs: 0 });
  await s.session.setHomeDc({ dcId: 2, host: '127.0.0.1', port: 443 });
  await s.session.setSelf({ userId: 5n, isBot: false });
  await s.authKeys.set(2, makeAuthKey());
  await s.updates.set({ pts: 1, qts: 2, date: 3, seq: 4, channels: { '7': 8 } });
  await s.peers.save({ type: 'user', id: 9n, accessHash: 10n, usernames: ['nine'], phone: '123', min: false });
  await s.close();
  const good = await readFile(path, 'utf8');
  let seed = 99;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
  const junk = ['"', '{', '}', '[', ']', ',', ':', '1', '-', 'null', 'true', '"$n"', '"$b"', '"x"', '9999999999999999999999'];
  let loaded = 0;
  for (let i = 0; i < 400; i++) {
    // Replace a short span with junk: mostly invalid JSON, sometimes valid JSON with wrong shapes.
    const at = Math.floor(next() * good.length);
    const len = Math.floor(next() * 6);
    const damaged = good.slice(0, at) + junk[Math.floor(next() * junk.length)] + good.slice(at + len);
    await writeFile(path, damaged);
    const d = new FileStorage(path);
    try {
      await d.load();
      loaded++;
    } catch (e) {
      t.true(e instanceof StorageCorruptError, String(e));
      await d.close();
      continue;
    }
    for (const read of [() => d.session.getHomeDc(), () => d.session.getSelf(), () => d.authKeys.list(), () => d.updates.get(), () => d.peers.resolve('nine'), () => d.peers.resolve('+123')]) {
      try {
        await read();
      } catch (e) {
        t.true(e instanceof StorageError && e.code === 'BAD_RECORD', String(e));
      }
    }
    await d.close();
  }
  t.true(loaded > 20, `loaded ${loaded}`);
  await rm(dir, { recursive: true });
});
