// upload.saveFilePart, upload.saveBigFilePart and upload.getFile over the world's file store.
import type { World } from '../world/world.js';
import { GET_FILE_LIMIT_MAX } from '../world/files.js';
import type { MethodRegistry, RpcContext } from './registry.js';
import { RpcError } from './rpc-error.js';
import { caller } from './world-common.js';

/**
 * Whose parts these are: the user signed in on this DC, so parts sent over
 * several keys (transfer connections) make one file. Like every method
 * outside auth.* and help.*, uploads need a login (401 AUTH_KEY_UNREGISTERED,
 * SESSION_PASSWORD_NEEDED); any DC the login is on takes them.
 */
export function uploaderOf(world: World, ctx: RpcContext): string {
  return `u${caller(world, ctx, true).id}`;
}

/**
 * upload.getFile's range rules (core.telegram.org/api/files): offset and limit
 * multiples of 4 KiB, limit dividing 1 MiB, the range inside one 1 MiB block.
 * `precise` relaxes the multiples to 1 KiB and drops "limit divides 1 MiB".
 */
export function checkRange(offset: bigint, limit: number, precise: boolean): number {
  const unit = precise ? 1024 : 4096;
  if (offset < 0n || offset > BigInt(Number.MAX_SAFE_INTEGER) || offset % BigInt(unit) !== 0n) throw new RpcError(400, 'OFFSET_INVALID');
  if (limit <= 0 || limit > GET_FILE_LIMIT_MAX || limit % unit !== 0) throw new RpcError(400, 'LIMIT_INVALID');
  if (!precise && GET_FILE_LIMIT_MAX % limit !== 0) throw new RpcError(400, 'LIMIT_INVALID');
  const at = Number(offset);
  if (Math.floor(at / GET_FILE_LIMIT_MAX) !== Math.floor((at + limit - 1) / GET_FILE_LIMIT_MAX)) throw new RpcError(400, 'LIMIT_INVALID');
  return at;
}

export function registerUploadMethods(registry: MethodRegistry, world: World): void {
  registry.register('upload.saveFilePart', (ctx, req) => {
    world.files.uploads.savePart(ctx.dcId, uploaderOf(world, ctx), req.fileId, req.filePart, undefined, req.bytes);
    return true;
  });

  registry.register('upload.saveBigFilePart', (ctx, req) => {
    world.files.uploads.savePart(ctx.dcId, uploaderOf(world, ctx), req.fileId, req.filePart, req.fileTotalParts, req.bytes);
    return true;
  });

  // Served on the file's DC to any login there (imported ones included); elsewhere FILE_MIGRATE_X.
  registry.register('upload.getFile', (ctx, req) => {
    caller(world, ctx, true);
    const offset = checkRange(req.offset, req.limit, req.precise ?? false);
    const { file, data, type } = world.files.locate(req.location);
    if (file.dcId !== ctx.dcId) throw new RpcError(303, `FILE_MIGRATE_${file.dcId}`);
    const ref = (req.location as { fileReference: Uint8Array }).fileReference;
    if (!Buffer.from(ref).equals(file.fileReference)) throw new RpcError(400, 'FILE_REFERENCE_EXPIRED');
    return { _: 'upload.file' as const, type, mtime: file.date, bytes: world.files.read(data, offset, req.limit) };
  });
}
