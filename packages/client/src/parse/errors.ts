/** What was wrong with the markup. */
export type ParseErrorCode =
  /** A marker or tag was opened and never closed. */
  | 'UNCLOSED'
  /** A closing marker or tag does not match the innermost open one (`<b><i></b>`). */
  | 'MISMATCHED'
  /** A closing marker or tag with nothing open to close. */
  | 'UNEXPECTED_CLOSE'
  /** An HTML tag this parser does not know (`<div>`), or a `<span>` that is not a spoiler. */
  | 'UNKNOWN_TAG'
  /** A required attribute is missing or has a bad value (`<a>` without href, `<tg-emoji>` without emoji-id). */
  | 'BAD_ATTRIBUTE'
  /** A link target that cannot be a URL (empty, whitespace or control characters). */
  | 'BAD_URL'
  /** A `tg://user?id=` link whose id is not a positive 64-bit integer. */
  | 'BAD_MENTION'
  /** A link, mention or custom emoji with no text. */
  | 'EMPTY_TEXT'
  /** An HTML character reference that is unknown or not a valid code point (`&foo;`, `&#xD800;`). */
  | 'BAD_CHAR_REF'
  /** Markup that cannot start here: a lone backslash, `<` that starts no tag, `]` not followed by `(`. */
  | 'BAD_SYNTAX'
  /** Entities given to unparse that do not fit the text (negative, fractional or past its end). */
  | 'BAD_ENTITY';

/**
 * Markdown or HTML that cannot be turned into text and entities without
 * guessing. `position` is the offset in the source string (UTF-16 code units,
 * as JavaScript indexes strings) where the problem was found.
 */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    readonly mode: 'markdown' | 'html' | 'entities',
    readonly code: ParseErrorCode,
    readonly position: number,
    detail: string,
  ) {
    super(`${mode}: ${detail} at position ${position}`);
  }
}
