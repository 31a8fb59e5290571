import test from 'ava';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RequestAbortedError, RequestTimeoutError } from '../src/errors.js';
import { Waiters } from '../src/network/waiters.js';

test('waiters: each times out on its own timeout, in order; answered ones never do; cancelled ids are reported', async (t) => {
  const cancelled: number[] = [];
  const w = new Waiters((id) => cancelled.push(id));
  const order: string[] = [];
  const note = (name: string) => (p: Promise<unknown>) =>
    p.then(
      () => order.push(`${name} resolved`),
      (e: Error) => order.push(`${name} ${e instanceof RequestTimeoutError ? 'timed out' : e.message}`),
    );
  const all = [
    note('a/80')(w.wait(1, 'a', 80, undefined, false)),
    note('b/30')(w.wait(2, 'b', 30, undefined, false)),
    note('c/30')(w.wait(3, 'c', 30, undefined, false)),
    note('d/80')(w.wait(4, 'd', 80, undefined, false)),
    note('e/none')(w.wait(5, 'e', 0, undefined, false)),
  ];
  w.settle(3, 'ok', false);
  w.settle(4, 'ok', false);
  await Promise.all(all.slice(0, 4));
  t.deepEqual(order, ['c/30 resolved', 'd/80 resolved', 'b/30 timed out', 'a/80 timed out']);
  t.deepEqual(cancelled, [2, 1]);
  t.is(w.size, 1);
  w.settle(5, 'late', false);
  await all[4];
  t.is(order.at(-1), 'e/none resolved');
  t.is(w.size, 0);
});

test('waiters: thousands answered at once leave no timers and no entries behind; the next ones still time out', async (t) => {
  const w = new Waiters(() => undefined);
  for (let round = 0; round < 20; round++) {
    const ps = [];
    for (let i = 0; i < 500; i++) {
      const id = round * 1000 + i;
      ps.push(w.wait(id, 'x', 60_000, undefined, false));
      w.settle(id, i, false);
    }
    await Promise.all(ps);
  }
  t.is(w.size, 0);
  await t.throwsAsync(w.wait(99_999, 'late', 20, undefined, false), { instanceOf: RequestTimeoutError });
});

test('waiters: an abort signal settles once, and the timeout then does nothing', async (t) => {
  const cancelled: number[] = [];
  const w = new Waiters((id) => cancelled.push(id));
  const ac = new AbortController();
  const p = w.wait(7, 'm', 30, ac.signal, false);
  ac.abort(new Error('stop'));
  await t.throwsAsync(p, { instanceOf: RequestAbortedError });
  await new Promise((r) => setTimeout(r, 60));
  t.deepEqual(cancelled, [7]);
  t.is(w.size, 0);
});

test('waiters: settled calls with long timeouts do not keep the process alive', (t) => {
  // A script that makes and answers calls with a 60 s timeout must exit at once.
  const here = fileURLToPath(new URL('../src/network/waiters.ts', import.meta.url));
  const script = `
    const { Waiters } = await import(${JSON.stringify(here)});
    const w = new Waiters(() => {});
    for (let i = 0; i < 100; i++) { const p = w.wait(i, 'x', 60000, undefined, false); w.settle(i, 1, false); await p; }
    // One that is still pending keeps it alive until settled:
    const p = w.wait(1000, 'y', 60000, undefined, false);
    setTimeout(() => w.settle(1000, 2, false), 50);
    await p;
  `;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 20_000, encoding: 'utf8' });
  t.is(r.status, 0, r.stderr);
  t.true(Date.now() - t0 < 15_000, 'exited long before the 60 s timeouts');
});
