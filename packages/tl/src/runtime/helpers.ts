// Small functions the generated code calls for vectors and element access;
// kept tiny so V8 inlines them.
import { badField, type TlWriter } from './writer.js';
import type { TlReader } from './reader.js';

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
