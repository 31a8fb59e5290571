import { deserializeObject, serializeObject, type tl } from '@telegram-mt/tl';
import { msgIdSeconds } from '../../msg-id.js';
import type { ClientSession, InboundMessage } from '../session.js';

/** msgs_state_info states (core.telegram.org/mtproto/service_messages_about_messages). */
export const MsgState = {
  UNKNOWN: 1,
  NOT_RECEIVED: 2,
  NOT_RECEIVED_TOO_NEW: 3,
  RECEIVED: 4,
  /** Flags on RECEIVED. */
  ACKNOWLEDGED: 8,
  RPC_PROCESSING: 32,
  ANSWER_GENERATED: 64,
} as const;

/**
 * msgs_state_req#da69fb52 msg_ids:Vector<long> from the server: what we know
 * of messages it sent, answered with msgs_state_info from the replay window.
 */
export function handleMsgsStateReq(s: ClientSession, m: InboundMessage): void {
  const req = deserializeObject(m.body) as tl.msgs_state_req;
  const core = s.core;
  const ids = req.msgIds.slice(0, 8192);
  const info = new Uint8Array(ids.length);
  const now = core.msgIds.nowSeconds();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const v = core.replay.check(id);
    if (v === 'duplicate') info[i] = MsgState.RECEIVED | MsgState.ACKNOWLEDGED;
    else if (v === 'too-old' || msgIdSeconds(id) < now - core.limits.maxPastSeconds) info[i] = MsgState.UNKNOWN;
    else if (msgIdSeconds(id) > now + core.limits.maxFutureSeconds) info[i] = MsgState.NOT_RECEIVED_TOO_NEW;
    else info[i] = MsgState.NOT_RECEIVED;
  }
  s.sendService(serializeObject({ _: 'msgs_state_info', reqMsgId: m.msgId, info } as tl.TlAny));
}
