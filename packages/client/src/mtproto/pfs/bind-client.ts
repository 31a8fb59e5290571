// The client's half of auth.bindTempAuthKey: the request to invoke, as the
// first message of a session on the new temporary key.
import type { tl } from '@telegram-mt/tl';
import { authKeyIdOf } from '../session/cipher.js';
import { randomLong, systemRandom, type RandomSource } from '../session/clock.js';
import { sealBindMessage, type BindAuthKeyInner } from './bind-message.js';

export interface TempKeyBinderOptions {
  /** The permanent key (256 bytes) the temporary key is bound to. */
  permAuthKey: Uint8Array;
  /** auth_key_id of the temporary key (the key the request travels on). */
  tempAuthKeyId: bigint;
  /** session_id of the session on the temporary key that will carry the request. */
  tempSessionId: bigint;
  /** When the temporary key stops being valid, in server Unix seconds (AuthKeyResult.expiresAt). */
  expiresAt: number;
  /** The binding's nonce; random by default. */
  nonce?: bigint;
  random?: RandomSource;
}

/**
 * Builds auth.bindTempAuthKey for one temporary key. The binding message
 * embeds the msg_id of the request that carries it, so the request is made
 * for a msg_id: call `requestFor` again whenever the session sends it with a
 * new msg_id (a resend after bad_msg_notification or bad_server_salt), or the
 * server refuses it with ENCRYPTED_MESSAGE_INVALID.
 */
export class TempKeyBinder {
  readonly permAuthKeyId: bigint;
  readonly inner: Readonly<BindAuthKeyInner>;
  private readonly permAuthKey: Uint8Array;
  private readonly random: RandomSource;

  constructor(opts: TempKeyBinderOptions) {
    if (!Number.isInteger(opts.expiresAt) || opts.expiresAt <= 0 || opts.expiresAt > 0x7fffffff) {
      throw new RangeError(`expiresAt must be a Unix time in seconds that fits an int, got ${opts.expiresAt}`);
    }
    this.permAuthKey = opts.permAuthKey;
    this.permAuthKeyId = authKeyIdOf(opts.permAuthKey);
    this.random = opts.random ?? systemRandom;
    this.inner = {
      nonce: opts.nonce ?? randomLong(this.random),
      tempAuthKeyId: opts.tempAuthKeyId,
      permAuthKeyId: this.permAuthKeyId,
      tempSessionId: opts.tempSessionId,
      expiresAt: opts.expiresAt,
    };
  }

  /** The request to send on the temporary key's session with exactly this msg_id. */
  requestFor(msgId: bigint): tl.auth.bindTempAuthKey {
    if ((msgId & 3n) !== 0n) throw new RangeError(`a client msg_id is divisible by 4, got ${msgId}`);
    return {
      _: 'auth.bindTempAuthKey',
      permAuthKeyId: this.permAuthKeyId,
      nonce: this.inner.nonce,
      expiresAt: this.inner.expiresAt,
      encryptedMessage: sealBindMessage(this.permAuthKey, this.permAuthKeyId, msgId, this.inner, this.random),
    };
  }
}

/** One-shot form of TempKeyBinder: the request for one msg_id. */
export function createBindTempAuthKeyRequest(opts: TempKeyBinderOptions & { msgId: bigint }): tl.auth.bindTempAuthKey {
  return new TempKeyBinder(opts).requestFor(opts.msgId);
}
