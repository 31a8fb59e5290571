// What became of a request: resends after the server refused a message,
// msgs_state_req probes after a reconnect or a long silence and what their
// answers say, and the requests a new session leaves in doubt. Each request
// is resent a bounded number of times; nothing known to have reached the
// server is sent again unless it is safe to repeat.
import { serializeObject, type tl } from '@telegram-mt/tl';
import { BadMessageError, RequestInDoubtError } from '../../../errors.js';
import { randomLong } from '../clock.js';
import { MsgState } from './handlers/msgs-state-req.js';
import { keyOf, MAX_IDS_PER_REQUEST, MAX_RESENDS, type PendingRequest } from './pending.js';
import type { ClientSession } from './session.js';

/**
 * After a reconnect in the same session: every request sent on the old
 * connection and not answered is asked about with msgs_state_req; the
 * server's msgs_state_info says which it never got (sent again, with a new
 * msg_id) and which it has (kept waiting for; their answers are asked for
 * with msg_resend_ans_req if ready). Nothing it did get is sent twice.
 * Internal service requests in flight are dropped (asked again when needed).
 */
export function reconnected(s: ClientSession): number {
  for (const r of [...s.byId.values()]) if (r.internal) s.cancel(r.id);
  return s.probe(Number.POSITIVE_INFINITY);
}

/**
 * msgs_state_req about every request sent at or before `sentBefore` (local
 * ms) and still unanswered — a lost request or a lost answer shows up this
 * way without a reconnect. Internal requests that old are given up on.
 * Returns how many msg_ids were asked about.
 */
export function probe(s: ClientSession, sentBefore: number): number {
  const asked: PendingRequest[] = [];
  for (const r of [...s.byId.values()]) {
    if (r.msgId === undefined || r.sentAt > sentBefore) continue;
    if (r.internal) s.cancel(r.id);
    else asked.push(r);
  }
  asked.sort((a, b) => (a.msgId! < b.msgId! ? -1 : 1));
  const now = s.clock.now();
  for (let i = 0; i < asked.length; i += MAX_IDS_PER_REQUEST) {
    const ids = asked.slice(i, i + MAX_IDS_PER_REQUEST).map((r) => {
      r.sentAt = now;
      // Each probe may ask for the answer once more: the one sent again can be lost too.
      r.answerAsked = false;
      return r.msgId!;
    });
    const id = s.send('msgs_state_req', serializeObject({ _: 'msgs_state_req', msgIds: ids } as tl.TlAny), { gzip: false }, true);
    s.byId.get(id)!.asked = ids;
  }
  return asked.length;
}

/** What a msgs_state_info / msgs_all_info byte says about our message `msgId`, acted on. */
export function applyMsgState(s: ClientSession, msgId: bigint, state: number): void {
  const req = s.byMsgId.get(keyOf(msgId));
  if (req === undefined || req.msgId !== msgId || req.internal) return;
  const base = state & 7;
  if (base === MsgState.NOT_RECEIVED || base === MsgState.NOT_RECEIVED_TOO_NEW) {
    s.resendNotReceived(msgId);
  } else if (base === MsgState.UNKNOWN) {
    // Too old for the server to remember: it may have run. Fail it rather than risk running it twice.
    s.byMsgId.delete(keyOf(msgId));
    s.byId.delete(req.id);
    s.emit({ type: 'error', requestId: req.id, error: new RequestInDoubtError(req.method) });
  } else if (base === MsgState.RECEIVED) {
    req.acked = true;
    if ((state & MsgState.ANSWER_GENERATED) !== 0 && !req.answerAsked) {
      // The answer went out on a connection that died: ask for it again.
      req.answerAsked = true;
      s.sendService(serializeObject({ _: 'msg_resend_ans_req', msgIds: [msgId] } as tl.TlAny));
    }
  }
}

/** A request the server never received: sent again with a new msg_id (bounded like every resend). */
export function resendNotReceived(s: ClientSession, msgId: bigint): void {
  const req = s.byMsgId.get(keyOf(msgId));
  if (req === undefined || req.msgId !== msgId || req.internal) return;
  s.resend(msgId, 0);
}

/** Sends again the request sent as msgId, or every request of the container sent as msgId. */
export function resend(s: ClientSession, msgId: bigint, code: number): void {
  for (const req of s.requestsSentAs(msgId)) {
    s.byMsgId.delete(keyOf(req.msgId!));
    if (req.internal && req.asked !== undefined) {
      // A msgs_state_req refused: the next probe asks again.
      s.byId.delete(req.id);
      continue;
    }
    if (++req.resends > MAX_RESENDS) {
      s.byId.delete(req.id);
      s.emit({
        type: 'error',
        requestId: req.id,
        error: new BadMessageError(code, `${req.method} refused ${MAX_RESENDS + 1} times (last code ${code})`),
      });
      continue;
    }
    s.transmit(req, true);
  }
}

/**
 * Sends again every unanswered request that went out before `msgId`, alone
 * or in a container (the server never saw them). Whether a server names
 * the container or its first message, nothing it did see is sent twice.
 */
export function resendSentBefore(s: ClientSession, msgId: bigint): void {
  const lost: PendingRequest[] = [];
  for (const req of s.byMsgId.values()) {
    if (req.msgId! < msgId && (req.containerMsgId === undefined || req.containerMsgId < msgId)) lost.push(req);
  }
  // Oldest first, each to the head of the queue: so walk newest first.
  lost.sort((a, b) => (a.msgId! < b.msgId! ? 1 : -1));
  for (const req of lost) {
    s.byMsgId.delete(keyOf(req.msgId!));
    s.transmit(req, true);
  }
}

/** Fails the request(s) sent as msgId with a bad_msg_notification code. */
export function fail(s: ClientSession, msgId: bigint, code: number): void {
  for (const req of s.requestsSentAs(msgId)) {
    s.byMsgId.delete(keyOf(req.msgId!));
    s.byId.delete(req.id);
    s.emit({
      type: 'error',
      requestId: req.id,
      error: new BadMessageError(code, `${req.method} refused by the server with bad_msg_notification ${code}`),
    });
  }
}

/**
 * A fresh session_id, seq_no count and msg_id sequence: after the server
 * and we disagree on seq_no, or the corrected clock moved back. The
 * message `refused` (whose notice led here) never ran and is the caller's
 * to resend. Every other request already sent may have run, and the new
 * session cannot ask about it (msg_ids and msgs_state_req are per
 * session; the old session's answers do not reach the new one): sent again
 * when it is safe to repeat, failed with RequestInDoubtError when not.
 * Requests not sent yet simply go out in the new session.
 */
export function renewSession(s: ClientSession, refused: bigint): void {
  const notRun = new Set(s.requestsSentAs(refused));
  for (const req of [...s.byId.values()]) {
    if (req.msgId === undefined || notRun.has(req)) continue;
    if (req.internal || !(req.repeatable ?? s.isSafeToRepeat(req.method))) {
      s.cancel(req.id);
      if (!req.internal) s.emit({ type: 'error', requestId: req.id, error: new RequestInDoubtError(req.method) });
      continue;
    }
    s.byMsgId.delete(keyOf(req.msgId));
    req.acked = false;
    req.answerAsked = false;
    s.transmit(req, false);
  }
  s.core.sessionId = randomLong(s.random);
  s.core.resetSeqNo();
  s.core.msgIds.reset();
  s.core.replay.clear();
}
