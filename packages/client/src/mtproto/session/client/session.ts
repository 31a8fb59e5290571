import { FILE_BYTES_METHODS } from '../file-bytes.js';
import { serializeObject, type tl } from '@telegram-mt/tl';
import { SessionLimitError } from '../../../errors.js';
import { defaultCipher } from '../native-cipher.js';
import { randomLong, systemClock, systemRandom, type Clock, type RandomSource } from '../clock.js';
import { maybeGzip, type InnerMessage } from '../container.js';
import { SessionCore } from '../core.js';
import { ID_PING, ID_PING_DELAY_DISCONNECT } from '../ids.js';
import { defaultSessionLimits } from '../limits.js';
import type { SessionStats } from '../stats.js';
import { writeLong, writeU32 } from '../wire.js';
import { keyOf, MAX_IDS_PER_REQUEST, type PendingRequest } from './pending.js';
import * as fate from './request-fate.js';
import * as handover from './handover.js';
import * as inbound from './inbound.js';
import type { ClientSessionEvent, ClientSessionOptions, InboundMessage, SendOptions } from './events.js';
export type { ClientSessionEvent, ClientSessionOptions, InboundMessage, SendOptions } from './events.js';
import { FutureSalts } from './salts.js';
import { isSafeToRepeat } from './repeatable.js';

/**
 * The client side of an MTProto 2.0 encrypted session, sans-IO: `send`
 * queues a request, `flush` gives the packets to write, `receive` takes a
 * packet read and returns what happened. Time and randomness come from the
 * injected clock and random source; nothing here touches a socket or a timer.
 */
export class ClientSession {
  readonly core: SessionCore;
  /** @internal For request-fate.ts. */
  readonly random: RandomSource;
  /** @internal For request-fate.ts. */
  readonly clock: Clock;
  /** Future server salts, switched to as they come into force. */
  readonly salts = new FutureSalts();
  /** @internal Pending requests by msg_id, keyed by its low 53 bits (see `keyOf`). */
  readonly byMsgId = new Map<number, PendingRequest>();
  /** @internal Pending requests by their id. */
  readonly byId = new Map<number, PendingRequest>();
  private nextRequestId = 1;
  private events: ClientSessionEvent[] = [];

  constructor(opts: ClientSessionOptions) {
    const limits = { ...defaultSessionLimits, ...opts.limits };
    this.random = opts.random ?? systemRandom;
    this.clock = opts.clock ?? systemClock;
    this.core = new SessionCore({
      authKey: opts.authKey,
      role: 'client',
      cipher: opts.cipher ?? defaultCipher(),
      clock: this.clock,
      random: this.random,
      timeOffset: opts.timeOffset ?? 0,
      limits,
    });
    this.core.serverSalt = opts.serverSalt;
    this.core.sessionId = opts.sessionId ?? randomLong(this.random);
    if (opts.firstRequestId !== undefined) this.nextRequestId = opts.firstRequestId;
    this.isSafeToRepeat = opts.isSafeToRepeat ?? isSafeToRepeat;
  }

  /** @internal Whether a method may run twice without harm (see `renewSession`). */
  readonly isSafeToRepeat: (method: string) => boolean;

  get sessionId(): bigint {
    return this.core.sessionId;
  }

  get serverSalt(): bigint {
    return this.core.serverSalt;
  }

  get timeOffset(): number {
    return this.core.msgIds.timeOffset;
  }

  get stats(): SessionStats {
    return this.core.stats;
  }

  /** Requests sent or queued and not yet answered. */
  get pending(): number {
    return this.byId.size;
  }

  /** Queues a TL request; returns the request id its result or error will carry. */
  invoke(request: tl.TlMethod, opts?: SendOptions): number {
    return this.send(request._, serializeObject(request as tl.TlAny), opts);
  }

