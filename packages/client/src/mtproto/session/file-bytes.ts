import { createWriter, serializeObject, type tl } from '@telegram-mt/tl';
import { allocPacket } from './slab.js';

/**
 * Methods whose request or answer is mostly file bytes. Those are already
 * compressed or random as often as not, and large: gzip_packed costs more CPU
 * than it saves bytes there (measured: over half of a transfer's CPU, 2–2.5×
 * slower), so neither side packs them.
 */
export const FILE_BYTES_METHODS: ReadonlySet<string> = new Set([
  'upload.saveFilePart',
  'upload.saveBigFilePart',
  'upload.getFile',
  'upload.getCdnFile',
  'upload.getWebFile',
]);

/** Requests with at least this many bytes of file data get a writer of their own. */
const OWN_WRITER_FROM = 16 * 1024;
/** Room for the request's other fields (and an invokeWithLayer(initConnection) wrapper around it). */
const ROOM = 1024;

/**
 * Serializes a request. A file part (saveFilePart and the like) is written
 * into a buffer sized for it and returned as is: the shared writer would
 * hand out a copy, one more pass over 512 KiB per part. That buffer comes
 * from the packet pool, and goes back to it once the answer is in (see
 * handlers/rpc-result.ts).
 */
export function serializeRequest(request: tl.TlMethod, wire: tl.TlMethod = request): Uint8Array {
  const bytes = (request as { bytes?: unknown }).bytes;
  if (!(bytes instanceof Uint8Array) || bytes.length < OWN_WRITER_FROM || !FILE_BYTES_METHODS.has(request._)) {
    return serializeObject(wire as tl.TlAny);
  }
  const w = createWriter(0);
  w.buf = allocPacket(bytes.length + ROOM);
  w.object(wire as tl.TlAny, 'object');
  return w.buf.subarray(0, w.pos);
}
