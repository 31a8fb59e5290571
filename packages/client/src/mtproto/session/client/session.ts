import { deserializeObject, serializeObject, type tl } from '@telegram-mt/tl';
import { BadMessageError, RequestInDoubtError, SessionLimitError } from '../../../errors.js';
import { defaultCipher } from '../native-cipher.js';
import { randomLong, systemClock, systemRandom, type Clock, type RandomSource } from '../clock.js';
import { maybeGzip, type InnerMessage } from '../container.js';
import { SessionCore } from '../core.js';
import { ID_MSG_CONTAINER, ID_PING, ID_PING_DELAY_DISCONNECT } from '../ids.js';
import { defaultSessionLimits } from '../limits.js';
import type { SessionStats } from '../stats.js';
import { readU32, writeLong, writeU32 } from '../wire.js';
import type { PendingRequest } from './pending.js';
import { ANSWERS_BY_ID, handlers } from './dispatch-table.js';
import { MsgState } from './handlers/msgs-state-req.js';
import type { ClientSessionEvent, ClientSessionOptions, InboundMessage, SendOptions } from './events.js';
export type { ClientSessionEvent, ClientSessionOptions, InboundMessage, SendOptions } from './events.js';
import { FutureSalts } from './salts.js';
import { isSafeToRepeat } from './repeatable.js';

/** Most msg_ids in one msgs_state_req / msg_resend_req (Telegram's vector limit). */
const MAX_IDS_PER_REQUEST = 8192;

/**
 * A Map key for a msg_id: its low 53 bits as a number (the second's low 21
 * bits and the fraction), unique for ids less than 24 days apart. Maps hash
 * numbers far faster than bigints; entries are checked against the full id.
 */
function keyOf(msgId: bigint): number {
  return Number(BigInt.asUintN(53, msgId));
}

/** How many times one request is sent again before it fails. */
const MAX_RESENDS = 5;

/**
 * The client side of an MTProto 2.0 encrypted session, sans-IO: `send`
 * queues a request, `flush` gives the packets to write, `receive` takes a
 * packet read and returns what happened. Time and randomness come from the
 * injected clock and random source; nothing here touches a socket or a timer.
 */
export class ClientSession {
  readonly core: SessionCore;
  private readonly random: RandomSource;
  private readonly clock: Clock;
  /** Future server salts, switched to as they come into force. */
  readonly salts = new FutureSalts();
  /** Pending requests by msg_id, keyed by its low 53 bits (see `keyOf`). */
  private readonly byMsgId = new Map<number, PendingRequest>();
  private readonly byId = new Map<number, PendingRequest>();
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

  /** Whether a method may run twice without harm (see `renewSession`). */
  private readonly isSafeToRepeat: (method: string) => boolean;

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
    if (opts?.gzip !== false && body.length >= this.core.limits.gzipThreshold) wire = maybeGzip(body);
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

  /**
   * Hands requests over to another session (a new temporary key, core.telegram.org/api/pfs),
   * keeping their ids: those never sent, and with `unacked` also those the
   * server never acknowledged. Returns how many moved.
   */
  moveTo(target: ClientSession, unacked: boolean): number {
    this.parked = 0;
    let n = 0;
    for (const req of [...this.byId.values()]) {
      if (req.internal) continue;
      if (req.msgId !== undefined && !(unacked && !req.acked)) continue;
      this.cancel(req.id);
      target.adopt(req);
      n++;
    }
    return n;
  }

  /** Fails every request still pending with `error(method)`; returns the events (for the edge). */
  failAll(error: (method: string) => Error): ClientSessionEvent[] {
    for (const req of [...this.byId.values()]) {
      this.cancel(req.id);
      if (!req.internal) this.emit({ type: 'error', requestId: req.id, error: error(req.method) });
    }
    return this.takeEvents();
  }

  private adopt(req: PendingRequest): void {
    const copy: PendingRequest = { ...req, msgId: undefined, containerMsgId: undefined, acked: false, resends: 0, sentAt: 0 };
    this.transmit(copy, false);
    this.byId.set(copy.id, copy);
  }

  /**
   * PFS: calls refused with 401 AUTH_KEY_PERM_EMPTY (their temporary key is
   * no longer bound) are parked, not failed: the server did not run them, and
   * the edge moves them to the session on the bound key (`moveTo`).
   */
  retryUnbound = false;
  /** Calls parked after AUTH_KEY_PERM_EMPTY. */
  parked = 0;

