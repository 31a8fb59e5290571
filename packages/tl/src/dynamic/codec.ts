// A schema-driven codec for a layer loaded at run time (older clients' layers,
// for the emulator). It builds closures from the parsed schema once and then
// reads and writes the same object shape as the generated layer, through the
// same TlReader/TlWriter. Slower than generated code, and that is fine here.
import { TlError } from '../errors.js';
import { buildModel, camelCase, bareConstructor, isBareRef, type LayerModel } from '../codegen/model.js';
import type { TlCombinator, TlSchema, TlTypeRef } from '../schema/ast.js';
import { parseSchema } from '../schema/index.js';
import { defaultReadLimits, ID_GZIP_PACKED, TlReader, type TlReadLimits } from '../runtime/reader.js';
import { TlWriter } from '../runtime/writer.js';
import type { TlCodecTable, TlObjectReader, TlObjectWriter } from '../runtime/table.js';
import { obj } from '../runtime/helpers.js';

type FieldWriter = (w: TlWriter, v: any, f: string) => void;

export interface SchemaCodec {
  layer: number;
  table: TlCodecTable;
  model: LayerModel;
  serializeObject(o: { _: string }): Uint8Array;
  deserializeObject(bytes: Uint8Array, limits?: TlReadLimits): any;
  serializeResult(method: string, v: unknown): Uint8Array;
  deserializeResult(method: string, bytes: Uint8Array, limits?: TlReadLimits): unknown;
}

