/**
 * An error a method handler answers with: it becomes `rpc_error` on the wire
 * (core.telegram.org/api/errors). `code` is the HTTP-like class (303, 400,
 * 401, 403, 406, 420, 500), `text` the upper-case type such as
 * `FLOOD_WAIT_30` or `PHONE_MIGRATE_2`.
 */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: number,
    readonly text: string,
  ) {
    super(`${code} ${text}`);
  }
}

/**
 * What Telegram answers a method whose constructor id it does not know:
 * 400 INPUT_METHOD_INVALID_<id as unsigned decimal>_<n>. Telegram's own
 * second number is not documented (answers seen in the wild carry different
 * ones); the emulator puts the length of the request in bytes there.
 */
export function inputMethodInvalid(constructorId: number, requestLength: number): RpcError {
  return new RpcError(400, `INPUT_METHOD_INVALID_${constructorId >>> 0}_${requestLength}`);
}

/** A known method whose arguments do not deserialize (a nested constructor unknown, bytes cut short). */
export function inputFetchError(): RpcError {
  return new RpcError(400, 'INPUT_FETCH_ERROR');
}
