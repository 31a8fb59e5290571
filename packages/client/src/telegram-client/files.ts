// Files through the client: the file module (../files) does the parts; the
// client is its FileHost (transfer lanes per DC, logins carried there).
import { basename, extname } from 'node:path';
import type { tl } from '@telegram-mt/tl';
import { downloadFile as download, type DownloadOptions } from '../files/download.js';
import type { FileLocationLike } from '../files/location.js';
import { uploadFile as upload, type UploadOptions, type UploadSource, type UploadedFile } from '../files/upload.js';
import { parseText } from '../parse/index.js';
import { toSendableEntities } from '../parse/sendable.js';
import type { ParseMode } from '../parse/types.js';
import { randomId, sentMessage } from './chats.js';
import type { TelegramClient } from './client.js';
import type { Message } from './message.js';
import type { PeerLike } from './peers.js';

export type { DownloadOptions, FileLocationLike, UploadOptions, UploadSource, UploadedFile };

export interface SendFileOptions extends UploadOptions {
  caption?: string;
  parseMode?: ParseMode;
  /** Send an image as a document (the file as is) rather than a photo. */
  forceDocument?: boolean;
  /** Default: from the file name's extension, else application/octet-stream. */
  mimeType?: string;
  replyTo?: number;
}

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.mp4': 'video/mp4',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
};
const PHOTO_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);

export function uploadFile(client: TelegramClient, source: UploadSource, options?: UploadOptions): Promise<UploadedFile> {
  return client.connect().then(() => upload(client, source, withFloodThreshold(client, options)));
}

export function downloadFile(client: TelegramClient, location: FileLocationLike, options: DownloadOptions & { to: string }): Promise<number>;
export function downloadFile(client: TelegramClient, location: FileLocationLike, options?: DownloadOptions): Promise<Uint8Array>;
export async function downloadFile(client: TelegramClient, location: FileLocationLike, options: DownloadOptions = {}): Promise<Uint8Array | number> {
  await client.connect();
  return download(client, location, withFloodThreshold(client, options));
}

/** Uploads `file` and sends it as a document (or a photo, for images unless `forceDocument`), with an optional caption. */
export async function sendFile(client: TelegramClient, peerLike: PeerLike, file: UploadSource, o: SendFileOptions = {}): Promise<Message> {
  const peer = await client.resolvePeer(peerLike);
  const fileName = o.fileName ?? (typeof file === 'string' ? basename(file) : 'file');
  const uploaded = await uploadFile(client, file, { ...o, fileName });
  const ext = extname(fileName).toLowerCase();
  const media: tl.InputMedia =
    PHOTO_EXTENSIONS.has(ext) && !o.forceDocument
      ? { _: 'inputMediaUploadedPhoto', file: uploaded }
      : {
          _: 'inputMediaUploadedDocument',
          file: uploaded,
          mimeType: o.mimeType ?? MIME[ext] ?? 'application/octet-stream',
          attributes: [{ _: 'documentAttributeFilename', fileName }],
          ...(o.forceDocument ? { forceFile: true } : {}),
        };
  const caption = parseText(o.caption ?? '', o.parseMode);
  const entities = await toSendableEntities(caption.entities, async (userId) => {
    const p = await client.storage.peers.getById(userId, 'user');
    return p ? { _: 'inputUser', userId: p.id, accessHash: p.accessHash } : undefined;
  });
  const rid = randomId();
  const request: tl.messages.sendMedia = { _: 'messages.sendMedia', peer, media, message: caption.text, randomId: rid };
  if (entities.length > 0) request.entities = entities;
  if (o.replyTo !== undefined) request.replyTo = { _: 'inputReplyToMessage', replyToMsgId: o.replyTo };
  const result = await client.invoke(request);
  return sentMessage(client, result, rid, { peer, text: caption.text, entities, ...(o.replyTo !== undefined ? { replyTo: o.replyTo } : {}) });
}

function withFloodThreshold<T extends { floodSleepThreshold?: number }>(client: TelegramClient, o: T | undefined): T {
  const out = { ...(o ?? {}) } as T;
  out.floodSleepThreshold ??= client.floodSleepThreshold;
  return out;
}
