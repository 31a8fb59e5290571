import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { ParseError, parseHtml, parseMarkdown, toSendableEntities, unparseHtml, type ParseErrorCode } from '../src/parse/index.js';

test('each tag and its synonyms', (t) => {
  const { text, entities } = parseHtml(
    '<b>1</b><strong>2</strong><i>3</i><em>4</em><u>5</u><ins>6</ins><s>7</s><strike>8</strike><del>9</del>' +
      '<tg-spoiler>a</tg-spoiler><span class="tg-spoiler">b</span><code>c</code>',
  );
  t.is(text, '123456789abc');
  const kinds = entities.map((e) => e._);
  t.deepEqual(kinds, [
    'messageEntityBold', 'messageEntityBold', 'messageEntityItalic', 'messageEntityItalic',
    'messageEntityUnderline', 'messageEntityUnderline', 'messageEntityStrike', 'messageEntityStrike', 'messageEntityStrike',
    'messageEntitySpoiler', 'messageEntitySpoiler', 'messageEntityCode',
  ]);
  entities.forEach((e, i) => t.deepEqual([e.offset, e.length], [i, 1]));
});

test('nested tags and emoji offsets', (t) => {
  t.deepEqual(parseHtml('👍 <B>a😀<i>b</i></B> <u>c</u>'), {
    text: '👍 a😀b c',
    entities: [
      { _: 'messageEntityBold', offset: 3, length: 4 },
      { _: 'messageEntityItalic', offset: 6, length: 1 },
      { _: 'messageEntityUnderline', offset: 8, length: 1 },
    ],
  });
});

test('pre with a language, links, mentions, blockquotes, custom emoji', (t) => {
  t.deepEqual(parseHtml('<pre><code class="language-ts">let a = 1 &lt; 2;</code></pre>'), {
    text: 'let a = 1 < 2;',
    entities: [{ _: 'messageEntityPre', offset: 0, length: 14, language: 'ts' }],
  });
  t.deepEqual(parseHtml('<pre>plain</pre>').entities, [{ _: 'messageEntityPre', offset: 0, length: 5, language: '' }]);
  t.deepEqual(
    parseHtml(`<a href="https://e.com/?a=1&amp;b=2">site</a> <a href='tg://user?id=42'>Bob</a> <blockquote>q</blockquote><blockquote expandable>x</blockquote><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`),
    {
      text: 'site Bob qx👍',
      entities: [
        { _: 'messageEntityTextUrl', offset: 0, length: 4, url: 'https://e.com/?a=1&b=2' },
        { _: 'messageEntityMentionName', offset: 5, length: 3, userId: 42n },
        { _: 'messageEntityBlockquote', offset: 9, length: 1 },
        { _: 'messageEntityBlockquote', offset: 10, length: 1, collapsed: true },
        { _: 'messageEntityCustomEmoji', offset: 11, length: 2, documentId: 5368324170671202286n },
      ],
    },
  );
});

test('character references; text kept as written', (t) => {
  t.deepEqual(parseHtml('&lt;&gt;&amp;&quot;&apos;&#65;&#x1F44D; a & b\n  c > d'), { text: '<>&"\'A👍 a & b\n  c > d', entities: [] });
  t.deepEqual(parseHtml('a<br>b<br/>c'), { text: 'a\nb\nc', entities: [] });
});

test('markdown and HTML give the same entities', (t) => {
  t.deepEqual(
    parseHtml('<b>x <i>y</i></b> <a href="tg://user?id=7">z</a> <code>c</code>'),
    parseMarkdown('**x __y__** [z](tg://user?id=7) `c`'),
  );
});

