import type { tl } from '@telegram-mt/tl';
import { ParseError, type ParseErrorCode } from './errors.js';
import { classifyLink, linkEntity, parseDocumentId, sortEntities } from './entities.js';
import type { FormattedText } from './types.js';

const SIMPLE_TAGS: Record<string, tl.MessageEntity['_']> = {
  b: 'messageEntityBold',
  strong: 'messageEntityBold',
  i: 'messageEntityItalic',
  em: 'messageEntityItalic',
  u: 'messageEntityUnderline',
  ins: 'messageEntityUnderline',
  s: 'messageEntityStrike',
  strike: 'messageEntityStrike',
  del: 'messageEntityStrike',
  'tg-spoiler': 'messageEntitySpoiler',
  code: 'messageEntityCode',
};

const TEXT_END = /[<&]/g;

const NAMED_REFS: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };

interface OpenTag {
  name: string;
  source: number;
  start: number;
  order: number;
  /** The entity to make when the tag closes; undefined for a `<code>` merged into its `<pre>`. */
  make: ((offset: number, length: number) => tl.MessageEntity) | undefined;
  /** Set on `<pre>` so a `<code class="language-x">` right inside it can name the language. */
  pre?: { language: string };
}

/**
 * Parses the HTML subset Telegram understands into text and entities:
 * `<b>`/`<strong>`, `<i>`/`<em>`, `<u>`/`<ins>`, `<s>`/`<strike>`/`<del>`,
 * `<tg-spoiler>` or `<span class="tg-spoiler">`, `<code>`, `<pre>` with an
 * optional `<code class="language-x">` inside, `<a href>` (a
 * `tg://user?id=N` href mentions user N), `<blockquote>` (optionally
 * `expandable`), `<tg-emoji emoji-id>`, and the character references
 * `&lt; &gt; &amp; &quot; &apos; &nbsp;` and `&#N;` / `&#xN;`. Text is kept as
 * written (no whitespace collapsing); `<br>` is a newline.
 */
export function parseHtml(source: string): FormattedText {
  let out = '';
  let order = 0;
  const stack: OpenTag[] = [];
  const found: { entity: tl.MessageEntity; order: number }[] = [];
  const fail = (code: ParseErrorCode, position: number, detail: string): never => {
    throw new ParseError('html', code, position, detail);
  };

  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '&') {
      const { text, next } = readCharRef(source, i);
      out += text;
      i = next;
      continue;
    }
    if (c !== '<') {
      // Plain text runs to the next tag or reference.
      TEXT_END.lastIndex = i;
      const end = TEXT_END.exec(source)?.index ?? source.length;
      out += source.slice(i, end);
      i = end;
      continue;
    }
    const tag = readTag(source, i);
    i = tag.next;
    if (tag.closing) {
      const top = stack[stack.length - 1];
      if (!top) fail('UNEXPECTED_CLOSE', tag.source, `</${tag.name}> closes nothing`);
      if (top!.name !== tag.name) {
        if (stack.some((t) => t.name === tag.name)) fail('MISMATCHED', tag.source, `</${tag.name}> closes while <${top!.name}> (opened at ${top!.source}) is still open inside it`);
        fail('UNEXPECTED_CLOSE', tag.source, `</${tag.name}> closes nothing`);
      }
      stack.pop();
      const length = out.length - top!.start;
      if (top!.make) {
        const entity = top!.make(top!.start, length);
        if ((entity._ === 'messageEntityTextUrl' || entity._ === 'messageEntityMentionName' || entity._ === 'messageEntityCustomEmoji') && length === 0) {
          fail('EMPTY_TEXT', top!.source, `<${top!.name}> has no text`);
        }
        if (length > 0) found.push({ entity, order: top!.order });
      }
      continue;
    }
    if (tag.name === 'br') {
      out += '\n';
      continue;
    }
    const open = openTag(tag, stack[stack.length - 1], out.length, fail);
    if (tag.selfClosing) fail('BAD_SYNTAX', tag.source, `<${tag.name}/> cannot be self-closing`);
    // Built field by field: an object spread here cost more than the rest of the parse.
    const frame: OpenTag = { name: tag.name, source: tag.source, start: out.length, order: order++, make: open.make };
    if (open.pre) frame.pre = open.pre;
    stack.push(frame);
  }
  const unclosed = stack[0];
  if (unclosed) fail('UNCLOSED', unclosed.source, `<${unclosed.name}> is never closed`);
  return { text: out, entities: sortEntities(found.sort((a, b) => a.order - b.order).map((f) => f.entity)) };
}

interface Tag {
  name: string;
  closing: boolean;
  selfClosing: boolean;
  attrs: Map<string, string>;
  source: number;
  next: number;
}

type Fail = (code: ParseErrorCode, position: number, detail: string) => never;

