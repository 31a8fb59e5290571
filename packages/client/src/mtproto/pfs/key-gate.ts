// What a server lets through on a temporary key: the two PFS rules a DC
// applies outside auth.bindTempAuthKey itself (core.telegram.org/api/pfs).
import type { BindKeyInfo } from './bind-server.js';
import type { TempKeyBindings } from './bindings.js';

/**
 * Methods a DC serves on a temp key that is not bound yet. The pfs page
 * restricts unbound keys to a short list; this default is the strictest
 * reading (only the binding itself). Pass a larger set to allow more.
 */
export const UNBOUND_TEMP_KEY_METHODS: ReadonlySet<string> = new Set(['auth.bindTempAuthKey']);

/**
 * Packet level: a temp key past its expires_at is gone from the server (it
 * lives in RAM only), so packets on it get transport error −404 like any
 * unknown auth_key_id.
 */
export function isTempKeyExpired(key: BindKeyInfo, now: number): boolean {
  return key.temp && key.expiresAt !== undefined && now >= key.expiresAt;
}

export type CallGate = { ok: true } | { ok: false; code: 401; text: 'AUTH_KEY_PERM_EMPTY' };

/**
 * Call level: on an unbound temp key only `allowed` methods run; anything
 * else is refused with 401 AUTH_KEY_PERM_EMPTY, Telegram's error for a
 * method that needs the temp key bound to a permanent one. Permanent keys
 * and bound temp keys pass. `method` is the innermost method, after the
 * invokeWithLayer / initConnection wrappers.
 */
export function checkCallOnKey(
  method: string,
  authKeyId: bigint,
  key: BindKeyInfo,
  bindings: TempKeyBindings,
  now: number,
  allowed: ReadonlySet<string> = UNBOUND_TEMP_KEY_METHODS,
): CallGate {
  if (!key.temp || allowed.has(method)) return { ok: true };
  if (bindings.ofTemp(authKeyId, now) !== undefined) return { ok: true };
  return { ok: false, code: 401, text: 'AUTH_KEY_PERM_EMPTY' };
}
