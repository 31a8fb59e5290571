import { deserializeObject, type tl } from '@telegram-mt/tl';
import type { ClientSession, InboundMessage } from '../session.js';

/**
 * destroy_session_ok / destroy_session_none session_id — the answer to
 * destroy_session, sent bare: routed to the pending destroy_session for that
 * session_id.
 */
export function handleDestroySessionRes(s: ClientSession, m: InboundMessage): void {
  const res = deserializeObject(m.body) as tl.destroy_session_ok | tl.destroy_session_none;
  const req = s.takePendingWhere((r) => r.method === 'destroy_session' && readTarget(r.body) === res.sessionId);
  if (req === undefined) {
    s.core.drop('unknown-request');
    return;
  }
  s.emit({ type: 'result', requestId: req.id, result: res });
}

function readTarget(body: Uint8Array): bigint | undefined {
  if (body.length < 12) return undefined;
  return new DataView(body.buffer, body.byteOffset, body.byteLength).getBigInt64(4, true);
}
