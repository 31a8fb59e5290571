// TL schema text → TlSchema. Covers the dialect Telegram writes: sections,
// comments, `// LAYER N`, explicit and computed ids, `#` fields and
// `flags.N?T`, `Vector<T>` / `vector<T>` / `%T`, and `{X:Type}` generics with
// `!X`. The builtin declarations (`int ? = Int;`, `vector {t:Type} # [ t ] =
// Vector t;`, `int128 4*[ int ] = Int128;`) are recognised and kept apart:
// they describe the runtime's own encodings, not constructors to generate.
import { TlSchemaError } from '../errors.js';
import type { TlArg, TlCombinator, TlSchema, TlTypeRef } from './ast.js';
import { computeCombinatorId } from './format.js';
import { crc32 } from './crc32.js';
import { lex, type Token } from './lexer.js';

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
      /** The id its normalised text gives; meaningful for `vector` only. */
      computedId: number;
    };

export interface TlDeclarations {
  declarations: TlDeclaration[];
  layer?: number;
}

const NAME_RE = /^[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)?$/;
const ARG_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLAG_RE = /^([a-zA-Z_][a-zA-Z0-9_]*)\.(\d+)$/;
const HEX_RE = /^[0-9a-fA-F]{1,8}$/;

function isLower(name: string): boolean {
  const last = name.slice(name.lastIndexOf('.') + 1);
  const c = last.charCodeAt(0);
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
  const { tokens, layer } = lex(text, file);
  const declarations: TlDeclaration[] = [];
  const seen = { constructor: new Map<string, number>(), method: new Map<string, number>() };
  let kind: 'constructor' | 'method' = 'constructor';
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'section') {
      if (i > start) throw err(tokens[start]!, "declaration not ended by ';' before the section marker", file);
      kind = t.text === 'functions' ? 'method' : 'constructor';
      start = i + 1;
      continue;
    }
    if (t.kind === 'punct' && t.text === ';') {
      if (i === start) throw err(t, "empty declaration (stray ';')", file);
      const d = new DeclarationParser(tokens, start, i, kind, file).parse();
      if (d.kind === 'combinator') {
        const c = d.combinator;
        const prev = seen[c.kind].get(c.name);
        if (prev !== undefined) {
          throw new TlSchemaError(`${c.kind} '${c.name}' is already declared on line ${prev}`, c.line, tokens[start]!.column, file);
        }
        seen[c.kind].set(c.name, c.line);
      }
      declarations.push(d);
      start = i + 1;
    }
  }
  if (start < tokens.length) {
    const last = tokens[tokens.length - 1]!;
    throw new TlSchemaError("declaration not ended by ';'", last.line, last.column + last.text.length, file);
  }
  return layer === undefined ? { declarations } : { declarations, layer };
}

function err(t: Token, message: string, file?: string): TlSchemaError {
  return new TlSchemaError(message, t.line, t.column, file);
}

/** Parses tokens[from, to) — one declaration without its `;`. */
class DeclarationParser {
  private pos: number;
  private readonly generics: { name: string; type: string }[] = [];
  private readonly args: TlArg[] = [];
  private readonly hashFields = new Set<string>();

  constructor(
    private readonly tokens: Token[],
    private readonly from: number,
    private readonly to: number,
    private readonly kind: 'constructor' | 'method',
    private readonly file: string | undefined,
  ) {
    this.pos = from;
  }

