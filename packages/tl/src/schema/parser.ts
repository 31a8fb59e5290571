// TL schema text → TlSchema. Covers the dialect Telegram writes: sections,
// comments, `// LAYER N`, explicit and computed ids, `#` fields and
// `flags.N?T`, `Vector<T>` / `vector<T>` / `%T`, and `{X:Type}` generics with
// `!X`. The builtin declarations (`int ? = Int;`, `vector {t:Type} # [ t ] =
// Vector t;`, `int128 4*[ int ] = Int128;`) are recognised and kept apart:
// they describe the runtime's own encodings, not constructors to generate.
import type { TlArg, TlCombinator, TlSchema, TlTypeRef } from './ast.js';
import { crc32 } from './crc32.js';
import { computeCombinatorId } from './format.js';
import { END, Lexer, SECTION, WORD, type LexerState } from './lexer.js';

/** One declaration as the text wrote it. */
export type TlDeclaration =
  | {
      kind: 'combinator';
      combinator: TlCombinator;
      /** The `#xxxxxxxx` written in the text, when there is one. */
      explicitId?: number;
    }
  | {
      /** A builtin (`int ? = Int;`, `vector … # [ t ] = Vector t;`): not a constructor for codegen. */
      kind: 'builtin';
      name: string;
      line: number;
      explicitId?: number;
      /** The CRC-32 of its normalised text; what `vector#1cb5c415` is checked against. */
      computedId: number;
    };

export interface TlDeclarations {
  declarations: TlDeclaration[];
  layer?: number;
}

const NAME_RE = /^[a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)?$/;
const ARG_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLAG_RE = /^([a-zA-Z_][a-zA-Z0-9_]*)\.(\d+)$/;
const HEX_RE = /^[0-9a-fA-F]{1,8}$/;
/** The commonest type words, known valid without a regex test. */
const BUILTIN_NAMES = new Set(['int', 'long', 'string', 'bytes', 'double', 'true', 'Bool', 'int128', 'int256', 'Object']);
/** Telegram nests Vector at most twice; a bound keeps hostile text from exhausting the stack. */
const MAX_NESTING = 16;

function isLower(name: string): boolean {
  const c = name.charCodeAt(name.lastIndexOf('.') + 1);
  return c >= 97 && c <= 122;
}

/** Parses a schema; builtin declarations are left out of `constructors`. */
export function parseSchema(text: string, file?: string): TlSchema {
  const { declarations, layer } = readDeclarations(text, file);
  const constructors: TlCombinator[] = [];
  const methods: TlCombinator[] = [];
  for (const d of declarations) {
    if (d.kind !== 'combinator') continue;
    (d.combinator.kind === 'constructor' ? constructors : methods).push(d.combinator);
  }
  return layer === undefined ? { constructors, methods } : { constructors, methods, layer };
}

/** Every declaration in order, builtins included, with the id as written. */
export function readDeclarations(text: string, file?: string): TlDeclarations {
  const lx = new Lexer(text, file);
  const declarations: TlDeclaration[] = [];
  const seen = { constructor: new Map<string, number>(), method: new Map<string, number>() };
  let kind: 'constructor' | 'method' = 'constructor';
  lx.next();
  while (lx.kind !== END) {
    if (lx.kind === SECTION) {
      kind = lx.value === 'functions' ? 'method' : 'constructor';
      lx.next();
      continue;
    }
    if (lx.is(';')) throw lx.error("empty declaration (stray ';')");
    const column = lx.column;
    const d = new DeclarationParser(lx, kind).parse();
    if (d.kind === 'combinator') {
      const c = d.combinator;
      const prev = seen[c.kind].get(c.name);
      if (prev !== undefined) throw lx.error(`${c.kind} '${c.name}' is already declared on line ${prev}`, c.line, column);
      seen[c.kind].set(c.name, c.line);
    }
    declarations.push(d);
  }
  return lx.layer === undefined ? { declarations } : { declarations, layer: lx.layer };
}

/** Parses one declaration, from its name through its `;`. */
class DeclarationParser {
  private readonly generics: { name: string; type: string }[] = [];
  private readonly args: TlArg[] = [];
  private hashFields: string[] = [];

  constructor(
    private readonly lx: Lexer,
    private readonly kind: 'constructor' | 'method',
  ) {}

