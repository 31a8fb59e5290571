import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { ParseError, parseMarkdown, parseText, unparseMarkdown, unparseText, type ParseErrorCode } from '../src/parse/index.js';

const md = (s: string) => parseMarkdown(s);

test('each style', (t) => {
  t.deepEqual(md('**b** __i__ ++u++ ~~s~~ ||p||'), {
    text: 'b i u s p',
    entities: [
      { _: 'messageEntityBold', offset: 0, length: 1 },
      { _: 'messageEntityItalic', offset: 2, length: 1 },
      { _: 'messageEntityUnderline', offset: 4, length: 1 },
      { _: 'messageEntityStrike', offset: 6, length: 1 },
      { _: 'messageEntitySpoiler', offset: 8, length: 1 },
    ],
  });
});

test('nested entities, sorted by offset', (t) => {
  t.deepEqual(md('x **bold __both__ ~~all~~**'), {
    text: 'x bold both all',
    entities: [
      { _: 'messageEntityBold', offset: 2, length: 13 },
      { _: 'messageEntityItalic', offset: 7, length: 4 },
      { _: 'messageEntityStrike', offset: 12, length: 3 },
    ],
  });
  // Same range: the one opened first is the outer one and comes first.
  t.deepEqual(md('**__x__**').entities, [
    { _: 'messageEntityBold', offset: 0, length: 1 },
    { _: 'messageEntityItalic', offset: 0, length: 1 },
  ]);
});

test('offsets count UTF-16 code units: an emoji is 2', (t) => {
  t.deepEqual(md('👍 **a😀b** __c__'), {
    text: '👍 a😀b c',
    entities: [
      { _: 'messageEntityBold', offset: 3, length: 4 },
      { _: 'messageEntityItalic', offset: 8, length: 1 },
    ],
  });
  // A flag is two astral code points: 4 units.
  t.deepEqual(md('🇺🇦||x||').entities, [{ _: 'messageEntitySpoiler', offset: 4, length: 1 }]);
});

test('code and pre keep their content verbatim', (t) => {
  t.deepEqual(md('run `a*b*c \\` [x]` now'), {
    text: 'run a*b*c ` [x] now',
    entities: [{ _: 'messageEntityCode', offset: 4, length: 11 }],
  });
  t.deepEqual(md('```python\nprint("**")\n```'), {
    text: 'print("**")',
    entities: [{ _: 'messageEntityPre', offset: 0, length: 11, language: 'python' }],
  });
  t.deepEqual(md('```one line```'), {
    text: 'one line',
    entities: [{ _: 'messageEntityPre', offset: 0, length: 8, language: '' }],
  });
});

test('links, mentions and custom emoji', (t) => {
  t.deepEqual(md('see [the **site**](https://example.com/a_(b\\)) and [Ann](tg://user?id=123) ![👍](tg://emoji?id=5368324170671202286)'), {
    text: 'see the site and Ann 👍',
    entities: [
      { _: 'messageEntityTextUrl', offset: 4, length: 8, url: 'https://example.com/a_(b)' },
      { _: 'messageEntityBold', offset: 8, length: 4 },
      { _: 'messageEntityMentionName', offset: 17, length: 3, userId: 123n },
      { _: 'messageEntityCustomEmoji', offset: 21, length: 2, documentId: 5368324170671202286n },
    ],
  });
});

test('blockquotes', (t) => {
  t.deepEqual(md('> one\n> **two\n>three**\nafter'), {
    text: 'one\ntwo\nthree\nafter',
    entities: [
      { _: 'messageEntityBlockquote', offset: 0, length: 13 },
      { _: 'messageEntityBold', offset: 4, length: 9 },
    ],
  });
  t.deepEqual(md('**> hidden\n> more'), {
    text: 'hidden\nmore',
    entities: [{ _: 'messageEntityBlockquote', offset: 0, length: 11, collapsed: true }],
  });
  t.deepEqual(md('a > b'), { text: 'a > b', entities: [] });
});

test('escapes and lone markers are plain text', (t) => {
  t.deepEqual(md('\\*\\*not bold\\*\\* \\[x\\] snake_case 2*3 a|b ~x +1 !'), {
    text: '**not bold** [x] snake_case 2*3 a|b ~x +1 !',
    entities: [],
  });
  t.deepEqual(md('\\😀'), { text: '😀', entities: [] });
});

