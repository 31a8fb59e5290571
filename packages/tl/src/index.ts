export { TlError, TlSchemaError } from './errors.js';
export type { tl } from './generated/types.js';
export { LAYER, apiTable } from './generated/codec.js';
export {
  serializeObject,
  deserializeObject,
  serializeResult,
  deserializeResult,
  createReader,
  createWriter,
  nameOfId,
} from './api.js';
export { TlReader, defaultReadLimits, type TlReadLimits, ID_GZIP_PACKED, ID_VECTOR } from './runtime/reader.js';
export { TlWriter } from './runtime/writer.js';
export type { TlCodecTable, TlObjectReader, TlObjectWriter } from './runtime/table.js';

/** Method name → result type, for typed invoke. */
import type { tl } from './generated/types.js';
export type TlRequest = tl.TlMethod;
export type TlResult<R extends tl.TlMethod> = tl.MethodResults[R['_']];
export { createSchemaCodec, type SchemaCodec } from './dynamic/codec.js';
export { parseSchema } from './schema/index.js';
