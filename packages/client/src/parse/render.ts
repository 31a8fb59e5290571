import type { tl } from '@telegram-mt/tl';
import { checkEntityRanges, compareEntities } from './entities.js';
import { ParseError } from './errors.js';

/** How many times entities may be split to nest; far above any real message (Telegram allows ~100 entities). */
const MAX_SPLITS = 1_000_000;

/** What an output format does with entities; used by the markdown and HTML unparsers. */
export interface EntityRenderer {
  /**
   * Markup that opens `e`, or null to leave it out (a kind the format has no
   * syntax for, or one that cannot sit where it is). `inLiteral` is true
   * inside a rendered entity that `literal` claims.
   */
  open(e: tl.MessageEntity, inLiteral: boolean): string | null;
  close(e: tl.MessageEntity): string;
  /** Escapes plain text. */
  text(chunk: string, inLiteral: boolean): string;
  /** Entities whose content the format shows verbatim (Markdown's code and pre). */
  literal?(e: tl.MessageEntity): boolean;
}

interface Frame {
  entity: tl.MessageEntity;
  end: number;
  rendered: boolean;
  literal: boolean;
  /** `out.length` right after the open markup: if still so at the close, the entity got no text. */
  mark: number;
}

/**
 * Walks text and entities in order and asks the renderer for markup. Entities
 * that overlap without nesting (possible in what a server sends) are split:
 * an entity that must open while a shorter one is open closes the shorter
 * one first and reopens it inside, so the markup always nests properly.
 */
export function renderEntities(text: string, entities: readonly tl.MessageEntity[], renderer: EntityRenderer): string {
  checkEntityRanges(text.length, entities);
  const sorted = entities.filter((e) => e.length > 0).sort(compareEntities);
  const stack: Frame[] = [];
  // Counted rather than searched for, so deep nesting stays linear.
  let literalDepth = 0;
  const push = (entity: tl.MessageEntity, end: number): void => {
    const markup = renderer.open(entity, literalDepth > 0);
    const literal = markup !== null && (renderer.literal?.(entity) ?? false);
    if (markup !== null) out.push(markup);
    if (literal) literalDepth++;
    stack.push({ entity, end, rendered: markup !== null, literal, mark: out.length });
  };
  const pop = (): Frame => {
    const frame = stack.pop()!;
    if (frame.rendered) {
      // Reopened and at once split again: take the open markup back rather than write an empty pair.
      if (out.length === frame.mark) out.pop();
      else out.push(renderer.close(frame.entity));
    }
    if (frame.literal) literalDepth--;
    return frame;
  };

  const out: string[] = [];
  let reopened = 0;
  let pos = 0;
  let next = 0;
  while (pos < text.length || stack.length > 0) {
    // Next boundary: where an open entity ends or a new one starts.
    let boundary = text.length;
    if (stack.length > 0) boundary = Math.min(boundary, stack[stack.length - 1]!.end);
    if (next < sorted.length) boundary = Math.min(boundary, sorted[next]!.offset);
    if (boundary > pos) {
      out.push(renderer.text(text.slice(pos, boundary), literalDepth > 0));
      pos = boundary;
    }
    while (stack.length > 0 && stack[stack.length - 1]!.end === pos) pop();
    while (next < sorted.length && sorted[next]!.offset === pos) {
      const entity = sorted[next++]!;
      const end = entity.offset + entity.length;
      const reopen: Frame[] = [];
      while (stack.length > 0 && stack[stack.length - 1]!.end < end) reopen.push(pop());
      push(entity, end);
      // Staircase overlaps split quadratically; a bound keeps hostile entity lists from eating memory.
      reopened += reopen.length;
      if (reopened > MAX_SPLITS) throw new ParseError('entities', 'BAD_ENTITY', entity.offset, `entities overlap too much to write as nested markup (over ${MAX_SPLITS} splits)`);
      for (let k = reopen.length - 1; k >= 0; k--) push(reopen[k]!.entity, reopen[k]!.end);
    }
    if (pos >= text.length && next >= sorted.length) {
      while (stack.length > 0) pop();
      break;
    }
  }
  return out.join('');
}
