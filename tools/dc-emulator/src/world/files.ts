// Files the world keeps: documents and photos made from finished uploads,
// each on one DC (the one it was sent from, or `mediaDc`), served by
// upload.getFile in ranges that slice the uploaded parts without copying
// them when a range lies inside one part.
import { randomBytes } from 'node:crypto';
import type { tl } from '@telegram-mt/tl';
import { RpcError } from '../rpc/rpc-error.js';
import { imageInfo, photoSizeType, type ImageFormat } from './image-size.js';
import { UploadStore, type ByteQuota, type FileData, PART_SIZE_MAX } from './uploads.js';

export interface StoredFile {
  kind: 'document' | 'photo';
  id: bigint;
  accessHash: bigint;
  /** What a location must quote; a different one gets FILE_REFERENCE_EXPIRED. */
  fileReference: Uint8Array;
  /** The DC that serves its bytes; getFile elsewhere gets FILE_MIGRATE_X. */
  dcId: number;
  date: number;
  data: FileData;
  mimeType: string;
  /** Documents: as sent (a documentAttributeFilename always among them). */
  attributes: tl.DocumentAttribute[];
  /** Photos: the one size kept, the original. */
  photo: { type: string; w: number; h: number; format: ImageFormat } | undefined;
  /** Documents: the thumbnail sent with it (`thumb` of inputMediaUploadedDocument), kept as sent under type 'm'. */
  thumb: { type: string; w: number; h: number; format: ImageFormat; data: FileData } | undefined;
}

/** What a getFile location names: the bytes (a file or its thumbnail) and their storage type. */
export interface Served {
  file: StoredFile;
  data: FileData;
  type: tl.storage.FileType;
}

export interface FileStoreOptions {
  /** Every file goes to this DC; default the DC the media was sent from. */
  mediaDc: number | undefined;
  /** Bytes of pending uploads and stored files together; past it EMULATOR_STORAGE_FULL. */
  bytesMax: number;
  /** Uploads untouched this long are dropped. */
  uploadIdleMs: number;
  now: () => number;
}

/** The largest upload.getFile limit (and the boundary a range may not cross). */
export const GET_FILE_LIMIT_MAX = 1024 * 1024;
const EMPTY = Buffer.alloc(0);

export class FileStore {
  readonly quota: ByteQuota;
  readonly uploads: UploadStore;
  readonly mediaDc: number | undefined;
  private readonly byId = new Map<bigint, StoredFile>();
  /** How many stored files use each upload's bytes (a retried uploadMedia makes a second file of the same upload). */
  private readonly users = new Map<FileData, number>();

  constructor(private readonly options: FileStoreOptions) {
    this.quota = { used: 0, max: options.bytesMax };
    this.mediaDc = options.mediaDc;
    this.uploads = new UploadStore(this.quota, options.uploadIdleMs, options.now);
  }

  get(id: bigint): StoredFile | undefined {
    return this.byId.get(id);
  }

  /** A document of an upload's bytes (already charged to the quota by the upload). */
  createDocument(data: FileData, init: { dcId: number; mimeType: string; attributes: tl.DocumentAttribute[]; fileName: string; thumb?: FileData }): StoredFile {
    const attributes = init.attributes.some((a) => a._ === 'documentAttributeFilename')
      ? init.attributes
      : [...init.attributes, { _: 'documentAttributeFilename' as const, fileName: init.fileName }];
    let thumb: StoredFile['thumb'];
    if (init.thumb !== undefined) {
      const info = imageInfo((init.thumb.parts[0] ?? EMPTY).subarray(0, 65536));
      thumb = { type: 'm', w: info.w, h: info.h, format: info.format, data: init.thumb };
    }
    return this.add(data, { kind: 'document', dcId: init.dcId, mimeType: init.mimeType || 'application/octet-stream', attributes, photo: undefined, thumb });
  }

  /** A photo of an upload's bytes; its one size is the original, measured from the image header when it has one. */
  createPhoto(data: FileData, init: { dcId: number }): StoredFile {
    const head = data.parts[0] ?? EMPTY;
    const info = imageInfo(head.subarray(0, 65536));
    const mimeType = info.format === 'unknown' ? 'image/jpeg' : `image/${info.format}`;
    return this.add(data, { kind: 'photo', dcId: init.dcId, mimeType, attributes: [], photo: { type: photoSizeType(info.w, info.h), w: info.w, h: info.h, format: info.format }, thumb: undefined });
  }

  /** A document straight from bytes, no upload (fixtures for tests and demos); charged to the quota. */
  addDocument(bytes: Uint8Array, init: { dcId: number; fileName?: string; mimeType?: string }): StoredFile {
    const parts: Buffer[] = [];
    for (let p = 0; p < bytes.length; p += PART_SIZE_MAX) parts.push(Buffer.from(bytes.subarray(p, p + PART_SIZE_MAX)));
    if (this.quota.used + bytes.length > this.quota.max) throw new RangeError('file store is full (bytesMax)');
    this.quota.used += bytes.length;
    const data: FileData = { parts, partSize: parts.length > 1 ? PART_SIZE_MAX : bytes.length, size: bytes.length, charged: bytes.length };
    return this.createDocument(data, { dcId: init.dcId, mimeType: init.mimeType ?? 'application/octet-stream', attributes: [], fileName: init.fileName ?? 'file' });
  }

