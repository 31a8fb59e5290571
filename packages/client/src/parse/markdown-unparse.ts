import type { tl } from '@telegram-mt/tl';
import { checkEntityRanges, mentionedUserId } from './entities.js';
import { renderEntities, type EntityRenderer } from './render.js';

const STYLE: Partial<Record<tl.MessageEntity['_'], string>> = {
  messageEntityBold: '**',
  messageEntityItalic: '__',
  messageEntityUnderline: '++',
  messageEntityStrike: '~~',
  messageEntitySpoiler: '||',
};

// Every character the parser gives a meaning to; `(` and `)` only matter inside a link target.
const SPECIAL = /[\\*_+~|`[\]!>]/g;
const LITERAL_SPECIAL = /[\\`]/g;

const isLiteral = (e: tl.MessageEntity): boolean => e._ === 'messageEntityCode' || e._ === 'messageEntityPre';

const inlineRenderer: EntityRenderer = {
  literal: isLiteral,
  open(e, inLiteral) {
    // Code and pre show their content verbatim: nothing can be formatted inside them.
    if (inLiteral) return null;
    const style = STYLE[e._];
    if (style) return style;
    switch (e._) {
      case 'messageEntityCode':
        return '`';
      case 'messageEntityPre':
        return '```' + e.language + '\n';
      case 'messageEntityTextUrl':
      case 'messageEntityMentionName':
      case 'inputMessageEntityMentionName':
        return mentionedUserId(e) === undefined && e._ !== 'messageEntityTextUrl' ? null : '[';
      case 'messageEntityCustomEmoji':
        return '![';
      default:
        // Mentions, hashtags, URLs and the like are found in the text itself.
        return null;
    }
  },
  close(e) {
    const style = STYLE[e._];
    if (style) return style;
    switch (e._) {
      case 'messageEntityCode':
        return '`';
      case 'messageEntityPre':
        return '\n```';
      case 'messageEntityTextUrl':
        return `](${escapeTarget(e.url)})`;
      case 'messageEntityCustomEmoji':
        return `](tg://emoji?id=${e.documentId})`;
      default:
        return `](tg://user?id=${mentionedUserId(e)})`;
    }
  },
  text(chunk, inLiteral) {
    const special = inLiteral ? LITERAL_SPECIAL : SPECIAL;
    special.lastIndex = 0;
    if (!special.test(chunk)) return chunk;
    return chunk.replace(special, '\\$&');
  },
};

function escapeTarget(url: string): string {
  return url.replace(/[\\)]/g, '\\$&');
}

/**
 * Writes text and entities as the Markdown that `parseMarkdown` reads back
 * to the same text and entities. Entity kinds without Markdown syntax
 * (hashtags, plain URLs …) stay plain text; a blockquote must cover whole
 * lines to be written as one; overlapping entities come back split.
 */
export function unparseMarkdown(text: string, entities: readonly tl.MessageEntity[]): string {
  checkEntityRanges(text.length, entities);
  entities = mergeOverlappingStyles(entities);
  const quotes = pickQuotes(text, entities);
  if (quotes.length === 0) return renderEntities(text, entities, inlineRenderer);
  // Blockquotes are line prefixes, so they are written around separately
  // rendered segments; entities crossing a segment boundary are clipped.
  // The newlines around a quote are written bare, outside every segment, so
  // no closing markup lands after the newline before a quote (where `>` must
  // start the line) and no opening markup lands at the end of its last line.
  const parts: string[] = [];
  let pos = 0;
  for (const q of quotes) {
    if (q.offset > pos) parts.push(renderSegment(text, entities, pos, q.offset - 1), '\n');
    const body = renderSegment(text, entities, q.offset, q.offset + q.length).replace(/\n/g, '\n> ');
    parts.push((q.collapsed ? '**> ' : '> ') + body);
    pos = q.offset + q.length;
    if (pos < text.length) {
      parts.push('\n');
      pos++;
    }
  }
  if (pos < text.length) parts.push(renderSegment(text, entities, pos, text.length));
  return parts.join('');
}

/** Blockquotes that Markdown can express: whole lines, not nested in one another, in order. */
function pickQuotes(text: string, entities: readonly tl.MessageEntity[]): tl.messageEntityBlockquote[] {
  const quotes = entities
    .filter((e): e is tl.messageEntityBlockquote => e._ === 'messageEntityBlockquote' && e.length > 0)
    .filter((e) => (e.offset === 0 || text[e.offset - 1] === '\n') && (e.offset + e.length === text.length || text[e.offset + e.length] === '\n'))
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  const picked: tl.messageEntityBlockquote[] = [];
  let end = -1;
  for (const q of quotes) {
    // Quotes on consecutive lines would read back as one, unless the second
    // starts with the expandable marker `**>`; such a quote stays plain text.
    if (q.offset > end + 1 || (q.offset === end + 1 && q.collapsed) || end === -1) {
      picked.push(q);
      end = q.offset + q.length;
    }
  }
  return picked;
}

function renderSegment(text: string, entities: readonly tl.MessageEntity[], from: number, to: number): string {
  const clipped: tl.MessageEntity[] = [];
  for (const e of entities) {
    if (e._ === 'messageEntityBlockquote') continue;
    const start = Math.max(e.offset, from);
    const end = Math.min(e.offset + e.length, to);
    if (end > start) clipped.push({ ...e, offset: start - from, length: end - start });
  }
  return renderEntities(text.slice(from, to), clipped, inlineRenderer);
}

/**
 * A marker toggles, so `**` cannot open inside `**`: overlapping entities of
 * one style kind are written as their union, which formats the same text.
 */
function mergeOverlappingStyles(entities: readonly tl.MessageEntity[]): tl.MessageEntity[] {
  const out: tl.MessageEntity[] = [];
  const byKind = new Map<string, tl.MessageEntity[]>();
  for (const e of entities) {
    if (STYLE[e._] || e._ === 'messageEntityCode') {
      const list = byKind.get(e._) ?? [];
      list.push(e);
      byKind.set(e._, list);
    } else {
      out.push(e);
    }
  }
  for (const list of byKind.values()) {
    list.sort((a, b) => a.offset - b.offset);
    let current: tl.MessageEntity | undefined;
    for (const e of list) {
      if (current && e.offset < current.offset + current.length) {
        current.length = Math.max(current.length, e.offset + e.length - current.offset);
      } else {
        current = { ...e };
        out.push(current);
      }
    }
  }
  return out;
}
