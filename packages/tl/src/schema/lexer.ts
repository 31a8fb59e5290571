// A pull lexer over TL schema text: one token at a time, no token array, so
// parsing the whole API layer allocates little more than the AST itself.
// Comments vanish here, except `// LAYER N`, the one comment that is a fact.
import { TlSchemaError } from '../errors.js';

export const WORD = 1;
export const PUNCT = 2;
export const SECTION = 3;
export const END = 4;
export type TokenKind = typeof WORD | typeof PUNCT | typeof SECTION | typeof END;

const LAYER_RE = /^\/\/\s*LAYER\s+(\d+)\s*$/;
const WORD_RE = /[A-Za-z0-9_.]+/y;
/** Characters with a meaning of their own in TL. */
const PUNCT_CHARS = new Set('#:?{}<>!%=[]*;()'.split('').map((c) => c.charCodeAt(0)));

export interface LexerState {
  pos: number;
  line: number;
  lineStart: number;
  spaced: boolean;
}

export class Lexer {
  /** The current token: kind, [start, end) in the text, 1-based line and column. */
  kind: TokenKind = END;
  start = 0;
  end = 0;
  line = 1;
  column = 1;
  /** True when whitespace or a comment comes right before the current token. */
  spaced = true;
  /** From a `// LAYER N` comment. */
  layer: number | undefined;

  private pos: number;
  private curLine = 1;
  private lineStart = 0;

  constructor(
    readonly text: string,
    readonly file?: string,
  ) {
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** The current token's text (`types` / `functions` for a section marker). */
  get value(): string {
    return this.kind === SECTION ? this.text.slice(this.start + 3, this.end - 3) : this.text.slice(this.start, this.end);
  }

  /** True when the current token is the punctuation character `c`. */
  is(c: string): boolean {
    return this.kind === PUNCT && this.text.charCodeAt(this.start) === c.charCodeAt(0);
  }

  /** Where the next call to next() resumes; restore() goes back to it. */
  save(): LexerState {
    return { pos: this.start, line: this.line, lineStart: this.start - this.column + 1, spaced: this.spaced };
  }

  restore(s: LexerState): void {
    this.pos = s.pos;
    this.curLine = s.line;
    this.lineStart = s.lineStart;
    this.next();
    this.spaced = s.spaced;
  }

  error(message: string, line = this.line, column = this.column): TlSchemaError {
    return new TlSchemaError(message, line, column, this.file);
  }

  next(): void {
    const text = this.text;
    const n = text.length;
    let pos = this.pos;
    let spaced = pos === 0;
    for (;;) {
      if (pos >= n) {
        this.setToken(END, pos, pos, spaced);
        return;
      }
      const c = text.charCodeAt(pos);
      if (c === 10) {
        pos++;
        this.curLine++;
        this.lineStart = pos;
        spaced = true;
      } else if (c === 32 || c === 9 || c === 13) {
        pos++;
        spaced = true;
      } else if (c === 47 /* / */ && text.charCodeAt(pos + 1) === 47) {
        let end = text.indexOf('\n', pos);
        if (end < 0) end = n;
        if (text.startsWith('LAYER', pos + 2) || text.startsWith(' LAYER', pos + 2)) {
          const m = LAYER_RE.exec(text.slice(pos, end).trimEnd());
          if (m) this.layer = Number(m[1]);
        }
        pos = end;
        spaced = true;
      } else if (c === 47 && text.charCodeAt(pos + 1) === 42 /* * */) {
        const end = text.indexOf('*/', pos + 2);
        if (end < 0) throw this.error('unterminated /* comment', this.curLine, pos - this.lineStart + 1);
        for (let j = text.indexOf('\n', pos); j >= 0 && j < end; j = text.indexOf('\n', j + 1)) {
          this.curLine++;
          this.lineStart = j + 1;
        }
        pos = end + 2;
        spaced = true;
      } else if (c === 45 /* - */ && text.startsWith('---', pos)) {
        const column = pos - this.lineStart + 1;
        const close = text.indexOf('---', pos + 3);
        const nl = text.indexOf('\n', pos);
        if (close < 0 || (nl >= 0 && close > nl)) {
          throw this.error('unterminated section marker (expected ---types--- or ---functions---)', this.curLine, column);
        }
        const name = text.slice(pos + 3, close);
        if (name !== 'types' && name !== 'functions') throw this.error(`unknown section '---${name}---'`, this.curLine, column);
        this.setToken(SECTION, pos, close + 3, true);
        return;
      } else if (PUNCT_CHARS.has(c)) {
        this.setToken(PUNCT, pos, pos + 1, spaced);
        return;
      } else {
        WORD_RE.lastIndex = pos;
        if (!WORD_RE.test(text)) {
          const ch = String.fromCodePoint(text.codePointAt(pos)!);
          throw this.error(`unexpected character ${JSON.stringify(ch)}`, this.curLine, pos - this.lineStart + 1);
        }
        this.setToken(WORD, pos, WORD_RE.lastIndex, spaced);
        return;
      }
    }
  }

  private setToken(kind: TokenKind, start: number, end: number, spaced: boolean): void {
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.line = this.curLine;
    this.column = start - this.lineStart + 1;
    this.spaced = spaced;
    this.pos = end;
  }
}
