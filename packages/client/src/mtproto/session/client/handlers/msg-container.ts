import { unpackContainer } from '../../container.js';
import type { ClientSession, InboundMessage } from '../session.js';

/** msg_container#73f1f8dc — each inner message is checked and handled as if it came alone. */
export function handleMsgContainer(s: ClientSession, m: InboundMessage): void {
  const inner = unpackContainer(m.body, s.core.limits.maxContainerMessages);
  for (const msg of inner) s.receiveInner(msg, m.msgId);
}