  private add(data: FileData, init: Pick<StoredFile, 'kind' | 'dcId' | 'mimeType' | 'attributes' | 'photo' | 'thumb'>): StoredFile {
    let id: bigint;
    do id = randomBytes(8).readBigInt64LE();
    while (id === 0n || this.byId.has(id));
    const file: StoredFile = {
      ...init,
      id,
      accessHash: randomBytes(8).readBigInt64LE(),
      fileReference: new Uint8Array(randomBytes(16)),
      date: Math.floor(this.options.now() / 1000),
      data,
    };
    this.byId.set(id, file);
    for (const d of bytesOf(file)) this.users.set(d, (this.users.get(d) ?? 0) + 1);
    return file;
  }

  /**
   * Forgets a stored file (Telegram never does; tests and benchmarks that
   * move many large files do, to stay under `fileBytesMax`). Its bytes go back
   * to the quota once no other file uses them; messages keep showing it, but
   * getFile then answers FILE_ID_INVALID.
   */
  forget(id: bigint): boolean {
    const file = this.byId.get(id);
    if (file === undefined) return false;
    this.byId.delete(id);
    for (const d of bytesOf(file)) {
      const left = (this.users.get(d) ?? 1) - 1;
      if (left > 0) {
        this.users.set(d, left);
      } else {
        this.users.delete(d);
        this.quota.used -= d.charged;
        d.released = true;
      }
    }
    return true;
  }

  /** Forgets every stored file and pending upload. */
  clear(): void {
    for (const id of [...this.byId.keys()]) this.forget(id);
    this.uploads.clear();
  }

  /** The bytes a getFile location names, or the error Telegram gives for it (the DC and reference are the caller's to check). */
  locate(location: tl.InputFileLocation): Served {
    if (location._ !== 'inputDocumentFileLocation' && location._ !== 'inputPhotoFileLocation') throw new RpcError(400, 'LOCATION_INVALID');
    const file = this.byId.get(location.id);
    const kind = location._ === 'inputDocumentFileLocation' ? 'document' : 'photo';
    if (file === undefined || file.kind !== kind || file.accessHash !== location.accessHash) throw new RpcError(400, 'FILE_ID_INVALID');
    // Documents: '' is the file itself, else its thumbnail's type. Photos keep the one size.
    if (kind === 'photo') {
      if (location.thumbSize !== file.photo!.type) throw new RpcError(400, 'LOCATION_INVALID');
      return { file, data: file.data, type: imageType(file.photo!.format) };
    }
    if (location.thumbSize === '') return { file, data: file.data, type: { _: 'storage.filePartial' as const } };
    if (file.thumb === undefined || location.thumbSize !== file.thumb.type) throw new RpcError(400, 'LOCATION_INVALID');
    return { file, data: file.thumb.data, type: imageType(file.thumb.format) };
  }

  /** Bytes [offset, offset + limit) of a file, cut short at its end; a slice of one part when the range fits in it. */
  read(data: FileData, offset: number, limit: number): Buffer {
    const { parts, partSize, size } = data;
    const end = Math.min(offset + limit, size);
    if (offset >= end) return EMPTY;
    const first = Math.floor(offset / partSize);
    const last = Math.floor((end - 1) / partSize);
    if (first === last) return parts[first]!.subarray(offset - first * partSize, end - first * partSize);
    const pieces: Buffer[] = [];
    for (let k = first; k <= last; k++) {
      const base = k * partSize;
      pieces.push(parts[k]!.subarray(Math.max(offset - base, 0), Math.min(end - base, parts[k]!.length)));
    }
    return Buffer.concat(pieces, end - offset);
  }
}

function bytesOf(f: StoredFile): FileData[] {
  return f.thumb === undefined ? [f.data] : [f.data, f.thumb.data];
}

export function renderDocument(f: StoredFile): tl.document {
  const t = f.thumb;
  return {
    _: 'document' as const,
    id: f.id,
    accessHash: f.accessHash,
    fileReference: f.fileReference,
    date: f.date,
    mimeType: f.mimeType,
    size: BigInt(f.data.size),
    thumbs: t === undefined ? undefined : [{ _: 'photoSize' as const, type: t.type, w: t.w, h: t.h, size: t.data.size }],
    dcId: f.dcId,
    attributes: f.attributes,
  };
}

export function renderPhoto(f: StoredFile): tl.photo {
  const p = f.photo!;
  return {
    _: 'photo' as const,
    id: f.id,
    accessHash: f.accessHash,
    fileReference: f.fileReference,
    date: f.date,
    sizes: [{ _: 'photoSize' as const, type: p.type, w: p.w, h: p.h, size: f.data.size }],
    dcId: f.dcId,
  };
}

/** The media of a message carrying `f`. */
export function renderMedia(f: StoredFile): tl.MessageMedia {
  return f.kind === 'photo' ? { _: 'messageMediaPhoto' as const, photo: renderPhoto(f) } : { _: 'messageMediaDocument' as const, document: renderDocument(f) };
}

/** storage.FileType of an image by its format. */
function imageType(format: ImageFormat): tl.storage.FileType {
  switch (format) {
    case 'jpeg':
      return { _: 'storage.fileJpeg' as const };
    case 'png':
      return { _: 'storage.filePng' as const };
    case 'gif':
      return { _: 'storage.fileGif' as const };
    default:
      return { _: 'storage.fileUnknown' as const };
  }
}
