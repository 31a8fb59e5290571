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

export function buildModel(schemas: TlSchema[]): LayerModel {
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
