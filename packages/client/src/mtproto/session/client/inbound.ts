// What comes in, after the envelope opened: the msg_id checks (parity, time
// window, replay) and routing each message to the handler of its
// constructor, or out as an update.
import { deserializeObject } from '@telegram-mt/tl';
import { ID_MSG_CONTAINER } from '../ids.js';
import { readU32 } from '../wire.js';
import { ANSWERS_BY_ID, handlers } from './dispatch-table.js';
import type { InboundMessage } from './events.js';
import { keyOf } from './pending.js';
import type { ClientSession } from './session.js';

/**
 * Parity (server msg_ids are odd), time window and replay checks; counts
 * what fails. A message outside the time window still passes when it
 * answers one of our pending msg_ids (rpc_result, bad_msg_notification,
 * bad_server_salt, pong, msgs_state_info, future_salts), and so does a
 * container, whose messages are then checked one by one: the pending table
 * is the replay guard for those (an answer is taken once), and it is how a
 * clock far off the server's learns the server's time from
 * bad_msg_notification 16/17.
 */
export function acceptMsgId(s: ClientSession, msgId: bigint, outer: boolean, body: Uint8Array): boolean {
  const core = s.core;
  if ((msgId & 1n) === 0n) {
    core.drop('msg-id-parity');
    return false;
  }
  const late = core.checkTime(msgId);
  if (late !== undefined) {
    const container = outer && body.length >= 4 && readU32(body, 0) === ID_MSG_CONTAINER;
    if (!container && !answersPending(s, body)) {
      core.drop(late);
      return false;
    }
    if (!container) core.stats.outOfWindow++;
  }
  // Inner messages may carry ids below the container's; only a repeat is a replay for them.
  const verdict = outer ? core.replay.accept(msgId) : core.replay.check(msgId);
  if (verdict === 'new' && !outer) core.replay.add(msgId);
  if (verdict !== 'new' && (outer || verdict === 'duplicate')) {
    core.drop('replay');
    return false;
  }
  return true;
}

/** Whether a service message names, in its first field, a msg_id of ours still pending. */
export function answersPending(s: ClientSession, body: Uint8Array): boolean {
  if (body.length < 12 || !ANSWERS_BY_ID.has(readU32(body, 0))) return false;
  const id = new DataView(body.buffer, body.byteOffset, body.byteLength).getBigInt64(4, true);
  const direct = s.byMsgId.get(keyOf(id));
  if (direct !== undefined && direct.msgId === id) return true;
  for (const req of s.byMsgId.values()) if (req.containerMsgId === id) return true;
  return false;
}

export function dispatch(s: ClientSession, m: InboundMessage): void {
  const core = s.core;
  core.stats.messagesIn++;
  // Odd seq_no: content-related, to be acknowledged.
  if ((m.seqNo & 1) === 1) core.ack(m.msgId);
  s.route(m);
}

/** Handles a message by its constructor; `fromGzip` keeps it from being acked twice. */
export function route(s: ClientSession, m: InboundMessage, fromGzip = false): void {
  const id = m.body.length >= 4 ? readU32(m.body, 0) : -1;
  if (fromGzip && id === ID_MSG_CONTAINER) {
    s.core.drop('malformed');
    return;
  }
  const handler = handlers.get(id);
  try {
    if (handler !== undefined) handler(s, m);
    else s.emit({ type: 'update', msgId: m.msgId, update: deserializeObject(m.body) });
  } catch {
    // FramingError, TlError or RangeError from a body that passed the msg_key check: count, go on.
    s.core.drop('malformed');
  }
}
