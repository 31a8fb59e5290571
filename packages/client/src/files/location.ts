// What can be downloaded, turned into an InputFileLocation with the DC the
// file lives on and its size where the object says them: a location as is, a
// document or photo, a message media, or a message carrying one.
import type { tl } from '@telegram-mt/tl';
import { FileTransferError } from './errors.js';

/** A message (TelegramClient's `Message` or a raw `message`) with media in it. */
export interface HasMedia {
  media?: tl.MessageMedia;
}

export type FileLocationLike = tl.InputFileLocation | tl.MessageMedia | tl.Document | tl.Photo | HasMedia;

export interface ResolvedLocation {
  location: tl.InputFileLocation;
  /** The DC the file is kept on, when the object says. */
  dcId?: number;
  /** Its size in bytes, when the object says. */
  size?: number;
}

function ofDocument(d: tl.Document | undefined): ResolvedLocation {
  if (d === undefined || d._ !== 'document') throw new FileTransferError('LOCATION_INVALID', 'the document is empty');
  return {
    location: { _: 'inputDocumentFileLocation', id: d.id, accessHash: d.accessHash, fileReference: d.fileReference, thumbSize: '' },
    dcId: d.dcId,
    size: Number(d.size),
  };
}

/** The largest size of a photo that lives on a DC (stripped, cached and path sizes are inline bytes). */
function ofPhoto(p: tl.Photo | undefined): ResolvedLocation {
  if (p === undefined || p._ !== 'photo') throw new FileTransferError('LOCATION_INVALID', 'the photo is empty');
  let best: { type: string; size: number } | undefined;
  for (const s of p.sizes) {
    const size = s._ === 'photoSize' ? s.size : s._ === 'photoSizeProgressive' ? Math.max(0, ...s.sizes) : -1;
    if (size >= 0 && (best === undefined || size > best.size)) best = { type: s.type, size };
  }
  if (best === undefined) throw new FileTransferError('LOCATION_INVALID', 'the photo has no size kept on a DC');
  return {
    location: { _: 'inputPhotoFileLocation', id: p.id, accessHash: p.accessHash, fileReference: p.fileReference, thumbSize: best.type },
    dcId: p.dcId,
    size: best.size,
  };
}

export function resolveFileLocation(x: FileLocationLike): ResolvedLocation {
  if (typeof x !== 'object' || x === null) throw new FileTransferError('LOCATION_INVALID', 'nothing to download');
  const kind = (x as { _?: unknown })._;
  if (typeof kind !== 'string' || kind === 'message') {
    const media = (x as HasMedia).media;
    if (media === undefined) throw new FileTransferError('LOCATION_INVALID', 'the message has no media');
    return resolveFileLocation(media);
  }
  switch (kind) {
    case 'messageMediaDocument':
      return ofDocument((x as tl.messageMediaDocument).document);
    case 'messageMediaPhoto':
      return ofPhoto((x as tl.messageMediaPhoto).photo);
    case 'document':
    case 'documentEmpty':
      return ofDocument(x as tl.Document);
    case 'photo':
    case 'photoEmpty':
      return ofPhoto(x as tl.Photo);
  }
  if (kind.startsWith('input') && kind.endsWith('Location')) return { location: x as tl.InputFileLocation };
  if (kind === 'inputStickerSetThumb' || kind === 'inputGroupCallStream') return { location: x as tl.InputFileLocation };
  throw new FileTransferError('LOCATION_INVALID', `${kind} holds no file to download`);
}

/**
 * A key naming the file (not the fileReference, which Telegram renews), for
 * telling whether an interrupted download into a path was of the same file.
 */
export function locationKey(location: tl.InputFileLocation): string {
  const fields = Object.entries(location)
    .filter(([k]) => k !== 'fileReference')
    .map(([k, v]) => `${k}=${v instanceof Uint8Array ? Buffer.from(v).toString('hex') : typeof v === 'object' && v !== null ? JSON.stringify(v, (_k, y) => (typeof y === 'bigint' ? String(y) : y)) : String(v)}`);
  return fields.join(';');
}
