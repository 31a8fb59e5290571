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

test('past the count the oldest calls are forgotten, a generation at a time, with their bytes', (t) => {
  const book = new CallBook();
  const total = 5 * FINISHED_KEPT + 17;
  for (let i = 0; i < total; i++) book.finish(id(i), true, result(8));
  const ids = book.finishedIds;
  t.true(ids.length >= FINISHED_KEPT && ids.length <= 2 * FINISHED_KEPT, `${ids.length} remembered`);
  t.is(book.keptBytes, 8 * ids.length);
  t.is(book.answerOf(id(0)), undefined);
  t.false(book.hasFinished(id(0)));
  t.deepEqual(book.answerOf(id(total - 1)), result(8));
  t.deepEqual(ids, Array.from({ length: ids.length }, (_, k) => id(total - ids.length + k)), 'the newest calls, oldest first');
  t.true(book.hasFinished(ids[0]!));
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
  for (const i of book.finishedIds) sum += (book.answerOf(i) as { result: Uint8Array } | undefined)?.result.length ?? 0;
  t.is(book.keptBytes, sum, 'the count matches what is kept');
});

test('big answers forgotten by bytes are not held on to', (t) => {
  const book = new CallBook();
  for (let i = 0; i < 200; i++) book.finish(id(i), true, result(1024 * 1024));
  const gens = book as unknown as { recent: { keptAnswers: unknown[] }; older: { keptAnswers: unknown[] } };
  const held = [...gens.recent.keptAnswers, ...gens.older.keptAnswers].filter((a) => a !== undefined).length;
  t.true(held <= ANSWER_BYTES_KEPT / (1024 * 1024), `${held} answers referenced`);
});

test('a msg_id answered again across generations: the newer answer counts', async (t) => {
  const book = new CallBook();
  book.finish(id(0), false, { code: 400, text: 'OLD' });
  for (let i = 1; i < FINISHED_KEPT; i++) book.finish(id(i), true, result(4));
  book.finish(id(0), true, result(12)); // lands in the next generation
  t.deepEqual(book.answerOf(id(0)), result(12));
  t.true(await book.waitFor(id(0)));
});