  /** Keeps a refused request pending but unsent, for `moveTo`. */
  park(req: PendingRequest): void {
    req.msgId = undefined;
    req.containerMsgId = undefined;
    this.byId.set(req.id, req);
    this.parked++;
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

  /**
   * After a reconnect in the same session: every request sent on the old
   * connection and not answered is asked about with msgs_state_req; the
   * server's msgs_state_info says which it never got (sent again, with a new
   * msg_id) and which it has (kept waiting for; their answers are asked for
   * with msg_resend_ans_req if ready). Nothing it did get is sent twice.
   * Internal service requests in flight are dropped (asked again when needed).
   */
  reconnected(): number {
    for (const r of [...this.byId.values()]) if (r.internal) this.cancel(r.id);
    return this.probe(Number.POSITIVE_INFINITY);
  }

  /**
   * msgs_state_req about every request sent at or before `sentBefore` (local
   * ms) and still unanswered — a lost request or a lost answer shows up this
   * way without a reconnect. Internal requests that old are given up on.
   * Returns how many msg_ids were asked about.
   */
  probe(sentBefore: number): number {
    const asked: PendingRequest[] = [];
    for (const r of [...this.byId.values()]) {
      if (r.msgId === undefined || r.sentAt > sentBefore) continue;
      if (r.internal) this.cancel(r.id);
      else asked.push(r);
    }
    asked.sort((a, b) => (a.msgId! < b.msgId! ? -1 : 1));
    const now = this.clock.now();
    for (let i = 0; i < asked.length; i += MAX_IDS_PER_REQUEST) {
      const ids = asked.slice(i, i + MAX_IDS_PER_REQUEST).map((r) => {
        r.sentAt = now;
        // Each probe may ask for the answer once more: the one sent again can be lost too.
        r.answerAsked = false;
        return r.msgId!;
      });
      const id = this.send('msgs_state_req', serializeObject({ _: 'msgs_state_req', msgIds: ids } as tl.TlAny), { gzip: false }, true);
      this.byId.get(id)!.asked = ids;
    }
    return asked.length;
  }

  /** What a msgs_state_info / msgs_all_info byte says about our message `msgId`, acted on. */
  applyMsgState(msgId: bigint, state: number): void {
    const req = this.byMsgId.get(keyOf(msgId));
    if (req === undefined || req.msgId !== msgId || req.internal) return;
    const base = state & 7;
    if (base === MsgState.NOT_RECEIVED || base === MsgState.NOT_RECEIVED_TOO_NEW) {
      this.resendNotReceived(msgId);
    } else if (base === MsgState.UNKNOWN) {
      // Too old for the server to remember: it may have run. Fail it rather than risk running it twice.
      this.byMsgId.delete(keyOf(msgId));
      this.byId.delete(req.id);
      this.emit({ type: 'error', requestId: req.id, error: new RequestInDoubtError(req.method) });
    } else if (base === MsgState.RECEIVED) {
      req.acked = true;
      if ((state & MsgState.ANSWER_GENERATED) !== 0 && !req.answerAsked) {
        // The answer went out on a connection that died: ask for it again.
        req.answerAsked = true;
        this.sendService(serializeObject({ _: 'msg_resend_ans_req', msgIds: [msgId] } as tl.TlAny));
      }
    }
  }

  /** A request the server never received: sent again with a new msg_id (bounded like every resend). */
  resendNotReceived(msgId: bigint): void {
    const req = this.byMsgId.get(keyOf(msgId));
    if (req === undefined || req.msgId !== msgId || req.internal) return;
    this.resend(msgId, 0);
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
   * in `stats.dropped`, never thrown.
   */
  receive(packet: Uint8Array): ClientSessionEvent[] {
    const core = this.core;
    core.stats.packetsIn++;
    const opened = core.envelope.open(packet);
    if (typeof opened === 'string') {
      core.drop(opened);
      return [];
    }
    if (opened.sessionId !== core.sessionId) {
      core.drop('session-id');
      return [];
    }
    if (!this.acceptMsgId(opened.msgId, true, opened.body)) return this.takeEvents();
    this.dispatch(opened);
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
    if (!this.acceptMsgId(m.msgId, false, m.body)) return;
    this.dispatch(m);
  }

  /** Handles a message by its constructor; `fromGzip` keeps it from being acked twice. */
  route(m: InboundMessage, fromGzip = false): void {
    const id = m.body.length >= 4 ? readU32(m.body, 0) : -1;
    if (fromGzip && id === ID_MSG_CONTAINER) {
      this.core.drop('malformed');
      return;
    }
    const handler = handlers.get(id);
    try {
      if (handler !== undefined) handler(this, m);
      else this.emit({ type: 'update', msgId: m.msgId, update: deserializeObject(m.body) });
    } catch {
      // FramingError, TlError or RangeError from a body that passed the msg_key check: count, go on.
      this.core.drop('malformed');
    }
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
    for (const req of this.requestsSentAs(msgId)) {
      this.byMsgId.delete(keyOf(req.msgId!));
      if (req.internal && req.asked !== undefined) {
        // A msgs_state_req refused: the next probe asks again.
        this.byId.delete(req.id);
        continue;
      }
      if (++req.resends > MAX_RESENDS) {
        this.byId.delete(req.id);
        this.emit({
          type: 'error',
          requestId: req.id,
          error: new BadMessageError(code, `${req.method} refused ${MAX_RESENDS + 1} times (last code ${code})`),
        });
        continue;
      }
      this.transmit(req, true);
    }
  }

  /**
   * Sends again every unanswered request that went out before `msgId`, alone
   * or in a container (the server never saw them). Whether a server names
   * the container or its first message, nothing it did see is sent twice.
   */
  resendSentBefore(msgId: bigint): void {
    const lost: PendingRequest[] = [];
    for (const req of this.byMsgId.values()) {
      if (req.msgId! < msgId && (req.containerMsgId === undefined || req.containerMsgId < msgId)) lost.push(req);
    }
    // Oldest first, each to the head of the queue: so walk newest first.
    lost.sort((a, b) => (a.msgId! < b.msgId! ? 1 : -1));
    for (const req of lost) {
      this.byMsgId.delete(keyOf(req.msgId!));
      this.transmit(req, true);
    }
  }

  /** Fails the request(s) sent as msgId with a bad_msg_notification code. */
  fail(msgId: bigint, code: number): void {
    for (const req of this.requestsSentAs(msgId)) {
      this.byMsgId.delete(keyOf(req.msgId!));
      this.byId.delete(req.id);
      this.emit({
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
  renewSession(refused: bigint): void {
    const notRun = new Set(this.requestsSentAs(refused));
    for (const req of [...this.byId.values()]) {
      if (req.msgId === undefined || notRun.has(req)) continue;
      if (req.internal || !(req.repeatable ?? this.isSafeToRepeat(req.method))) {
        this.cancel(req.id);
        if (!req.internal) this.emit({ type: 'error', requestId: req.id, error: new RequestInDoubtError(req.method) });
        continue;
      }
      this.byMsgId.delete(keyOf(req.msgId));
      req.acked = false;
      req.answerAsked = false;
      this.transmit(req, false);
    }
    this.core.sessionId = randomLong(this.random);
    this.core.resetSeqNo();
    this.core.msgIds.reset();
    this.core.replay.clear();
  }

  // ---- internals ----

  private takeEvents(): ClientSessionEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }

  private transmit(req: PendingRequest, first: boolean): void {
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

  private requestsSentAs(msgId: bigint): PendingRequest[] {
    const direct = this.byMsgId.get(keyOf(msgId));
    if (direct !== undefined && direct.msgId === msgId) return [direct];
    const out: PendingRequest[] = [];
    for (const req of this.byMsgId.values()) if (req.containerMsgId === msgId) out.push(req);
    return out;
  }

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
  private acceptMsgId(msgId: bigint, outer: boolean, body: Uint8Array): boolean {
    const core = this.core;
    if ((msgId & 1n) === 0n) {
      core.drop('msg-id-parity');
      return false;
    }
    const late = core.checkTime(msgId);
    if (late !== undefined) {
      const container = outer && body.length >= 4 && readU32(body, 0) === ID_MSG_CONTAINER;
      if (!container && !this.answersPending(body)) {
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
  private answersPending(body: Uint8Array): boolean {
    if (body.length < 12 || !ANSWERS_BY_ID.has(readU32(body, 0))) return false;
    const id = new DataView(body.buffer, body.byteOffset, body.byteLength).getBigInt64(4, true);
    const direct = this.byMsgId.get(keyOf(id));
    if (direct !== undefined && direct.msgId === id) return true;
    for (const req of this.byMsgId.values()) if (req.containerMsgId === id) return true;
    return false;
  }

  private dispatch(m: InboundMessage): void {
    const core = this.core;
    core.stats.messagesIn++;
    // Odd seq_no: content-related, to be acknowledged.
    if ((m.seqNo & 1) === 1) core.ack(m.msgId);
    this.route(m);
  }
}

