// The generated layer behind the simple entry points other packages call.
import { apiTable } from './generated/codec.js';
import type { tl } from './generated/types.js';
import { TlError } from './errors.js';
import { defaultReadLimits, TlReader, type TlReadLimits } from './runtime/reader.js';
import { TlWriter } from './runtime/writer.js';

// One writer reused by every call: serialization is synchronous, so it is never shared mid-write.
const shared = new TlWriter(apiTable, 64 * 1024);

/** A fresh reader over `bytes` for the generated layer. */
export function createReader(bytes: Uint8Array, limits: TlReadLimits = defaultReadLimits): TlReader {
  return new TlReader(bytes, apiTable, limits);
}

/** A fresh writer for the generated layer (for framing several objects into one buffer). */
export function createWriter(initialSize = 1024): TlWriter {
  return new TlWriter(apiTable, initialSize);
}

/** Any constructor or method of the layer, boxed (with its id). */
export function serializeObject(obj: tl.TlAny): Uint8Array {
  const w = shared.reset();
  w.object(obj, 'object');
  const out = w.result();
  if (w.buf.length > 1024 * 1024) shared.buf = new Uint8Array(64 * 1024); // don't keep a huge scratch alive
  return out;
}

/**
 * Reads one boxed constructor or method of the layer (gzip_packed unpacked
 * transparently). Bytes left over after the object are an error.
 */
export function deserializeObject(bytes: Uint8Array, limits?: TlReadLimits): tl.TlAny {
  const r = createReader(bytes, limits);
  const v = r.object();
  if (r.pos !== r.end) throw new TlError(`${r.end - r.pos} bytes left after the object`, r.pos);
  return v;
}

/** Reads the result of `method` (the body of its rpc_result). */
export function deserializeResult<M extends keyof tl.MethodResults>(
  method: M,
  bytes: Uint8Array,
  limits?: TlReadLimits,
): tl.MethodResults[M] {
  const r = createReader(bytes, limits);
  const v = r.result(method);
  if (r.pos !== r.end) throw new TlError(`${r.end - r.pos} bytes left after the result`, r.pos);
  return v as tl.MethodResults[M];
}

/** Writes the result of `method` (what a server puts in rpc_result). */
export function serializeResult<M extends keyof tl.MethodResults>(method: M, value: tl.MethodResults[M]): Uint8Array {
  const write = apiTable.resultWriters.get(method);
  if (write === undefined) throw new TlError(`unknown method '${String(method)}'`);
  const w = shared.reset();
  write(w, value);
  return w.result();
}

/** The name of a constructor or method id, if the layer has it. */
export function nameOfId(id: number): string | undefined {
  return apiTable.names.get(id >>> 0);
}
