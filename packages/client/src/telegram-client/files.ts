// Files through the client: the file module (../files) does the parts; the
// client is its FileHost (transfer lanes per DC, logins carried there).
import { basename } from 'node:path';
import type { tl } from '@telegram-mt/tl';
import { downloadFile as download, type DownloadOptions } from '../files/download.js';
import type { FileLocationLike } from '../files/location.js';
import { uploadedMedia } from '../files/media.js';
import { uploadFile as upload, type UploadOptions, type UploadSource, type UploadedFile } from '../files/upload.js';
import { parseText } from '../parse/index.js';
import { toSendableEntities } from '../parse/sendable.js';
import type { ParseMode } from '../parse/types.js';
import { inputUserOf, randomId, sentMessage } from './chats.js';
import type { TelegramClient } from './client.js';
import type { Message } from './message.js';
import type { PeerLike } from './peers.js';

export type { DownloadOptions, FileLocationLike, UploadOptions, UploadSource, UploadedFile };

export interface SendFileOptions extends UploadOptions {
  caption?: string;
  parseMode?: ParseMode;
  /** Send a JPEG or PNG as a document (the file as is) rather than a photo. */
  forceDocument?: boolean;
  /** Default: from the first bytes or the file name's extension, else application/octet-stream. */
  mimeType?: string;
  replyTo?: number;
}

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
  // A JPEG or PNG goes as a photo (Telegram makes the sizes), anything else as a document.
  const head = file instanceof Uint8Array ? file.subarray(0, 16) : undefined;
  const media = uploadedMedia(uploaded, { ...(o.mimeType ? { mimeType: o.mimeType } : {}), ...(o.forceDocument ? { forceDocument: true } : {}), ...(head ? { head } : {}) });
  const caption = parseText(o.caption ?? '', o.parseMode);
  const entities = await toSendableEntities(caption.entities, (userId) => inputUserOf(client, userId));
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
