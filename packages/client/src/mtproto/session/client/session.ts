import { deserializeObject, serializeObject, type tl } from '@telegram-mt/tl';
import { BadMessageError, SessionLimitError } from '../../../errors.js';
import type { MessageCipher } from '../cipher.js';
import { defaultCipher } from '../native-cipher.js';
import { randomLong, systemClock, systemRandom, type Clock, type RandomSource } from '../clock.js';
import { maybeGzip, type InnerMessage } from '../container.js';
import { SessionCore } from '../core.js';
import {
  ID_BAD_MSG_NOTIFICATION,
  ID_BAD_SERVER_SALT,
  ID_GZIP_PACKED,
  ID_MSG_CONTAINER,
  ID_MSGS_ACK,
  ID_NEW_SESSION_CREATED,
  ID_PING,
  ID_PING_DELAY_DISCONNECT,
  ID_PONG,
  ID_RPC_RESULT,
} from '../ids.js';
import { defaultSessionLimits, type SessionLimits } from '../limits.js';
import type { SessionStats } from '../stats.js';
import { readU32, writeLong, writeU32 } from '../wire.js';
import { handleBadMsgNotification } from './handlers/bad-msg-notification.js';
import { handleBadServerSalt } from './handlers/bad-server-salt.js';
import { handleGzipPacked } from './handlers/gzip-packed.js';
import { handleMsgContainer } from './handlers/msg-container.js';
import { handleMsgsAck } from './handlers/msgs-ack.js';
import { handleNewSessionCreated } from './handlers/new-session-created.js';
import { handlePong } from './handlers/pong.js';
import { handleRpcResult } from './handlers/rpc-result.js';
import type { PendingRequest } from './pending.js';

export interface ClientSessionOptions {
  /** The 256-byte authorization key. */
  authKey: Uint8Array;
  /** The server salt to start with (from the handshake or a stored session). */
  serverSalt: bigint;
  /** Seconds to add to the local clock to get the server's (from the handshake). */
  timeOffset?: number;
  /** A session_id to use; random by default. */
  sessionId?: bigint;
  cipher?: MessageCipher;
  clock?: Clock;
  random?: RandomSource;
  limits?: Partial<SessionLimits>;
}

/** A message as received: from a packet, or out of a container or gzip_packed. */
export interface InboundMessage {
  msgId: bigint;
  seqNo: number;
  body: Uint8Array;
}

/** What a client session reports after `receive`. */
export type ClientSessionEvent =
  /** A request's answer, read as its method's result type. */
  | { type: 'result'; requestId: number; result: unknown }
  /** A request failed: `RpcError`, `BadMessageError`, or a `TlError` when the answer does not parse. */
  | { type: 'error'; requestId: number; error: Error }
  /** Anything else the server sent: updates and service messages this session does not consume. */
  | { type: 'update'; msgId: bigint; update: tl.TlAny }
  /** The server created a session for us (new_session_created). */
  | { type: 'new-session'; firstMsgId: bigint; uniqueId: bigint; serverSalt: bigint }
  /** The server salt changed (bad_server_salt). */
  | { type: 'salt'; serverSalt: bigint }
  /** The clock offset was corrected (bad_msg_notification 16/17). */
  | { type: 'time-synced'; timeOffset: number };

export interface SendOptions {
  /** gzip_packed the request when it is at least `gzipThreshold` bytes and that makes it smaller (default true). */
  gzip?: boolean;
}

type Handler = (s: ClientSession, m: InboundMessage) => void;

/** One file per rule; messages without a handler here are updates. */
const handlers = new Map<number, Handler>([
  [ID_RPC_RESULT, handleRpcResult],
  [ID_MSG_CONTAINER, handleMsgContainer],
  [ID_GZIP_PACKED, handleGzipPacked],
  [ID_PONG, handlePong],
  [ID_MSGS_ACK, handleMsgsAck],
  [ID_BAD_SERVER_SALT, handleBadServerSalt],
  [ID_BAD_MSG_NOTIFICATION, handleBadMsgNotification],
  [ID_NEW_SESSION_CREATED, handleNewSessionCreated],
]);

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
  /** Pending requests by msg_id, keyed by its low 53 bits (see `keyOf`). */
  private readonly byMsgId = new Map<number, PendingRequest>();
  private readonly byId = new Map<number, PendingRequest>();
  private nextRequestId = 1;
  private events: ClientSessionEvent[] = [];

  constructor(opts: ClientSessionOptions) {
    const limits = { ...defaultSessionLimits, ...opts.limits };
    this.random = opts.random ?? systemRandom;
    this.core = new SessionCore({
      authKey: opts.authKey,
      role: 'client',
      cipher: opts.cipher ?? defaultCipher(),
      clock: opts.clock ?? systemClock,
      random: this.random,
      timeOffset: opts.timeOffset ?? 0,
      limits,
    });
    this.core.serverSalt = opts.serverSalt;
    this.core.sessionId = opts.sessionId ?? randomLong(this.random);
  }

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
  send(method: string, body: Uint8Array, opts?: SendOptions): number {
    if (this.byId.size >= this.core.limits.maxPending) {
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
    };
    this.transmit(req, false);
    this.byId.set(req.id, req);
    return req.id;
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
    return this.core.flush(forceAcks);
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
    if (!this.acceptMsgId(opened.msgId, true)) return [];
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
    if (!this.acceptMsgId(m.msgId, false)) return;
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
   * and we disagree on seq_no, or the corrected clock moved back.
   */
  renewSession(): void {
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
      contentRelated: true,
      kind: 'client' as const,
      sent: (msgId: bigint, _seqNo: number, containerMsgId: bigint | undefined) => {
        // Cancelled while queued: nothing to route the answer to.
        if (!this.byId.has(req.id)) return;
        req.msgId = msgId;
        req.containerMsgId = containerMsgId;
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

  /** Parity (server msg_ids are odd), time window and replay checks; counts what fails. */
  private acceptMsgId(msgId: bigint, outer: boolean): boolean {
    const core = this.core;
    if ((msgId & 1n) === 0n) {
      core.drop('msg-id-parity');
      return false;
    }
    const late = core.checkTime(msgId);
    if (late !== undefined) {
      core.drop(late);
      return false;
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

  private dispatch(m: InboundMessage): void {
    const core = this.core;
    core.stats.messagesIn++;
    // Odd seq_no: content-related, to be acknowledged.
    if ((m.seqNo & 1) === 1) core.ack(m.msgId);
    this.route(m);
  }
}

