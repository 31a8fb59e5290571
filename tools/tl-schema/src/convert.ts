// mtcute's JSON form of a combinator → our TlCombinator. The JSON keeps the
// facts we need (name, id, arguments, flag predicates, vectors, generics) and
// some we drop on purpose (`comment` prose, `throws`, `available`).
import type { TlArg, TlCombinator, TlTypeRef } from '../../../packages/tl/src/schema/index.js';

interface JsonModifiers {
  predicate?: string;
  isVector?: boolean;
  isBareVector?: boolean;
  isBareType?: boolean;
  /** The element's constructor id for bare types: derivable, so not needed. */
  constructorId?: number;
}

export interface JsonArg {
  name: string;
  type: string;
  typeModifiers?: JsonModifiers;
}

export interface JsonEntry {
  kind: 'class' | 'method';
  name: string;
  id: number;
  type: string;
  arguments: JsonArg[];
  generics?: { name: string; type: string }[];
  typeModifiers?: JsonModifiers;
}

const KNOWN_MODIFIERS = new Set(['predicate', 'isVector', 'isBareVector', 'isBareType', 'constructorId']);
const PREDICATE_RE = /^([a-zA-Z_][a-zA-Z0-9_]*)\.(\d+)$/;

export interface ConvertOptions {
  /** A prefix the source puts on every name (`mt_` in the MTProto JSON). */
  stripPrefix?: string;
  /** Names that are methods although the source calls them classes. */
  methods?: ReadonlySet<string>;
}

function isLower(name: string): boolean {
  const last = name.slice(name.lastIndexOf('.') + 1);
  return /^[a-z]/.test(last);
}

export function convertEntry(e: JsonEntry, opts: ConvertOptions = {}): TlCombinator {
  const where = `${e.name}#${e.id.toString(16)}`;
  const unprefix = (n: string): string =>
    opts.stripPrefix && n.startsWith(opts.stripPrefix) ? n.slice(opts.stripPrefix.length) : n;
  const genericNames = new Set((e.generics ?? []).map((g) => g.name));

  const baseType = (raw: string, bareType: boolean): TlTypeRef => {
    if (raw.startsWith('!')) {
      const name = raw.slice(1);
      if (!genericNames.has(name)) throw new Error(`${where}: '!${name}' without a {${name}:Type}`);
      return { name, bare: false, generic: true };
    }
    if (genericNames.has(raw)) return { name: raw, bare: false, generic: true };
    // int53 is mtcute's own name for a long that fits a JS number.
    const name = raw === 'int53' ? 'long' : unprefix(raw);
    return { name, bare: bareType || isLower(name) };
  };

  const withModifiers = (raw: string, mods: JsonModifiers | undefined): TlTypeRef => {
    for (const k of Object.keys(mods ?? {})) {
      if (!KNOWN_MODIFIERS.has(k)) throw new Error(`${where}: unknown type modifier '${k}'`);
    }
    const elem = baseType(raw, mods?.isBareType === true);
    if (mods?.isVector && mods.isBareVector) throw new Error(`${where}: both isVector and isBareVector`);
    if (mods?.isVector) return { name: 'Vector', bare: false, param: elem };
    if (mods?.isBareVector) return { name: 'vector', bare: true, param: elem };
    return elem;
  };

  const args: TlArg[] = e.arguments.map((a) => {
    const type: TlTypeRef = a.type === '#' ? { name: '#', bare: true } : withModifiers(a.type, a.typeModifiers);
    const arg: TlArg = { name: a.name, type };
    const pred = a.typeModifiers?.predicate;
    if (pred !== undefined) {
      const m = PREDICATE_RE.exec(pred);
      if (!m) throw new Error(`${where}: bad predicate '${pred}' on ${a.name}`);
      arg.flag = { field: m[1]!, bit: Number(m[2]) };
    }
    return arg;
  });

  const name = unprefix(e.name);
  const isMethod = e.kind === 'method' || (opts.methods?.has(name) ?? false);
  // On a method the entry's own isVector means "returns Vector<type>".
  const resultMods = e.typeModifiers?.isVector ? { isVector: true } : undefined;
  return {
    kind: isMethod ? 'method' : 'constructor',
    name,
    id: e.id >>> 0,
    generics: (e.generics ?? []).map((g) => ({ name: g.name, type: g.type })),
    args,
    type: withModifiers(e.type, resultMods),
    line: 0,
  };
}
