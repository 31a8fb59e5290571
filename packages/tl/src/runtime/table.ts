import type { TlReader } from './reader.js';
import type { TlWriter } from './writer.js';

export type TlObjectReader = (r: TlReader) => unknown;
export type TlObjectWriter = (w: TlWriter, v: any) => void;
export interface TlBoxedWriter {
  id: number;
  write: TlObjectWriter;
}

/**
 * What a reader and writer need to know about one layer: the boxed readers by
 * constructor id, the boxed writers by name, and the result readers/writers
 * of methods. The generated layer fills one; a schema loaded at run time
 * (older layers, for the emulator) fills another, and the same runtime serves both.
 */
export interface TlCodecTable {
  /** Boxed reader per constructor or method id (the id is already consumed). */
  readers: Map<number, TlObjectReader>;
  /** Constructor id and body writer per constructor or method name (`TlWriter.object` writes the id). */
  writers: Map<string, TlBoxedWriter>;
  /** Reader of a method's result, by method name. */
  resultReaders: Map<string, TlObjectReader>;
  /** Writer of a method's result, by method name. */
  resultWriters: Map<string, TlObjectWriter>;
  /** Constructor/method name by id, for error messages and tools. */
  names: Map<number, string>;
}