  parse(): TlDeclaration {
    const nameTok = this.word('a combinator name');
    if (!NAME_RE.test(nameTok.text)) throw this.fail(nameTok, `invalid combinator name '${nameTok.text}'`);
    let explicitId: number | undefined;
    const hash = this.peek();
    if (hash && hash.text === '#' && !hash.spaced) {
      this.pos++;
      const idTok = this.peek();
      if (!idTok || idTok.kind !== 'word' || idTok.spaced || !HEX_RE.test(idTok.text)) {
        throw this.fail(idTok ?? hash, 'expected up to 8 hex digits of the id after #');
      }
      this.pos++;
      explicitId = parseInt(idTok.text, 16) >>> 0;
    }
    if (this.isBuiltin()) return this.builtin(nameTok, explicitId);

    while (this.peekText() === '{') this.generic();
    while (this.pos < this.to && this.peekText() !== '=') this.arg();
    this.expect('=');
    const type = this.resultType();
    if (this.pos < this.to) throw this.fail(this.tokens[this.pos]!, "expected ';' after the result type");

    const combinator: TlCombinator = {
      kind: this.kind,
      name: nameTok.text,
      id: 0,
      generics: this.generics,
      args: this.args,
      type,
      line: nameTok.line,
    };
    combinator.id = explicitId ?? computeCombinatorId(combinator);
    return explicitId === undefined ? { kind: 'combinator', combinator } : { kind: 'combinator', combinator, explicitId };
  }

  /** `name ? = T` or a declaration that uses `[ … ]` repetition. */
  private isBuiltin(): boolean {
    if (this.peekText() === '?') return true;
    for (let i = this.pos; i < this.to; i++) {
      const t = this.tokens[i]!;
      if (t.text === '=') return false;
      if (t.text === '[') return true;
    }
    return false;
  }

  private builtin(nameTok: Token, explicitId: number | undefined): TlDeclaration {
    const eq = this.tokens.slice(this.pos, this.to).findIndex((t) => t.text === '=');
    if (eq < 0) throw this.fail(this.tokens[this.to - 1] ?? nameTok, "expected '=' in the builtin declaration");
    const result = this.tokens.slice(this.pos + eq + 1, this.to);
    if (result.length === 0 || result[0]!.kind !== 'word') throw this.fail(this.tokens[this.pos + eq]!, 'expected the result type after =');
    // Rebuild the line token by token, braces removed and spacing kept.
    let text = nameTok.text;
    let pendingSpace = false;
    for (let i = this.pos; i < this.to; i++) {
      const t = this.tokens[i]!;
      if (t.text === '{' || t.text === '}') {
        pendingSpace ||= t.spaced;
        continue;
      }
      text += (t.spaced || pendingSpace ? ' ' : '') + t.text;
      pendingSpace = false;
    }
    const d: TlDeclaration = { kind: 'builtin', name: nameTok.text, line: nameTok.line, computedId: crc32(text) };
    if (explicitId !== undefined) d.explicitId = explicitId;
    return d;
  }

  /** `{X:Type}` */
  private generic(): void {
    this.expect('{');
    const name = this.word('a type parameter name');
    this.expect(':');
    const type = this.word('the parameter kind (Type)');
    if (type.text !== 'Type') throw this.fail(type, `type parameters must be of kind 'Type', not '${type.text}'`);
    this.expect('}');
    if (this.generics.some((g) => g.name === name.text)) throw this.fail(name, `type parameter '${name.text}' declared twice`);
    this.generics.push({ name: name.text, type: type.text });
  }

  /** `name:T`, `name:#`, `name:flags.N?T` */
  private arg(): void {
    const nameTok = this.word("an argument 'name:type' or '='");
    if (!ARG_NAME_RE.test(nameTok.text)) throw this.fail(nameTok, `invalid argument name '${nameTok.text}'`);
    if (this.args.some((a) => a.name === nameTok.text)) throw this.fail(nameTok, `argument '${nameTok.text}' declared twice`);
    this.expect(':');
    const next = this.peek();
    if (next && next.text === '#') {
      this.pos++;
      this.hashFields.add(nameTok.text);
      this.args.push({ name: nameTok.text, type: { name: '#', bare: true } });
      return;
    }
    const flagMatch = next && next.kind === 'word' ? FLAG_RE.exec(next.text) : null;
    if (flagMatch && this.tokens[this.pos + 1]?.text === '?') {
      const field = flagMatch[1]!;
      const bit = Number(flagMatch[2]);
      if (!this.hashFields.has(field)) throw this.fail(next!, `'${field}' is not a # field declared before this argument`);
      if (bit > 31) throw this.fail(next!, `flag bit ${bit} is out of range 0..31`);
      this.pos += 2;
      const type = this.typeRef(true);
      this.args.push({ name: nameTok.text, type, flag: { field, bit } });
      return;
    }
    this.args.push({ name: nameTok.text, type: this.typeRef(true) });
  }

