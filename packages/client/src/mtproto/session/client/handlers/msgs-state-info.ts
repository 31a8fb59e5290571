import { deserializeObject, type tl } from '@telegram-mt/tl';
import type { ClientSession, InboundMessage } from '../session.js';

/**
 * msgs_state_info#04deb57d req_msg_id info — the answer to our msgs_state_req
 * (sent after a reconnect, or about requests unanswered too long): one state
 * byte per msg_id asked, acted on by `applyMsgState`.
 */
export function handleMsgsStateInfo(s: ClientSession, m: InboundMessage): void {
  const answer = deserializeObject(m.body) as tl.msgs_state_info;
  const req = s.takePending(answer.reqMsgId);
  if (req === undefined || req.asked === undefined) {
    s.core.drop('unknown-request');
    return;
  }
  const n = Math.min(req.asked.length, answer.info.length);
  for (let i = 0; i < n; i++) s.applyMsgState(req.asked[i]!, answer.info[i]!);
}

/** msgs_all_info#8cc0d131 msg_ids info — the server tells of our messages unasked: same rules. */
export function handleMsgsAllInfo(s: ClientSession, m: InboundMessage): void {
  const info = deserializeObject(m.body) as tl.msgs_all_info;
  const n = Math.min(info.msgIds.length, info.info.length);
  for (let i = 0; i < n; i++) s.applyMsgState(info.msgIds[i]!, info.info[i]!);
}
