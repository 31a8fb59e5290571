// Sending auth.bindTempAuthKey from our client's sans-IO session, for the
// emulator's PFS tests.
import type { AuthKeyResult, ClientSession } from '@telegram-mt/client/mtproto';
import { serializeObject, type tl } from '@telegram-mt/tl';
// Until @telegram-mt/client/mtproto re-exports its pfs module, take it from the client's build.
import { TempKeyBinder } from '../../../../packages/client/dist/mtproto/pfs/index.js';

/**
 * Queues auth.bindTempAuthKey so that its encrypted_message names the msg_id
 * the session gives it (plus `skew`). The session assigns msg_ids only when it
 * packs a message, and has no hook for that yet, so this test wraps its
 * msg_id generator for the one call; the request's size does not depend on
 * the msg_id, so the queued body is rewritten in place.
 */
export function queueBind(session: ClientSession, binder: TempKeyBinder, conn: { onPacket(p: Uint8Array): void }, skew = 0n): number {
  // Acks waiting to go would be packed ahead of the request and take the first msg_id: send them now.
  for (const p of session.flush(true)) conn.onPacket(p);
  const body = serializeObject(binder.requestFor(0n) as tl.TlAny);
  const id = session.send('auth.bindTempAuthKey', body, { gzip: false });
  const gen = session.core.msgIds;
  const next = gen.next.bind(gen);
  gen.next = (kind) => {
    const msgId = next(kind);
    gen.next = next;
    body.set(serializeObject(binder.requestFor(msgId + skew) as tl.TlAny));
    return msgId;
  };
  return id;
}

export function binderFor(perm: AuthKeyResult, temp: AuthKeyResult, session: ClientSession): TempKeyBinder {
  return new TempKeyBinder({
    permAuthKey: perm.authKey,
    tempAuthKeyId: temp.authKeyId,
    tempSessionId: session.sessionId,
    expiresAt: temp.expiresAt!,
  });
}