  /**
   * Queues ping#7abe77ec (or ping_delay_disconnect#f3427b8c when
   * `disconnectDelay` is given: the server closes the connection that many
   * seconds later unless another ping comes). The pong is the result.
   */
  ping(pingId: bigint, disconnectDelay?: number): number {
    const body = new Uint8Array(disconnectDelay === undefined ? 12 : 16);
    writeU32(body, 0, disconnectDelay === undefined ? ID_PING : ID_PING_DELAY_DISCONNECT);
    writeLong(body, 4, pingId);
    if (disconnectDelay !== undefined) writeU32(body, 12, disconnectDelay);
    return this.send(disconnectDelay === undefined ? 'ping' : 'ping_delay_disconnect', body);
  }

  /** Queues a serialized request of `method` (whose result type reads the answer). */
  send(method: string, body: Uint8Array, opts?: SendOptions, internal = false): number {
    if (!internal && this.byId.size >= this.core.limits.maxPending) {
      throw new SessionLimitError(`${this.core.limits.maxPending} requests are already pending`);
    }
    let wire = body;
    if (opts?.gzip !== false && body.length >= this.core.limits.gzipThreshold && !FILE_BYTES_METHODS.has(method)) wire = maybeGzip(body);
    const req: PendingRequest = {
      id: this.nextRequestId++,
      method,
      body: wire,
      msgId: undefined,
      containerMsgId: undefined,
      acked: false,
      resends: 0,
      sentAt: 0,
      ...(internal ? { internal: true } : {}),
      ...(opts?.repeatable !== undefined ? { repeatable: opts.repeatable } : {}),
    };
    this.transmit(req, false);
    this.byId.set(req.id, req);
    return req.id;
  }

  /**
   * Queues a request whose body depends on the msg_id it is sent with —
   * auth.bindTempAuthKey, whose encrypted binding message names its carrier's
   * msg_id (core.telegram.org/method/auth.bindTempAuthKey). `build` is called
   * again for each resend under a new msg_id, and must always give the same
   * number of bytes. Never gzipped.
   */
  sendBuilt(method: string, build: (msgId: bigint) => Uint8Array): number {
    if (this.byId.size >= this.core.limits.maxPending) {
      throw new SessionLimitError(`${this.core.limits.maxPending} requests are already pending`);
    }
    const req: PendingRequest = {
      id: this.nextRequestId++,
      method,
      body: build(0n),
      bodyFor: build,
      msgId: undefined,
      containerMsgId: undefined,
      acked: false,
      resends: 0,
      sentAt: 0,
    };
    this.transmit(req, false);
    this.byId.set(req.id, req);
    return req.id;
  }

  /** Hands requests over to another session (a new temporary key); returns how many moved. */
  moveTo(target: ClientSession, unacked: boolean): number {
    return handover.moveTo(this, target, unacked);
  }

  /** Fails every request still pending with `error(method)`; returns the events (for the edge). */
  failAll(error: (method: string) => Error): ClientSessionEvent[] {
    return handover.failAll(this, error);
  }

  /** @internal The receiving side of `moveTo`. */
  adopt(req: PendingRequest): void {
    handover.adopt(this, req);
  }

  /**
   * PFS: calls refused with 401 AUTH_KEY_PERM_EMPTY (their temporary key is
   * no longer bound) are parked, not failed: the server did not run them, and
   * the edge moves them to the session on the bound key (`moveTo`).
   */
  retryUnbound = false;
  /** Calls parked after AUTH_KEY_PERM_EMPTY. */
  parked = 0;

  /** Keeps a request refused with AUTH_KEY_PERM_EMPTY pending but unsent, for `moveTo`. */
  park(req: PendingRequest): void {
    handover.park(this, req);
  }

  /** Forgets every request and queued message (the connection closed for good). */
  clear(): void {
    this.byId.clear();
    this.byMsgId.clear();
    this.core.clearQueue();
  }

  /** Forgets a request (its answer, if one comes, is dropped as 'unknown-request'). */
  cancel(requestId: number): boolean {
    const req = this.byId.get(requestId);
    if (req === undefined) return false;
    this.byId.delete(requestId);
    if (req.msgId !== undefined) this.byMsgId.delete(keyOf(req.msgId));
    return true;
  }

