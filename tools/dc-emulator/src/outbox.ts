// Pushed updates outlive the TCP connection, as MTProto sessions do
// (core.telegram.org/mtproto/description, "Session"): what is pushed to a
// session with no connection waits for the client's next connection in that
// session, and what went out but was never acknowledged is sent again there
// (core.telegram.org/mtproto/service_messages_about_messages). Bounded per
// session and per DC; whatever is given up is counted, never lost silently.
import type { ServerSession } from '@telegram-mt/client/mtproto';
import type { DcConnection } from './connection.js';
import type { LayerCodec } from './layers.js';

export interface OutboxLimits {
  /** Most pushes kept per session (waiting, and separately sent but unacknowledged). */
  maxMessages: number;
  /** Most bytes kept per session (likewise). */
  maxBytes: number;
  /** How long a push is kept (ms): a session away longer has to fetch the difference. */
  maxAgeMs: number;
  /** Most bytes kept by all sessions of a DC together. */
  maxTotalBytes: number;
}

export const defaultOutboxLimits: OutboxLimits = {
  maxMessages: 1000,
  maxBytes: 4 << 20,
  maxAgeMs: 15 * 60_000,
  maxTotalBytes: 64 << 20,
};

/** What became of pushes; part of DcStats. */
export interface OutboxCounters {
  /** Pushes kept for a session that had no open connection. */
  pushesQueued: number;
  /** Kept pushes sent once the session had a connection again. */
  pushesDelivered: number;
  /** Kept pushes given up: past a bound (oldest first), too old, or their session forgotten or replaced. */
  pushesDropped: number;
  /** Pushes sent again on a later connection because the client had not acknowledged them. */
  pushesResent: number;
  /** Sent, unacknowledged pushes no longer kept for resending (past a bound or too old): they may not have arrived. */
  pushesUnackedForgotten: number;
}

export const emptyOutboxCounters = (): OutboxCounters => ({
  pushesQueued: 0,
  pushesDelivered: 0,
  pushesDropped: 0,
  pushesResent: 0,
  pushesUnackedForgotten: 0,
});

/** A serialized push and when it was made (ms). */
export interface KeptPush {
  body: Uint8Array;
  at: number;
}

/** A push that went out: its msg_id and seq_no, to send it again as the same message. */
export interface SentPush extends KeptPush {
  msgId: bigint;
  seqNo: number;
}

/** The pushes of one session: waiting for a connection, and sent but not acknowledged. */
export class SessionOutbox {
  /** The connection the session last spoke on, until it closes. */
  carrier: DcConnection | undefined;
  /** When the last connection carrying the session closed (ms). */
  leftAt: number | undefined;
  /** The layer the client's last connection spoke: kept pushes are written in it. */
  writer: LayerCodec | undefined;
  private readonly waiting: KeptPush[] = [];
  private waitingBytes = 0;
  /** Sent and not acknowledged, in the order sent (msg_ids grow). */
  private readonly unacked = new Map<bigint, SentPush>();
  private unackedBytes = 0;

  constructor(private readonly all: Outboxes) {}

  get waitingCount(): number {
    return this.waiting.length;
  }

  get unackedCount(): number {
    return this.unacked.size;
  }

  /** Keeps a push for the session's next connection; the oldest go first past the bounds. */
  keep(body: Uint8Array, now: number): void {
    const all = this.all;
    this.expire(now);
    if (this.leftAt !== undefined && now - this.leftAt > all.limits.maxAgeMs) {
      // Away longer than anything is kept: the client has to fetch the difference anyway.
      all.counters.pushesDropped++;
      return;
    }
    if (body.length > all.limits.maxBytes || !all.reserve(body.length, now)) {
      all.counters.pushesDropped++;
      return;
    }
    this.waiting.push({ body, at: now });
    this.waitingBytes += body.length;
    all.counters.pushesQueued++;
    all.withContent.add(this);
    const { maxMessages, maxBytes } = all.limits;
    while (this.waiting.length > maxMessages || this.waitingBytes > maxBytes) this.release(this.waiting.shift()!, 'waiting');
  }

  /** Takes the waiting pushes still young enough, oldest first (those too old are counted as dropped). */
  takeWaiting(now: number): KeptPush[] {
    this.expire(now);
    const out = this.waiting.splice(0);
    for (const e of out) this.release(e, 'waiting', false);
    this.all.counters.pushesDelivered += out.length;
    this.settle();
    return out;
  }

