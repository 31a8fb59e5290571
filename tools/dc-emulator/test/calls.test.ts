// The call book: answered calls and their answers, bounded by count and bytes.
import test from 'ava';
import { ANSWER_BYTES_KEPT, CallBook, EVICT_BATCH, FINISHED_KEPT } from '../src/calls.js';

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

test('past the count the oldest calls are forgotten a batch at a time, with their bytes', (t) => {
  const book = new CallBook();
  const total = 3 * (FINISHED_KEPT + EVICT_BATCH) + 17;
  for (let i = 0; i < total; i++) book.finish(id(i), true, result(8));
  t.true(book.finished.size <= FINISHED_KEPT + EVICT_BATCH);
  t.true(book.finished.size >= FINISHED_KEPT);
  t.is(book.keptBytes, 8 * book.finished.size);
  t.is(book.answerOf(id(0)), undefined);
  t.deepEqual(book.answerOf(id(total - 1)), result(8));
  const oldest = book.finished.keys().next().value as bigint;
  t.is(oldest, id(total - book.finished.size), 'the newest calls are the ones kept');
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
  t.is(book.finished.size, n);
  t.true(await book.waitFor(id(0)));
  t.false(await book.waitFor(id(1)));
  // An answer larger than the whole budget is not kept at all.
  book.finish(id(n), true, result(ANSWER_BYTES_KEPT + 4));
  t.is(book.answerOf(id(n)), undefined);
  t.true(await book.waitFor(id(n)));
  t.true(book.keptBytes <= ANSWER_BYTES_KEPT);
});

test('a msg_id answered twice is counted once, and the byte budget still holds', (t) => {
  const book = new CallBook();
  const part = 1024 * 1024;
  book.finish(id(0), true, result(part));
  book.finish(id(0), true, result(part / 2));
  t.is(book.keptBytes, part / 2);
  for (let i = 1; i < 20; i++) {
    book.finish(id(i), true, result(part));
    book.finish(id(i - 1), true, result(part)); // answered again: its order entry is stale
    t.true(book.keptBytes <= ANSWER_BYTES_KEPT);
  }
  let sum = 0;
  for (const v of book.finished.values()) if (typeof v === 'object' && 'result' in v) sum += v.result.length;
  t.is(book.keptBytes, sum, 'the count matches what is kept');
});

test('big answers forgotten by bytes are not held on to by the order', (t) => {
  const book = new CallBook();
  for (let i = 0; i < 200; i++) book.finish(id(i), true, result(1024 * 1024));
  const held = (book as unknown as { keptAnswers: unknown[] }).keptAnswers.filter((a) => a !== undefined).length;
  t.true(held <= ANSWER_BYTES_KEPT / (1024 * 1024), `${held} answers referenced`);
});
