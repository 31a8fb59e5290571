import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { ParseError, parseHtml, parseMarkdown, unparseHtml, unparseMarkdown, type FormattedText } from '../src/parse/index.js';

// A small deterministic generator (mulberry32), so a failure replays.
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const MD_PIECES = ['**', '__', '++', '~~', '||', '`', '```', '```js\n', '[', ']', '](https://e.com)', '](tg://user?id=5)', '![', '](tg://emoji?id=1)', '>', '**>', '\n', '\\', '\\*', ' ', 'a', 'b', '👍', '😀', '(', ')', '*', '_', '!'];
const HTML_PIECES = ['<b>', '</b>', '<i>', '</i>', '<u>', '</u>', '<code>', '</code>', '<pre>', '</pre>', '<pre><code class="language-x">', '</code></pre>', '<a href="https://e.com">', '<a href="tg://user?id=5">', '</a>', '<blockquote>', '<blockquote expandable>', '</blockquote>', '<tg-spoiler>', '</tg-spoiler>', '<tg-emoji emoji-id="1">', '</tg-emoji>', '&lt;', '&amp;', '&#128077;', '&', '<', '>', '"', '\n', ' ', 'a', '👍', '<br>', '<x>', '&zz;'];

function randomText(next: () => number, pieces: string[], maxPieces: number): string {
  let s = '';
  const n = Math.floor(next() * maxPieces);
  for (let i = 0; i < n; i++) {
    // Now and then a raw code unit, lone surrogates included.
    s += next() < 0.05 ? String.fromCharCode(Math.floor(next() * 0x10000)) : pieces[Math.floor(next() * pieces.length)]!;
  }
  return s;
}

function checkWellFormed(t: { true(v: boolean, m?: string): void }, r: FormattedText, source: string): void {
  let last = -1;
  for (const e of r.entities) {
    t.true(e.offset >= last && e.length > 0 && e.offset + e.length <= r.text.length, `entity in range for ${JSON.stringify(source)}`);
    last = e.offset;
  }
}

for (const [mode, parse, unparse, pieces] of [
  ['markdown', parseMarkdown, unparseMarkdown, MD_PIECES],
  ['html', parseHtml, unparseHtml, HTML_PIECES],
] as const) {
  test(`fuzz ${mode}: only ParseError, and what parses round-trips`, (t) => {
    const next = rng(mode === 'markdown' ? 1 : 2);
    let parsed = 0;
    for (let i = 0; i < 4000; i++) {
      const source = randomText(next, pieces as unknown as string[], mode === 'html' ? 14 : 24);
      let r: FormattedText;
      try {
        r = parse(source);
      } catch (e) {
        if (!(e instanceof ParseError)) t.fail(`${JSON.stringify(source)} threw ${String(e)}`);
        continue;
      }
      parsed++;
      checkWellFormed(t, r, source);
      const again = parse(unparse(r.text, r.entities));
      t.deepEqual(again, r, JSON.stringify(source));
    }
    // The corpus must exercise both outcomes to mean anything.
    t.true(parsed > 300, `parsed ${parsed}`);
    t.true(parsed < 3900, `parsed ${parsed}`);
  });
}

test('large inputs are linear, not a hang', (t) => {
  const bold = '**a** '.repeat(50_000);
  t.is(parseMarkdown(bold).entities.length, 50_000);
  const deep = '<b><i>'.repeat(20_000) + 'x' + '</i></b>'.repeat(20_000);
  t.is(parseHtml(deep).entities.length, 40_000);
  t.throws(() => parseMarkdown('['.repeat(100_000)), { instanceOf: ParseError });
  t.throws(() => parseHtml('<b>'.repeat(100_000)), { instanceOf: ParseError });
  // Shapes that would be quadratic with a search per marker or per fence.
  t.throws(() => parseMarkdown('['.repeat(100_000) + '**'.repeat(100_000)), { instanceOf: ParseError });
  t.is(parseMarkdown('```a```'.repeat(50_000)).entities.length, 50_000);
  t.throws(() => parseHtml('<a href="'.repeat(50_000)), { instanceOf: ParseError });
  t.throws(() => parseMarkdown('[a](' + 'x'.repeat(200_000)), { instanceOf: ParseError });
});

