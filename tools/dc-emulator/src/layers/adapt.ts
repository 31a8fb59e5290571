// Answers built in the generated layer, rewritten for an older layer before
// they are written in it. Handlers only ever build layer-228 objects; a
// client that announced 198 must receive 198's constructors. Most names are
// the same across layers with other fields (and so another id): those keep
// the fields the old line has and drop the rest. The rules for what the old
// line lacks:
//
// - a field the old line has and the value lacks (or has in a shape the old
//   line cannot take) gets its type's empty value: 0, 0n, '', empty bytes,
//   false, [] — or, for an object type, the type's stand-in (below);
//   a flag field that cannot be taken is left out;
// - an `int` where the old line has a `long` (and back) is converted, and a
//   TextWithEntities where it has a `string` gives its text;
// - a constructor the old layer does not have becomes the stand-in of the
//   type the old line expects there: its `…Unsupported`, `…Unknown`,
//   `…Empty` or `…TooLong` constructor (messageMediaUnsupported,
//   messageEntityUnknown keeping offset and length, updatesTooLong …), else
//   the one sharing most field names with the value;
// - an Update the old layer does not have is never guessed at: it is dropped
//   from a Vector<Update>, and an updateShort carrying it becomes
//   updatesTooLong (the client then asks getDifference, as Telegram intends
//   for anything it cannot push).
import type { SchemaCodec } from '@telegram-mt/tl';

type Combinator = SchemaCodec['model']['constructors'][number];
type TypeRef = Combinator['type'];
type Obj = { _: string; [k: string]: unknown };

/** The value cannot be expressed in the old layer (only ever for an Update, or a field that needs one). */
const CANNOT = Symbol('cannot');
type Out = unknown | typeof CANNOT;

const NUMERIC = new Set(['int', 'long', 'double']);
const MAX_DEPTH = 64;

export const camelCase = (name: string): string => name.replace(/_([a-z0-9])/gi, (_, ch: string) => ch.toUpperCase());

interface Field {
  key: string;
  type: TypeRef;
  flag: boolean;
}

/** Rewrites layer-228 values into the shape of one older layer's schema. */
export class LayerAdapter {
  private readonly fields = new Map<string, Field[]>();
  private readonly standIns = new Map<string, Obj | typeof CANNOT>();
  private readonly model: SchemaCodec['model'];
  private readonly results = new Map<string, TypeRef>();

  constructor(codec: SchemaCodec) {
    this.model = codec.model;
    for (const m of this.model.methods) this.results.set(m.name, m.type);
  }

  /** The answer of `method` in the old layer's shape (unchanged when the old layer lacks the method). */
  result(method: string, value: unknown): unknown {
    const ref = this.results.get(method);
    if (ref === undefined) return value;
    const out = this.value(ref, value, 0);
    return out === CANNOT ? value : out;
  }

  /** A boxed object pushed on its own (an `Updates`). */
  object(value: Obj): unknown {
    const c = this.model.byName.get(value._);
    const out = this.value(c === undefined ? { name: 'Updates', bare: false } : c.type, value, 0);
    return out === CANNOT ? value : out;
  }

  private value(ref: TypeRef, v: unknown, depth: number): Out {
    if (depth > MAX_DEPTH) return v;
    switch (ref.name) {
      case 'int':
      case 'double':
        return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : CANNOT;
      case 'long':
        return typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : CANNOT;
      case 'string':
        if (typeof v === 'string') return v;
        return isObj(v) && typeof v.text === 'string' ? v.text : CANNOT; // textWithEntities
      case 'bytes':
      case 'int128':
      case 'int256':
        return v instanceof Uint8Array ? v : CANNOT;
      case 'Bool':
      case 'true':
        return typeof v === 'boolean' ? v : CANNOT;
    }
    if (ref.name === 'Vector' || ref.name === 'vector') {
      if (!Array.isArray(v)) return CANNOT;
      const out: unknown[] = [];
      for (const e of v) {
        const a = this.value(ref.param!, e, depth + 1);
        if (a !== CANNOT) out.push(a); // an element the layer cannot have is left out
      }
      return out;
    }
    if (!isObj(v)) return CANNOT;
    if (ref.generic || ref.name === 'Object') {
      const c = this.model.byName.get(v._);
      return c === undefined ? v : this.fill(c, v, depth);
    }
    const c = this.model.byName.get(v._);
    if (c !== undefined && (c.type.name === ref.name || c.name === ref.name)) {
      const out = this.fill(c, v, depth);
      if (out !== CANNOT) return out;
    }
    return this.standIn(ref.name, v, depth);
  }

