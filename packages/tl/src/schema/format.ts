// The canonical text of a combinator, and its id: the CRC-32 of that text
// once normalised the way Telegram's tools do it — no id, no braces, `<…>`
// written as a space-separated application, an argument of type `bytes` spelled
// `string` (one encoding; inside `Vector<bytes>` the word stays), and `flags.N?true` arguments left out (they occupy no
// bytes on the wire, so adding one does not change the constructor).
import type { TlArg, TlCombinator, TlTypeRef } from './ast.js';
import { crc32 } from './crc32.js';

export interface FormatOptions {
  /** Write `name#xxxxxxxx` (8 lowercase hex digits). Default true. */
  withId?: boolean;
}

function isLower(name: string): boolean {
  const last = name.slice(name.lastIndexOf('.') + 1);
  const c = last.charCodeAt(0);
  return c >= 97 && c <= 122;
}

function formatType(ref: TlTypeRef, inArg: boolean, forId: boolean): string {
  if (ref.generic) return inArg ? `!${ref.name}` : ref.name;
  const name = ref.name;
  if (ref.param) {
    const head = ref.bare && name === 'Vector' ? '%Vector' : name;
    const inner = formatType(ref.param, false, forId);
    return forId ? `${head} ${inner}` : `${head}<${inner}>`;
  }
  if (ref.bare && !isLower(name) && name !== '#') return `%${name}`;
  return name;
}

function formatArg(a: TlArg, forId: boolean): string {
  // Only a whole argument type is respelled: `Vector<bytes>` keeps its `bytes`.
  const type = forId && a.type.name === 'bytes' && !a.type.param ? 'string' : formatType(a.type, true, forId);
  return a.flag ? `${a.name}:${a.flag.field}.${a.flag.bit}?${type}` : `${a.name}:${type}`;
}

function parts(c: TlCombinator, forId: boolean): string[] {
  const out: string[] = [];
  for (const g of c.generics) out.push(forId ? `${g.name}:${g.type}` : `{${g.name}:${g.type}}`);
  for (const a of c.args) {
    if (forId && a.flag && a.type.name === 'true') continue;
    out.push(formatArg(a, forId));
  }
  out.push('=', formatType(c.type, false, forId));
  return out;
}

/** The text whose CRC-32 is the combinator's id. */
export function canonicalText(c: TlCombinator): string {
  return [c.name, ...parts(c, true)].join(' ');
}

/** The id TL assigns to a combinator: CRC-32 of its normalised line. */
export function computeCombinatorId(c: TlCombinator): number {
  return crc32(canonicalText(c));
}

/** The combinator as one schema line, e.g. `pong#347773c5 msg_id:long ping_id:long = Pong;`. */
export function formatCombinator(c: TlCombinator, options: FormatOptions = {}): string {
  const head = options.withId === false ? c.name : `${c.name}#${(c.id >>> 0).toString(16).padStart(8, '0')}`;
  return `${[head, ...parts(c, false)].join(' ')};`;
}
