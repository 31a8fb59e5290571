// Splits TL schema text into tokens with their 1-based line and column.
// Comments vanish here, except that `// LAYER N` is reported, since it is
// the only comment that carries a fact.
import { TlSchemaError } from '../errors.js';

export type TokenKind = 'word' | 'punct' | 'section';

export interface Token {
  kind: TokenKind;
  /** `word`: the identifier or number; `punct`: one character; `section`: `types` or `functions`. */
  text: string;
  line: number;
  column: number;
  /** True when whitespace or a comment separates this token from the previous one. */
  spaced: boolean;
}

export interface LexResult {
  tokens: Token[];
  layer?: number;
}

const PUNCT = '#:?{}<>!%=[]*;()';
const LAYER_RE = /^\/\/\s*LAYER\s+(\d+)\s*$/;

function isWordChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    c === 95 || // _
    c === 46 // .  (namespaces, and `flags.3`)
  );
}

export function lex(text: string, file?: string): LexResult {
  const tokens: Token[] = [];
  let layer: number | undefined;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = 0;
  let spaced = true;
  const n = text.length;
  const fail = (msg: string, at: number, atLine = line, atLineStart = lineStart): never => {
    throw new TlSchemaError(msg, atLine, at - atLineStart + 1, file);
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      i++;
      line++;
      lineStart = i;
      spaced = true;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) {
      i++;
      spaced = true;
      continue;
    }
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      let end = text.indexOf('\n', i);
      if (end < 0) end = n;
      const m = LAYER_RE.exec(text.slice(i, end).trimEnd());
      if (m) layer = Number(m[1]);
      i = end;
      spaced = true;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail('unterminated /* comment', i);
      for (let j = i; j < end; j++) {
        if (text.charCodeAt(j) === 10) {
          line++;
          lineStart = j + 1;
        }
      }
      i = end + 2;
      spaced = true;
      continue;
    }
    const column = i - lineStart + 1;
    if (c === 45 /* - */ && text.startsWith('---', i)) {
      const end = text.indexOf('---', i + 3);
      const nl = text.indexOf('\n', i);
      if (end < 0 || (nl >= 0 && end > nl)) fail('unterminated section marker (expected ---types--- or ---functions---)', i);
      const name = text.slice(i + 3, end);
      if (name !== 'types' && name !== 'functions') fail(`unknown section '---${name}---'`, i);
      tokens.push({ kind: 'section', text: name, line, column, spaced: true });
      i = end + 3;
      spaced = true;
      continue;
    }
    if (isWordChar(c)) {
      const start = i;
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), line, column, spaced });
      spaced = false;
      continue;
    }
    const ch = text[i]!;
    if (PUNCT.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, line, column, spaced });
      i++;
      spaced = false;
      continue;
    }
    fail(`unexpected character ${JSON.stringify(ch)}`, i);
  }
  return layer === undefined ? { tokens } : { tokens, layer };
}