test('unparse of deep nesting is linear too', (t) => {
  const r = parseHtml('<b><i>'.repeat(20_000) + 'x' + '</i></b>'.repeat(20_000));
  t.deepEqual(parseHtml(unparseHtml(r.text, r.entities)), r);
  const m = parseMarkdown('> **a __b__** `c` [d](https://e.com)\n'.repeat(10_000));
  t.deepEqual(parseMarkdown(unparseMarkdown(m.text, m.entities)), m);
});

// Entities as a server may send them: any kinds, overlapping, touching, nested.
function randomEntities(next: () => number, textLength: number): tl.MessageEntity[] {
  const kinds = ['messageEntityBold', 'messageEntityItalic', 'messageEntityUnderline', 'messageEntityStrike', 'messageEntitySpoiler', 'messageEntityCode', 'messageEntityPre', 'messageEntityTextUrl', 'messageEntityMentionName', 'messageEntityCustomEmoji', 'messageEntityBlockquote', 'messageEntityHashtag', 'messageEntityUrl'] as const;
  const out: tl.MessageEntity[] = [];
  const n = textLength === 0 ? 0 : Math.floor(next() * 6);
  for (let i = 0; i < n; i++) {
    const offset = Math.floor(next() * textLength);
    const length = 1 + Math.floor(next() * (textLength - offset));
    const kind = kinds[Math.floor(next() * kinds.length)]!;
    const base = { offset, length };
    switch (kind) {
      case 'messageEntityPre':
        out.push({ _: kind, ...base, language: next() < 0.5 ? '' : 'js' });
        break;
      case 'messageEntityTextUrl':
        out.push({ _: kind, ...base, url: 'https://e.com/a_(b)\\c' });
        break;
      case 'messageEntityMentionName':
        out.push({ _: kind, ...base, userId: 42n });
        break;
      case 'messageEntityCustomEmoji':
        out.push({ _: kind, ...base, documentId: -7n });
        break;
      case 'messageEntityBlockquote':
        out.push(next() < 0.5 ? { _: kind, ...base, collapsed: true } : { _: kind, ...base });
        break;
      default:
        out.push({ _: kind, ...base });
    }
  }
  return out;
}

for (const [mode, parse, unparse] of [
  ['markdown', parseMarkdown, unparseMarkdown],
  ['html', parseHtml, unparseHtml],
] as const) {
  test(`fuzz ${mode} unparse: any server entities give markup that parses back to the same text`, (t) => {
    const next = rng(mode === 'markdown' ? 3 : 4);
    const pieces = ['a', 'b c', '\n', '👍', '*', '_', '`', '[', ']', '(', ')', '>', '<', '&', '"', '\\', '|', '~', '+', '!', '```', '**>', '&amp;'];
    for (let i = 0; i < 3000; i++) {
      let text = '';
      const n = Math.floor(next() * 16);
      for (let j = 0; j < n; j++) text += pieces[Math.floor(next() * pieces.length)]!;
      const entities = randomEntities(next, text.length);
      const markup = unparse(text, entities);
      let back: FormattedText;
      try {
        back = parse(markup);
      } catch (e) {
        t.fail(`${JSON.stringify({ text, entities }, (_k, v) => (typeof v === 'bigint' ? String(v) : v))} → ${JSON.stringify(markup)}: ${String(e)}`);
        return;
      }
      if (back.text !== text) {
        t.fail(`${JSON.stringify(text)} → ${JSON.stringify(markup)} → ${JSON.stringify(back.text)}`);
        return;
      }
    }
    t.pass();
  });
}

test('staircase overlaps are split, within a bound', (t) => {
  // Each entity outlives all the open ones: the nested form needs ~n²/2 splits.
  const stairs = (n: number): tl.MessageEntity[] => Array.from({ length: n }, (_, i) => ({ _: 'messageEntityBold' as const, offset: i, length: n }));
  const text = 'x'.repeat(4000);
  const html = unparseHtml(text, stairs(500));
  t.is(parseHtml(html).text, text);
  const e = t.throws(() => unparseHtml(text, stairs(2000)), { instanceOf: ParseError });
  t.is(e?.code, 'BAD_ENTITY');
});
