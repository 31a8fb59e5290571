import { deserializeObject, type tl } from '@telegram-mt/tl';
import type { ClientSession, InboundMessage } from '../session.js';

/**
 * msg_resend_req#7d861a08 msg_ids — the server did not get these messages of
 * ours: the requests among them are sent again (a new msg_id is safe, the
 * server never saw the old one). msg_resend_ans_req asks for answers, which a
 * client never has to give.
 */
export function handleMsgResendReq(s: ClientSession, m: InboundMessage): void {
  const req = deserializeObject(m.body) as tl.msg_resend_req | tl.msg_resend_ans_req;
  if (req._ !== 'msg_resend_req') return;
  for (const id of req.msgIds.slice(0, 8192)) s.resendNotReceived(id);
}
