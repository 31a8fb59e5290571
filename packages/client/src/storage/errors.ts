export type StorageErrorCode =
  /** A value the storage cannot keep (a function, a Map, NaN, a key starting with `$` …). */
  | 'BAD_VALUE'
  /** A stored record does not have the shape its repository expects. */
  | 'BAD_RECORD'
  /** The storage was used after `close()`. */
  | 'CLOSED'
  /** Another storage in this process already has this file open. */
  | 'IN_USE'
  /** Reading or writing the backing file failed (the cause is attached). */
  | 'IO';

/** Something a storage refused or could not do. */
export class StorageError extends Error {
  override readonly name: string = 'StorageError';
  constructor(
    readonly code: StorageErrorCode | 'CORRUPT',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A storage file exists but cannot be read as one: truncated, not JSON, or
 * of another format or version. Raised instead of silently starting afresh,
 * which would throw away a login; the file is left untouched.
 */
export class StorageCorruptError extends StorageError {
  override readonly name = 'StorageCorruptError';
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('CORRUPT', `storage file ${path} is corrupt: ${reason}`, options);
  }
}

export type SessionStringErrorCode =
  /** Not base64url, or too short to hold a version and a checksum. */
  | 'BAD_ENCODING'
  /** Longer than any session string this library writes. */
  | 'TOO_LONG'
  /** A version this library does not read. */
  | 'UNSUPPORTED_VERSION'
  /** The checksum does not match: the string was cut or altered. */
  | 'BAD_CHECKSUM'
  /** The checksum matched but the content is not a session (a bug or a forgery). */
  | 'BAD_PAYLOAD';

/** A string given to `importSession` that is not a session string. */
export class SessionStringError extends Error {
  override readonly name = 'SessionStringError';
  constructor(
    readonly code: SessionStringErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
