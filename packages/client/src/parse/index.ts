// Text ⇄ entities: our own Markdown and HTML parsers and their inverses.
import type { tl } from '@telegram-mt/tl';
import { parseHtml } from './html.js';
import { parseMarkdown } from './markdown.js';
import { unparseHtml } from './html-unparse.js';
import { unparseMarkdown } from './markdown-unparse.js';
import type { FormattedText, ParseMode } from './types.js';

export { ParseError, type ParseErrorCode } from './errors.js';
export type { FormattedText, ParseMode } from './types.js';
export { parseMarkdown, unparseMarkdown, parseHtml, unparseHtml };
export { escapeHtml } from './html-unparse.js';
export { sortEntities } from './entities.js';
export { toSendableEntities } from './sendable.js';

/** Parses `source` in the given mode; `undefined` mode means plain text with no entities. */
export function parseText(source: string, mode: ParseMode | undefined): FormattedText {
  if (mode === 'markdown') return parseMarkdown(source);
  if (mode === 'html') return parseHtml(source);
  return { text: source, entities: [] };
}

export function unparseText(text: string, entities: readonly tl.MessageEntity[], mode: ParseMode): string {
  return mode === 'markdown' ? unparseMarkdown(text, entities) : unparseHtml(text, entities);
}
