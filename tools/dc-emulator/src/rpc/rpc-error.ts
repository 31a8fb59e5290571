/**
 * A handler answers with the client package's RpcError (returned or thrown):
 * the same class a client receives, so `code`, `text` and the parsed
 * arguments (FLOOD_WAIT seconds, *_MIGRATE dc) mean the same at both ends.
 */
import { RpcError } from '@telegram-mt/client';

export { RpcError };

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
