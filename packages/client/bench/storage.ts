// Storage hot paths, measured as built (dist; build first). Each figure sits
// next to a reference from the same run, so the ratios are what to read:
//   - saving the 20 users + 5 channels that come with an answer, memory vs file
//     (file = the same plus coalesced atomic writes in the background);
//   - one channel pts update, memory vs file;
//   - one whole-file write with 10 000 peers, vs JSON.stringify + writeFile of
//     the same records without temp file, fsync or rename.
// Run: npx tsx bench/storage.ts
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { tl } from '@telegram-mt/tl';
import { FileStorage, MemoryStorage, type Storage } from '../dist/storage/index.js';

const dir = await mkdtemp(join(tmpdir(), 'tgmt-bench-storage-'));
const users = (base: number): tl.User[] =>
  Array.from({ length: 20 }, (_, i) => ({ _: 'user', id: BigInt(base + i + 1), accessHash: BigInt(base * 31 + i), username: `user_${base + i}`, phone: `7900${base + i}` }) as tl.user);
const chats = (base: number): tl.Chat[] =>
  Array.from({ length: 5 }, (_, i) => ({ _: 'channel', id: BigInt(base + i + 1), accessHash: BigInt(base + i), username: `chan_${base + i}` }) as tl.channel);

async function rate(label: string, ms: number, op: (i: number) => Promise<void>): Promise<number> {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) {
    await op(n++);
    // Let timers run now and then, as a client waiting on its socket does; else coalesced writes never start.
    if (n % 50 === 0) await new Promise((r) => setImmediate(r));
  }
  const r = (n * 1000) / ms;
  return r;
}

async function saves(s: Storage, ms: number): Promise<number> {
  return rate('save', ms, (i) => s.peers.saveFromTl(users((i % 500) * 100), chats((i % 500) * 100 + 50)));
}
async function pts(s: Storage, ms: number): Promise<number> {
  return rate('pts', ms, (i) => s.updates.setChannelPts(BigInt((i % 1000) + 1), i));
}

const mem = new MemoryStorage();
const file = new FileStorage(join(dir, 'bench.json'), { flushDelayMs: 100 });
await saves(mem, 200);
await saves(file, 200);
const rows: [string, number, number][] = [];
const r1: number[] = [], r2: number[] = [], r3: number[] = [], r4: number[] = [];
for (let round = 0; round < 3; round++) {
  r1.push(await saves(mem, 400));
  r2.push(await saves(file, 400));
  r3.push(await pts(mem, 300));
  r4.push(await pts(file, 300));
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
rows.push(['save 20 users + 5 channels, memory', med(r1), med(r1)]);
rows.push(['save 20 users + 5 channels, file', med(r2), med(r1)]);
rows.push(['setChannelPts, memory', med(r3), med(r3)]);
rows.push(['setChannelPts, file', med(r4), med(r3)]);
await file.flush();
const writesBefore = file.driver.stats.writes;

// A 10 000-peer file: one forced write vs the bare serialization and write.
const big = new FileStorage(join(dir, 'big.json'), { flushDelayMs: 60_000 });
for (let i = 0; i < 400; i++) await big.peers.saveFromTl(users(1_000_000 + i * 100), chats(2_000_000 + i * 100));
const t: number[] = [], bare: number[] = [];
const records = await big.driver.entries('');
for (let round = 0; round < 5; round++) {
  await big.session.setHomeDc({ dcId: 1 + (round % 5) });
  let t0 = performance.now();
  await big.flush();
  t.push(performance.now() - t0);
  t0 = performance.now();
  await writeFile(join(dir, 'bare.json'), JSON.stringify(Object.fromEntries(records.map(([k, v]) => [k, String(v)]))));
  bare.push(performance.now() - t0);
}
await mem.close();
await file.close();
await big.close();
await rm(dir, { recursive: true, force: true });

for (const [name, r, base] of rows) console.log(`${name.padEnd(40)} ${(r / 1000).toFixed(1).padStart(8)} k/s   ×${(r / base).toFixed(2)} of memory`);
console.log(`(file writes during those runs: ${writesBefore}, coalesced)`);
console.log(`write ${records.length} records (10 000 peers + indexes): ${med(t).toFixed(1)} ms; bare stringify+write of the same keys: ${med(bare).toFixed(1)} ms; ×${(med(t) / med(bare)).toFixed(2)}`);
