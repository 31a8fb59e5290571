// The server's half of auth.bindTempAuthKey: every check of the method page
// (core.telegram.org/method/auth.bindTempAuthKey) on a request that arrived
// encrypted with some key, answered with the binding or with the rpc_error
// text Telegram uses.
import type { tl } from '@telegram-mt/tl';
import { bindMessageKeyId, openBindMessage, type OpenBindFailure } from './bind-message.js';
import type { TempKeyBinding, TempKeyBindings } from './bindings.js';

/** What the server knows about an auth key (the emulator's StoredAuthKey fits this shape). */
export interface BindKeyInfo {
  authKey: Uint8Array;
  /** Made with p_q_inner_data_temp*. */
  temp: boolean;
  /** Temp keys: server Unix seconds when the key expires. */
  expiresAt?: number | undefined;
}

export interface BindCheckContext {
  /** auth_key_id of the key the request arrived encrypted with. */
  authKeyId: bigint;
  /** session_id of the message that carried the request. */
  sessionId: bigint;
  /** msg_id of the message that carried the request. */
  msgId: bigint;
  /** Server time, Unix seconds. */
  now: number;
  /** The DC's auth keys. */
  keys: (authKeyId: bigint) => BindKeyInfo | undefined;
  bindings: TempKeyBindings;
  /**
   * How far ahead expires_at may lie when the temp key itself carries no
   * expiry (seconds; default 7 days). A key with an expiry bounds it instead.
   */
  maxExpiresIn?: number;
}

/** The rpc_error texts (all code 400) the method answers with. */
export type BindErrorText =
  | 'TEMP_AUTH_KEY_EMPTY'
  | 'ENCRYPTED_MESSAGE_INVALID'
  | 'TEMP_AUTH_KEY_ALREADY_BOUND'
  | 'EXPIRES_AT_INVALID';

/** Which check failed: several share one rpc_error text, tests and logs want to tell them apart. */
export type BindRefusal =
  /** The request did not arrive on a temporary key. */
  | 'not-temp-key'
  /** The temporary key it arrived on has expired. */
  | 'temp-key-expired'
  /** encrypted_message names another key than perm_auth_key_id. */
  | 'perm-key-id-mismatch'
  | 'perm-key-unknown'
  /** perm_auth_key_id names a temporary key. */
  | 'perm-key-not-permanent'
  | OpenBindFailure
  /** The binding message's msg_id is not the request's. */
  | 'msg-id'
  /** inner perm_auth_key_id differs from the request's. */
  | 'inner-perm-key-id'
  | 'nonce'
  /** inner expires_at differs from the request's. */
  | 'expires-at-mismatch'
  /** temp_auth_key_id is not the key the request came on. */
  | 'temp-key-id'
  /** temp_session_id is not the session that carried the request. */
  | 'temp-session-id'
  /** expires_at is not in the future. */
  | 'expires-at-past'
  /** expires_at lies beyond the temp key's own expiry (or the allowed lifetime). */
  | 'expires-at-too-far'
  /** The temporary key is already bound to another permanent key. */
  | 'already-bound';

export type BindVerdict =
  | { ok: true; binding: TempKeyBinding }
  | { ok: false; code: 400; text: BindErrorText; refusal: BindRefusal };

const DEFAULT_MAX_EXPIRES_IN = 7 * 24 * 3600;

function refuse(text: BindErrorText, refusal: BindRefusal): BindVerdict {
  return { ok: false, code: 400, text, refusal };
}

/**
 * Checks an auth.bindTempAuthKey request without changing anything; apply a
 * positive verdict with `bindings.bind(verdict.binding)` (or use
 * `acceptBindTempAuthKey`). The order puts the cheap checks on the request
 * first and decrypts only for a known permanent key.
 */
export function verifyBindTempAuthKey(request: tl.auth.bindTempAuthKey, ctx: BindCheckContext): BindVerdict {
  const temp = ctx.keys(ctx.authKeyId);
  if (temp === undefined || !temp.temp) return refuse('TEMP_AUTH_KEY_EMPTY', 'not-temp-key');
  if (temp.expiresAt !== undefined && ctx.now >= temp.expiresAt) return refuse('TEMP_AUTH_KEY_EMPTY', 'temp-key-expired');

  const named = bindMessageKeyId(request.encryptedMessage);
  if (named === undefined) return refuse('ENCRYPTED_MESSAGE_INVALID', 'malformed');
  if (named !== request.permAuthKeyId) return refuse('ENCRYPTED_MESSAGE_INVALID', 'perm-key-id-mismatch');
  const perm = ctx.keys(request.permAuthKeyId);
  if (perm === undefined) return refuse('ENCRYPTED_MESSAGE_INVALID', 'perm-key-unknown');
  if (perm.temp) return refuse('ENCRYPTED_MESSAGE_INVALID', 'perm-key-not-permanent');

  const opened = openBindMessage(perm.authKey, request.encryptedMessage);
  if (typeof opened === 'string') return refuse('ENCRYPTED_MESSAGE_INVALID', opened);
  const inner = opened.inner;
  if (opened.msgId !== ctx.msgId) return refuse('ENCRYPTED_MESSAGE_INVALID', 'msg-id');
  if (inner.permAuthKeyId !== request.permAuthKeyId) return refuse('ENCRYPTED_MESSAGE_INVALID', 'inner-perm-key-id');
  if (inner.nonce !== request.nonce) return refuse('ENCRYPTED_MESSAGE_INVALID', 'nonce');
  if (inner.expiresAt !== request.expiresAt) return refuse('ENCRYPTED_MESSAGE_INVALID', 'expires-at-mismatch');
  if (inner.tempAuthKeyId !== ctx.authKeyId) return refuse('ENCRYPTED_MESSAGE_INVALID', 'temp-key-id');
  if (inner.tempSessionId !== ctx.sessionId) return refuse('ENCRYPTED_MESSAGE_INVALID', 'temp-session-id');

  if (inner.expiresAt <= ctx.now) return refuse('EXPIRES_AT_INVALID', 'expires-at-past');
  const latest = temp.expiresAt ?? ctx.now + (ctx.maxExpiresIn ?? DEFAULT_MAX_EXPIRES_IN);
  if (inner.expiresAt > latest) return refuse('EXPIRES_AT_INVALID', 'expires-at-too-far');

  const existing = ctx.bindings.ofTemp(ctx.authKeyId, ctx.now);
  if (existing !== undefined && existing.permAuthKeyId !== inner.permAuthKeyId) {
    return refuse('TEMP_AUTH_KEY_ALREADY_BOUND', 'already-bound');
  }
  return {
    ok: true,
    binding: {
      tempAuthKeyId: ctx.authKeyId,
      permAuthKeyId: inner.permAuthKeyId,
      expiresAt: inner.expiresAt,
      tempSessionId: inner.tempSessionId,
      nonce: inner.nonce,
    },
  };
}

/** verifyBindTempAuthKey, then the binding recorded; `replaced` is the temp key the perm key had before. */
export function acceptBindTempAuthKey(
  request: tl.auth.bindTempAuthKey,
  ctx: BindCheckContext,
): BindVerdict & { replaced?: bigint | undefined } {
  const verdict = verifyBindTempAuthKey(request, ctx);
  if (!verdict.ok) return verdict;
  return { ...verdict, replaced: ctx.bindings.bind(verdict.binding).replaced };
}
