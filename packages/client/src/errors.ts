/**
 * An error the server answered a request with (rpc_error#2144ca19,
 * core.telegram.org/api/errors). `text` is Telegram's, e.g. `FLOOD_WAIT_42`;
 * `name` is the same without the number (`FLOOD_WAIT`; a number inside the
 * text becomes `X`: `FILE_PART_X_MISSING`), and the number is parsed into
 * `value` and, where its meaning is known, `seconds` or `dcId`.
 */
export class RpcError extends Error {
  /** The error kind without its number: `FLOOD_WAIT`, `PHONE_MIGRATE`, `AUTH_KEY_UNREGISTERED`. */
  override readonly name: string;
  /** The number in the text, if there is one. */
  readonly value: number | undefined;
  /** How long to wait, for `*_WAIT_X` and `*_DELAY_X` errors (FLOOD_WAIT_X, SLOWMODE_WAIT_X …). */
  readonly seconds: number | undefined;
  /** Which DC to go to, for `*_MIGRATE_X` errors (PHONE_MIGRATE_X, FILE_MIGRATE_X …). */
  readonly dcId: number | undefined;

  constructor(
    /** HTTP-like class: 303 see other, 400 bad request, 401 unauthorized, 420 flood, 500 internal … */
    readonly code: number,
    /** The error text exactly as the server sent it. */
    readonly text: string,
    /** The method whose call failed, when known. */
    readonly method?: string,
  ) {
    super(`${code} ${text}${method ? ` (in ${method})` : ''}`);
    const parsed = parseErrorText(text);
    this.name = parsed.name;
    this.value = parsed.value;
    this.seconds = parsed.value !== undefined && /_(WAIT|DELAY)$/.test(parsed.name) ? parsed.value : undefined;
    this.dcId = parsed.value !== undefined && parsed.name.endsWith('_MIGRATE') ? parsed.value : undefined;
  }
}

/** Splits `FLOOD_WAIT_42` into `FLOOD_WAIT` and 42, `FILE_PART_3_MISSING` into `FILE_PART_X_MISSING` and 3. */
export function parseErrorText(text: string): { name: string; value: number | undefined } {
  const trailing = /^(.+?)_(\d+)$/.exec(text);
  if (trailing) return { name: trailing[1]!, value: Number(trailing[2]) };
  const inner = /^(.+?)_(\d+)_(.+)$/.exec(text);
  if (inner) return { name: `${inner[1]}_X_${inner[3]}`, value: Number(inner[2]) };
  return { name: text, value: undefined };
}

/**
 * The server refused a message with a bad_msg_notification that resending
 * cannot fix (wrong msg_id bits, seq_no parity, a broken container), or a
 * message was resent too many times.
 */
export class BadMessageError extends Error {
  override readonly name = 'BadMessageError';
  constructor(
    /** The bad_msg_notification error_code (18, 34, 35, 64 …), or 0 when resends ran out. */
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A session limit was hit: too many requests pending or queued. */
export class SessionLimitError extends Error {
  override readonly name = 'SessionLimitError';
}

/** The request got no answer within its timeout. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`${method} got no answer within ${timeoutMs} ms`);
  }
}

/** The request was cancelled through its AbortSignal. */
export class RequestAbortedError extends Error {
  override readonly name = 'RequestAbortedError';
  constructor(
    readonly method: string,
    readonly reason?: unknown,
  ) {
    super(`${method} was aborted`);
  }
}

/** The connection closed or failed; requests in flight on it fail with this. */
export class ConnectionClosedError extends Error {
  override readonly name = 'ConnectionClosedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The server refuses the auth key or the session: AUTH_KEY_UNREGISTERED (the
 * key is not logged in, or not known), AUTH_KEY_DUPLICATED (the same key in
 * use from elsewhere at once), SESSION_REVOKED / SESSION_EXPIRED (logged out),
 * AUTH_KEY_INVALID, AUTH_KEY_PERM_EMPTY. Still an `RpcError`; the connection
 * never wipes the key for it — whether to make a new one is the caller's call.
 */
export class AuthKeyError extends RpcError {}

/** rpc_error texts that mean the key or session is refused (core.telegram.org/api/errors). */
export const AUTH_KEY_ERRORS: ReadonlySet<string> = new Set([
  'AUTH_KEY_UNREGISTERED',
  'AUTH_KEY_DUPLICATED',
  'AUTH_KEY_INVALID',
  'AUTH_KEY_PERM_EMPTY',
  'SESSION_REVOKED',
  'SESSION_EXPIRED',
]);

/** An rpc_error as its typed error: `AuthKeyError` for key and session refusals, else `RpcError`. */
export function rpcErrorFor(code: number, text: string, method?: string): RpcError {
  return AUTH_KEY_ERRORS.has(text) ? new AuthKeyError(code, text, method) : new RpcError(code, text, method);
}

/**
 * A transport error: the server answered a whole packet with a bare negative
 * code instead of a message (core.telegram.org/mtproto/mtproto-transports).
 * −404: the server does not know the auth key (or the packet was not
 * MTProto); −429: too many connections or requests, back off; −444: invalid DC.
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(readonly code: number) {
    super(
      code === -404
        ? 'transport error -404: the server does not know this auth key'
        : code === -429
          ? 'transport error -429: too many connections or requests'
          : `transport error ${code}`,
    );
  }
}

/**
 * The server does not know the auth key (transport error −404 on an
 * encrypted packet). The key is not wiped: it may be a temporary outage, a
 * wrong DC, or a key destroyed on purpose; making a new one is the caller's call.
 */
export class AuthKeyUnknownError extends TransportError {}

/**
 * A request whose fate cannot be known: the server no longer remembers its
 * msg_id (msgs_state_info says "nothing known"), so it may or may not have
 * run. Not sent again, so that nothing runs twice.
 */
export class RequestInDoubtError extends Error {
  override readonly name = 'RequestInDoubtError';
  constructor(readonly method: string) {
    super(`${method}: the server no longer knows whether it ran it; not sent again`);
  }
}
