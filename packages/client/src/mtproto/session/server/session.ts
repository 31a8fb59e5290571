import type { MessageCipher } from '../cipher.js';
import { defaultCipher } from '../native-cipher.js';
import { randomLong, systemClock, systemRandom, type Clock, type RandomSource } from '../clock.js';
import { maybeGzip, unpackContainer, unpackGzip, type InnerMessage } from '../container.js';
import { SessionCore } from '../core.js';
import {
  ID_GZIP_PACKED,
  ID_HTTP_WAIT,
  ID_MSG_CONTAINER,
  ID_MSGS_ACK,
  ID_PING,
  ID_PING_DELAY_DISCONNECT,
  ID_VECTOR,
  isContentRelated,
} from '../ids.js';
import { defaultSessionLimits, type SessionLimits } from '../limits.js';
import {
  BadMsgCode,
  badMsgNotification,
  badServerSalt,
  newSessionCreated,
  pong,
  rpcError,
  rpcResult,
} from '../service-messages.js';
import type { SessionStats } from '../stats.js';
import { readI32, readLong, readU32 } from '../wire.js';

export interface ServerSessionOptions {
  /** The client's 256-byte authorization key. */
  authKey: Uint8Array;
  /** The current server salt, sent in every message and expected in the client's. */
  serverSalt: bigint;
  /** Whether a salt the client used is still good; by default only the current one is. */
  acceptSalt?: (salt: bigint) => boolean;
  cipher?: MessageCipher;
  clock?: Clock;
  random?: RandomSource;
  limits?: Partial<SessionLimits>;
  /** Check that seq_no grows with msg_id (codes 32/33) as well as its parity. Default true. */
  strictSeqNo?: boolean;
}

/** What a server session reports after `receive`. */
export type ServerSessionEvent =
  /** The client started a session (a session_id not seen on this key before); new_session_created is queued. */
  | { type: 'new-session'; sessionId: bigint; firstMsgId: bigint }
  /** A message for the application: an RPC call or a service message this core does not answer itself. */
  | { type: 'request'; msgId: bigint; seqNo: number; body: Uint8Array }
  /** A ping, already answered with pong; `disconnectDelay` for ping_delay_disconnect. */
  | { type: 'ping'; msgId: bigint; pingId: bigint; disconnectDelay?: number }
  /** The client acknowledged these msg_ids. */
  | { type: 'ack'; msgIds: bigint[] }
  /** A message refused with bad_msg_notification / bad_server_salt (already queued to the client). */
  | { type: 'rejected'; msgId: bigint; code: number };

/**
 * The server side of an MTProto 2.0 encrypted session, sans-IO, as strict as
 * Telegram: client msg_ids divisible by 4, inside −300 s…+30 s, never
 * repeated; seq_no parity (and growth) by content; the salt. What fails gets
 * the bad_msg_notification code the spec gives it. Answers go out with
 * msg_ids ≡ 1 mod 4, everything else ≡ 3, packed into containers with acks.
 */
export class ServerSession {
  readonly core: SessionCore;
  private readonly random: RandomSource;
  private readonly acceptSalt: (salt: bigint) => boolean;
  private readonly strictSeqNo: boolean;
  /** The session_id whose state is kept; another one on the same key starts afresh. */
  private current: bigint | undefined;
  /** new_session_created is owed once the session's first message is accepted. */
  private announce = false;
  /** The highest client msg_id accepted in this session and its seq_no (for 32/33). */
  private lastMsgId = 0n;
  private lastSeqNo = 0;
  private events: ServerSessionEvent[] = [];

  constructor(opts: ServerSessionOptions) {
    const limits = { ...defaultSessionLimits, ...opts.limits };
    this.random = opts.random ?? systemRandom;
    this.core = new SessionCore({
      authKey: opts.authKey,
      role: 'server',
      cipher: opts.cipher ?? defaultCipher(),
      clock: opts.clock ?? systemClock,
      random: this.random,
      timeOffset: 0,
      limits,
    });
    this.core.serverSalt = opts.serverSalt;
    this.acceptSalt = opts.acceptSalt ?? ((salt) => salt === this.core.serverSalt);
    this.strictSeqNo = opts.strictSeqNo ?? true;
  }

  get authKeyId(): bigint {
    return this.core.authKeyId;
  }

  /** The client's session_id (0n before its first accepted message). */
  get sessionId(): bigint {
    return this.core.sessionId;
  }

  get stats(): SessionStats {
    return this.core.stats;
  }

