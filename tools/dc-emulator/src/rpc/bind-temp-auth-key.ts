// auth.bindTempAuthKey for the emulator (core.telegram.org/method/auth.bindTempAuthKey).
// The checks themselves are the client package's sans-IO verifier
// (acceptBindTempAuthKey of @telegram-mt/client/mtproto, src/mtproto/pfs):
// this file adapts it to the registry, reading the DC's auth keys and
// keeping one binding table per DC. The verifier is passed in, typed by the
// shape it has, so this file builds before the client exports its pfs module.
import type { tl } from '@telegram-mt/tl';
import type { MethodHandler } from './registry.js';
import { RpcError } from './rpc-error.js';

/** An auth key as the verifier reads it (the DC's StoredAuthKey has this shape). */
export interface BindKeyView {
  authKey: Uint8Array;
  temp: boolean;
  expiresAt?: number | undefined;
}

/** A recorded binding, as the verifier returns it. */
export interface BindingView {
  tempAuthKeyId: bigint;
  permAuthKeyId: bigint;
  expiresAt: number;
  tempSessionId: bigint;
  nonce: bigint;
}

/** What the call context gives the verifier. */
export interface BindCallView<B> {
  authKeyId: bigint;
  sessionId: bigint;
  msgId: bigint;
  /** Server time, Unix seconds. */
  now: number;
  keys: (authKeyId: bigint) => BindKeyView | undefined;
  bindings: B;
}

export type BindVerdictView =
  | { ok: true; binding: BindingView; replaced?: bigint | undefined }
  | { ok: false; code: number; text: string; refusal: string };

export interface BindTempAuthKeyDeps<B> {
  /** acceptBindTempAuthKey from @telegram-mt/client/mtproto: verifies and, when valid, records the binding. */
  accept: (request: tl.auth.bindTempAuthKey, call: BindCallView<B>) => BindVerdictView;
  /** A DC's auth keys by id (e.g. `(id) => dc.authKeys.get(id)`). */
  keysOf: (dcId: number) => (authKeyId: bigint) => BindKeyView | undefined;
  /** A DC's binding table (a TempKeyBindings per DC). */
  bindingsOf: (dcId: number) => B;
  /** Told of every binding made, and of the temp key it displaced. */
  onBound?: (dcId: number, binding: BindingView, replaced: bigint | undefined) => void;
  /** Told of every refusal, with the check that failed (for logs and counters). */
  onRefused?: (dcId: number, text: string, refusal: string) => void;
}

/**
 * The handler: boolTrue when the binding holds, otherwise 400 with the text
 * Telegram uses (TEMP_AUTH_KEY_EMPTY, ENCRYPTED_MESSAGE_INVALID,
 * EXPIRES_AT_INVALID, TEMP_AUTH_KEY_ALREADY_BOUND). The context's msg_id and
 * session_id are those of the message that carried the call, as the checks
 * require.
 */
export function bindTempAuthKeyHandler<B>(deps: BindTempAuthKeyDeps<B>): MethodHandler<'auth.bindTempAuthKey'> {
  return (ctx, request) => {
    const verdict = deps.accept(request, {
      authKeyId: ctx.messageAuthKeyId,
      sessionId: ctx.sessionId,
      msgId: ctx.msgId,
      now: Math.floor(ctx.now() / 1000),
      keys: deps.keysOf(ctx.dcId),
      bindings: deps.bindingsOf(ctx.dcId),
    });
    if (!verdict.ok) {
      deps.onRefused?.(ctx.dcId, verdict.text, verdict.refusal);
      return new RpcError(verdict.code, verdict.text);
    }
    deps.onBound?.(ctx.dcId, verdict.binding, verdict.replaced);
    return true;
  };
}