const bad: [string, ParseErrorCode, number][] = [
  ['<b>x', 'UNCLOSED', 0],
  ['<b><i>x</b></i>', 'MISMATCHED', 7],
  ['x</b>', 'UNEXPECTED_CLOSE', 1],
  ['<div>x</div>', 'UNKNOWN_TAG', 0],
  ['<span>x</span>', 'UNKNOWN_TAG', 0],
  ['<a>x</a>', 'BAD_ATTRIBUTE', 0],
  ['<a href="tg://user?id=-1">x</a>', 'BAD_MENTION', 0],
  ['<a href="">x</a>', 'BAD_URL', 0],
  ['<a href="http://x"></a>', 'EMPTY_TEXT', 0],
  ['<tg-emoji>x</tg-emoji>', 'BAD_ATTRIBUTE', 0],
  ['<tg-emoji emoji-id="abc">x</tg-emoji>', 'BAD_ATTRIBUTE', 0],
  ['1 < 2', 'BAD_SYNTAX', 2],
  ['<b', 'UNCLOSED', 0],
  ['<a href="x>y</a>', 'UNCLOSED', 8],
  ['&bogus;', 'BAD_CHAR_REF', 0],
  ['&#xD800;', 'BAD_CHAR_REF', 0],
  ['&#0;', 'BAD_CHAR_REF', 0],
  ['<b/>', 'BAD_SYNTAX', 0],
  ['<b class="a" class="b">x</b>', 'BAD_ATTRIBUTE', 22],
];
for (const [source, code, position] of bad) {
  test(`malformed: ${JSON.stringify(source)} → ${code}`, (t) => {
    const e = t.throws(() => parseHtml(source), { instanceOf: ParseError });
    t.is(e?.code, code);
    t.is(e?.position, position);
    t.is(e?.mode, 'html');
  });
}

test('unparse writes what parse reads back', (t) => {
  const samples = [
    '👍 <b>a😀<i>b</i></b> <u>c</u> <s>d</s> <tg-spoiler>e</tg-spoiler>',
    '<pre><code class="language-ts">let a = 1 &lt; 2;</code></pre><pre>x</pre>',
    '<a href="https://e.com/?a=1&amp;b=2&quot;">site</a> <a href="tg://user?id=42">Bob</a>',
    '<blockquote>q <b>b</b></blockquote>\n<blockquote expandable>x</blockquote><tg-emoji emoji-id="-5">👍</tg-emoji>',
    'a &amp; b &lt;c&gt;',
  ];
  for (const s of samples) {
    const parsed = parseHtml(s);
    t.deepEqual(parseHtml(unparseHtml(parsed.text, parsed.entities)), parsed, s);
  }
});

test('unparse of server entities: overlap split, unknown kinds plain, sendable mention', (t) => {
  const entities: tl.MessageEntity[] = [
    { _: 'messageEntityBold', offset: 0, length: 4 },
    { _: 'messageEntityItalic', offset: 2, length: 4 },
    { _: 'messageEntityUrl', offset: 7, length: 5 },
    { _: 'inputMessageEntityMentionName', offset: 13, length: 1, userId: { _: 'inputUser', userId: 9n, accessHash: 1n } },
  ];
  t.is(unparseHtml('abcdef e.com @', entities), '<b>ab</b><i><b>cd</b>ef</i> e.com <a href="tg://user?id=9">@</a>');
});

test('mentions become sendable with an access hash, or a typed error', async (t) => {
  const { entities } = parseHtml('<b>hi</b> <a href="tg://user?id=42">Bob</a>');
  const known = new Map([[42n, { _: 'inputUser', userId: 42n, accessHash: 99n } as const]]);
  t.deepEqual(await toSendableEntities(entities, (id) => known.get(id)), [
    { _: 'messageEntityBold', offset: 0, length: 2 },
    { _: 'inputMessageEntityMentionName', offset: 3, length: 3, userId: { _: 'inputUser', userId: 42n, accessHash: 99n } },
  ]);
  const e = await t.throwsAsync(() => toSendableEntities(entities, async () => undefined), { instanceOf: ParseError });
  t.is(e?.code, 'BAD_MENTION');
  t.is(e?.position, 3);
});