  /** Changes the current salt (salts rotate; `acceptSalt` decides which old ones still pass). */
  setServerSalt(salt: bigint): void {
    this.core.serverSalt = salt;
  }

  /** Answers the request sent as reqMsgId with a serialized result (gzip_packed when large, unless `gzip: false`). */
  sendResult(reqMsgId: bigint, result: Uint8Array, opts?: { gzip?: boolean }): void {
    const body = opts?.gzip !== false && result.length >= this.core.limits.gzipThreshold ? maybeGzip(result) : result;
    // The answer acknowledges the request (service_messages_about_messages): no msgs_ack of it besides.
    this.core.unack(reqMsgId);
    this.core.enqueue({ body: rpcResult(reqMsgId, body), contentRelated: true, kind: 'response' });
  }

  /** Answers the request sent as reqMsgId with rpc_error. */
  sendError(reqMsgId: bigint, code: number, text: string): void {
    this.core.unack(reqMsgId);
    this.core.enqueue({ body: rpcResult(reqMsgId, rpcError(code, text)), contentRelated: true, kind: 'response' });
  }

  /** Sends a message of the server's own (an update, a service message). */
  sendMessage(body: Uint8Array, opts?: { contentRelated?: boolean; response?: boolean }): void {
    const contentRelated = opts?.contentRelated ?? isContentRelated(readU32(body, 0));
    this.core.enqueue({ body, contentRelated, kind: opts?.response ? 'response' : 'server' });
  }

  /** Packets to write: answers, service messages and acks, in containers. */
  flush(forceAcks = true): Uint8Array[] {
    return this.core.flush(forceAcks);
  }

  /** Takes one packet from the client; returns what it led to. Refusals are queued, drops counted. */
  receive(packet: Uint8Array): ServerSessionEvent[] {
    const core = this.core;
    core.stats.packetsIn++;
    const m = core.envelope.open(packet);
    if (typeof m === 'string') {
      core.drop(m);
      return [];
    }
    if (m.sessionId !== this.current) this.resetSession(m.sessionId);
    const isContainer = m.body.length >= 4 && readU32(m.body, 0) === ID_MSG_CONTAINER;
    if (!this.checkMessage(m.msgId, m.seqNo, isContainer ? ID_MSG_CONTAINER : readU32(m.body, 0))) {
      return this.takeEvents();
    }
    if (!this.acceptSalt(m.salt)) {
      this.reject(m.msgId, m.seqNo, BadMsgCode.BAD_SERVER_SALT);
      return this.takeEvents();
    }
    let inner: InnerMessage[] | undefined;
    if (isContainer) {
      try {
        inner = unpackContainer(m.body, core.limits.maxContainerMessages);
      } catch {
        this.reject(m.msgId, m.seqNo, BadMsgCode.BAD_CONTAINER);
        return this.takeEvents();
      }
    }
    if (this.announce) {
      this.announce = false;
      // The session's first message: in a container, the earliest one inside it.
      let first = m.msgId;
      for (const msg of inner ?? []) if (msg.msgId < first) first = msg.msgId;
      core.enqueue({
        body: newSessionCreated(first, randomLong(this.random), core.serverSalt),
        contentRelated: true,
        kind: 'server',
      });
      this.events.push({ type: 'new-session', sessionId: m.sessionId, firstMsgId: first });
    }
    core.replay.add(m.msgId);
    this.advance(m.msgId, m.seqNo);
    if (inner !== undefined) {
      for (const msg of inner) {
        if (msg.msgId === m.msgId) {
          this.reject(msg.msgId, msg.seqNo, BadMsgCode.CONTAINER_MSG_ID_REUSED);
          continue;
        }
        const id = readU32(msg.body, 0);
        if (!this.checkMessage(msg.msgId, msg.seqNo, id)) continue;
        core.replay.add(msg.msgId);
        this.advance(msg.msgId, msg.seqNo);
        this.handle(msg.msgId, msg.seqNo, msg.body);
      }
    } else {
      this.handle(m.msgId, m.seqNo, m.body);
    }
    return this.takeEvents();
  }

  // ---- internals ----

  private resetSession(sessionId: bigint): void {
    const core = this.core;
    this.current = sessionId;
    this.announce = true;
    core.sessionId = sessionId;
    core.replay.clear();
    core.resetSeqNo();
    this.lastMsgId = 0n;
    this.lastSeqNo = 0;
  }