  /** The old constructor `c` with the fields of `v` it has, the rest defaulted. */
  private fill(c: Combinator, v: Obj, depth: number): Out {
    const out: Obj = { _: c.name };
    for (const f of this.fieldsOf(c)) {
      const x = v[f.key];
      if (f.flag) {
        if (x === undefined || x === false) continue;
        const a = this.value(f.type, x, depth + 1);
        if (a !== CANNOT) out[f.key] = a;
        continue;
      }
      const a = x === undefined ? CANNOT : this.value(f.type, x, depth + 1);
      const d = a === CANNOT ? this.empty(f.type, depth + 1) : a;
      if (d === CANNOT) return CANNOT;
      out[f.key] = d;
    }
    return out;
  }

  /** What a value of type `type` that the old layer cannot express becomes. */
  private standIn(type: string, v: Obj, depth: number): Out {
    if (type === 'Update') return CANNOT;
    const ctors = this.model.types.get(type);
    if (ctors === undefined) return CANNOT;
    const named = this.namedStandIn(type);
    if (named !== undefined) return this.fill(named, v, depth);
    // Else the constructor sharing most field names with the value.
    let best: Combinator | undefined;
    let score = -1;
    for (const c of ctors) {
      const s = this.fieldsOf(c).filter((f) => v[f.key] !== undefined).length;
      if (s > score) [best, score] = [c, s];
    }
    return best === undefined ? CANNOT : this.fill(best, v, depth);
  }

  private namedStandIn(type: string): Combinator | undefined {
    const dot = type.lastIndexOf('.');
    const base = type.slice(0, dot + 1) + type.charAt(dot + 1).toLowerCase() + type.slice(dot + 2);
    for (const suffix of ['Unsupported', 'Unknown', 'Empty', 'TooLong']) {
      const c = this.model.byName.get(base + suffix);
      if (c !== undefined && c.type.name === type) return c;
    }
    return undefined;
  }

  /** The empty value of a type (for a field the value does not carry). */
  private empty(ref: TypeRef, depth: number): Out {
    if (NUMERIC.has(ref.name)) return ref.name === 'long' ? 0n : 0;
    switch (ref.name) {
      case 'string':
        return '';
      case 'bytes':
        return new Uint8Array(0);
      case 'int128':
        return new Uint8Array(16);
      case 'int256':
        return new Uint8Array(32);
      case 'Bool':
        return false;
      case 'Vector':
      case 'vector':
        return [];
    }
    // An Update is never made up; the generic and Object have no empty value.
    if (depth > MAX_DEPTH || ref.generic || ref.name === 'Object' || ref.name === 'Update') return CANNOT;
    let s = this.standIns.get(ref.name);
    if (s === undefined) {
      this.standIns.set(ref.name, CANNOT); // a type whose every constructor needs itself has none
      const named = this.namedStandIn(ref.name) ?? this.fewestRequired(ref.name);
      s = named === undefined ? CANNOT : (this.fill(named, { _: named.name }, depth) as Obj | typeof CANNOT);
      this.standIns.set(ref.name, s);
    }
    return s;
  }

  private fewestRequired(type: string): Combinator | undefined {
    let best: Combinator | undefined;
    let n = Infinity;
    for (const c of this.model.types.get(type) ?? []) {
      const k = this.fieldsOf(c).filter((f) => !f.flag).length;
      if (k < n) [best, n] = [c, k];
    }
    return best;
  }

  private fieldsOf(c: Combinator): Field[] {
    let f = this.fields.get(c.name);
    if (f === undefined) {
      f = c.args.filter((a) => a.type.name !== '#').map((a) => ({ key: camelCase(a.name), type: a.type, flag: a.flag !== undefined }));
      this.fields.set(c.name, f);
    }
    return f;
  }
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && typeof (v as { _?: unknown })._ === 'string';
}
