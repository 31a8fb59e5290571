// A randomized check of the box's promise, on seeded runs: the server keeps
// producing updates in every box while pushes arrive late, out of order,
// twice or never, and answers come back after a delay computed from the
// server's state at the time. Once the dust settles the user must have seen
// every update exactly once, in each box's order.
import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { FakeServer, Harness, messageKey } from './updates-fake-server.js';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Event = { at: number; run: () => void };

function keyOf(u: tl.Update): string | undefined {
  return messageKey(u) ?? (u._ === 'updateBotStopped' ? `qts:${u.userId}` : undefined);
}

function simulate(seed: number): { delivered: string[]; expected: Set<string>; requests: number } {
  const rnd = prng(seed);
  const server = new FakeServer();
  server.sliceSize = 25;
  const channels = [11n, 12n, 13n];
  for (const id of channels) server.addChannel(id, id * 3n, 50);
  const h = new Harness(server, { maxPendingPerBox: 40, channelDifferenceLimit: 20 }, true);
  h.answerAll();
  // Every channel seen once, reliably, so the box tracks it from the start.
  for (const id of channels) h.feed(server.channelMessage(id, 'start'));

  const queue: Event[] = [];
  const at = (time: number, run: () => void) => {
    queue.push({ at: time, run });
    queue.sort((a, b) => a.at - b.at);
  };
  const push = (time: number, u: tl.Updates) => {
    const r = rnd();
    if (r < 0.1) return; // lost
    const copies = r < 0.2 ? 2 : 1;
    for (let i = 0; i < copies; i++) at(time + Math.floor(rnd() * 1500), () => h.feed(u));
  };
  let botUser = 100n;
  const produce = (time: number, reliable: boolean) => {
    const kind = Math.floor(rnd() * 6);
    let u: tl.Updates;
    if (kind === 0) u = server.privateMessage(7n, 'p');
    else if (kind === 1) u = server.chatMessage(60n, 8n, 'g');
    else if (kind === 2) u = server.seqMessage(9n, 's');
    else if (kind === 3) u = server.combined(9n, ['c1', 'c2']);
    else if (kind === 4) u = server.botStopped(botUser++);
    else u = server.channelMessage(channels[Math.floor(rnd() * channels.length)]!, 'ch');
    if (reliable) at(time, () => h.feed(u));
    else push(time, u);
  };
  for (let i = 0; i < 300; i++) at(i * 10, () => produce(h.clock, false));
  // Then one reliable update in every box, so every trailing loss shows as a gap.
  at(4000, () => {
    h.feed(server.privateMessage(7n, 'last'));
    h.feed(server.botStopped(botUser++));
    for (const id of channels) h.feed(server.channelMessage(id, 'last'));
  });

  let requests = 0;
  for (let steps = 0; steps < 100_000; steps++) {
    // Requests are answered 40 ms later, from the server as it is 20 ms in.
    for (const { id, request } of h.requests.splice(0)) {
      requests++;
      let answer: unknown;
      at(h.clock + 20, () => (answer = server.answer(request)));
      at(h.clock + 40, () => {
        h.box.answer(id, answer, h.clock);
        h.pump();
      });
    }
    const deadline = h.box.nextDeadline();
    const next = queue[0];
    if (!next && (deadline === undefined || deadline > 20_000)) break;
    if (next && (deadline === undefined || next.at <= deadline)) {
      queue.shift();
      if (next.at > h.clock) h.advance(next.at - h.clock);
      next.run();
    } else {
      h.advance(deadline! - h.clock);
    }
  }

  const expected = new Set<string>();
  for (const e of server.log) expected.add(messageKey(e.update)!);
  for (const [, ch] of server.channels) for (const e of ch.log) expected.add(messageKey(e.update)!);
  for (const e of server.qtsLog) expected.add(keyOf(e.update)!);
  const delivered = h.delivered.map(keyOf).filter((k): k is string => k !== undefined);
  return { delivered, expected, requests };
}

test('lost, late, reordered and repeated pushes: every update once, in order, over 30 seeded runs', (t) => {
  let requests = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const { delivered, expected, requests: r } = simulate(seed);
    requests += r;
    const seen = new Set(delivered);
    t.is(seen.size, delivered.length, `seed ${seed}: no duplicate`);
    const missing = [...expected].filter((k) => !seen.has(k));
    t.deepEqual(missing, [], `seed ${seed}: nothing lost`);
    t.is(seen.size, expected.size, `seed ${seed}: nothing invented`);
    const order = (prefix: string) => delivered.filter((k) => k.startsWith(prefix)).map((k) => Number(k.slice(k.lastIndexOf(':') + 1)));
    for (const prefix of ['common:', 'channel:11:', 'channel:12:', 'channel:13:', 'qts:']) {
      const xs = order(prefix);
      t.deepEqual(xs, [...xs].sort((a, b) => a - b), `seed ${seed}: ${prefix} in order`);
    }
  }
  t.true(requests > 30, 'the runs did need differences');
});