  /**
   * msg_id bits, time window, replays and seq_no; queues the refusal and
   * returns false when one fails. Replays are dropped without an answer.
   */
  private checkMessage(msgId: bigint, seqNo: number, constructorId: number): boolean {
    const core = this.core;
    if ((msgId & 3n) !== 0n) return this.reject(msgId, seqNo, BadMsgCode.MSG_ID_BAD_BITS);
    const late = core.checkTime(msgId);
    if (late === 'msg-id-too-old') return this.reject(msgId, seqNo, BadMsgCode.MSG_ID_TOO_LOW);
    if (late === 'msg-id-too-new') return this.reject(msgId, seqNo, BadMsgCode.MSG_ID_TOO_HIGH);
    const verdict = core.replay.check(msgId);
    if (verdict === 'duplicate') {
      core.drop('replay');
      return false;
    }
    if (verdict === 'too-old') return this.reject(msgId, seqNo, BadMsgCode.MSG_TOO_OLD);
    const content = isContentRelated(constructorId);
    if (content && (seqNo & 1) === 0) return this.reject(msgId, seqNo, BadMsgCode.SEQ_NO_EXPECTED_ODD);
    // Telegram lets an msgs_ack with an odd seq_no through (mtcute numbers its acks so); so do we.
    if (!content && (seqNo & 1) === 1 && constructorId !== ID_MSGS_ACK) {
      return this.reject(msgId, seqNo, BadMsgCode.SEQ_NO_EXPECTED_EVEN);
    }
    // Only content-related messages count: a container's or an ack's even seq_no may be
    // numbered before or after its neighbours' depending on the client's packing order.
    if (this.strictSeqNo && content && this.lastMsgId !== 0n) {
      if (msgId > this.lastMsgId && seqNo < this.lastSeqNo) return this.reject(msgId, seqNo, BadMsgCode.SEQ_NO_TOO_LOW);
      if (msgId < this.lastMsgId && seqNo > this.lastSeqNo) return this.reject(msgId, seqNo, BadMsgCode.SEQ_NO_TOO_HIGH);
    }
    return true;
  }

  /** Remembers the latest content-related message (odd seq_no) for the 32/33 checks. */
  private advance(msgId: bigint, seqNo: number): void {
    if ((seqNo & 1) === 1 && msgId > this.lastMsgId) {
      this.lastMsgId = msgId;
      this.lastSeqNo = seqNo;
    }
  }

  private reject(msgId: bigint, seqNo: number, code: number): false {
    const body =
      code === BadMsgCode.BAD_SERVER_SALT
        ? badServerSalt(msgId, seqNo, this.core.serverSalt)
        : badMsgNotification(msgId, seqNo, code);
    this.core.enqueue({ body, contentRelated: false, kind: 'response' });
    this.events.push({ type: 'rejected', msgId, code });
    return false;
  }

  private handle(msgId: bigint, seqNo: number, raw: Uint8Array): void {
    const core = this.core;
    core.stats.messagesIn++;
    if ((seqNo & 1) === 1) core.ack(msgId);
    let body: Uint8Array;
    try {
      body = unpackGzip(raw, core.limits.maxInflated);
    } catch {
      core.drop('malformed');
      return;
    }
    const id = body.length >= 4 ? readU32(body, 0) : 0;
    switch (id) {
      case ID_MSGS_ACK: {
        const n = body.length >= 12 && readU32(body, 4) === ID_VECTOR ? readI32(body, 8) : -1;
        if (n < 0 || 12 + 8 * n > body.length) {
          core.drop('malformed');
          return;
        }
        const msgIds: bigint[] = new Array(n);
        for (let i = 0; i < n; i++) msgIds[i] = readLong(body, 12 + 8 * i);
        this.events.push({ type: 'ack', msgIds });
        return;
      }
      case ID_PING:
      case ID_PING_DELAY_DISCONNECT: {
        if (body.length < (id === ID_PING ? 12 : 16)) {
          core.drop('malformed');
          return;
        }
        const pingId = readLong(body, 4);
        core.enqueue({ body: pong(msgId, pingId), contentRelated: false, kind: 'response' });
        this.events.push(
          id === ID_PING
            ? { type: 'ping', msgId, pingId }
            : { type: 'ping', msgId, pingId, disconnectDelay: readI32(body, 12) },
        );
        return;
      }
      case ID_HTTP_WAIT:
        return;
      case ID_GZIP_PACKED: // gzip inside gzip
      case ID_MSG_CONTAINER: // a container inside gzip_packed
        core.drop('malformed');
        return;
      default:
        this.events.push({ type: 'request', msgId, seqNo, body });
    }
  }

  private takeEvents(): ServerSessionEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }
}

