// TL serialization benchmark: ours vs mtcute (@mtcute/tl + @mtcute/tl-runtime)
// and GramJS (telegram), same content, one run, ratios printed.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { deserializeObject, serializeObject } from '../dist/index.js';
import { fmt, run } from './harness.js';

const require = createRequire(import.meta.url);
const Long = require('long');
const { TlBinaryReader, TlBinaryWriter } = require('@mtcute/tl-runtime');
const { __tlReaderMap } = require('@mtcute/tl/binary/reader.js');
const { __tlWriterMap } = require('@mtcute/tl/binary/writer.js');
const { Api } = require('telegram');
const { BinaryReader } = require('telegram/extensions');
const bigInt = require('big-integer');

// ---- the content: 100 messages (~100 chars, 2 entities, fromId, peerId), 20 users, 5 channels
const TEXT = 'The quick brown fox jumps over the lazy dog, then reads the MTProto spec twice and writes a library.';
const ours = {
  _: 'messages.messages',
  messages: Array.from({ length: 100 }, (_, i) => ({
    _: 'message',
    id: 1000 + i,
    fromId: { _: 'peerUser', userId: BigInt(7000 + (i % 20)) },
    peerId: { _: 'peerChannel', channelId: BigInt(9000 + (i % 5)) },
    date: 1_700_000_000 + i,
    message: TEXT,
    entities: [
      { _: 'messageEntityBold', offset: 4, length: 5 },
      { _: 'messageEntityUrl', offset: 60, length: 7 },
    ],
  })),
  chats: Array.from({ length: 5 }, (_, i) => ({
    _: 'channel',
    id: BigInt(9000 + i),
    accessHash: -123456789012345n * BigInt(i + 1),
    title: `Channel number ${i}`,
    username: `channel_${i}`,
    photo: { _: 'chatPhotoEmpty' },
    date: 1_600_000_000 + i,
    broadcast: true,
  })),
  users: Array.from({ length: 20 }, (_, i) => ({
    _: 'user',
    id: BigInt(7000 + i),
    accessHash: 987654321098765n * BigInt(i + 1),
    firstName: `First${i}`,
    lastName: `Last${i}`,
    username: `user_${i}`,
    phone: `7999000${String(i).padStart(4, '0')}`,
  })),
  topics: [],
};
const small = {
  _: 'updateShortMessage',
  id: 123456,
  userId: 777000n,
  message: 'Hello!',
  pts: 1000,
  ptsCount: 1,
  date: 1_700_000_000,
};

// mtcute (layer 223): the same objects with `long` as Long.
const toMtcute = (v: any): any => {
  if (typeof v === 'bigint') return Long.fromString(v.toString());
  if (Array.isArray(v)) return v.map(toMtcute);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toMtcute(x)]));
  return v;
};
const mtMessages = toMtcute(ours);
const mtSmall = toMtcute(small);

// GramJS (layer 198): its classes, `long` as big-integer.
const gj = {
  messages: new Api.messages.Messages({
    messages: ours.messages.map(
      (m) =>
        new Api.Message({
          id: m.id,
          fromId: new Api.PeerUser({ userId: bigInt(m.fromId.userId.toString()) }),
          peerId: new Api.PeerChannel({ channelId: bigInt(m.peerId.channelId.toString()) }),
          date: m.date,
          message: m.message,
          entities: [new Api.MessageEntityBold({ offset: 4, length: 5 }), new Api.MessageEntityUrl({ offset: 60, length: 7 })],
        } as any),
    ),
    chats: ours.chats.map(
      (c) =>
        new Api.Channel({
          id: bigInt(c.id.toString()),
          accessHash: bigInt(c.accessHash.toString()),
          title: c.title,
          username: c.username,
          photo: new Api.ChatPhotoEmpty(),
          date: c.date,
          broadcast: true,
        } as any),
    ),
    users: ours.users.map(
      (u) =>
        new Api.User({
          id: bigInt(u.id.toString()),
          accessHash: bigInt(u.accessHash.toString()),
          firstName: u.firstName,
          lastName: u.lastName,
          username: u.username,
          phone: u.phone,
        } as any),
    ),
  }),
  small: new Api.UpdateShortMessage({
    id: small.id,
    userId: bigInt(small.userId.toString()),
    message: small.message,
    pts: small.pts,
    ptsCount: small.ptsCount,
    date: small.date,
  } as any),
};