  parse(): TlDeclaration {
    const lx = this.lx;
    const line = lx.line;
    const column = lx.column;
    const name = this.word('a combinator name');
    if (!NAME_RE.test(name)) throw lx.error(`invalid combinator name '${name}'`, line, column);
    let explicitId: number | undefined;
    if (lx.is('#') && !lx.spaced) {
      lx.next();
      if (lx.kind !== WORD || lx.spaced || !HEX_RE.test(lx.value)) throw lx.error('expected up to 8 hex digits of the id after #');
      explicitId = parseInt(lx.value, 16) >>> 0;
      lx.next();
    }
    const afterName = lx.save();
    if (lx.is('?')) return this.builtin(name, line, explicitId, afterName);
    while (lx.is('{')) this.generic();
    while (!lx.is('=')) {
      if (lx.kind !== WORD) {
        // An anonymous `#` or `[ … ]` only occurs in the builtin `vector`.
        if (lx.is('#') || lx.is('[')) return this.builtin(name, line, explicitId, afterName);
        throw lx.error(lx.kind === END || lx.is(';') ? "expected '=' and the result type" : "expected an argument 'name:type' or '='");
      }
      if (!this.arg()) return this.builtin(name, line, explicitId, afterName);
    }
    lx.next();
    const type = this.resultType();
    if (!lx.is(';')) throw lx.error(lx.kind === END ? "declaration not ended by ';'" : "expected ';' after the result type");
    lx.next();

    const combinator: TlCombinator = { kind: this.kind, name, id: 0, generics: this.generics, args: this.args, type, line };
    combinator.id = explicitId ?? computeCombinatorId(combinator);
    return explicitId === undefined ? { kind: 'combinator', combinator } : { kind: 'combinator', combinator, explicitId };
  }

  /** Skips a builtin declaration, keeping its name and the id its text gives. */
  private builtin(name: string, line: number, explicitId: number | undefined, from: LexerState): TlDeclaration {
    const lx = this.lx;
    lx.restore(from);
    // Rebuild the line token by token: braces dropped, spacing kept.
    let text = name;
    let space = false;
    let sawEquals = false;
    let resultWords = 0;
    while (!lx.is(';')) {
      if (lx.kind === END || lx.kind === SECTION) throw lx.error("declaration not ended by ';'");
      if (sawEquals && lx.kind === WORD) resultWords++;
      if (lx.is('=')) sawEquals = true;
      if (lx.is('{') || lx.is('}')) {
        space ||= lx.spaced;
      } else {
        text += (lx.spaced || space ? ' ' : '') + lx.value;
        space = false;
      }
      lx.next();
    }
    if (!sawEquals) throw lx.error("expected '=' and the result type");
    if (resultWords === 0) throw lx.error('expected the result type after =');
    lx.next();
    const d: TlDeclaration = { kind: 'builtin', name, line, computedId: crc32(text) };
    if (explicitId !== undefined) d.explicitId = explicitId;
    return d;
  }

  /** `{X:Type}` */
  private generic(): void {
    const lx = this.lx;
    lx.next();
    const line = lx.line;
    const column = lx.column;
    const name = this.word('a type parameter name');
    this.expect(':');
    if (lx.kind === WORD && lx.value !== 'Type') throw lx.error(`type parameters must be of kind 'Type', not '${lx.value}'`);
    const type = this.word("the parameter kind 'Type'");
    this.expect('}');
    if (this.generics.some((g) => g.name === name)) throw lx.error(`type parameter '${name}' declared twice`, line, column);
    this.generics.push({ name, type });
  }

