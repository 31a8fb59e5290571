// Requests handed from one session to another — PFS moves traffic to the
// session on a newly bound temporary key (core.telegram.org/api/pfs) — and
// the calls a refused, unbound key parks until they can move.
import type { ClientSessionEvent } from './events.js';
import type { PendingRequest } from './pending.js';
import type { ClientSession } from './session.js';

/**
 * Hands requests over to another session (a new temporary key, core.telegram.org/api/pfs),
 * keeping their ids: those never sent, and with `unacked` also those the
 * server never acknowledged. Returns how many moved.
 */
export function moveTo(s: ClientSession, target: ClientSession, unacked: boolean): number {
  s.parked = 0;
  let n = 0;
  for (const req of [...s.byId.values()]) {
    if (req.internal) continue;
    if (req.msgId !== undefined && !(unacked && !req.acked)) continue;
    s.cancel(req.id);
    target.adopt(req);
    n++;
  }
  return n;
}

/** Fails every request still pending with `error(method)`; returns the events (for the edge). */
export function failAll(s: ClientSession, error: (method: string) => Error): ClientSessionEvent[] {
  for (const req of [...s.byId.values()]) {
    s.cancel(req.id);
    if (!req.internal) s.emit({ type: 'error', requestId: req.id, error: error(req.method) });
  }
  return s.takeEvents();
}

/** The receiving side of `moveTo`: the request goes out afresh, under its old id. */
export function adopt(s: ClientSession, req: PendingRequest): void {
  const copy: PendingRequest = { ...req, msgId: undefined, containerMsgId: undefined, acked: false, resends: 0, sentAt: 0 };
  s.transmit(copy, false);
  s.byId.set(copy.id, copy);
}

/** Keeps a refused request pending but unsent, for `moveTo`. */
export function park(s: ClientSession, req: PendingRequest): void {
  req.msgId = undefined;
  req.containerMsgId = undefined;
  s.byId.set(req.id, req);
  s.parked++;
}
