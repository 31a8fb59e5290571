import { readLong } from '../../wire.js';
import type { ClientSession, InboundMessage } from '../session.js';

/**
 * bad_server_salt#edab447b bad_msg_id:long bad_msg_seqno:int error_code:int
 * new_server_salt:long — take the new salt and send the message again. The
 * future salts we held are stale now: they are dropped and asked for anew.
 */
export function handleBadServerSalt(s: ClientSession, m: InboundMessage): void {
  if (m.body.length < 28) throw new RangeError('bad_server_salt too short');
  const badMsgId = readLong(m.body, 4);
  const salt = readLong(m.body, 20);
  s.core.serverSalt = salt;
  s.salts.clear();
  s.emit({ type: 'salt', serverSalt: salt });
  s.resend(badMsgId, 48);
}
