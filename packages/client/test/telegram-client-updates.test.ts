// The updates engine inside TelegramClient against the emulator: messages
// missed while offline come back through getDifference after a restart from
// a FileStorage (none lost, none repeated), a channel gap is filled, and
// differenceTooLong is reported.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { FileStorage, type Message, type TelegramClient } from '../src/index.js';
import { clientFor, logIn } from './support/clients.js';
import { startEmulator, type Emulator } from './support/emulator.js';

const open: TelegramClient[] = [];
const emulators: Emulator[] = [];
let dir: string;
const track = (c: TelegramClient) => (open.push(c), c);

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tgmt-updates-'));
});
test.after.always(async () => {
  await Promise.all(open.map((c) => c.disconnect()));
  await Promise.all(emulators.map((e) => e.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function world(options: Parameters<typeof startEmulator>[0] = {}) {
  const emulator = await startEmulator({ dcCount: 3, ...options });
  emulators.push(emulator);
  const w = emulator.world;
  const u = w.createUser({ phone: '31611000001', firstName: 'You', username: 'you_tg', dc: 2 });
  const a = w.createUser({ phone: '31611000002', firstName: 'Ash', username: 'ash_tg', dc: 1 });
  const b = w.createUser({ phone: '31611000003', firstName: 'Bo', username: 'bo_tg', dc: 3 });
  const chat = w.createChat(a.id, 'Group', [u.id, b.id]);
  const channel = w.createChannel(a.id, { title: 'Chan', megagroup: true, username: 'chan_tg' }, [u.id, b.id]);
  return { emulator, u, a, b, chat, channel };
}

/** Collects incoming messages; `until(n)` waits (bounded) for n of them. */
function inbox(client: TelegramClient) {
  const got: Message[] = [];
  client.on('newMessage', (m) => {
    if (!m.out) got.push(m);
  });
  return {
    got,
    async until(n: number, ms: number) {
      const deadline = Date.now() + ms;
      while (got.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return got;
    },
  };
}

test.serial('500 messages across a private chat, a group and a channel while offline arrive after a restart, once each', async (t) => {
  t.timeout(120_000);
  const { emulator, chat } = await world({ world: { differenceSliceLimit: 100, channelDifferenceLimit: 50 } });
  const path = join(dir, 'you.session');
  const you = track(clientFor(emulator, { storage: new FileStorage(path) }));
  const ash = track(clientFor(emulator));
  const bo = track(clientFor(emulator));
  await logIn(emulator, you, '31611000001');
  await logIn(emulator, ash, '31611000002');
  await logIn(emulator, bo, '31611000003');
  const targets = ['@you_tg', -chat.id, '@chan_tg'] as const;

  // Online first: one message in each chat, so every box (the channel's too) is known.
  const first = inbox(you);
  for (const to of targets) await ash.sendMessage(to, `hello ${String(to)}`);
  t.is((await first.until(3, 10_000)).length, 3);
  await you.idle();
  await you.disconnect();

  const sent: string[] = [];
  const N = 500;
  for (let i = 0; i < N; i++) {
    const text = `m${i}`;
    const from = i % 2 === 0 ? ash : bo;
    await from.sendMessage(targets[i % 3]!, text);
    sent.push(text);
  }

  const again = track(clientFor(emulator, { storage: new FileStorage(path) }));
  const later = inbox(again);
  t.true(await again.isAuthorized(), 'the stored login is used');
  const got = await later.until(N, 60_000);
  await new Promise((r) => setTimeout(r, 700));
  await again.idle();
  const count = new Map<string, number>();
  for (const m of got) count.set(m.text, (count.get(m.text) ?? 0) + 1);
  t.deepEqual([...count].filter(([, n]) => n > 1), [], 'no message twice');
  t.deepEqual(sent.filter((s) => !count.has(s)), [], 'no message lost');
  t.is(got.length, N);
  t.deepEqual(got.map((m) => m.text).sort(), [...sent].sort());
  for (const [i, to] of targets.entries()) {
    const mine = got.filter((m) => Number(m.text.slice(1)) % 3 === i);
    t.deepEqual(mine.map((m) => m.text), sent.filter((_, j) => j % 3 === i), `in order in ${String(to)}`);
    t.true(mine.every((m, k) => k === 0 || m.id > mine[k - 1]!.id));
  }
  const stats = again.updatesStats()!;
  t.true(stats.differences >= 1, 'getDifference brought them');
  t.true(stats.channelDifferences >= 1, 'getChannelDifference brought the channel’s');
});

test.serial('a channel gap (a lost push) is detected and filled by getChannelDifference', async (t) => {
  t.timeout(60_000);
  const { emulator, u } = await world();
  const you = track(clientFor(emulator));
  const ash = track(clientFor(emulator));
  await logIn(emulator, you, '31611000001');
  await logIn(emulator, ash, '31611000002');
  const box = inbox(you);
  await ash.sendMessage('@chan_tg', 'c0');
  await box.until(1, 10_000);
  // Swallow the next channel push to You: the one after it arrives with a pts jump.
  const w = emulator.world;
  const push = w.push.bind(w);
  let swallowed = 0;
  w.push = (userId, updates, origin) => {
    if (userId === u.id && swallowed === 0 && JSON.stringify(updates, (_, v) => (typeof v === 'bigint' ? String(v) : v)).includes('updateNewChannelMessage')) {
      swallowed++;
      return;
    }
    push(userId, updates, origin);
  };
  await ash.sendMessage('@chan_tg', 'c1');
  await ash.sendMessage('@chan_tg', 'c2');
  w.push = push;
  const got = await box.until(3, 10_000);
  t.is(swallowed, 1);
  t.deepEqual(got.map((m) => m.text), ['c0', 'c1', 'c2']);
  const stats = you.updatesStats()!;
  t.true(stats.gaps >= 1, 'the gap was seen');
  t.true(stats.channelDifferences >= 1, 'and filled by getChannelDifference');
});

test.serial('differenceTooLong after a long absence is reported, and updates flow again afterwards', async (t) => {
  t.timeout(60_000);
  const { emulator } = await world({ world: { differenceTooLong: 20 } });
  const path = join(dir, 'too-long.session');
  const you = track(clientFor(emulator, { storage: new FileStorage(path) }));
  const ash = track(clientFor(emulator));
  await logIn(emulator, you, '31611000001');
  await logIn(emulator, ash, '31611000002');
  await you.disconnect();
  for (let i = 0; i < 40; i++) await ash.sendMessage('@you_tg', `old ${i}`);
  const again = track(clientFor(emulator, { storage: new FileStorage(path) }));
  const tooLong = new Promise<unknown>((resolve) => again.once('differenceTooLong', resolve));
  const box = inbox(again);
  await again.connect();
  const info = await Promise.race([tooLong, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
  t.like(info, { pts: 41 });
  await ash.sendMessage('@you_tg', 'new');
  const got = await box.until(1, 10_000);
  t.deepEqual(got.map((m) => m.text), ['new']);
});
