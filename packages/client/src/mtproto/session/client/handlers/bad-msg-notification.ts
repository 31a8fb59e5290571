import { msgIdSeconds } from '../../msg-id.js';
import { readI32, readLong } from '../../wire.js';
import type { ClientSession, InboundMessage } from '../session.js';

/**
 * bad_msg_notification#a7eff811 bad_msg_id:long bad_msg_seqno:int error_code:int
 * (core.telegram.org/mtproto/service_messages_about_messages). What can be
 * fixed here is fixed and the message sent again; the rest fails the request.
 * Each request is resent a bounded number of times, so no code loops.
 */
export function handleBadMsgNotification(s: ClientSession, m: InboundMessage): void {
  if (m.body.length < 20) throw new RangeError('bad_msg_notification too short');
  const badMsgId = readLong(m.body, 4);
  const code = readI32(m.body, 16);
  switch (code) {
    case 16: // msg_id too low
    case 17: {
      // msg_id too high: our clock is off; the notice's own msg_id carries the server's time.
      const core = s.core;
      const before = core.msgIds.timeOffset;
      core.msgIds.syncFrom(m.msgId);
      // msg_ids only grow within a session: once the clock moved back, the next ones would
      // still be as far ahead as the last, and refused again. Start a new session instead.
      if (core.msgIds.timeOffset < before && msgIdSeconds(core.msgIds.lastId) > core.msgIds.nowSeconds()) {
        s.renewSession(badMsgId);
      }
      s.emit({ type: 'time-synced', timeOffset: core.msgIds.timeOffset });
      s.resend(badMsgId, code);
      return;
    }
    case 19: // container msg_id reused
    case 20: // too old for the server to tell whether it saw it
      s.resend(badMsgId, code);
      return;
    case 48: // bad salt (normally sent as bad_server_salt, which carries the salt; this form does not)
      s.salts.clear();
      s.resend(badMsgId, code);
      return;
    case 32: // seq_no too low
    case 33: // seq_no too high: our count drifted from the server's; start a fresh session
      s.renewSession(badMsgId);
      s.resend(badMsgId, code);
      return;
    default: // 18 msg_id bits, 34/35 seq_no parity, 64 bad container: a bug that resending repeats
      s.fail(badMsgId, code);
  }
}
