import test from 'ava';
import { exportSession, importSession, MemoryStorage, SessionStringError, type Storage } from '../src/storage/index.js';
import { makeAuthKey, storageConformance } from './support/storage-conformance.js';
import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';

// The string session as a backend: "reopening" is exporting everything and importing it.
storageConformance('string session', async () => {
  let current: Storage = new MemoryStorage();
  return {
    storage: current,
    reopen: async () => {
      current = importSession(await exportSession(current, { peers: true, tempKeys: true }));
      return current;
    },
  };
});

async function sample(): Promise<MemoryStorage> {
  const s = new MemoryStorage();
  await s.session.setHomeDc({ dcId: 2 });
  await s.authKeys.set(2, makeAuthKey());
  await s.authKeys.set(2, makeAuthKey({ expiresAt: 1 }), 'temp');
  await s.updates.set({ pts: 1, qts: 0, date: 2, seq: 3, channels: { '9': 4 } });
  await s.peers.save({ type: 'user', id: 5n, accessHash: 6n, usernames: ['five'], min: false });
  return s;
}

test('by default the string carries the login and updates state, not peers or temp keys', async (t) => {
  const s = await sample();
  const text = await exportSession(s);
  t.regex(text, /^[A-Za-z0-9_-]+$/);
  const back = importSession(text);
  t.deepEqual(await back.authKeys.get(2), await s.authKeys.get(2));
  t.deepEqual(await back.session.getHomeDc(), { dcId: 2 });
  t.deepEqual(await back.updates.get(), await s.updates.get());
  t.is(await back.authKeys.get(2, 'temp'), undefined);
  t.is(await back.peers.resolve('five'), undefined);
  t.log(`session string: ${text.length} characters`);
  t.true(text.length < 700);
});

function withChecksum(version: number, json: Buffer): string {
  const body = deflateRawSync(json);
  const head = Buffer.from([version]);
  const sum = createHash('sha256').update(head).update(body).digest().subarray(0, 4);
  return Buffer.concat([head, body, sum]).toString('base64url');
}

test('a bad string is a typed error saying why', async (t) => {
  const good = await exportSession(await sample());
  const code = (s: string) => t.throws(() => importSession(s), { instanceOf: SessionStringError })?.code;
  t.is(code(''), 'BAD_ENCODING');
  t.is(code('abc$def'), 'BAD_ENCODING');
  t.is(code(good + '='), 'BAD_ENCODING');
  t.is(code(Buffer.from(good, 'base64url').subarray(0, -3).toString('base64url')), 'BAD_CHECKSUM');
  // Cut anywhere, a string is refused, as non-canonical or by its checksum.
  for (let cut = 1; cut < 8; cut++) t.true(['BAD_ENCODING', 'BAD_CHECKSUM'].includes(code(good.slice(0, -cut))!));
  const flipped = good.slice(0, 40) + (good[40] === 'A' ? 'B' : 'A') + good.slice(41);
  t.is(code(flipped), 'BAD_CHECKSUM');
  t.is(code(withChecksum(2, Buffer.from('{}'))), 'UNSUPPORTED_VERSION');
  t.is(code(withChecksum(1, Buffer.from('{"a":'))), 'BAD_PAYLOAD');
  t.is(code(withChecksum(1, Buffer.from('[1]'))), 'BAD_PAYLOAD');
  t.is(code(withChecksum(1, Buffer.from('{"k":{"$x":1}}'))), 'BAD_PAYLOAD');
  // Not deflate data at all, but with a right checksum.
  const raw = Buffer.from([1, 0xff, 0xff, 0xff]);
  t.is(code(Buffer.concat([raw, createHash('sha256').update(raw).digest().subarray(0, 4)]).toString('base64url')), 'BAD_PAYLOAD');
  // A bomb: 64 MiB of zeros deflates to ~64 KiB; inflating stops at the bound.
  t.is(code(withChecksum(1, Buffer.alloc(64 * 1024 * 1024, 0x20))), 'BAD_PAYLOAD');
  t.is(code('A'.repeat(9 * 1024 * 1024)), 'TOO_LONG');
  t.is(code(null as never), 'BAD_ENCODING');
  // Surrounding whitespace (a pasted line) is fine.
  t.truthy(importSession(`  ${good}\n`));
});

test('fuzz: random strings and mutations give only SessionStringError', async (t) => {
  const good = await exportSession(await sample());
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
  for (let i = 0; i < 2000; i++) {
    let s: string;
    if (i % 2 === 0) {
      s = Array.from({ length: Math.floor(next() * 80) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    } else {
      const at = Math.floor(next() * good.length);
      s = good.slice(0, at) + alphabet[Math.floor(next() * alphabet.length)] + good.slice(at + 1);
      if (s === good) continue;
    }
    try {
      importSession(s);
      t.fail(`accepted ${s}`);
    } catch (e) {
      if (!(e instanceof SessionStringError)) t.fail(`${s}: ${String(e)}`);
    }
  }
  t.pass();
});
