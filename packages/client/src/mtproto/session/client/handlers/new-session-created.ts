import { readLong } from '../../wire.js';
import type { ClientSession, InboundMessage } from '../session.js';

/**
 * new_session_created#9ec20908 first_msg_id:long unique_id:long server_salt:long
 * — the server made a session for us; take its salt. Requests sent before
 * first_msg_id never reached this session: send them again. Updates sent to
 * an earlier session may be lost, which the event lets the updates layer know.
 */
export function handleNewSessionCreated(s: ClientSession, m: InboundMessage): void {
  if (m.body.length < 28) throw new RangeError('new_session_created too short');
  const firstMsgId = readLong(m.body, 4);
  const uniqueId = readLong(m.body, 12);
  const serverSalt = readLong(m.body, 20);
  s.core.serverSalt = serverSalt;
  s.resendSentBefore(firstMsgId);
  s.emit({ type: 'new-session', firstMsgId, uniqueId, serverSalt });
}
