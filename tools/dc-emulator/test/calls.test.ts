// The call book: answered calls and their answers, bounded by count and bytes.
import test from 'ava';
import { ANSWER_BYTES_KEPT, CallBook, FINISHED_KEPT } from '../src/calls.js';

const id = (i: number): bigint => (0x6000_0000n << 32n) + BigInt(i) * 4n;
const result = (bytes: number) => ({ result: new Uint8Array(bytes) });

test('an answered call: its answer, whether it succeeded, waitFor', async (t) => {
  const book = new CallBook();
  book.finish(id(1), true, result(16));
  book.finish(id(2), false, { code: 400, text: 'BAD' });
  book.finish(id(3), true); // answer dropped (rpc_drop_answer)
  t.deepEqual(book.answerOf(id(1)), result(16));
  t.deepEqual(book.answerOf(id(2)), { code: 400, text: 'BAD' });
  t.is(book.answerOf(id(3)), undefined);
  t.true(await book.waitFor(id(1)));
  t.false(await book.waitFor(id(2)));
  t.true(await book.waitFor(id(3)));
  t.true(await book.waitFor(id(99)), 'an unknown call does not hold anything up');
  t.is(book.keptBytes, 16 + 3 + 8);
});

test('past the count the oldest calls are forgotten, with their bytes', (t) => {
  const book = new CallBook();
  const total = 3 * FINISHED_KEPT + 17;
  for (let i = 0; i < total; i++) book.finish(id(i), true, result(8));
  const ids = book.finishedIds;
  t.is(ids.length, FINISHED_KEPT);
  t.is(book.keptBytes, 8 * FINISHED_KEPT);
  t.is(book.answerOf(id(0)), undefined);
  t.false(book.hasFinished(id(total - FINISHED_KEPT - 1)));
  t.true(book.hasFinished(id(total - FINISHED_KEPT)));
  t.deepEqual(book.answerOf(id(total - 1)), result(8));
  t.deepEqual(ids, Array.from({ length: FINISHED_KEPT }, (_, k) => id(total - FINISHED_KEPT + k)), 'the newest calls, oldest first');
});

test('many msg_ids asked at once get the same answers as one by one', async (t) => {
  const book = new CallBook();
  for (let i = 0; i < FINISHED_KEPT + 100; i++) book.finish(id(i), i % 3 !== 0, i % 3 === 0 ? { code: 400, text: 'NO' } : result(4));
  const asked = [id(0), id(99), id(100), id(101), id(FINISHED_KEPT + 99), id(FINISHED_KEPT + 500), id(5000), id(4242), id(1234)];
  t.deepEqual(book.outcomesOf(asked), asked.map((x) => book.outcomeOf(x)));
  t.deepEqual(book.outcomesOf(asked.slice(0, 3)), asked.slice(0, 3).map((x) => book.outcomeOf(x)));
  t.is(book.outcomeOf(id(0)), undefined);
  t.deepEqual(book.outcomeOf(id(101)), result(4));
  t.false(await book.waitFor(id(102)));
  // A call still running is waited for.
  let finish!: (ok: boolean) => void;
  book.running.set(id(9999), new Promise<boolean>((r) => (finish = r)));
  const waited = book.waitFor(id(9999));
  finish(false);
  t.false(await waited);
});

test('past the bytes the oldest answers go, while whether their calls succeeded stays', async (t) => {
  const book = new CallBook();
  const part = 512 * 1024;
  const n = 3 * (ANSWER_BYTES_KEPT / part);
  for (let i = 0; i < n; i++) book.finish(id(i), i % 2 === 0, i % 2 === 0 ? result(part) : { code: 420, text: 'X'.repeat(part - 8) });
  t.true(book.keptBytes <= ANSWER_BYTES_KEPT);
  t.is(book.keptBytes, ANSWER_BYTES_KEPT, 'exactly as many as fit');
  t.is(book.answerOf(id(0)), undefined);
  t.truthy(book.answerOf(id(n - 1)));
  t.is(book.finishedIds.length, n);
  t.true(await book.waitFor(id(0)));
  t.false(await book.waitFor(id(1)));
  // An answer larger than the whole budget is not kept at all.
  book.finish(id(n), true, result(ANSWER_BYTES_KEPT + 4));
  t.is(book.answerOf(id(n)), undefined);
  t.true(await book.waitFor(id(n)));
  t.true(book.keptBytes <= ANSWER_BYTES_KEPT);
});

test('a msg_id answered twice: the newer answer is given, and the byte budget still holds', (t) => {
  const book = new CallBook();
  const part = 1024 * 1024;
  book.finish(id(0), true, result(part));
  book.finish(id(0), true, result(part / 2));
  t.deepEqual(book.answerOf(id(0)), result(part / 2));
  for (let i = 1; i < 20; i++) {
    book.finish(id(i), true, result(part));
    book.finish(id(i - 1), true, result(part)); // answered again
    t.true(book.keptBytes <= ANSWER_BYTES_KEPT);
  }
  const outcomes = (book as unknown as { outcomes: unknown[] }).outcomes;
  const held = outcomes.reduce<number>((n, a) => n + (typeof a === 'object' && a !== null && 'result' in a ? (a as { result: Uint8Array }).result.length : 0), 0);
  t.is(book.keptBytes, held, 'the count matches what is kept');
});

test('big answers forgotten by bytes are not held on to', (t) => {
  const book = new CallBook();
  for (let i = 0; i < 200; i++) book.finish(id(i), true, result(1024 * 1024));
  const held = (book as unknown as { outcomes: unknown[] }).outcomes.filter((a) => typeof a === 'object').length;
  t.true(held <= ANSWER_BYTES_KEPT / (1024 * 1024), `${held} answers referenced`);
  t.is(book.keptBytes, held * 1024 * 1024);
});

test('a msg_id answered again much later: the newer answer counts', async (t) => {
  const book = new CallBook();
  book.finish(id(0), false, { code: 400, text: 'OLD' });
  for (let i = 1; i < FINISHED_KEPT; i++) book.finish(id(i), true, result(4));
  book.finish(id(0), true, result(12));
  t.deepEqual(book.answerOf(id(0)), result(12));
  t.true(await book.waitFor(id(0)));
});

test('waiting for several calls: false when one failed, and calls still running are waited for', async (t) => {
  const book = new CallBook();
  for (let i = 0; i < 20; i++) book.finish(id(i), i !== 7, i === 7 ? { code: 400, text: 'NO' } : result(4));
  t.true(await book.waitForAll([id(1), id(2), id(999)]));
  t.false(await book.waitForAll([id(1), id(7)]));
  t.false(await book.waitForAll(Array.from({ length: 50 }, (_, i) => id(i))), 'the indexed path too');
  let finish!: (ok: boolean) => void;
  book.running.set(id(500), new Promise<boolean>((r) => (finish = r)));
  let settled = false;
  const waited = book.waitForAll([id(1), id(500)]).then((ok) => ((settled = true), ok));
  await new Promise((r) => setImmediate(r));
  t.false(settled, 'a running call holds the wait');
  finish(true);
  t.true(await waited);
});
