import {
  apiTable,
  deserializeObject,
  LAYER,
  serializeObject,
  serializeResult,
  type SchemaCodec,
} from '@telegram-mt/tl';
import { LayerAdapter } from './layers/adapt.js';

/**
 * How a connection reads calls and writes answers: the generated layer, or
 * the schema of an older layer a client announced with invokeWithLayer.
 * Handlers see and return the same plain objects either way: answers and
 * pushed updates, built in the generated layer, are rewritten into the older
 * layer's constructors first (layers/adapt.ts says how).
 */
export interface LayerCodec {
  readonly layer: number;
  deserializeObject(bytes: Uint8Array): { _: string };
  /** Any boxed object (updates pushed outside an rpc_result). */
  serializeObject(value: { _: string }): Uint8Array;
  serializeResult(method: string, value: unknown): Uint8Array;
  isMethod(name: string): boolean;
  nameOfId(id: number): string | undefined;
}

export const generatedLayer: LayerCodec = {
  layer: LAYER,
  deserializeObject: (bytes) => deserializeObject(bytes) as { _: string },
  serializeObject: (value) => serializeObject(value as never),
  serializeResult: (method, value) => serializeResult(method as never, value as never),
  isMethod: (name) => apiTable.resultWriters.has(name),
  nameOfId: (id) => apiTable.names.get(id >>> 0),
};

/**
 * A LayerCodec over a schema loaded at run time (`createSchemaCodec` of
 * @telegram-mt/tl), writing generated-layer values in that schema's shape.
 */
export function layerFromSchema(codec: SchemaCodec): LayerCodec {
  if (!(codec.layer > 0)) throw new RangeError('the schema has no `// LAYER N` line: its layer is unknown');
  const adapter = new LayerAdapter(codec);
  return {
    layer: codec.layer,
    deserializeObject: (bytes) => codec.deserializeObject(bytes) as { _: string },
    serializeObject: (value) => codec.serializeObject(adapter.object(value) as { _: string }),
    serializeResult: (method, value) => codec.serializeResult(method, adapter.result(method, value)),
    isMethod: (name) => codec.table.resultWriters.has(name),
    nameOfId: (id) => codec.table.names.get(id >>> 0),
  };
}

/** invokeWithLayer#da9b0d0d: its layer is the int right after the id, in every layer. */
const ID_INVOKE_WITH_LAYER = 0xda9b0d0d;

/**
 * The layer a call announces, read before it is decoded (the layer decides
 * how to decode it); undefined when the call is not invokeWithLayer.
 */
export function announcedLayer(body: Uint8Array): number | undefined {
  // Read byte by byte: this runs for every call, and a DataView would be made for each.
  if (body.length < 8 || (body[0]! | (body[1]! << 8) | (body[2]! << 16) | (body[3]! << 24)) >>> 0 !== ID_INVOKE_WITH_LAYER) return undefined;
  return body[4]! | (body[5]! << 8) | (body[6]! << 16) | (body[7]! << 24);
}