function openTag(tag: Tag, parent: OpenTag | undefined, at: number, fail: Fail): Pick<OpenTag, 'make' | 'pre'> {
  const { name, attrs } = tag;
  if (name === 'code' && parent?.pre && parent.start === at) {
    // <pre><code class="language-x"> is one pre entity in language x.
    const cls = attrs.get('class') ?? '';
    const m = /(?:^|\s)language-(\S+)/.exec(cls);
    if (m) parent.pre.language = m[1]!;
    return { make: undefined };
  }
  const simple = SIMPLE_TAGS[name];
  if (simple) return { make: (offset, length) => ({ _: simple, offset, length }) as tl.MessageEntity };
  switch (name) {
    case 'span': {
      if (!(attrs.get('class') ?? '').split(/\s+/).includes('tg-spoiler')) fail('UNKNOWN_TAG', tag.source, '<span> is only understood as <span class="tg-spoiler">');
      return { make: (offset, length) => ({ _: 'messageEntitySpoiler', offset, length }) };
    }
    case 'pre': {
      const pre = { language: attrs.get('language') ?? '' };
      return { pre, make: (offset, length) => ({ _: 'messageEntityPre', offset, length, language: pre.language }) };
    }
    case 'a': {
      const href = attrs.get('href');
      if (href === undefined) fail('BAD_ATTRIBUTE', tag.source, '<a> needs an href');
      const target = classifyLink('html', href!.trim(), tag.source, false);
      return { make: (offset, length) => linkEntity(target, offset, length) };
    }
    case 'blockquote': {
      const collapsed = attrs.has('expandable');
      return {
        make: (offset, length) => (collapsed ? { _: 'messageEntityBlockquote', offset, length, collapsed } : { _: 'messageEntityBlockquote', offset, length }),
      };
    }
    case 'tg-emoji': {
      const raw = attrs.get('emoji-id');
      if (raw === undefined) fail('BAD_ATTRIBUTE', tag.source, '<tg-emoji> needs an emoji-id');
      const documentId = parseDocumentId('html', raw!, tag.source);
      return { make: (offset, length) => ({ _: 'messageEntityCustomEmoji', offset, length, documentId }) };
    }
    default:
      return fail('UNKNOWN_TAG', tag.source, `<${name}> is not a tag Telegram understands`);
  }
}

const NAME = /[a-z][a-z0-9-]*/iy;
const ATTR_NAME = /[^\s"'<>\/=]+/y;

/** Reads `<name attr="v" …>` or `</name>` starting at `<`. */
function readTag(src: string, at: number): Tag {
  const fail = (code: ParseErrorCode, position: number, detail: string): never => {
    throw new ParseError('html', code, position, detail);
  };
  let i = at + 1;
  const closing = src[i] === '/';
  if (closing) i++;
  NAME.lastIndex = i;
  const m = NAME.exec(src);
  if (!m) fail('BAD_SYNTAX', at, '< starts no tag (write &lt; for a literal <)');
  const name = m![0].toLowerCase();
  i = NAME.lastIndex;
  const attrs = new Map<string, string>();
  let selfClosing = false;
  for (;;) {
    while (i < src.length && /\s/.test(src[i]!)) i++;
    const c = src[i];
    if (c === undefined) fail('UNCLOSED', at, `<${closing ? '/' : ''}${name} is never closed with >`);
    if (c === '>') {
      i++;
      break;
    }
    if (c === '/' && src[i + 1] === '>') {
      selfClosing = true;
      i += 2;
      break;
    }
    if (closing) fail('BAD_SYNTAX', i, `</${name}> cannot have attributes`);
    ATTR_NAME.lastIndex = i;
    const a = ATTR_NAME.exec(src);
    if (!a) fail('BAD_SYNTAX', i, `unexpected ${JSON.stringify(c)} in <${name}>`);
    const attr = a![0].toLowerCase();
    i = ATTR_NAME.lastIndex;
    while (i < src.length && /\s/.test(src[i]!)) i++;
    let value = '';
    if (src[i] === '=') {
      i++;
      while (i < src.length && /\s/.test(src[i]!)) i++;
      const q = src[i];
      if (q === '"' || q === "'") {
        const end = src.indexOf(q, i + 1);
        if (end === -1) fail('UNCLOSED', i, `attribute ${attr} of <${name}> has no closing ${q}`);
        value = decodeRefs(src, i + 1, end);
        i = end + 1;
      } else {
        const start = i;
        while (i < src.length && !/[\s>]/.test(src[i]!)) i++;
        if (i === start) fail('BAD_SYNTAX', i, `attribute ${attr} of <${name}> has no value`);
        value = decodeRefs(src, start, i);
      }
    }
    if (attrs.has(attr)) fail('BAD_ATTRIBUTE', i, `<${name}> repeats the attribute ${attr}`);
    attrs.set(attr, value);
  }
  return { name, closing, selfClosing, attrs, source: at, next: i };
}

function decodeRefs(src: string, from: number, to: number): string {
  let out = '';
  let i = from;
  while (i < to) {
    const amp = src.indexOf('&', i);
    if (amp === -1 || amp >= to) {
      out += src.slice(i, to);
      break;
    }
    out += src.slice(i, amp);
    const ref = readCharRef(src.slice(0, to), amp);
    out += ref.text;
    i = ref.next;
  }
  return out;
}

const CHAR_REF = /&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,7}|[a-zA-Z][a-zA-Z0-9]{0,31});/y;

/**
 * Decodes the character reference at `&`. A `&` that starts none (`a & b`)
 * is a literal ampersand; a well-formed one that is unknown or names no
 * character is an error rather than a guess.
 */
function readCharRef(src: string, at: number): { text: string; next: number } {
  CHAR_REF.lastIndex = at;
  const m = CHAR_REF.exec(src);
  if (!m) return { text: '&', next: at + 1 };
  const body = m[1]!;
  let text: string | undefined;
  if (body[0] === '#') {
    const cp = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    // Surrogates and NUL are not characters; nor is anything past U+10FFFF.
    if (cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) text = String.fromCodePoint(cp);
  } else {
    text = NAMED_REFS[body];
  }
  if (text === undefined) throw new ParseError('html', 'BAD_CHAR_REF', at, `${m[0]} is not a character reference this parser knows`);
  return { text, next: CHAR_REF.lastIndex };
}
