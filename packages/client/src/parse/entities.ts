import type { tl } from '@telegram-mt/tl';
import { ParseError } from './errors.js';

/** Largest user id a `tg://user?id=` link may carry (ids are 64-bit signed, users positive). */
const MAX_USER_ID = (1n << 63n) - 1n;

/**
 * Order in which entities sharing both offset and length nest, outermost
 * first: a blockquote wraps everything, links wrap styles, and code, pre and
 * custom emoji sit innermost because they cannot hold other formatting.
 */
function nestingRank(e: tl.MessageEntity): number {
  switch (e._) {
    case 'messageEntityBlockquote':
      return 0;
    case 'messageEntityTextUrl':
    case 'messageEntityMentionName':
    case 'inputMessageEntityMentionName':
      return 1;
    case 'messageEntityCode':
    case 'messageEntityPre':
    case 'messageEntityCustomEmoji':
      return 3;
    default:
      return 2;
  }
}

/** Sorts by offset, then outer before inner (longer first), then by nesting rank; stable otherwise. */
export function compareEntities(a: tl.MessageEntity, b: tl.MessageEntity): number {
  return a.offset - b.offset || b.length - a.length || nestingRank(a) - nestingRank(b);
}

export function sortEntities(entities: tl.MessageEntity[]): tl.MessageEntity[] {
  return entities.sort(compareEntities);
}

/** Throws unless every entity lies inside a text of `textLength` UTF-16 code units. */
export function checkEntityRanges(textLength: number, entities: readonly tl.MessageEntity[]): void {
  for (const e of entities) {
    const { offset, length } = e;
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > textLength) {
      throw new ParseError('entities', 'BAD_ENTITY', offset, `${e._} (offset ${offset}, length ${length}) does not fit a text of length ${textLength}`);
    }
  }
}

export type LinkTarget =
  | { kind: 'url'; url: string }
  | { kind: 'mention'; userId: bigint }
  | { kind: 'emoji'; documentId: bigint };

const MENTION = /^tg:\/\/user\?id=(\d{1,20})$/i;
const EMOJI = /^tg:\/\/emoji\?id=(-?\d{1,20})$/i;
// Whitespace and control characters never belong in a URL; Telegram rejects them too.
const BAD_URL_CHAR = /[\s\u0000-\u001f\u007f]/;

/**
 * Classifies a link target: `tg://user?id=N` is a mention of user N,
 * `tg://emoji?id=N` a custom emoji, anything else a URL. A target that
 * looks like a mention but is not a valid one is an error, not a URL.
 */
export function classifyLink(
  mode: 'markdown' | 'html',
  url: string,
  position: number,
  emoji: boolean,
): LinkTarget {
  if (url.length === 0) throw new ParseError(mode, 'BAD_URL', position, 'empty link target');
  if (BAD_URL_CHAR.test(url)) throw new ParseError(mode, 'BAD_URL', position, `link target ${JSON.stringify(url)} contains whitespace or control characters`);
  if (/^tg:\/\/user\b/i.test(url)) {
    const m = MENTION.exec(url);
    const id = m ? BigInt(m[1]!) : 0n;
    if (id <= 0n || id > MAX_USER_ID) throw new ParseError(mode, 'BAD_MENTION', position, `mention ${JSON.stringify(url)} needs tg://user?id=<positive user id>`);
    return { kind: 'mention', userId: id };
  }
  if (emoji) {
    const m = EMOJI.exec(url);
    if (!m) throw new ParseError(mode, 'BAD_URL', position, `custom emoji ${JSON.stringify(url)} needs tg://emoji?id=<document id>`);
    return { kind: 'emoji', documentId: parseDocumentId(mode, m[1]!, position) };
  }
  return { kind: 'url', url };
}

/** A custom emoji's document id: a 64-bit signed integer, as the TL `long` it is. */
export function parseDocumentId(mode: 'markdown' | 'html', raw: string, position: number): bigint {
  if (!/^-?\d{1,20}$/.test(raw)) throw new ParseError(mode, 'BAD_ATTRIBUTE', position, `custom emoji id ${JSON.stringify(raw)} is not an integer`);
  const id = BigInt(raw);
  if (id < -(1n << 63n) || id >= 1n << 63n) throw new ParseError(mode, 'BAD_ATTRIBUTE', position, `custom emoji id ${raw} does not fit 64 bits`);
  return id;
}

export function linkEntity(target: LinkTarget, offset: number, length: number): tl.MessageEntity {
  switch (target.kind) {
    case 'url':
      return { _: 'messageEntityTextUrl', offset, length, url: target.url };
    case 'mention':
      return { _: 'messageEntityMentionName', offset, length, userId: target.userId };
    case 'emoji':
      return { _: 'messageEntityCustomEmoji', offset, length, documentId: target.documentId };
  }
}

/** The user a mention entity names, for both the received and the sendable form. */
export function mentionedUserId(e: tl.MessageEntity): bigint | undefined {
  if (e._ === 'messageEntityMentionName') return e.userId;
  if (e._ === 'inputMessageEntityMentionName' && e.userId._ === 'inputUser') return e.userId.userId;
  return undefined;
}
