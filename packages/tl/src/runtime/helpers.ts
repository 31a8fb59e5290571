// Small functions the generated code calls for vectors and element access;
// kept tiny so V8 inlines them.
import { badField, type TlWriter } from './writer.js';
import type { TlReader } from './reader.js';
import type { TlCodecTable } from './table.js';

type Result = [string, (r: TlReader) => unknown, (w: TlWriter, v: any) => void];
type Row = [number, string, (r: TlReader) => unknown, (w: TlWriter, v: any) => void];

/** The layer's maps, built once at load from compact rows (smaller code than literal maps). */
export function buildTable(
  rows: Row[number][],
  results: Result[number][],
): TlCodecTable {
  const t: TlCodecTable = {
    readers: new Map(),
    writers: new Map(),
    resultReaders: new Map(),
    resultWriters: new Map(),
    names: new Map(),
  };
  // rows: id, name, body reader, body writer, repeated.
  for (let i = 0; i < rows.length; i += 4) {
    const [id, name, read, write] = rows.slice(i, i + 4) as Row;
    t.readers.set(id, read);
    t.names.set(id, name);
    t.writers.set(name, { id, write });
  }
  // results: method name, result reader, result writer, repeated.
  for (let i = 0; i < results.length; i += 3) {
    const [name, read, write] = results.slice(i, i + 3) as Result;
    t.resultReaders.set(name, read);
    t.resultWriters.set(name, write);
  }
  return t;
}

export function readVector<T>(r: TlReader, n: number, read: (r: TlReader) => T): T[] {
  const a = new Array<T>(n);
  for (let i = 0; i < n; i++) a[i] = read(r);
  return a;
}

export function writeVector<T>(w: TlWriter, n: number, items: T[], write: (w: TlWriter, v: T, f: string) => void, f: string): void {
  for (let i = 0; i < n; i++) write(w, items[i]!, f);
}

/** A bare object must at least be an object before its fields are read. */
export function obj(v: unknown, f: string): any {
  if (typeof v !== 'object' || v === null) throw badField(f, 'an object', v);
  return v;
}

export const rInt = (r: TlReader) => r.int();
export const rLong = (r: TlReader) => r.long();
export const rDouble = (r: TlReader) => r.double();
export const rString = (r: TlReader) => r.string();
export const rBytes = (r: TlReader) => r.bytes();
export const rInt128 = (r: TlReader) => r.int128();
export const rInt256 = (r: TlReader) => r.int256();
export const rBool = (r: TlReader) => r.bool();
export const rObject = (r: TlReader) => r.object();

export const wInt = (w: TlWriter, v: number, f: string) => w.int(v, f);
export const wLong = (w: TlWriter, v: bigint, f: string) => w.long(v, f);
export const wDouble = (w: TlWriter, v: number, f: string) => w.double(v, f);
export const wString = (w: TlWriter, v: string, f: string) => w.string(v, f);
export const wBytes = (w: TlWriter, v: Uint8Array, f: string) => w.bytes(v, f);
export const wInt128 = (w: TlWriter, v: Uint8Array, f: string) => w.int128(v, f);
export const wInt256 = (w: TlWriter, v: Uint8Array, f: string) => w.int256(v, f);
export const wBool = (w: TlWriter, v: boolean, f: string) => w.bool(v, f);
export const wObject = (w: TlWriter, v: any, f: string) => w.object(v, f);

/** The writer of any boxed method result. */
export const wResult = (w: TlWriter, v: any) => w.object(v, 'result');
