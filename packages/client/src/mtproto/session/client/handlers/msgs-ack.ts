import { ID_VECTOR } from '../../ids.js';
import { readI32, readLong, readU32 } from '../../wire.js';
import type { ClientSession, InboundMessage } from '../session.js';

/** msgs_ack#62d6b459 msg_ids:Vector<long> — the server has our messages; nothing to resend for them. */
export function handleMsgsAck(s: ClientSession, m: InboundMessage): void {
  const b = m.body;
  if (b.length < 12 || readU32(b, 4) !== ID_VECTOR) throw new RangeError('msgs_ack without a vector');
  const n = readI32(b, 8);
  if (n < 0 || 12 + 8 * n > b.length) throw new RangeError(`msgs_ack claims ${n} ids`);
  for (let i = 0; i < n; i++) s.markAcked(readLong(b, 12 + 8 * i));
}
