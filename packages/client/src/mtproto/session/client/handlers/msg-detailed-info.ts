import { deserializeObject, type tl } from '@telegram-mt/tl';
import type { ClientSession, InboundMessage } from '../session.js';

/**
 * msg_detailed_info#276d3ec6 msg_id answer_msg_id bytes status and
 * msg_new_detailed_info#809db6df answer_msg_id bytes status: the server has
 * an answer (answer_msg_id) for us. Acknowledge it when we have it; otherwise
 * ask for it with msg_resend_req (core.telegram.org/mtproto/service_messages_about_messages).
 */
export function handleMsgDetailedInfo(s: ClientSession, m: InboundMessage): void {
  const info = deserializeObject(m.body) as tl.msg_detailed_info | tl.msg_new_detailed_info;
  if (info._ === 'msg_detailed_info') s.markAcked(info.msgId);
  if (s.core.replay.check(info.answerMsgId) === 'duplicate') s.core.ack(info.answerMsgId);
  else s.requestResend([info.answerMsgId]);
}