/** Builds a codec from TL texts (e.g. `[mtprotoTl, apiTl]`) or parsed schemas. */
export function createSchemaCodec(sources: (string | TlSchema)[]): SchemaCodec {
  const model = buildModel(sources.map((s, i) => (typeof s === 'string' ? parseSchema(s, `schema#${i}`) : s)));
  const table: TlCodecTable = {
    readers: new Map(),
    writers: new Map(),
    resultReaders: new Map(),
    resultWriters: new Map(),
    names: new Map(),
  };
  const bodyReaders = new Map<string, TlObjectReader>();
  const bodyWriters = new Map<string, TlObjectWriter>();
  const typeReaders = new Map<string, TlObjectReader>();

  const reader = (ref: TlTypeRef): TlObjectReader => {
    switch (ref.name) {
      case 'int': return (r) => r.int();
      case 'long': return (r) => r.long();
      case 'double': return (r) => r.double();
      case 'string': return (r) => r.string();
      case 'bytes': return (r) => r.bytes();
      case 'int128': return (r) => r.int128();
      case 'int256': return (r) => r.int256();
      case 'Bool': return (r) => r.bool();
      case 'true': return () => true;
      case 'Object': return (r) => r.object();
    }
    if (ref.generic) return (r) => r.object();
    if (ref.name === 'Vector' || ref.name === 'vector') {
      const elem = reader(ref.param!);
      const bare = ref.bare;
      return (r) => {
        const n = bare ? r.count() : r.vector();
        const a = new Array(n);
        for (let i = 0; i < n; i++) a[i] = elem(r);
        return a;
      };
    }
    if (isBareRef(ref, model)) {
      const name = bareConstructor(ref, model).name;
      return (r) => bodyReaders.get(name)!(r);
    }
    if (!model.types.has(ref.name)) throw new Error(`unknown type '${ref.name}'`);
    return (r) => typeReaders.get(ref.name)!(r);
  };

  const writer = (ref: TlTypeRef): FieldWriter => {
    switch (ref.name) {
      case 'int': return (w, v, f) => w.int(v, f);
      case 'long': return (w, v, f) => w.long(v, f);
      case 'double': return (w, v, f) => w.double(v, f);
      case 'string': return (w, v, f) => w.string(v, f);
      case 'bytes': return (w, v, f) => w.bytes(v, f);
      case 'int128': return (w, v, f) => w.int128(v, f);
      case 'int256': return (w, v, f) => w.int256(v, f);
      case 'Bool': return (w, v, f) => w.bool(v, f);
      case 'true': return () => {}; // flags.N?true lives in its flags field only
    }
    if (ref.generic || ref.name === 'Object') return (w, v, f) => w.object(v, f);
    if (ref.name === 'Vector' || ref.name === 'vector') {
      const elem = writer(ref.param!);
      const bare = ref.bare;
      return (w, v, f) => {
        const n = bare ? w.bareVector(v, f) : w.vector(v, f);
        for (let i = 0; i < n; i++) elem(w, v[i], f);
      };
    }
    if (isBareRef(ref, model)) {
      const name = bareConstructor(ref, model).name;
      return (w, v, f) => bodyWriters.get(name)!(w, obj(v, f));
    }
    return (w, v, f) => w.object(v, f);
  };

  const compile = (c: TlCombinator) => {
    type Step = { key: string; flagField?: string; mask: number; isTrue: boolean; isFlags: boolean; read: TlObjectReader; write: FieldWriter; field: string };
    const steps: Step[] = c.args.map((a) => ({
      key: a.type.name === '#' ? a.name : camelCase(a.name),
      flagField: a.flag?.field,
      mask: a.flag ? (1 << a.flag.bit) >>> 0 : 0,
      isTrue: a.flag !== undefined && a.type.name === 'true',
      isFlags: a.type.name === '#',
      read: a.type.name === '#' ? (r) => r.uint() : reader(a.type),
      write: a.type.name === '#' ? () => {} : writer(a.type),
      field: `${c.name}.${camelCase(a.name)}`,
    }));
    const read: TlObjectReader = (r) => {
      const flags: Record<string, number> = {};
      const o: Record<string, unknown> = { _: c.name };
      for (const s of steps) {
        if (s.isFlags) {
          flags[s.key] = s.read(r) as number;
          continue;
        }
        if (s.flagField !== undefined) {
          const set = ((flags[s.flagField] ?? 0) & s.mask) !== 0;
          o[s.key] = s.isTrue ? set : set ? s.read(r) : undefined;
        } else {
          o[s.key] = s.read(r);
        }
      }
      return o;
    };
    const write: TlObjectWriter = (w, o) => {
      const flags: Record<string, number> = {};
      for (const s of steps) {
        if (s.flagField === undefined) continue;
        const v = o[s.key];
        if (s.isTrue ? v === true : v !== undefined) flags[s.flagField] = ((flags[s.flagField] ?? 0) | s.mask) >>> 0;
      }
      for (const s of steps) {
        if (s.isFlags) w.id(flags[s.key] ?? 0);
        else if (s.flagField === undefined) s.write(w, o[s.key], s.field);
        else if (!s.isTrue && ((flags[s.flagField] ?? 0) & s.mask) !== 0) s.write(w, o[s.key], s.field);
      }
    };
    bodyReaders.set(c.name, read);
    bodyWriters.set(c.name, write);
    table.readers.set(c.id, read);
    table.writers.set(c.name, { id: c.id, write });
    table.names.set(c.id, c.name);
  };

  for (const c of model.constructors) compile(c);
  for (const m of model.methods) compile(m);
  for (const [type, ctors] of model.types) {
    const byId = new Map(ctors.map((c) => [c.id, bodyReaders.get(c.name)!]));
    const readType: TlObjectReader = (r) => {
      const id = r.uint();
      if (id === ID_GZIP_PACKED) return r.gzip(readType);
      const read = byId.get(id);
      if (read === undefined) throw r.unexpected(id, type);
      if (++r.depth > r.limits.maxDepth) throw r.tooDeep();
      const v = read(r);
      r.depth--;
      return v;
    };
    typeReaders.set(type, readType);
  }
  for (const m of model.methods) {
    const read = m.type.generic ? (r: TlReader) => r.object() : reader(m.type);
    const write = m.type.generic ? (w: TlWriter, v: any) => w.object(v, `${m.name} result`) : writer(m.type);
    table.resultReaders.set(m.name, read);
    table.resultWriters.set(m.name, (w, v) => write(w, v, `${m.name} result`));
  }

  const scratch = new TlWriter(table, 4096);
  const finish = (r: TlReader, v: unknown) => {
    if (r.pos !== r.end) throw new TlError(`${r.end - r.pos} bytes left after the object`, r.pos);
    return v;
  };
  return {
    layer: model.layer,
    table,
    model,
    serializeObject(o) {
      scratch.reset().object(o, 'object');
      return scratch.result();
    },
    deserializeObject(bytes, limits = defaultReadLimits) {
      const r = new TlReader(bytes, table, limits);
      return finish(r, r.object());
    },
    serializeResult(method, v) {
      const write = table.resultWriters.get(method);
      if (!write) throw new TlError(`unknown method '${method}'`);
      write(scratch.reset(), v);
      return scratch.result();
    },
    deserializeResult(method, bytes, limits = defaultReadLimits) {
      const r = new TlReader(bytes, table, limits);
      return finish(r, r.result(method));
    },
  };
}
