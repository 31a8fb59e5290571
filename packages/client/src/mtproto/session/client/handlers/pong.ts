import { readLong } from '../../wire.js';
import type { ClientSession, InboundMessage } from '../session.js';

/** pong#347773c5 msg_id:long ping_id:long — the answer to the ping sent as msg_id. */
export function handlePong(s: ClientSession, m: InboundMessage): void {
  if (m.body.length < 20) throw new RangeError('pong too short');
  const msgId = readLong(m.body, 4);
  const pingId = readLong(m.body, 12);
  const req = s.takePending(msgId);
  if (req === undefined) {
    s.core.drop('unknown-request');
    return;
  }
  s.emit({ type: 'result', requestId: req.id, result: { _: 'pong', msgId, pingId } });
}