  /** A push went out as msg_id `msgId`: kept until the client acknowledges it. */
  sent(push: SentPush): void {
    const all = this.all;
    if (push.body.length > all.limits.maxBytes || !all.reserve(push.body.length, push.at)) {
      all.counters.pushesUnackedForgotten++;
      return;
    }
    this.unacked.set(push.msgId, push);
    this.unackedBytes += push.body.length;
    all.withContent.add(this);
    const { maxMessages, maxBytes } = all.limits;
    while (this.unacked.size > 0 && (this.unacked.size > maxMessages || this.unackedBytes > maxBytes)) {
      this.release(this.unacked.values().next().value as SentPush, 'unacked');
    }
  }

  /** msgs_ack (or anything that acknowledges): those pushes are delivered. */
  acked(msgIds: readonly bigint[]): void {
    if (this.unacked.size === 0) return;
    for (const id of msgIds) {
      const p = this.unacked.get(id);
      if (p !== undefined) this.release(p, 'unacked', false);
    }
    this.settle();
  }

  /**
   * Takes the sent, unacknowledged pushes still young enough, oldest first,
   * to send again; those `resendable` refuses are given up, counted.
   */
  takeUnacked(now: number, resendable: (p: SentPush) => boolean = () => true): SentPush[] {
    this.expire(now);
    const out: SentPush[] = [];
    for (const p of [...this.unacked.values()]) {
      const again = resendable(p);
      this.release(p, 'unacked', !again);
      if (again) out.push(p);
    }
    this.all.counters.pushesResent += out.length;
    this.settle();
    return out;
  }

  /** The session is gone or became another one: everything kept is given up and counted. */
  clear(): void {
    for (const e of [...this.waiting]) this.release(e, 'waiting');
    this.waiting.length = 0;
    for (const p of [...this.unacked.values()]) this.release(p, 'unacked');
    this.settle();
  }

  /** Drops what is older than the age limit, counted. */
  expire(now: number): void {
    const cutoff = now - this.all.limits.maxAgeMs;
    while (this.waiting.length > 0 && this.waiting[0]!.at < cutoff) this.release(this.waiting.shift()!, 'waiting');
    for (const p of this.unacked.values()) {
      if (p.at >= cutoff) break;
      this.release(p, 'unacked');
    }
    this.settle();
  }

  /** Frees one entry's bytes (already taken out of `waiting`); counted as lost when `lost`. */
  private release(e: KeptPush | SentPush, from: 'waiting' | 'unacked', lost = true): void {
    const all = this.all;
    all.totalBytes -= e.body.length;
    if (from === 'waiting') {
      this.waitingBytes -= e.body.length;
      if (lost) all.counters.pushesDropped++;
    } else {
      this.unacked.delete((e as SentPush).msgId);
      this.unackedBytes -= e.body.length;
      if (lost) all.counters.pushesUnackedForgotten++;
    }
  }

  private settle(): void {
    if (this.waiting.length === 0 && this.unacked.size === 0) this.all.withContent.delete(this);
  }
}

/** The outboxes of one DC's sessions, their shared byte budget and counters. */
export class Outboxes {
  readonly limits: OutboxLimits;
  /** Bytes kept by every session together. */
  totalBytes = 0;
  /** Outboxes holding anything: swept for old entries when the budget runs out. */
  readonly withContent = new Set<SessionOutbox>();
  private readonly bySession = new WeakMap<ServerSession, SessionOutbox>();
  private lastSweep = -Infinity;

  constructor(
    readonly counters: OutboxCounters,
    limits: Partial<OutboxLimits> = {},
  ) {
    this.limits = { ...defaultOutboxLimits, ...limits };
  }

  of(session: ServerSession): SessionOutbox {
    let box = this.bySession.get(session);
    if (box === undefined) this.bySession.set(session, (box = new SessionOutbox(this)));
    return box;
  }

  /** The session's outbox if it has one. */
  peek(session: ServerSession): SessionOutbox | undefined {
    return this.bySession.get(session);
  }

  /** A session left the DC's store (evicted, destroyed, its key dropped): its pushes are given up. */
  forget(session: ServerSession): void {
    const box = this.bySession.get(session);
    if (box === undefined) return;
    box.clear();
    this.bySession.delete(session);
  }

  /** Takes `bytes` of the DC-wide budget, sweeping old entries (at most once a second) when it is short. */
  reserve(bytes: number, now: number): boolean {
    if (this.totalBytes + bytes > this.limits.maxTotalBytes && now - this.lastSweep >= 1000) {
      this.lastSweep = now;
      for (const box of [...this.withContent]) box.expire(now);
    }
    if (this.totalBytes + bytes > this.limits.maxTotalBytes) return false;
    this.totalBytes += bytes;
    return true;
  }
}
