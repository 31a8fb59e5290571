import type { tl } from '@telegram-mt/tl';
import { ParseError } from './errors.js';
import { classifyLink, linkEntity, sortEntities } from './entities.js';
import type { FormattedText } from './types.js';

/** Paired inline markers and the entity each one makes. */
const STYLE_MARKERS = {
  '**': 'messageEntityBold',
  '__': 'messageEntityItalic',
  '++': 'messageEntityUnderline',
  '~~': 'messageEntityStrike',
  '||': 'messageEntitySpoiler',
} as const;
type StyleMarker = keyof typeof STYLE_MARKERS;

// Characters that can start markup, in normal text and inside code.
const NORMAL_SPECIAL = /[\n\\`*_+~|!\[\]]/g;
const LITERAL_SPECIAL = /[\n\\`]/g;

interface OpenMark {
  /** `**` … for styles, `[` / `![` for links, `>` for a blockquote. */
  marker: string;
  /** Where the marker is in the source, for errors. */
  source: number;
  /** Where its text starts in the output. */
  start: number;
  /** Opening order: among entities with the same range, the one opened first is outer. */
  order: number;
  collapsed?: boolean;
}

interface Found {
  entity: tl.MessageEntity;
  order: number;
}

/**
 * Parses Telegram-flavoured Markdown into text and entities:
 * `**bold**`, `__italic__`, `++underline++`, `~~strike~~`, `||spoiler||`,
 * `` `code` ``, ```` ```lang\npre``` ````, `[text](url)`,
 * `[name](tg://user?id=123)`, `![👍](tg://emoji?id=5368324170671202286)`,
 * `> blockquote` lines (`**>` starts an expandable one), and `\` escaping
 * the next character. A single `*`, `_`, `+`, `~` or `|` is plain text; `[`
 * and `]` always mean a link, so escape them as `\[` `\]` in plain text.
 */
export function parseMarkdown(source: string): FormattedText {
  return new MarkdownParser(source).run();
}

class MarkdownParser {
  private out = '';
  private i = 0;
  private readonly stack: OpenMark[] = [];
  private readonly found: Found[] = [];
  private order = 0;
  private readonly openStyles: Record<StyleMarker, number> = { '**': 0, '__': 0, '++': 0, '~~': 0, '||': 0 };
  /** Cache for nextNewline: -2 not looked yet, -1 none left. */
  private newlineAt = -2;
  private quote: OpenMark | undefined;
  /** Inside `code` or ```pre```: only `\`` and `\\` are special. */
  private literal: { kind: 'code' | 'pre'; source: number; start: number; language: string } | undefined;

  constructor(private readonly src: string) {}

  private fail(code: ConstructorParameters<typeof ParseError>[1], position: number, detail: string): never {
    throw new ParseError('markdown', code, position, detail);
  }

  run(): FormattedText {
    const { src } = this;
    this.lineStart();
    while (this.i < src.length) {
      // Copy the run of ordinary characters up to the next one that may be markup in one go.
      const special = this.literal ? LITERAL_SPECIAL : NORMAL_SPECIAL;
      special.lastIndex = this.i;
      const hit = special.exec(src);
      const next = hit ? hit.index : src.length;
      if (next > this.i) {
        this.out += src.slice(this.i, next);
        this.i = next;
        if (next === src.length) break;
      }
      const c = src[this.i]!;
      if (c === '\n') {
        this.out += '\n';
        this.i++;
        this.lineStart();
      } else if (this.literal) {
        this.literalChar(c);
      } else {
        this.normalChar(c);
      }
    }
    if (this.literal) {
      this.fail('UNCLOSED', this.literal.source, this.literal.kind === 'pre' ? 'code block ``` is never closed' : 'inline code ` is never closed');
    }
    if (this.quote) this.closeQuote(this.out.length);
    const unclosed = this.stack[0];
    if (unclosed) this.fail('UNCLOSED', unclosed.source, `${unclosed.marker} is never closed`);
    return { text: this.out, entities: sortEntities(this.found.sort((a, b) => a.order - b.order).map((f) => f.entity)) };
  }

  private add(entity: tl.MessageEntity, order: number): void {
    if (entity.length > 0) this.found.push({ entity, order });
  }

  /** Blockquote lines: `>` continues (or starts) a quote, `**>` starts an expandable one. */
  private lineStart(): void {
    const { src } = this;
    const expandable = !this.literal && src.startsWith('**>', this.i);
    if (this.quote) {
      // The newline that ended the previous line is not part of the quote.
      if (expandable || src[this.i] !== '>') this.closeQuote(this.out.length - 1);
    }
    if (this.quote) {
      this.i += src[this.i + 1] === ' ' ? 2 : 1;
      return;
    }
    if (this.literal) return;
    if (expandable || src[this.i] === '>') {
      const mark: OpenMark = { marker: expandable ? '**>' : '>', source: this.i, start: this.out.length, order: this.order++, collapsed: expandable };
      this.i += expandable ? 3 : 1;
      if (src[this.i] === ' ') this.i++;
      this.quote = mark;
      this.stack.push(mark);
    }
  }

  private closeQuote(end: number): void {
    const quote = this.quote!;
    if (this.literal) {
      this.fail('UNCLOSED', this.literal.source, `${this.literal.kind === 'pre' ? '```' : '`'} is not closed before the blockquote ends`);
    }
    const top = this.stack[this.stack.length - 1]!;
    if (top !== quote) {
      this.fail('UNCLOSED', top.source, `${top.marker} is not closed before the blockquote ends`);
    }
    this.stack.pop();
    const entity: tl.messageEntityBlockquote = { _: 'messageEntityBlockquote', offset: quote.start, length: end - quote.start };
    if (quote.collapsed) entity.collapsed = true;
    this.add(entity, quote.order);
    this.quote = undefined;
  }