  /** Packets to write, in order: queued requests and acks packed into containers. */
  flush(forceAcks = false): Uint8Array[] {
    if (this.salts.size > 0 && this.core.queued > 0) {
      const salt = this.salts.pick(Math.floor(this.core.msgIds.nowSeconds()));
      if (salt !== undefined && salt !== this.core.serverSalt) {
        this.core.serverSalt = salt;
        this.emit({ type: 'salt', serverSalt: salt });
      }
    }
    return this.core.flush(forceAcks);
  }

  /** Events raised outside `receive` (a salt switch in `flush`, a failure in `probe`), taken once. */
  takePendingEvents(): ClientSessionEvent[] {
    return this.takeEvents();
  }

  /** Whether it is time to ask for future salts (none known valid half an hour from now). */
  get wantsFutureSalts(): boolean {
    if (!this.salts.needsRefill(Math.floor(this.core.msgIds.nowSeconds()))) return false;
    for (const r of this.byId.values()) if (r.method === 'get_future_salts') return false;
    return true;
  }

  /** Queues get_future_salts#b921bd04 (its future_salts are kept by the session). */
  requestFutureSalts(num = 64): number {
    return this.send('get_future_salts', serializeObject({ _: 'get_future_salts', num } as tl.TlAny), { gzip: false }, true);
  }

  /**
   * Cancels a request and, if it was sent, tells the server with
   * rpc_drop_answer#58e4a740 that its answer is not wanted. The answer to
   * that (rpc_answer_*) is consumed here.
   */
  dropAnswer(requestId: number): boolean {
    const req = this.byId.get(requestId);
    if (req === undefined) return false;
    const msgId = req.msgId;
    this.cancel(requestId);
    if (msgId !== undefined && !req.internal) {
      this.send('rpc_drop_answer', serializeObject({ _: 'rpc_drop_answer', reqMsgId: msgId } as tl.TlAny), { gzip: false }, true);
    }
    return true;
  }

  /** After a reconnect in the same session: asks what became of every request sent (see request-fate.ts). */
  reconnected(): number {
    return fate.reconnected(this);
  }

  /** msgs_state_req about requests sent at or before `sentBefore` (local ms) and unanswered; returns how many were asked about. */
  probe(sentBefore: number): number {
    return fate.probe(this, sentBefore);
  }

  /** Acts on what a msgs_state_info / msgs_all_info byte says about our message `msgId`. */
  applyMsgState(msgId: bigint, state: number): void {
    fate.applyMsgState(this, msgId, state);
  }

  /** A request the server never received: sent again with a new msg_id. */
  resendNotReceived(msgId: bigint): void {
    fate.resendNotReceived(this, msgId);
  }

  /** Asks the server to send again messages of its own we never got (msg_resend_req#7d861a08). */
  requestResend(msgIds: bigint[]): void {
    this.sendService(serializeObject({ _: 'msg_resend_req', msgIds: msgIds.slice(0, MAX_IDS_PER_REQUEST) } as tl.TlAny));
  }

  /** Queues a content-related service message that expects no answer of its own. */
  sendService(body: Uint8Array): void {
    this.core.enqueue({ body, contentRelated: true, kind: 'client' });
  }

  /** Requests pending that were made by the caller (not the session's own service requests). */
  get pendingCalls(): number {
    let n = 0;
    for (const r of this.byId.values()) if (!r.internal) n++;
    return n;
  }

  /**
   * Takes one packet as read from the transport (auth_key_id onwards) and
   * returns what it led to. Packets that fail a check are dropped and counted
   * in `stats.dropped`, never thrown. `owned` hands the packet over: it is
   * decrypted in place and results may keep views into it.
   */
  receive(packet: Uint8Array, owned = false): ClientSessionEvent[] {
    const core = this.core;
    core.stats.packetsIn++;
    const opened = core.envelope.open(packet, owned);
    if (typeof opened === 'string') {
      core.drop(opened);
      return [];
    }
    if (opened.sessionId !== core.sessionId) {
      core.drop('session-id');
      return [];
    }
    if (!inbound.acceptMsgId(this, opened.msgId, true, opened.body)) return this.takeEvents();
    inbound.dispatch(this, opened);
    return this.takeEvents();
  }

