import { RpcError } from '../errors.js';

/**
 * FLOOD_WAIT_X longer than the client's `floodSleepThreshold`: the call was
 * not retried. `seconds` says how long Telegram wants the caller to wait.
 */
export class FloodWaitError extends RpcError {
  constructor(
    code: number,
    text: string,
    method: string | undefined,
    /** The threshold (seconds) that was exceeded. */
    readonly threshold: number,
  ) {
    super(code, text, method);
  }
}

export type TelegramClientErrorCode =
  /** A call that needs a login was made before one (or after logOut). */
  | 'NOT_AUTHORIZED'
  /** `resolvePeer` found nothing for the input. */
  | 'PEER_NOT_FOUND'
  /** The input cannot name a peer at all (an empty string, 0, a malformed id). */
  | 'BAD_PEER'
  /** A *_MIGRATE_X chain longer than the client follows. */
  | 'TOO_MANY_MIGRATIONS'
  /** A DC could not be reached (socket, handshake) within `connectTimeout`. */
  | 'UNREACHABLE'
  /** The DC id is not one of the client's DCs. */
  | 'UNKNOWN_DC'
  /** `start()` lacked what the login needed (a phone, a code callback …). */
  | 'MISSING_PARAMETER'
  /** An events iterator fell too far behind (see `maxQueuedEvents`). */
  | 'EVENTS_OVERFLOW'
  /** The client was disconnected. */
  | 'CLOSED'
  /** The server answered with something the call cannot use. */
  | 'UNEXPECTED_RESULT';

/** A misuse or an outcome of the high-level client that is not an RPC error. */
export class TelegramClientError extends Error {
  override readonly name = 'TelegramClientError';
  constructor(
    readonly code: TelegramClientErrorCode,
    message: string,
  ) {
    super(message);
  }
}