  private literalChar(c: string): void {
    const { src } = this;
    const lit = this.literal!;
    if (c === '\\' && (src[this.i + 1] === '`' || src[this.i + 1] === '\\')) {
      this.out += src[this.i + 1];
      this.i += 2;
      return;
    }
    if (lit.kind === 'pre' && src.startsWith('```', this.i)) {
      // The newline before the closing fence belongs to the markup, not the code.
      if (this.out.length > lit.start && this.out.endsWith('\n')) this.out = this.out.slice(0, -1);
      this.add({ _: 'messageEntityPre', offset: lit.start, length: this.out.length - lit.start, language: lit.language }, this.order++);
      this.literal = undefined;
      this.i += 3;
      return;
    }
    if (lit.kind === 'code' && c === '`') {
      this.add({ _: 'messageEntityCode', offset: lit.start, length: this.out.length - lit.start }, this.order++);
      this.literal = undefined;
      this.i++;
      return;
    }
    this.out += c;
    this.i++;
  }

  private normalChar(c: string): void {
    const { src } = this;
    const at = this.i;
    if (c === '\\') {
      const next = src[at + 1];
      if (next === undefined || next === '\n') this.fail('BAD_SYNTAX', at, 'a backslash must escape a character');
      // Escape a whole code point, so an escaped emoji stays one character.
      const cp = src.codePointAt(at + 1)!;
      const ch = String.fromCodePoint(cp);
      this.out += ch;
      this.i += 1 + ch.length;
      return;
    }
    if (c === '`') {
      if (src.startsWith('```', at)) {
        this.i += 3;
        // A first line with no closing fence on it is the language name.
        const newline = this.nextNewline(this.i);
        const fence = src.indexOf('```', this.i);
        let language = '';
        if (newline !== -1 && (fence === -1 || newline < fence)) {
          language = src.slice(this.i, newline).trim();
          this.i = newline + 1;
          this.literal = { kind: 'pre', source: at, start: this.out.length, language };
          this.lineStart();
        } else {
          this.literal = { kind: 'pre', source: at, start: this.out.length, language };
        }
        this.literal.start = this.out.length;
        return;
      }
      this.literal = { kind: 'code', source: at, start: this.out.length, language: '' };
      this.i++;
      return;
    }
    const pair = src.slice(at, at + 2);
    if (pair in STYLE_MARKERS) {
      this.toggle(pair as StyleMarker);
      return;
    }
    if (c === '[' || pair === '![') {
      const marker = c === '[' ? '[' : '![';
      this.stack.push({ marker, source: at, start: this.out.length, order: this.order++ });
      this.i += marker.length;
      return;
    }
    if (c === ']') {
      this.closeLink();
      return;
    }
    this.out += c;
    this.i++;
  }

  /** Where the next newline at or after `from` is (-1: none); remembered, so many fences stay linear. */
  private nextNewline(from: number): number {
    if (this.newlineAt !== -1 && this.newlineAt < from) this.newlineAt = this.src.indexOf('\n', from);
    else if (this.newlineAt === -2) this.newlineAt = this.src.indexOf('\n', from);
    return this.newlineAt;
  }

  private toggle(marker: StyleMarker): void {
    const at = this.i;
    this.i += 2;
    // Counted, not searched for: a stack of 10⁵ open links must not make each marker cost 10⁵.
    const open = this.openStyles[marker];
    if (open === 0) {
      this.stack.push({ marker, source: at, start: this.out.length, order: this.order++ });
      this.openStyles[marker]++;
      return;
    }
    if (this.stack[this.stack.length - 1]!.marker !== marker) {
      const top = this.stack[this.stack.length - 1]!;
      this.fail('MISMATCHED', at, `${marker} closes while ${top.marker} (opened at ${top.source}) is still open inside it`);
    }
    const mark = this.stack.pop()!;
    this.openStyles[marker]--;
    this.add({ _: STYLE_MARKERS[marker], offset: mark.start, length: this.out.length - mark.start }, mark.order);
  }

  private closeLink(): void {
    const { src } = this;
    const at = this.i;
    const top = this.stack[this.stack.length - 1];
    if (!top || (top.marker !== '[' && top.marker !== '![')) {
      if (this.stack.some((m) => m.marker === '[' || m.marker === '![')) {
        this.fail('MISMATCHED', at, `] closes a link while ${top!.marker} (opened at ${top!.source}) is still open inside it`);
      }
      this.fail('UNEXPECTED_CLOSE', at, '] without [ (write \\] for a literal bracket)');
    }
    if (src[at + 1] !== '(') this.fail('BAD_SYNTAX', at, '] must be followed by (url)');
    let url = '';
    let j = at + 2;
    for (;;) {
      const ch = src[j];
      if (ch === undefined || ch === '\n') this.fail('UNCLOSED', at + 1, 'link target ( is never closed');
      if (ch === ')') break;
      if (ch === '\\' && j + 1 < src.length) {
        url += src[j + 1];
        j += 2;
      } else {
        url += ch;
        j++;
      }
    }
    this.stack.pop();
    const length = this.out.length - top.start;
    if (length === 0) this.fail('EMPTY_TEXT', top.source, `${top.marker}…] has no text`);
    const target = classifyLink('markdown', url, at + 2, top.marker === '![');
    this.add(linkEntity(target, top.start, length), top.order);
    this.i = j + 1;
  }
}
