import type { tl } from '@telegram-mt/tl';
import { mentionedUserId } from './entities.js';
import { renderEntities, type EntityRenderer } from './render.js';

const SIMPLE: Partial<Record<tl.MessageEntity['_'], string>> = {
  messageEntityBold: 'b',
  messageEntityItalic: 'i',
  messageEntityUnderline: 'u',
  messageEntityStrike: 's',
  messageEntitySpoiler: 'tg-spoiler',
  messageEntityCode: 'code',
  messageEntityBlockquote: 'blockquote',
};

const HTML_SPECIAL = /[&<>"]/;

export function escapeHtml(text: string): string {
  // Most text has nothing to escape: a test is cheaper than four replaces.
  if (!HTML_SPECIAL.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const htmlRenderer: EntityRenderer = {
  open(e) {
    switch (e._) {
      case 'messageEntityBlockquote':
        return e.collapsed ? '<blockquote expandable>' : '<blockquote>';
      case 'messageEntityPre':
        return e.language ? `<pre><code class="language-${escapeHtml(e.language)}">` : '<pre>';
      case 'messageEntityTextUrl':
        return `<a href="${escapeHtml(e.url)}">`;
      case 'messageEntityMentionName':
      case 'inputMessageEntityMentionName': {
        const id = mentionedUserId(e);
        return id === undefined ? null : `<a href="tg://user?id=${id}">`;
      }
      case 'messageEntityCustomEmoji':
        return `<tg-emoji emoji-id="${e.documentId}">`;
      default: {
        const tag = SIMPLE[e._];
        // Mentions, hashtags, URLs and the like are found in the text itself.
        return tag ? `<${tag}>` : null;
      }
    }
  },
  close(e) {
    switch (e._) {
      case 'messageEntityPre':
        return e.language ? '</code></pre>' : '</pre>';
      case 'messageEntityTextUrl':
      case 'messageEntityMentionName':
      case 'inputMessageEntityMentionName':
        return '</a>';
      case 'messageEntityCustomEmoji':
        return '</tg-emoji>';
      default:
        return `</${SIMPLE[e._]}>`;
    }
  },
  text: escapeHtml,
};

/**
 * Writes text and entities as the HTML that `parseHtml` reads back to the
 * same text and entities. Entity kinds without a tag (hashtags, plain URLs …)
 * stay plain text; overlapping entities come back split.
 */
export function unparseHtml(text: string, entities: readonly tl.MessageEntity[]): string {
  return renderEntities(text, entities, htmlRenderer);
}
