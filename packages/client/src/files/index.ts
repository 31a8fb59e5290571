// Files: uploads and downloads in parts over a client's transfer lanes
// (see README.md). TelegramClient implements FileHost and delegates to these.
export type { FileHost, FileHostInvokeOptions } from './host.js';
export { FileTransferError, type FileTransferErrorCode } from './errors.js';
export { uploadFile, type UploadOptions, type UploadSource, type UploadedFile } from './upload.js';
export { downloadFile, type DownloadOptions } from './download.js';
export { resolveFileLocation, type FileLocationLike, type HasMedia, type ResolvedLocation } from './location.js';
export { DEFAULT_PARALLEL, type TransferOptions } from './transfer.js';
export {
  BIG_FILE_THRESHOLD,
  DEFAULT_DOWNLOAD_LIMIT,
  MAX_DOWNLOAD_LIMIT,
  MAX_UPLOAD_PART,
  MAX_UPLOAD_PARTS,
  isValidDownloadLimit,
  isValidUploadPartSize,
  uploadPartSize,
} from './part-size.js';
export { RESUME_SUFFIX } from './sink.js';
export { uploadedMedia, guessMimeType, type UploadedMediaOptions } from './media.js';