  /** `name:T`, `name:#`, `name:flags.N?T`. False when this turns out to be a builtin (`4*[ int ]`). */
  private arg(): boolean {
    const lx = this.lx;
    const line = lx.line;
    const column = lx.column;
    const name = lx.value;
    lx.next();
    if (lx.is('*')) return false;
    if (!ARG_NAME_RE.test(name)) throw lx.error(`invalid argument name '${name}'`, line, column);
    for (const a of this.args) if (a.name === name) throw lx.error(`argument '${name}' declared twice`, line, column);
    this.expect(':');
    if (lx.is('#')) {
      lx.next();
      this.hashFields.push(name);
      this.args.push({ name, type: { name: '#', bare: true } });
      return true;
    }
    if (lx.kind === WORD) {
      const word = lx.value;
      // Cheap test first: a flag reference is the only type word with `.<digit>`.
      const dot = word.indexOf('.');
      const c = dot > 0 ? word.charCodeAt(dot + 1) : 0;
      const flag = c >= 48 && c <= 57 ? FLAG_RE.exec(word) : null;
      if (flag) {
        const fLine = lx.line;
        const fColumn = lx.column;
        lx.next();
        if (!lx.is('?')) throw lx.error(`expected '?' after ${flag[0]}`);
        const field = flag[1]!;
        const bit = Number(flag[2]);
        if (!this.hashFields.includes(field)) throw lx.error(`'${field}' is not a # field declared before this argument`, fLine, fColumn);
        if (bit > 31) throw lx.error(`flag bit ${bit} is out of range 0..31`, fLine, fColumn);
        lx.next();
        this.args.push({ name, type: this.typeRef(true), flag: { field, bit } });
        return true;
      }
    }
    this.args.push({ name, type: this.typeRef(true) });
    return true;
  }

  /** A type after `name:` (or inside `<…>`); `!X` only where `allowBang`. */
  private typeRef(allowBang: boolean, depth = 0): TlTypeRef {
    const lx = this.lx;
    if (depth > MAX_NESTING) throw lx.error(`type nested deeper than ${MAX_NESTING} levels`);
    if (lx.is('!')) {
      if (!allowBang) throw lx.error("'!' is not allowed here");
      lx.next();
      const line = lx.line;
      const column = lx.column;
      const name = this.word('a type parameter after !');
      if (!this.generics.some((g) => g.name === name)) throw lx.error(`'!${name}' names no {${name}:Type} parameter`, line, column);
      return { name, bare: false, generic: true };
    }
    let bare = false;
    const line = lx.line;
    const column = lx.column;
    if (lx.is('%')) {
      bare = true;
      lx.next();
    }
    const nameColumn = lx.column;
    const name = this.word('a type');
    if (!BUILTIN_NAMES.has(name) && !NAME_RE.test(name)) throw lx.error(`invalid type name '${name}'`, line, nameColumn);
    if (lx.is('<')) {
      if (name !== 'Vector' && name !== 'vector') throw lx.error(`only Vector and vector take a type parameter, not '${name}'`);
      lx.next();
      const param = this.typeRef(false, depth + 1);
      this.expect('>');
      return { name, bare: bare || name === 'vector', param };
    }
    if (name === 'Vector' || name === 'vector') throw lx.error(`${name} needs an element type: ${name}<T>`, line, nameColumn);
    if (!bare && this.generics.length && this.generics.some((g) => g.name === name)) {
      throw lx.error(`type parameter '${name}' must be written '!${name}' here`, line, nameColumn);
    }
    const lower = isLower(name);
    if (bare && lower) throw lx.error(`'%' applies to a type, not the constructor '${name}'`, line, column);
    return { name, bare: bare || lower };
  }

  private resultType(): TlTypeRef {
    const lx = this.lx;
    if (lx.is('%') || lx.is('!')) throw lx.error(`the result type cannot start with '${lx.value}'`);
    if (lx.kind === WORD && this.generics.length && this.generics.some((g) => g.name === lx.value)) {
      const name = lx.value;
      lx.next();
      return { name, bare: false, generic: true };
    }
    const line = lx.line;
    const column = lx.column;
    const ref = this.typeRef(false);
    if (ref.bare && ref.name !== 'vector' && this.kind === 'constructor') {
      throw lx.error(`a constructor's result must be a type, not '${ref.name}'`, line, column);
    }
    return ref;
  }

  private word(what: string): string {
    const lx = this.lx;
    if (lx.kind !== WORD) throw lx.error(`expected ${what}${this.found()}`);
    const v = lx.value;
    lx.next();
    return v;
  }

  private expect(c: string): void {
    const lx = this.lx;
    if (!lx.is(c)) throw lx.error(`expected '${c}'${this.found()}`);
    lx.next();
  }

  private found(): string {
    const lx = this.lx;
    if (lx.kind === END) return ' but the text ended';
    if (lx.kind === SECTION) return ` but found '---${lx.value}---'`;
    return ` but found '${lx.value}'`;
  }
}
