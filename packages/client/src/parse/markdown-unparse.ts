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
  const quotes = pickQuotes(text, entities);
  if (quotes.length === 0) return renderEntities(text, entities, inlineRenderer);
  // Blockquotes are line prefixes, so they are written around separately
  // rendered segments; entities crossing a segment boundary are clipped.
  const parts: string[] = [];
  let pos = 0;
  for (const q of quotes) {
    if (q.offset > pos) parts.push(renderSegment(text, entities, pos, q.offset));
    const body = renderSegment(text, entities, q.offset, q.offset + q.length).replace(/\n/g, '\n> ');
    parts.push((q._ === 'messageEntityBlockquote' && q.collapsed ? '**> ' : '> ') + body);
    pos = q.offset + q.length;
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