const bad: [string, ParseErrorCode, number][] = [
  ['**a', 'UNCLOSED', 0],
  ['**a __b** c__', 'MISMATCHED', 7],
  ['a]', 'UNEXPECTED_CLOSE', 1],
  ['[a]b', 'BAD_SYNTAX', 2],
  ['[a](http://x', 'UNCLOSED', 3],
  ['[a](tg://user?id=0)', 'BAD_MENTION', 4],
  ['[a](tg://user?id=x1)', 'BAD_MENTION', 4],
  ['[a](tg://user?id=99999999999999999999)', 'BAD_MENTION', 4],
  ['[](http://x)', 'EMPTY_TEXT', 0],
  ['[a](has space)', 'BAD_URL', 4],
  ['![a](https://e.com)', 'BAD_URL', 5],
  ['a\\', 'BAD_SYNTAX', 1],
  ['`code', 'UNCLOSED', 0],
  ['x\n```\ncode', 'UNCLOSED', 2],
  ['> **a\nb**', 'UNCLOSED', 2],
  ['> `a\nb`', 'UNCLOSED', 2],
  ['[a **b](u) c**', 'MISMATCHED', 6],
];
for (const [source, code, position] of bad) {
  test(`malformed: ${JSON.stringify(source)} → ${code}`, (t) => {
    const e = t.throws(() => md(source), { instanceOf: ParseError });
    t.is(e?.code, code);
    t.is(e?.position, position);
    t.is(e?.mode, 'markdown');
    t.regex(e!.message, /position \d+/);
  });
}

test('unparse writes what parse reads back', (t) => {
  const samples = [
    'x **bold __both__ ~~all~~**',
    '👍 **a😀b** __c__',
    'run `a*b*c \\` [x]` now',
    '```python\nprint("**")\n```',
    'see [the **site**](https://example.com/a_(b\\)) and [Ann](tg://user?id=123) ![👍](tg://emoji?id=5368324170671202286)',
    '> one\n> **two\n> three**\nafter',
    '**> hidden\n> more',
    '> quote\n**> expandable right after',
    '> ```js\n> let a = 1;\n> ```\nend',
    '\\*\\*not bold\\*\\* \\[x\\] snake\\_case',
  ];
  for (const s of samples) {
    const parsed = md(s);
    t.deepEqual(md(unparseMarkdown(parsed.text, parsed.entities)), parsed, s);
  }
  t.is(unparseMarkdown('a*b_c [d]', []), 'a\\*b\\_c \\[d\\]');
});

test('unparse of server entities: overlap is split, kinds without syntax stay text', (t) => {
  const entities: tl.MessageEntity[] = [
    { _: 'messageEntityBold', offset: 0, length: 4 },
    { _: 'messageEntityItalic', offset: 2, length: 4 },
    { _: 'messageEntityHashtag', offset: 7, length: 3 },
  ];
  const out = unparseMarkdown('abcdef #hi', entities);
  // Italic opens while bold is open but outlives it: bold is split around it.
  t.is(out, '**ab**__**cd**ef__ #hi');
  t.deepEqual(md(out).text, 'abcdef #hi');
  // A blockquote that starts mid-line cannot be written; the text survives.
  t.is(md(unparseMarkdown('ab\ncd', [{ _: 'messageEntityBlockquote', offset: 1, length: 4 }])).text, 'ab\ncd');
  const e = t.throws(() => unparseMarkdown('ab', [{ _: 'messageEntityBold', offset: 1, length: 2 }]), { instanceOf: ParseError });
  t.is(e?.code, 'BAD_ENTITY');
});

test('parseText / unparseText pick the mode; no mode is plain text', (t) => {
  t.deepEqual(parseText('**a**', undefined), { text: '**a**', entities: [] });
  t.deepEqual(parseText('**a**', 'markdown'), parseText('<b>a</b>', 'html'));
  const { text, entities } = parseText('<b>a</b>', 'html');
  t.is(unparseText(text, entities, 'markdown'), '**a**');
  t.is(unparseText(text, entities, 'html'), '<b>a</b>');
});
