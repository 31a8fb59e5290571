// The parsed form of a TL schema: what the parser produces, and what the code
// generator and the schema-driven codec (old layers) consume.

/**
 * A type expression as written on the right of `name:` or after `=`.
 *
 * - `int`, `long`, `string`, `bytes`, `int128`, `int256`, `double`, `true`,
 *   `Bool`, `Object`, `#` are builtins and keep those names.
 * - `Vector<T>` is `{ name: 'Vector', bare: false, param }`; `vector<T>` and
 *   `%Vector<T>` are `{ name: 'vector' | 'Vector', bare: true, param }`.
 * - `%Message` is `{ name: 'Message', bare: true }`; a lowercase constructor
 *   name used as a type (`future_salt`, `message`) is bare as well.
 * - `!X` is `{ name: 'X', bare: false, generic: true }` where X was declared
 *   in `{X:Type}`; plain `X` in the result of such a method is the same with
 *   `generic: true` too.
 */
export interface TlTypeRef {
  /** The name as written, namespace included (`messages.Messages`), without `%` or `!`. */
  name: string;
  /** True for `%T`, for bare vectors and for lowercase (constructor) names. */
  bare: boolean;
  /** The element type of `Vector<T>` / `vector<T>`. */
  param?: TlTypeRef;
  /** True when the name refers to a `{X:Type}` parameter of the combinator. */
  generic?: boolean;
}

/** `flags.N?T`: the argument is present only when bit N of `flags` is set. */
export interface TlFlagRef {
  /** The name of the `#` field holding the bit (`flags`, `flags2`). */
  field: string;
  /** Bit number, 0..31. */
  bit: number;
}

export interface TlArg {
  /** Name as written in the schema (snake_case). */
  name: string;
  /** For a `#` field: `{ name: '#', bare: true }`. For `flags.N?true`: `{ name: 'true', bare: true }`. */
  type: TlTypeRef;
  /** Set for `flags.N?T`. */
  flag?: TlFlagRef;
}

export interface TlCombinator {
  kind: 'constructor' | 'method';
  /** Full name with namespace, as written: `messages.sendMessage`, `resPQ`, `req_pq_multi`. */
  name: string;
  /** The 32-bit id as an unsigned integer. Explicit (`#xxxxxxxx`) or computed from the line. */
  id: number;
  /** The `{X:Type}` parameters, in order. */
  generics: { name: string; type: string }[];
  args: TlArg[];
  /** The constructor's abstract type, or the method's result type. */
  type: TlTypeRef;
  /** Where it came from: 1-based line in the source text. */
  line: number;
}

export interface TlSchema {
  constructors: TlCombinator[];
  methods: TlCombinator[];
  /** From a `// LAYER N` comment, when the text has one. */
  layer?: number;
}
