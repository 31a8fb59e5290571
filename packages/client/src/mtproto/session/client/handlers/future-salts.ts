import { deserializeObject, type tl } from '@telegram-mt/tl';
import type { ClientSession, InboundMessage } from '../session.js';

/**
 * future_salts#ae500895 req_msg_id:long now:int salts:vector<future_salt> —
 * the answer to get_future_salts, sent bare (not in rpc_result). The salts
 * are kept; `flush` switches to the one valid at the time.
 */
export function handleFutureSalts(s: ClientSession, m: InboundMessage): void {
  const answer = deserializeObject(m.body) as tl.future_salts;
  const req = s.takePending(answer.reqMsgId);
  if (req === undefined) {
    // Unasked salts are not trusted to replace ours.
    s.core.drop('unknown-request');
    return;
  }
  s.salts.store(answer.salts);
  if (!req.internal) s.emit({ type: 'result', requestId: req.id, result: answer });
}
