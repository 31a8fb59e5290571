import { unpackGzip } from '../../container.js';
import type { ClientSession, InboundMessage } from '../session.js';

/** gzip_packed#3072cfa1 — the inflated object is handled under the same msg_id. */
export function handleGzipPacked(s: ClientSession, m: InboundMessage): void {
  s.route({ msgId: m.msgId, seqNo: m.seqNo, body: unpackGzip(m.body, s.core.limits.maxInflated) }, true);
}
