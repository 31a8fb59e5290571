// The fault API of a started emulator over real sockets: what a client sees
// on the wire (a closed socket, a silent open one, a transport error).
import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { startEmulator, type Emulator } from '../src/index.js';
import { keyPath } from './helpers/memory.js';
import { SocketClient } from './helpers/socket-client.js';

let emulator: Emulator;
test.before(async () => {
  emulator = await startEmulator({ rsaKeyPath: keyPath, dcCount: 3 });
});
test.after.always(async () => {
  await emulator?.stop();
});

async function client(dcIndex: number): Promise<SocketClient> {
  const c = (await SocketClient.open(emulator.dcs[dcIndex]!, { codec: 'intermediate' })).trust(emulator.rsaPublicKeys);
  await c.makeKey();
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const near = { _: 'help.getNearestDc' } as tl.TlMethod;

test.serial('drop after N frames closes the socket; stall keeps it open and silent; -429 arrives on the wire', async (t) => {
  // drop, on DC 1 only
  const a = await client(0);
  t.teardown(() => a.close());
  const other = await client(1);
  t.teardown(() => other.close());
  const h = emulator.faults.set({ dc: 1 }, { kind: 'drop', afterFrames: 2 });
  await a.invoke(near);
  await t.throwsAsync(a.invoke(near, 3000));
  t.true(a.closed);
  t.like(await other.invoke(near), { thisDc: 2 }, 'another DC is untouched');
  emulator.faults.clear(h);

  // stall: the socket stays open, nothing comes back
  const b = await client(1);
  t.teardown(() => b.close());
  const server = emulator.dc(2).openConnections.at(-1)!;
  emulator.faults.set({ connection: server.id }, { kind: 'stall' });
  await t.throwsAsync(b.invoke(near, 300), { message: 'no answer in time' });
  t.false(b.closed);
  t.false(server.isClosed);
  t.like(await other.invoke(near), { thisDc: 2 }, 'only that connection stalls');
  emulator.faults.clear();

  // a transport error on DC 3
  const c = await client(2);
  t.teardown(() => c.close());
  emulator.faults.set({ dc: 3 }, { kind: 'transport-error', code: -429 });
  await t.throwsAsync(c.invoke(near, 3000));
  await sleep(20);
  t.true(c.closed);
  t.regex(String(c.closeError?.message ?? c.closeError), /429/);
  emulator.faults.clear();
});

test.serial('delay and duplicate over TCP: answers late but whole, each read once', async (t) => {
  const c = await client(0);
  t.teardown(() => c.close());
  const before = emulator.stats(1).executions.get('help.getNearestDc') ?? 0;
  emulator.faults.set({ dc: 1 }, { kind: 'delay', ms: 50 });
  emulator.faults.set({ dc: 1 }, { kind: 'duplicate', probability: 0.5, seed: 5 });
  const started = performance.now();
  const calls = Array.from({ length: 40 }, () => c.queue(near));
  await c.flush();
  await Promise.all(calls.map((x) => x.answer));
  t.true(performance.now() - started >= 50);
  emulator.faults.clear();
  await sleep(60);
  for (const x of calls) t.is(c.answers.get(x.id), 1);
  t.is((emulator.stats(1).executions.get('help.getNearestDc') ?? 0) - before, 40);
});
