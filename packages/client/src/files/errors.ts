/**
 * Why a transfer failed, when it is not the server's rpc_error (those pass
 * through as `RpcError`):
 * - `ABORTED`: the caller's AbortSignal fired (`cause` is its reason);
 * - `EMPTY_FILE`: nothing to upload (Telegram refuses empty files);
 * - `FILE_TOO_BIG`: more parts than Telegram takes;
 * - `PART_SIZE_INVALID`: a `partSize` option Telegram would refuse;
 * - `SIZE_MISMATCH`: the source or the server gave a different number of bytes than announced;
 * - `BAD_PART`: the server answered a part with more bytes than asked for, or a kind of answer not handled (CDN redirect);
 * - `RETRIES_EXHAUSTED`: a part kept failing (`cause` is the last error);
 * - `TOO_MANY_MIGRATIONS`: FILE_MIGRATE_X kept sending the download elsewhere;
 * - `LOCATION_INVALID`: the thing to download has no file in it;
 * - `IO`: reading the source or writing the destination failed (`cause`).
 */
export type FileTransferErrorCode =
  | 'ABORTED'
  | 'EMPTY_FILE'
  | 'FILE_TOO_BIG'
  | 'PART_SIZE_INVALID'
  | 'SIZE_MISMATCH'
  | 'BAD_PART'
  | 'RETRIES_EXHAUSTED'
  | 'TOO_MANY_MIGRATIONS'
  | 'LOCATION_INVALID'
  | 'IO';

export class FileTransferError extends Error {
  override readonly name = 'FileTransferError';
  constructor(
    readonly code: FileTransferErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
