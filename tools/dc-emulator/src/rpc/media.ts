// messages.sendMedia and messages.uploadMedia: a finished upload (or a file
// the world already has) becomes a document or photo, sent like a text message.
import type { tl } from '@telegram-mt/tl';
import type { StoredFile } from '../world/files.js';
import { renderMedia } from '../world/files.js';
import { CAPTION_LENGTH_MAX, sendMessage } from '../world/messaging.js';
import type { World } from '../world/world.js';
import type { MethodRegistry, RpcContext } from './registry.js';
import { RpcError } from './rpc-error.js';
import { uploaderOf } from './upload.js';
import { caller, inputPeer, originOf } from './world-common.js';
import { writable } from './messages.js';

/** The stored file an InputMedia names: a new one from an upload, or one the world has. */
export function fileOfInputMedia(world: World, ctx: RpcContext, media: tl.InputMedia): StoredFile {
  const dcId = world.files.mediaDc ?? ctx.dcId;
  // A misconfigured world, not the client's fault: 500 INTERNAL with this in the log.
  if (!ctx.dcs.some((d) => d.id === dcId)) throw new Error(`mediaDc ${dcId} is not a DC of this emulator`);
  switch (media._) {
    case 'inputMediaUploadedDocument': {
      const owner = uploaderOf(world, ctx);
      const data = world.files.uploads.take(ctx.dcId, owner, media.file);
      const thumb = media.thumb === undefined ? undefined : world.files.uploads.take(ctx.dcId, owner, media.thumb);
      const name = media.file._ === 'inputFile' || media.file._ === 'inputFileBig' ? media.file.name : '';
      return world.files.createDocument(data, { dcId, mimeType: media.mimeType, attributes: media.attributes, fileName: name || 'file', thumb });
    }
    case 'inputMediaUploadedPhoto': {
      const data = world.files.uploads.take(ctx.dcId, uploaderOf(world, ctx), media.file);
      return world.files.createPhoto(data, { dcId });
    }
    case 'inputMediaDocument':
    case 'inputMediaPhoto': {
      const input = media.id;
      if (input._ !== 'inputDocument' && input._ !== 'inputPhoto') throw new RpcError(400, 'MEDIA_EMPTY');
      const file = world.files.get(input.id);
      const kind = media._ === 'inputMediaDocument' ? 'document' : 'photo';
      if (file === undefined || file.kind !== kind || file.accessHash !== input.accessHash) throw new RpcError(400, 'MEDIA_INVALID');
      if (!Buffer.from(input.fileReference).equals(file.fileReference)) throw new RpcError(400, 'FILE_REFERENCE_EXPIRED');
      return file;
    }
    default:
      throw new RpcError(400, 'MEDIA_INVALID');
  }
}

export function registerMediaMethods(registry: MethodRegistry, world: World): void {
  registry.register('messages.sendMedia', (ctx, req) => {
    const me = caller(world, ctx);
    const target = writable(world, me, inputPeer(world, me, req.peer));
    if (me.sentRandomIds.has(req.randomId)) throw new RpcError(500, 'RANDOM_ID_DUPLICATE');
    if (req.message.length > CAPTION_LENGTH_MAX) throw new RpcError(400, 'MEDIA_CAPTION_TOO_LONG');
    const replyToMsgId = req.replyTo?._ === 'inputReplyToMessage' ? req.replyTo.replyToMsgId : undefined;
    const media = fileOfInputMedia(world, ctx, req.media);
    return sendMessage(world, me, target, { text: req.message, entities: req.entities, replyToMsgId, randomId: req.randomId, media }, originOf(ctx));
  });

  registry.register('messages.uploadMedia', (ctx, req) => {
    const me = caller(world, ctx);
    writable(world, me, inputPeer(world, me, req.peer));
    return renderMedia(fileOfInputMedia(world, ctx, req.media));
  });
}
