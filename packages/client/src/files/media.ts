// What sendFile sends: an uploaded file as InputMedia, a photo when it is a
// JPEG or PNG and not forced to be a document, else a document carrying its
// file name and MIME type.
import type { tl } from '@telegram-mt/tl';
import { extname } from 'node:path';
import type { UploadedFile } from './upload.js';

const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.txt': 'text/plain',
  '.json': 'application/json',
};

/** The MIME type by the first bytes (image signatures), else by the name's extension, else application/octet-stream. */
export function guessMimeType(fileName: string | undefined, head?: Uint8Array): string {
  if (head !== undefined && head.length >= 4) {
    if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
    if (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return 'image/png';
    if (head[0] === 0x47 && head[1] === 0x49 && head[2] === 0x46 && head[3] === 0x38) return 'image/gif';
  }
  return (fileName && BY_EXTENSION[extname(fileName).toLowerCase()]) || 'application/octet-stream';
}

export interface UploadedMediaOptions {
  /** Default: guessed from `head` and the file's name. */
  mimeType?: string;
  /** Send as a document even when it is a photo. */
  forceDocument?: boolean;
  /** The file's first bytes, to tell images by their signature. */
  head?: Uint8Array;
}

/**
 * InputMedia for messages.sendMedia / uploadMedia: inputMediaUploadedPhoto
 * for a JPEG or PNG (Telegram makes the sizes), else
 * inputMediaUploadedDocument with a documentAttributeFilename.
 */
export function uploadedMedia(file: UploadedFile, opts: UploadedMediaOptions = {}): tl.inputMediaUploadedPhoto | tl.inputMediaUploadedDocument {
  const mimeType = opts.mimeType ?? guessMimeType(file.name, opts.head);
  if (!opts.forceDocument && (mimeType === 'image/jpeg' || mimeType === 'image/png')) return { _: 'inputMediaUploadedPhoto', file };
  return {
    _: 'inputMediaUploadedDocument',
    file,
    mimeType,
    forceFile: opts.forceDocument || undefined,
    attributes: [{ _: 'documentAttributeFilename', fileName: file.name }],
  };
}
