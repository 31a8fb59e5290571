// What generated readers and writers (runtime/compile.ts) and the layer table
// call besides TlReader/TlWriter methods.
import { badField, type TlWriter } from './writer.js';
import type { TlReader } from './reader.js';

/** A bare object must at least be an object before its fields are read. */
export function obj(v: unknown, f: string): any {
  if (typeof v !== 'object' || v === null) throw badField(f, 'an object', v);
  return v;
}

/** The reader of a method result that is any boxed object (`!X` generics). */
export const rObject = (r: TlReader) => r.object();

/** The writer of any boxed method result. */
export const wResult = (w: TlWriter, v: any) => w.object(v, 'result');
