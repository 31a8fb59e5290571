// TL serialization benchmark: ours vs mtcute (@mtcute/tl + @mtcute/tl-runtime)
// and GramJS (telegram), same content, one run, ratios printed.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { deserializeObject, serializeObject } from '../dist/index.js';
import { fmt, run } from './harness.js';
import { messages, small, toMtcute } from './fixtures/content.mjs';

const require = createRequire(import.meta.url);
const Long = require('long');
const { TlBinaryReader, TlBinaryWriter } = require('@mtcute/tl-runtime');
const { __tlReaderMap } = require('@mtcute/tl/binary/reader.js');
const { __tlWriterMap } = require('@mtcute/tl/binary/writer.js');
const { Api } = require('telegram');
const { BinaryReader } = require('telegram/extensions');
const bigInt = require('big-integer');

// ---- the content (bench/fixtures/content.mjs): 100 messages (~100 chars, 2 entities, fromId, peerId), 20 users, 5 channels
const ours = messages;

// mtcute (layer 223): the same objects with `long` as Long.
const mtMessages = toMtcute(ours, Long);
const mtSmall = toMtcute(small, Long);

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

// ---- load time and heap of each layer, each in a fresh process. Our layer generates a reader or
// writer on its first use, so the heap is also measured after one serialize + deserialize of
// both objects (mtcute's functions are compiled on first call by V8 too).
const probe = (code: string) => {
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', code], {
    cwd: new URL('..', import.meta.url),
    encoding: 'utf8',
  });
  return JSON.parse(out) as { ms: number; heapMB: number; usedMB?: number };
};
const measure = (load: string, use?: string) => `
  import { createRequire } from 'node:module';
  const require = createRequire(process.cwd() + '/');
  // Warm both module loaders first, so the figures are the layer's and not the loader's.
  await import('./bench/fixtures/warm.mjs'); require('./bench/fixtures/warm.cjs');
  const content = await import('./bench/fixtures/content.mjs');
  globalThis.gc(); const h0 = process.memoryUsage().heapUsed; const t0 = performance.now();
  const keep = await (async () => { ${load} })();
  const ms = performance.now() - t0; globalThis.gc();
  const heapMB = (process.memoryUsage().heapUsed - h0) / 1048576;
  let usedMB;
  ${use ? `{ ${use} } globalThis.gc(); usedMB = (process.memoryUsage().heapUsed - h0) / 1048576;` : ''}
  console.log(JSON.stringify({ ms, heapMB, usedMB, n: Object.keys(keep).length }));`;
const codes = {
  ours: measure(
    `return await import('./dist/index.js');`,
    `for (const o of [content.messages, content.small]) keep.deserializeObject(keep.serializeObject(o));`,
  ),
  mtcute: measure(
    `return { r: require('@mtcute/tl/binary/reader.js'), w: require('@mtcute/tl/binary/writer.js'), t: require('@mtcute/tl-runtime') };`,
    `const Long = require('long');
     for (const o of [content.messages, content.small]) {
       const bytes = keep.t.TlBinaryWriter.serializeObject(keep.w.__tlWriterMap, content.toMtcute(o, Long));
       keep.t.TlBinaryReader.deserializeObject(keep.r.__tlReaderMap, bytes);
     }`,
  ),
  gramjs: measure(`return require('telegram/tl/api.js');`),
};
// Three fresh processes each, taken in turns; the median of each figure (load time is wall clock).
const PROBES = 3;
const samples = Object.fromEntries(Object.keys(codes).map((k) => [k, [] as ReturnType<typeof probe>[]]));
for (let i = 0; i < PROBES; i++) for (const [who, code] of Object.entries(codes)) samples[who]!.push(probe(code));
const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
const loads = Object.fromEntries(
  Object.entries(samples).map(([who, list]) => [
    who,
    {
      ms: median(list.map((v) => v.ms)),
      heapMB: median(list.map((v) => v.heapMB)),
      usedMB: list[0]!.usedMB === undefined ? undefined : median(list.map((v) => v.usedMB!)),
    },
  ]),
);
console.log(`\nlayer load: fresh processes, median of ${PROBES}; heap after import, and after one serialize + deserialize`);
console.log(`${''.padEnd(24)} ${'ms'.padStart(8)} ${'heap MB'.padStart(10)} ${'after use'.padStart(12)}`);
for (const [who, v] of Object.entries(loads)) {
  const used = v.usedMB === undefined ? '-' : v.usedMB.toFixed(2);
  console.log(`${who.padEnd(24)} ${v.ms.toFixed(1).padStart(8)} ${v.heapMB.toFixed(2).padStart(10)} ${used.padStart(12)}`);
}
const o = loads.ours!;
const m = loads.mtcute!;
console.log(
  `ours / mtcute: load time ${(o.ms / m.ms).toFixed(2)}x, heap ${(o.heapMB / m.heapMB).toFixed(2)}x, ` +
    `heap after first use ${(o.usedMB! / m.usedMB!).toFixed(2)}x (lower is better)`,
);