  // ---- used by the handlers ----

  emit(e: ClientSessionEvent): void {
    this.events.push(e);
  }

  /** A message out of a container: same checks as a packet's msg_id, then handled. */
  receiveInner(m: InnerMessage, containerMsgId: bigint): void {
    if (m.msgId === containerMsgId) {
      this.core.drop('malformed');
      return;
    }
    if (!inbound.acceptMsgId(this, m.msgId, false, m.body)) return;
    inbound.dispatch(this, m);
  }

  /** Handles a message by its constructor; `fromGzip` keeps it from being acked twice. */
  route(m: InboundMessage, fromGzip = false): void {
    inbound.route(this, m, fromGzip);
  }

  /** The first pending request that `match` accepts, removed from the table. */
  takePendingWhere(match: (r: PendingRequest) => boolean): PendingRequest | undefined {
    for (const req of this.byId.values()) {
      if (req.msgId === undefined || !match(req)) continue;
      this.byMsgId.delete(keyOf(req.msgId));
      this.byId.delete(req.id);
      return req;
    }
    return undefined;
  }

  /** The pending request sent as msgId, removed from the table. */
  takePending(msgId: bigint): PendingRequest | undefined {
    const key = keyOf(msgId);
    const req = this.byMsgId.get(key);
    if (req === undefined || req.msgId !== msgId) return undefined;
    this.byMsgId.delete(key);
    this.byId.delete(req.id);
    return req;
  }

  markAcked(msgId: bigint): void {
    const req = this.byMsgId.get(keyOf(msgId));
    if (req !== undefined && req.msgId === msgId) req.acked = true;
  }

  /** Sends again the request sent as msgId, or every request of the container sent as msgId. */
  resend(msgId: bigint, code: number): void {
    fate.resend(this, msgId, code);
  }

  /** Sends again every unanswered request that went out before `msgId` (new_session_created). */
  resendSentBefore(msgId: bigint): void {
    fate.resendSentBefore(this, msgId);
  }

  /** Fails the request(s) sent as msgId with a bad_msg_notification code. */
  fail(msgId: bigint, code: number): void {
    fate.fail(this, msgId, code);
  }

  /** A fresh session_id, seq_no count and msg_id sequence; calls sent in the old one are resent if safe to repeat, else fail in doubt. */
  renewSession(refused: bigint): void {
    fate.renewSession(this, refused);
  }

  // ---- internals ----

  /** @internal */
  takeEvents(): ClientSessionEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }

  /** @internal Queues a request (at the head when `first`); it is entered under its msg_id once sent. */
  transmit(req: PendingRequest, first: boolean): void {
    req.msgId = undefined;
    req.containerMsgId = undefined;
    const m = {
      body: req.body,
      ...(req.bodyFor ? { bodyFor: req.bodyFor } : {}),
      contentRelated: true,
      kind: 'client' as const,
      alive: () => this.byId.get(req.id) === req,
      sent: (msgId: bigint, _seqNo: number, containerMsgId: bigint | undefined) => {
        // Cancelled while queued: nothing to route the answer to.
        if (!this.byId.has(req.id)) return;
        req.msgId = msgId;
        req.containerMsgId = containerMsgId;
        req.sentAt = this.clock.now();
        this.byMsgId.set(keyOf(msgId), req);
      },
    };
    if (first) this.core.enqueueFirst(m);
    else this.core.enqueue(m);
  }

  /** @internal The request sent as msgId, or those of the container sent as msgId. */
  requestsSentAs(msgId: bigint): PendingRequest[] {
    const direct = this.byMsgId.get(keyOf(msgId));
    if (direct !== undefined && direct.msgId === msgId) return [direct];
    const out: PendingRequest[] = [];
    for (const req of this.byMsgId.values()) if (req.containerMsgId === msgId) out.push(req);
    return out;
  }

}

