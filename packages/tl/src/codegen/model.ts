// The schema as the generators see it: constructors and methods from several
// files merged, abstract types grouped, and the builtins set apart.
import type { TlCombinator, TlSchema, TlTypeRef } from '../schema/ast.js';

/** Types the runtime reads and writes itself; never constructors of their own. */
export const BUILTIN_TYPES = new Set(['int', 'long', 'double', 'string', 'bytes', 'int128', 'int256', 'Bool', 'true', '#']);

/** Constructors of builtin types that the schema text declares but the runtime handles. */
const BUILTIN_CONSTRUCTORS = new Set(['boolFalse', 'boolTrue', 'vector', 'true', 'gzip_packed']);

export interface LayerModel {
  layer: number;
  constructors: TlCombinator[];
  methods: TlCombinator[];
  /** Abstract type name → its constructors. */
  types: Map<string, TlCombinator[]>;
  /** Constructor name → constructor. */
  byName: Map<string, TlCombinator>;
}

/**
 * Merges schemas into one layer. Where a later schema (api.tl) declares a
 * constructor or type name an earlier one (mtproto.tl) also uses — MTProto's
 * bare `message … = Message` inside msg_container against the API's `message`
 * — the earlier one is renamed `mt_<name>` everywhere inside its own schema.
 */
export function buildModel(input: TlSchema[]): LayerModel {
  const schemas = input.map((schema, i) => renameShadowed(schema, input.slice(i + 1)));
  const constructors: TlCombinator[] = [];
  const methods: TlCombinator[] = [];
  const byName = new Map<string, TlCombinator>();
  const methodNames = new Set<string>();
  const ids = new Map<number, string>();
  let layer = 0;
  for (const schema of schemas) {
    if (schema.layer !== undefined) layer = schema.layer;
    for (const c of [...schema.constructors, ...schema.methods]) {
      if (BUILTIN_CONSTRUCTORS.has(c.name) && c.kind === 'constructor') continue;
      const seen = ids.get(c.id);
      if (seen !== undefined) {
        if (seen === c.name) continue; // the same line in two files
        throw new Error(`id 0x${c.id.toString(16)} is both '${seen}' and '${c.name}'`);
      }
      ids.set(c.id, c.name);
      if (c.kind === 'constructor') {
        if (byName.has(c.name)) throw new Error(`constructor '${c.name}' is declared twice with different ids`);
        byName.set(c.name, c);
        constructors.push(c);
      } else {
        if (methodNames.has(c.name)) throw new Error(`method '${c.name}' is declared twice with different ids`);
        methodNames.add(c.name);
        methods.push(c);
      }
    }
  }
  const types = new Map<string, TlCombinator[]>();
  for (const c of constructors) {
    const list = types.get(c.type.name);
    if (list) list.push(c);
    else types.set(c.type.name, [c]);
  }
  return { layer, constructors, methods, types, byName };
}

/** `reply_to_msg_id` → `replyToMsgId`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/gi, (_, ch: string) => ch.toUpperCase());
}

/** A name usable inside a JS identifier: `messages.sendMessage` → `messages$sendMessage`. */
export function mangle(name: string): string {
  return name.replace(/\./g, '$');
}

export function isBareRef(ref: TlTypeRef, model: LayerModel): boolean {
  if (ref.bare) return true;
  const last = ref.name.slice(ref.name.lastIndexOf('.') + 1);
  return /^[a-z]/.test(last) && model.byName.has(ref.name);
}

/** The constructor a bare reference (`%Message`, `message`) stands for. */
export function bareConstructor(ref: TlTypeRef, model: LayerModel): TlCombinator {
  const direct = model.byName.get(ref.name);
  if (direct) return direct;
  const group = model.types.get(ref.name);
  if (group && group.length === 1) return group[0]!;
  throw new Error(`bare type '%${ref.name}' does not name exactly one constructor`);
}

function renameShadowed(schema: TlSchema, later: TlSchema[]): TlSchema {
  const taken = new Set<string>();
  for (const l of later) {
    for (const c of [...l.constructors, ...l.methods]) {
      taken.add(c.name);
      taken.add(c.type.name);
    }
  }
  const own = new Set<string>();
  for (const c of [...schema.constructors, ...schema.methods]) {
    if (BUILTIN_CONSTRUCTORS.has(c.name) || BUILTIN_TYPES.has(c.type.name)) continue;
    if (taken.has(c.name)) own.add(c.name);
    if (c.kind === 'constructor' && taken.has(c.type.name)) own.add(c.type.name);
  }
  // Same line in both files (e.g. `error`, `true`): not shadowed, merged later by id.
  for (const l of later) for (const c of [...l.constructors, ...l.methods]) {
    const mine = [...schema.constructors, ...schema.methods].find((x) => x.name === c.name);
    if (mine && mine.id === c.id) {
      own.delete(c.name);
      own.delete(c.type.name);
    }
  }
  if (own.size === 0) return schema;
  const ren = (ref: TlTypeRef): TlTypeRef => ({
    ...ref,
    name: own.has(ref.name) ? `mt_${ref.name}` : ref.name,
    ...(ref.param ? { param: ren(ref.param) } : {}),
  });
  const fix = (c: TlCombinator): TlCombinator => ({
    ...c,
    name: own.has(c.name) ? `mt_${c.name}` : c.name,
    type: ren(c.type),
    args: c.args.map((a) => ({ ...a, type: ren(a.type) })),
  });
  return { ...schema, constructors: schema.constructors.map(fix), methods: schema.methods.map(fix) };
}
