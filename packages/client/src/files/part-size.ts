// Telegram's part rules (core.telegram.org/api/files):
// - upload parts: a multiple of 1 KiB that divides 512 KiB; every part but
//   the last exactly that size; a file over 10 MiB goes by
//   upload.saveBigFilePart, at most 4000 parts (8000 for premium accounts);
// - getFile: offset a multiple of 4 KiB, limit a multiple of 4 KiB that
//   divides 1 MiB, and no request crossing a 1 MiB boundary.
import { FileTransferError } from './errors.js';

export const KIB = 1024;
export const MAX_UPLOAD_PART = 512 * KIB;
/** Files larger than this must be uploaded with upload.saveBigFilePart. */
export const BIG_FILE_THRESHOLD = 10 * 1024 * KIB;
/** The most parts Telegram takes in one file (premium accounts; others 4000). */
export const MAX_UPLOAD_PARTS = 8000;
export const MAX_DOWNLOAD_LIMIT = 1024 * KIB;
export const DEFAULT_DOWNLOAD_LIMIT = 512 * KIB;
/** The smallest part chosen automatically: below it the per-call cost dominates. */
const MIN_AUTO_PART = 32 * KIB;

export function isValidUploadPartSize(n: number): boolean {
  return Number.isInteger(n) && n >= KIB && n % KIB === 0 && MAX_UPLOAD_PART % n === 0;
}

export function isValidDownloadLimit(n: number): boolean {
  return Number.isInteger(n) && n >= 4 * KIB && n % (4 * KIB) === 0 && MAX_DOWNLOAD_LIMIT % n === 0;
}

/**
 * The part size for an upload of `size` bytes (undefined: not known yet).
 * Big files take 512 KiB (fewest calls); smaller ones a power of two giving
 * about eight parts, so that parts can be in flight together, from 32 KiB.
 */
export function uploadPartSize(size: number | undefined, requested?: number): number {
  if (requested !== undefined) {
    if (!isValidUploadPartSize(requested)) {
      throw new FileTransferError('PART_SIZE_INVALID', `partSize ${requested}: must be a multiple of 1024 that divides 524288`);
    }
    return requested;
  }
  if (size === undefined || size > BIG_FILE_THRESHOLD) return MAX_UPLOAD_PART;
  let part = MIN_AUTO_PART;
  while (part < MAX_UPLOAD_PART && part * 8 < size) part *= 2;
  return part;
}

export function downloadLimit(requested?: number): number {
  if (requested === undefined) return DEFAULT_DOWNLOAD_LIMIT;
  if (!isValidDownloadLimit(requested)) {
    throw new FileTransferError('PART_SIZE_INVALID', `partSize ${requested}: must be a multiple of 4096 that divides 1048576`);
  }
  return requested;
}

/** Parts of `partSize` in `size` bytes (the last may be shorter); throws FILE_TOO_BIG past Telegram's limit. */
export function uploadPartCount(size: number, partSize: number): number {
  const parts = Math.ceil(size / partSize);
  if (parts > MAX_UPLOAD_PARTS) {
    throw new FileTransferError('FILE_TOO_BIG', `${size} bytes in parts of ${partSize} is ${parts} parts; Telegram takes at most ${MAX_UPLOAD_PARTS}`);
  }
  return parts;
}