const oursBytes = serializeObject(ours as any);
const oursSmallBytes = serializeObject(small as any);
const mtBytes: Uint8Array = TlBinaryWriter.serializeObject(__tlWriterMap, mtMessages);
const mtSmallBytes: Uint8Array = TlBinaryWriter.serializeObject(__tlWriterMap, mtSmall);
const gjBytes: Buffer = gj.messages.getBytes();
const gjSmallBytes: Buffer = gj.small.getBytes();

console.log(
  `messages.messages: ours ${oursBytes.length} B, mtcute ${mtBytes.length} B, GramJS ${gjBytes.length} B; ` +
    `updateShortMessage: ${oursSmallBytes.length} / ${mtSmallBytes.length} / ${gjSmallBytes.length} B`,
);

const results = run([
  { name: 'ours ser big', fn: () => serializeObject(ours as any) },
  { name: 'mtcute ser big', fn: () => TlBinaryWriter.serializeObject(__tlWriterMap, mtMessages) },
  { name: 'gramjs ser big', fn: () => gj.messages.getBytes() },
  { name: 'ours de big', fn: () => deserializeObject(oursBytes) },
  { name: 'mtcute de big', fn: () => TlBinaryReader.deserializeObject(__tlReaderMap, mtBytes) },
  { name: 'gramjs de big', fn: () => new BinaryReader(gjBytes).tgReadObject() },
  { name: 'ours ser small', fn: () => serializeObject(small as any) },
  { name: 'mtcute ser small', fn: () => TlBinaryWriter.serializeObject(__tlWriterMap, mtSmall) },
  { name: 'gramjs ser small', fn: () => gj.small.getBytes() },
  { name: 'ours de small', fn: () => deserializeObject(oursSmallBytes) },
  { name: 'mtcute de small', fn: () => TlBinaryReader.deserializeObject(__tlReaderMap, mtSmallBytes) },
  { name: 'gramjs de small', fn: () => new BinaryReader(gjSmallBytes).tgReadObject() },
]);

const sizes: Record<string, number> = { big: oursBytes.length, small: oursSmallBytes.length };
console.log('\ncase                      ops/s      MB/s   vs mtcute  vs GramJS');
for (const op of ['ser', 'de']) {
  for (const size of ['big', 'small']) {
    const o = results.get(`ours ${op} ${size}`)!;
    const m = results.get(`mtcute ${op} ${size}`)!;
    const g = results.get(`gramjs ${op} ${size}`)!;
    for (const [who, v] of [['ours', o], ['mtcute', m], ['gramjs', g]] as const) {
      const label = `${who} ${op === 'ser' ? 'serialize' : 'deserialize'} ${size === 'big' ? 'messages.messages' : 'updateShortMessage'}`;
      const ratios = who === 'ours' ? `${(o / m).toFixed(2)}x      ${(o / g).toFixed(1)}x` : '';
      console.log(
        `${label.padEnd(44)} ${fmt(v).padStart(8)} ${((v * sizes[size]!) / 1e6).toFixed(1).padStart(8)}   ${ratios}`,
      );
    }
  }
}

// ---- load time and heap of each layer, each in a fresh process
const probe = (code: string) => {
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], {
    cwd: new URL('..', import.meta.url),
    encoding: 'utf8',
  });
  return JSON.parse(out) as { ms: number; heapMB: number };
};
const measure = (load: string) => `
  import { createRequire } from 'node:module';
  const require = createRequire(process.cwd() + '/');
  // Warm both module loaders first, so the figures are the layer's and not the loader's.
  await import('./bench/fixtures/warm.mjs'); require('./bench/fixtures/warm.cjs');
  globalThis.gc(); const h0 = process.memoryUsage().heapUsed; const t0 = performance.now();
  const keep = await (async () => { ${load} })();
  const ms = performance.now() - t0; globalThis.gc();
  console.log(JSON.stringify({ ms, heapMB: (process.memoryUsage().heapUsed - h0) / 1048576, n: Object.keys(keep).length }));`;
const loads = {
  ours: probe(measure(`return await import('./dist/index.js');`)),
  mtcute: probe(
    measure(`return { r: require('@mtcute/tl/binary/reader.js'), w: require('@mtcute/tl/binary/writer.js'), t: require('@mtcute/tl-runtime') };`),
  ),
  gramjs: probe(measure(`return require('telegram/tl/api.js');`)),
};
console.log('\nlayer load (fresh process)   ms      heap MB');
for (const [who, v] of Object.entries(loads)) {
  console.log(`${who.padEnd(24)} ${v.ms.toFixed(1).padStart(8)} ${v.heapMB.toFixed(1).padStart(10)}`);
}