  /** A type after `name:`; `!X` only where `allowBang`. */
  private typeRef(allowBang: boolean): TlTypeRef {
    const t = this.peek();
    if (!t) throw this.fail(this.tokens[this.to - 1]!, 'expected a type');
    if (t.text === '!') {
      if (!allowBang) throw this.fail(t, "'!' is not allowed here");
      this.pos++;
      const name = this.word('a type parameter after !');
      if (!this.generics.some((g) => g.name === name.text)) {
        throw this.fail(name, `'!${name.text}' names no {${name.text}:Type} parameter`);
      }
      return { name: name.text, bare: false, generic: true };
    }
    let bare = false;
    if (t.text === '%') {
      this.pos++;
      bare = true;
    }
    const nameTok = this.word('a type name');
    if (!NAME_RE.test(nameTok.text)) throw this.fail(nameTok, `invalid type name '${nameTok.text}'`);
    const name = nameTok.text;
    if (this.peekText() === '<') {
      if (name !== 'Vector' && name !== 'vector') throw this.fail(this.peek()!, `only Vector and vector take a type parameter, not '${name}'`);
      this.pos++;
      const param = this.typeRef(false);
      this.expect('>');
      return { name, bare: bare || name === 'vector', param };
    }
    if (name === 'Vector' || name === 'vector') throw this.fail(nameTok, `${name} needs an element type: ${name}<T>`);
    if (!bare && this.generics.some((g) => g.name === name)) {
      throw this.fail(nameTok, `type parameter '${name}' must be written '!${name}' in an argument`);
    }
    if (bare && isLower(name)) throw this.fail(t, `'%' applies to a type name, not the constructor '${name}'`);
    return { name, bare: bare || isLower(name) };
  }

  private resultType(): TlTypeRef {
    const t = this.peek();
    if (!t) throw this.fail(this.tokens[this.pos - 1]!, 'expected the result type after =');
    if (t.text === '%' || t.text === '!') throw this.fail(t, `the result type cannot start with '${t.text}'`);
    if (t.kind === 'word' && this.generics.some((g) => g.name === t.text)) {
      this.pos++;
      return { name: t.text, bare: false, generic: true };
    }
    const ref = this.typeRef(false);
    if (ref.bare && ref.name !== 'vector' && this.kind === 'constructor') {
      throw this.fail(t, `a constructor's result must be a type, not '${ref.name}'`);
    }
    return ref;
  }

  private peek(): Token | undefined {
    return this.pos < this.to ? this.tokens[this.pos] : undefined;
  }

  private peekText(): string | undefined {
    return this.pos < this.to ? this.tokens[this.pos]!.text : undefined;
  }

  private word(what: string): Token {
    const t = this.peek();
    if (!t || t.kind !== 'word') throw this.fail(t ?? this.tokens[this.to] ?? this.tokens[this.to - 1]!, `expected ${what}`);
    this.pos++;
    return t;
  }

  private expect(text: string): Token {
    const t = this.peek();
    if (!t || t.text !== text) {
      throw this.fail(t ?? this.tokens[this.to] ?? this.tokens[this.to - 1]!, `expected '${text}'${t ? ` but found '${t.text}'` : ''}`);
    }
    this.pos++;
    return t;
  }

  private fail(t: Token, message: string): TlSchemaError {
    return err(t, message, this.file);
  }
}
