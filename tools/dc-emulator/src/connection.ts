import {
  badMsgNotification,
  badServerSalt,
  BadMsgCode,
  FILE_BYTES_METHODS,
  HandshakeError,
  msgIdSeconds,
  packContainer,
  ServerHandshake,
  type DhExponent,
  type ServerSession,
  type ServerSessionEvent,
} from '@telegram-mt/client/mtproto';
import type { tl } from '@telegram-mt/tl';
import type { Dc } from './dc.js';
import type { FaultPacketInfo } from './faults.js';
import type { ClientInfo } from './rpc/registry.js';
import { answerServiceRequest, isServiceRequest } from './service.js';
import { announcedLayer, generatedLayer, type LayerCodec } from './layers.js';
import { dispatch, innermost, type ConnectionRpcState, type DispatchEnv } from './rpc/dispatch.js';
import { checkCallOnKey } from './pfs.js';
import { inputFetchError, inputMethodInvalid, RpcError } from './rpc/rpc-error.js';
import type { SentPush, SessionOutbox } from './outbox.js';
import type { CallBook, KeptAnswer } from './calls.js';
import type { StoredAuthKey } from './auth-keys.js';

/** What the transport gives the emulator for one accepted connection: whole packets out, errors, close. */
export interface PacketLink {
  send(packet: Uint8Array): void;
  /** A transport error (−404, −429 …), framed the way the connection's codec frames it. */
  sendTransportError(code: number): void;
  close(): void;
}

/** Transport error codes a DC sends (core.telegram.org/mtproto/mtproto-transports). */
export const TransportErrorCode = {
  /** Unknown auth_key_id, or a packet the server cannot make sense of. */
  NOT_FOUND: -404,
} as const;

let nextConnectionId = 1;

/** A session this connection is bound to, and what each of its packets needs, looked up once. */
interface BoundSession {
  session: ServerSession;
  /** The key's expiry (ms) if it is temporary. */
  expiresAtMs: number | undefined;
  /** Its pushes. */
  outbox: SessionOutbox;
  calls: CallBook;
  /** `calls.waitForAll`, bound once (invokeAfterMsg). */
  waitFor: (ids: readonly bigint[]) => Promise<boolean>;
}

/** Schedules microtasks (see scheduleFlush). */
const SETTLED = Promise.resolve();

/** sendResult's options for file bytes, made once. */
const NO_GZIP = { gzip: false } as const;


/**
 * An unacknowledged push is sent again as the same message (msg_id and
 * seq_no), so a client that did get it drops the copy as a replay. Past this
 * age (s) it would fall outside the client's 300 s msg_id window, and as a
 * new message it could arrive twice: it is given up (counted), and a client
 * that missed it sees the pts gap on its next update and fetches the difference.
 */
const RESEND_SAME_ID_SECONDS = 240;
/** Most messages in one container of resent pushes (Telegram's limit is 1020). */
const RESEND_CONTAINER_MESSAGES = 1000;
const RESEND_CONTAINER_BYTES = 512 * 1024;


/**
 * One client connection to a DC: the unencrypted handshake phase through
 * ServerHandshake, then encrypted messages through the DC's ServerSession
 * for the key and session_id (bound on the connection's first packet under
 * that key), with calls dispatched to the DC's method registry. Protocol rules live
 * in the client package's server-role cores; this class only routes packets,
 * runs handlers and owns the timers.
 */
export class DcConnection {
  readonly id = nextConnectionId++;
  private handshake: ServerHandshake | undefined;
  /** Sessions this connection is bound to, by auth_key_id. */
  private readonly sessions = new Map<bigint, BoundSession>();
  private readonly rpc: ConnectionRpcState = { layer: undefined, client: undefined };
  /** How calls are read and answers written: the generated layer until the client announces another we have. */
  private codec: LayerCodec = generatedLayer;
  private flushScheduled = false;
  private disconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** reorder fault: a frame held back until the next one has gone (or a few ms passed). */
  private held: { packet: Uint8Array; timer: NodeJS.Timeout } | undefined;
  /** delay fault: when the last delayed frame goes out (ms, monotonic), so order is kept. */
  private delayedUntil = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** The auth_key_id the last packet carried, and its 8 bytes (0n for the unencrypted phase). */
  private lastKeyId = 0n;
  private readonly lastKeyIdBytes = new Uint8Array(8);
  /** Made once per connection rather than once per call. */
  private readonly clock = (): number => this.dc.now();
  private readonly countExecution = (method: string): void => this.dc.countExecution(method);
  private readonly flushNow = (): void => {
    this.flushScheduled = false;
    let held = false;
    try {
      held = this.dc.holdClock();
      this.flush();
    } catch (err) {
      // As in onPacket: anything unforeseen is this connection's end, never the emulator's.
      this.dc.stats.internalErrors++;
      this.refuse(`internal error: ${(err as Error).message}`);
    } finally {
      if (held) this.dc.releaseClock();
    }
  };

  constructor(
    private readonly dc: Dc,
    private readonly link: PacketLink,
  ) {}

  get dcId(): number {
    return this.dc.id;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The layer the client announced with invokeWithLayer (undefined until it did). */
  get layer(): number | undefined {
    return this.rpc.layer;
  }

  /** How this connection writes objects: the layer its client announced (the generated one before). */
  get layerCodec(): LayerCodec {
    return this.codec;
  }

  /** The client's initConnection fields, once sent on this connection. */
  get client(): ClientInfo | undefined {
    return this.rpc.client;
  }

  /** One whole packet from the transport. Never throws: bad input closes the connection. */
  onPacket(packet: Uint8Array): void {
    if (this.closed) return;
    let held = false;
    try {
      held = this.dc.holdClock();
      if (packet.length < 8) return this.refuse(`a packet of ${packet.length} bytes`);
      const authKeyId = this.authKeyIdOf(packet);
      if (authKeyId === 0n) this.onPlain(packet);
      else this.onEncrypted(authKeyId, packet);
    } catch (err) {
      // Anything unforeseen is this connection's end, never the emulator's.
      this.dc.stats.internalErrors++;
      this.refuse(`internal error: ${(err as Error).message}`);
    } finally {
      if (held) this.dc.releaseClock();
    }
  }

  /** The packet's auth_key_id; the last one read is kept with its bytes, as a connection's packets nearly all carry the same. */
  private authKeyIdOf(packet: Uint8Array): bigint {
    const last = this.lastKeyIdBytes;
    let i = 0;
    while (i < 8 && packet[i] === last[i]) i++;
    if (i === 8) return this.lastKeyId;
    const id = new DataView(packet.buffer, packet.byteOffset, 8).getBigInt64(0, true);
    last.set(packet.subarray(0, 8));
    this.lastKeyId = id;
    return id;
  }

  /** The transport closed (peer gone or error). */
  onClose(): void {
    this.closed = true;
    if (this.disconnectTimer !== undefined) clearTimeout(this.disconnectTimer);
    if (this.held !== undefined) clearTimeout(this.held.timer);
    this.held = undefined;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    // The sessions outlive the connection: pushes wait for their next one, written in this layer.
    const now = this.dc.now();
    for (const { outbox } of this.sessions.values()) {
      if (outbox.carrier !== this) continue;
      outbox.carrier = undefined;
      outbox.leftAt = now;
      outbox.writer = this.codec;
    }
    this.dc.forget(this);
  }

  close(): void {
    if (this.closed) return;
    this.onClose();
    this.link.close();
  }

  // ---- handshake phase ----

  private onPlain(packet: Uint8Array): void {
    if (this.handshake === undefined || this.handshake.finished) {
      // A connection may make several keys (a permanent one, then temporary ones).
      this.handshake = new ServerHandshake({
        dcId: this.dc.id,
        keys: [this.dc.rsaKey],
        misbehave: this.dc.handshakeMisbehaviour,
        isKeyIdTaken: (id) => this.dc.authKeys.has(id),
        now: () => this.dc.now(),
        readyDhExponent: () => this.readyDhExponent(),
      });
      // Refills go through the DC's precompute hook, so a DC told not to precompute never does.
      const stock = this.dc.dhStock;
      this.dc.precompute(() => stock.fill());
    }
    let step;
    try {
      step = this.handshake.receive(packet);
    } catch (err) {
      if (!(err instanceof HandshakeError)) throw err;
      this.dc.stats.handshakesFailed++;
      return this.refuse(`handshake: ${err.message}`);
    }
    if (step.done !== undefined) {
      const d = step.done;
      this.dc.authKeys.add({
        authKey: d.authKey,
        authKeyId: d.authKeyId,
        serverSalt: d.serverSalt,
        temp: d.temp,
        expiresAt: d.expiresAt,
        clientDcId: d.dcId,
        createdAt: this.dc.now(),
        sessions: [],
      });
      this.dc.stats.handshakesDone++;
    }
    if (step.send !== undefined) this.link.send(step.send);
    // After resPQ the server's g_a can be computed while the client factorizes pq and encrypts,
    // unless one is ready: then it is taken at req_DH_params.
    if (step.done === undefined && !this.handshake.finished && this.dc.dhStock.available === 0 && !this.dc.hasDhExponent) {
      const h = this.handshake;
      this.dc.precompute(() => {
        if (!this.closed) h.precompute();
      });
    }
  }

  /**
   * A ready (a, g^a) for req_DH_params: first from the stock the background
   * thread fills, which costs this thread nothing; only when that has run dry
   * (a burst, or a thread starved of CPU) from the DC's own pool, whose refill
   * runs here, between packets.
   */
  private readyDhExponent(): DhExponent | undefined {
    const stock = this.dc.dhStock;
    const ready = stock.take();
    this.dc.precompute(() => stock.fill());
    return ready ?? this.dc.takeDhExponent();
  }

  // ---- encrypted phase ----

  private info(authKeyId: bigint): FaultPacketInfo {
    return { dcId: this.dc.id, connectionId: this.id, authKeyId };
  }

  private onEncrypted(authKeyId: bigint, packet: Uint8Array): void {
    const injector = this.dc.injector;
    if (injector.active !== 0) {
      const v = injector.frame(this, packet.length);
      if (v !== 'pass') return this.applyVerdict(v);
    }
    const faults = this.dc.faults;
    if (faults?.incoming) {
      const p = faults.incoming(packet, this.info(authKeyId));
      if (p === null) return;
      packet = p;
    }
    let bound = this.sessions.get(authKeyId);
    if (bound === undefined) {
      const key = this.dc.authKeys.get(authKeyId);
      // Telegram's answer to a key it does not have: the client must make a new one.
      if (key === undefined) return this.refuse('unknown auth_key_id');
      const found = this.dc.sessions.sessionFor(key, packet);
      if (found === undefined) {
        // Does not decrypt (msg_key, length or padding): ignored, as the spec says, and counted.
        this.dc.stats.undecryptable++;
        return;
      }
      const calls = this.dc.callsOf(found);
      bound = {
        session: found,
        expiresAtMs: key.expiresAt === undefined ? undefined : key.expiresAt * 1000,
        outbox: this.dc.outboxes.of(found),
        calls,
        waitFor: (ids) => calls.waitForAll(ids),
      };
      this.sessions.set(authKeyId, bound);
    }
    // One clock reading per packet: everything it leads to happens at the same moment.
    const now = this.dc.now();
    if (bound.expiresAtMs !== undefined && bound.expiresAtMs <= now) {
      // An expired temporary key is forgotten, and answered like one never seen.
      this.dc.forgetKey(authKeyId);
      this.sessions.delete(authKeyId);
      return this.refuse('expired temporary auth key');
    }
    const session = bound.session;
    // Salts rotate: the session's current salt is the schedule's at this moment.
    const key = this.dc.authKeys.get(authKeyId);
    if (key !== undefined) session.setServerSalt(this.dc.saltsOf(key).current(Math.floor(now / 1000)));
    // A session back on a new connection: what was kept for it goes out before anything newer.
    if (bound.outbox.carrier !== this && session.sessionId !== 0n) this.carry(authKeyId, bound.session, bound.outbox);
    if (injector.active !== 0) {
      const code = injector.badMsg(this);
      if (code !== undefined && this.refuseMessage(session, packet, code)) return;
    }
    const before = session.sessionId;
    const dropped = session.stats.dropped;
    const unreadable = dropped.malformed;
    const events = session.receive(packet);
    // The core drops a message it cannot read (after acknowledging it): counted and said, as a
    // client then waits for an answer that never comes.
    if (dropped.malformed !== unreadable) this.onUnreadable(session, dropped.malformed - unreadable);
    // A client may start another session on the same connection: keep the store's index right.
    // What was kept for the old session is not the new one's (the client fetches the difference).
    if (session.sessionId !== before) {
      this.dc.sessions.rekey(authKeyId, before, session);
      bound.outbox.clear();
    }
    if (bound.outbox.carrier !== this) this.carry(authKeyId, session, bound.outbox);
    for (const e of events) this.onEvent(bound, e, key, now);
    this.scheduleFlush();
  }

  private onEvent(bound: BoundSession, e: ServerSessionEvent, key: StoredAuthKey | undefined, now: number): void {
    const session = bound.session;
    switch (e.type) {
      case 'new-session':
        this.dc.authKeys.noteSession(session.authKeyId, e.sessionId);
        return;
      case 'request':
        this.onRequest(bound, e.msgId, e.body, key, now);
        return;
      case 'ping':
        if (e.disconnectDelay !== undefined) this.armDisconnect(e.disconnectDelay);
        return;
      case 'ack':
        bound.outbox.acked(e.msgIds);
        return;
      case 'rejected':
        return;
      default:
        this.onOtherEvent(session, e as { type: string; msgId?: bigint });
    }
  }

  /**
   * A request sent again with a msg_id the session already has (after a
   * reconnect, when its answer was lost): Telegram sends the answer again
   * rather than running the call twice. The session core drops such
   * replays silently today; once it reports them as a `duplicate` event
   * this answers from the call book.
   */
  private onOtherEvent(session: ServerSession, e: { type: string; msgId?: bigint }): void {
    if (e.type !== 'duplicate' || e.msgId === undefined) return;
    const a = this.dc.callsOf(session).answerOf(e.msgId);
    if (a === undefined) return; // still running (answered when done) or forgotten
    if ('result' in a) session.sendResult(e.msgId, a.result);
    else session.sendError(e.msgId, a.code, a.text);
    this.dc.stats.answersResent++;
  }

  private onUnreadable(session: ServerSession, n: number): void {
    this.dc.stats.unreadableMessages += n;
    this.dc.log?.(`dc${this.dc.id} connection ${this.id}: session ${session.sessionId}: ${n} message(s) dropped unread (gzip_packed that does not inflate, or a short ack/ping)`);
  }

  /** ping_delay_disconnect: close unless another one comes within `seconds` (each resets the timer). */
  private armDisconnect(seconds: number): void {
    if (this.disconnectTimer !== undefined) clearTimeout(this.disconnectTimer);
    const ms = Math.max(0, Math.min(seconds, 24 * 3600)) * 1000;
    this.disconnectTimer = setTimeout(() => this.close(), ms);
    this.disconnectTimer.unref?.();
  }

  private onRequest(bound: BoundSession, msgId: bigint, body: Uint8Array, key: StoredAuthKey | undefined, now: number): void {
    const { session, calls } = bound;
    const announced = announcedLayer(body);
    if (announced !== undefined) this.codec = this.dc.layers.get(announced) ?? generatedLayer;
    const codec = this.codec;
    let request: tl.TlAny;
    try {
      request = codec.deserializeObject(body) as tl.TlAny;
    } catch {
      const id = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0, true);
      const error = codec.nameOfId(id) === undefined ? inputMethodInvalid(id, body.length) : inputFetchError();
      this.answer(session, calls, msgId, { method: '', error }, codec);
      return;
    }
    if (isServiceRequest(request._)) return this.onServiceRequest(session, calls, msgId, request, key, now);
    if (!codec.isMethod(request._)) {
      // A constructor, not a method (msg_resend_req, msgs_all_info …): nothing to answer yet.
      this.dc.stats.ignoredMessages++;
      return;
    }
    // A login belongs to the permanent key: calls on a bound temporary key (PFS) act for it,
    // so the login outlives each temporary key and is shared by every connection of the key.
    const binding = key?.temp ? this.dc.tempKeyBindings.ofTemp(session.authKeyId, Math.floor(now / 1000)) : undefined;
    const refusal = this.refusalOf(request, key, binding !== undefined, now);
    if (refusal !== undefined) {
      this.dc.stats.callsRefused++;
      this.answer(session, calls, msgId, { method: innermost(request as never), error: refusal }, codec);
      return;
    }
    const env: DispatchEnv = {
      registry: this.dc.registry,
      connection: this.rpc,
      base: {
        dcId: this.dc.id,
        dcs: this.dc.emulatorDcs(),
        authKeyId: binding?.permAuthKeyId ?? session.authKeyId,
        messageAuthKeyId: session.authKeyId,
        sessionId: session.sessionId,
        msgId,
        now: this.clock,
      },
      waitFor: bound.waitFor,
      onExecute: this.countExecution,
    };
    let outcome: ReturnType<typeof dispatch>;
    try {
      outcome = dispatch(request as tl.TlMethod, env);
    } catch (err) {
      outcome = { method: request._, error: new RpcError(500, 'INTERNAL'), internal: err as Error };
    }
    if (outcome instanceof Promise) {
      const call = outcome.then(
        (o) => this.answer(session, calls, msgId, o, codec, true),
        (err: Error) => this.answer(session, calls, msgId, { method: request._, error: new RpcError(500, 'INTERNAL'), internal: err }, codec, true),
      );
      calls.running.set(msgId, call);
    } else {
      this.answer(session, calls, msgId, outcome, codec);
    }
  }

  /** get_future_salts, msgs_state_req, rpc_drop_answer, msg_resend_req, destroy_session, destroy_auth_key. */
  private onServiceRequest(session: ServerSession, calls: CallBook, msgId: bigint, request: tl.TlAny, key: StoredAuthKey | undefined, now: number): void {
    const service = answerServiceRequest(request, msgId, {
      session,
      sessions: this.dc.sessions,
      calls,
      now,
      futureSalts: (n) => (key === undefined ? [] : this.dc.saltsOf(key).future(Math.floor(now / 1000), n)),
      onResent: () => this.dc.stats.answersResent++,
    });
    if (service === 'destroy-auth-key') {
      // destroy_auth_key_ok goes out under the key, then the key and its sessions are gone.
      this.flush();
      this.sessions.delete(session.authKeyId);
      this.dc.forgetKey(session.authKeyId);
      return;
    }
    this.scheduleFlush();
  }

  private answer(
    session: ServerSession,
    calls: CallBook,
    msgId: bigint,
    outcome: { method: string; result?: unknown; error?: RpcError; internal?: Error },
    codec: LayerCodec,
    /** Answered after its packet was handled: the flush is not scheduled already, and maybe due elsewhere. */
    late = false,
  ): boolean {
    if (outcome.internal !== undefined) {
      this.dc.stats.internalErrors++;
      this.dc.log?.(`dc${this.dc.id}: ${outcome.method} failed: ${outcome.internal.stack ?? outcome.internal.message}`);
    }
    if (calls.dropped.size > 0 && calls.dropped.has(msgId)) {
      // The client said rpc_drop_answer while the call ran: no answer goes out.
      calls.finish(msgId, outcome.error === undefined);
      return outcome.error === undefined;
    }
    // Even when this connection is gone the answer is queued: the session outlives it, and the
    // client's next connection in the same session receives it, as with Telegram.
    let ok = outcome.error === undefined;
    let kept: KeptAnswer;
    try {
      if (outcome.error !== undefined) {
        session.sendError(msgId, outcome.error.code, outcome.error.text);
        kept = { code: outcome.error.code, text: outcome.error.text };
      } else {
        let bytes: Uint8Array;
        try {
          bytes = codec.serializeResult(outcome.method, outcome.result);
        } catch {
          // A handler answered with something its method cannot return.
          this.dc.stats.internalErrors++;
          this.dc.log?.(`dc${this.dc.id}: ${outcome.method} answered with something it cannot return`);
          ok = false;
          session.sendError(msgId, 500, 'INTERNAL');
          calls.finish(msgId, ok, { code: 500, text: 'INTERNAL' });
          return ok;
        }
        // File bytes go as they are: gzip would cost more than it saves (FILE_BYTES_METHODS).
        session.sendResult(msgId, bytes, FILE_BYTES_METHODS.has(outcome.method) ? NO_GZIP : undefined);
        kept = { result: bytes };
      }
    } catch (err) {
      // The send queue is full: the client sends without reading. Telegram drops such connections.
      this.refuse(`cannot queue an answer: ${(err as Error).message}`);
      return false;
    }
    // An answer made while its packet is handled goes out with that packet's flush (onEncrypted schedules it).
    if (late) this.scheduleFlushOf(session);
    calls.finish(msgId, ok, kept);
    return ok;
  }

  /** Sends a push (already written in this connection's layer) to a session this connection carries. */
  pushTo(session: ServerSession, outbox: SessionOutbox, body: Uint8Array): void {
    const now = this.dc.now();
    if (this.closed) return outbox.keep(body, now);
    this.enqueuePush(session, outbox, body, now);
    this.scheduleFlush();
  }

  /** Queues a push; once it goes out it is kept until the client acknowledges it. */
  private enqueuePush(session: ServerSession, outbox: SessionOutbox, body: Uint8Array, at: number): void {
    try {
      session.core.enqueue({
        body,
        contentRelated: true,
        kind: 'server',
        sent: (msgId, seqNo) => outbox.sent({ body, at, msgId, seqNo }),
      });
    } catch {
      // The send queue is full: the client sends without reading. Counted, not thrown into the world.
      this.dc.stats.pushesDropped++;
    }
  }

  /**
   * The session speaks on this connection now. Pushes sent on an earlier
   * connection and never acknowledged go out again first, then those kept
   * while it had none, in the order they were made.
   */
  private carry(authKeyId: bigint, session: ServerSession, outbox: SessionOutbox): void {
    const before = outbox.carrier;
    if (before !== undefined && !before.isClosed) this.dc.log?.(`dc${this.dc.id}: session ${session.sessionId} moves from connection ${before.id} (open) to ${this.id}`);
    outbox.carrier = this;
    outbox.leftAt = undefined;
    const now = this.dc.now();
    const oldest = Math.floor(now / 1000) - RESEND_SAME_ID_SECONDS;
    const resend = outbox.takeUnacked(now, (p) => msgIdSeconds(p.msgId) >= oldest);
    const waiting = outbox.takeWaiting(now);
    if (resend.length > 0) this.resendAsSent(authKeyId, session, outbox, resend);
    for (const w of waiting) this.enqueuePush(session, outbox, w.body, w.at);
    if (waiting.length > 0) this.scheduleFlush();
  }

  /** Unacknowledged pushes sent again as the same messages, in containers, ahead of the send queue. */
  private resendAsSent(authKeyId: bigint, session: ServerSession, outbox: SessionOutbox, pushes: SentPush[]): void {
    const core = session.core;
    // Kept again first: if this connection dies too, the next one sends them.
    for (const p of pushes) outbox.sent(p);
    for (let i = 0; i < pushes.length; ) {
      const batch: SentPush[] = [];
      let bytes = 0;
      while (i < pushes.length && batch.length < RESEND_CONTAINER_MESSAGES && (batch.length === 0 || bytes + pushes[i]!.body.length <= RESEND_CONTAINER_BYTES)) {
        bytes += pushes[i]!.body.length;
        batch.push(pushes[i++]!);
      }
      const packet =
        batch.length === 1
          ? core.envelope.seal(core.serverSalt, session.sessionId, batch[0]!.msgId, batch[0]!.seqNo, batch[0]!.body)
          : core.envelope.seal(core.serverSalt, session.sessionId, core.msgIds.next('server'), core.nextSeqNo(false), packContainer(batch.map((p) => ({ msgId: p.msgId, seqNo: p.seqNo, body: p.body }))));
      this.sendPacket(authKeyId, packet);
      if (this.closed) return;
    }
  }

  /**
   * A session's late answer goes out on the connection carrying it now: this
   * one, unless the client moved the session to a newer one meanwhile.
   */
  private scheduleFlushOf(session: ServerSession): void {
    const carrier = this.dc.outboxes.peek(session)?.carrier;
    (carrier !== undefined && !carrier.isClosed ? carrier : this).scheduleFlush();
  }

  /** Answers go out together once the packets read in one chunk have been handled. */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.closed) return;
    this.flushScheduled = true;
    // A microtask runs once the transport has handed over every packet of the chunk it read, so
    // their answers still share a container; and the answer leaves in this turn of the event loop.
    // A settled promise's then: Node's queueMicrotask makes an AsyncResource per call. flushNow never throws.
    void SETTLED.then(this.flushNow);
  }

  private flush(): void {
    if (this.closed) return;
    const nowS = Math.floor(this.dc.now() / 1000);
    for (const [authKeyId, { session, outbox }] of this.sessions) {
      // A session that moved to a newer connection is served there, not on this (maybe half-dead) one.
      if (outbox.carrier !== this) continue;
      const key = this.dc.authKeys.get(authKeyId);
      if (key !== undefined) session.setServerSalt(this.dc.saltsOf(key).current(nowS));
      for (const packet of session.flush()) {
        this.sendPacket(authKeyId, packet);
        if (this.closed) return;
      }
    }
  }

  /** One encrypted packet out, through the faults in force. */
  private sendPacket(authKeyId: bigint, packet: Uint8Array): void {
    const faults = this.dc.faults;
    if (faults?.outgoing) {
      const p = faults.outgoing(packet, this.info(authKeyId));
      if (p === null) return;
      packet = p;
    }
    if (this.dc.injector.active === 0) this.link.send(packet);
    else this.sendFaulty(packet);
  }

  // ---- injected faults ----

  /** An outgoing frame through the faults in force: counted (drop, stall …), duplicated, held back, delayed. */
  private sendFaulty(packet: Uint8Array): void {
    const injector = this.dc.injector;
    const v = injector.frame(this, packet.length);
    if (v !== 'pass') return this.applyVerdict(v);
    const shape = injector.outgoing(this);
    const out = shape.duplicate ? [packet, packet] : [packet];
    if (shape.holdBack && this.held === undefined) {
      // Sent after the next frame, or alone if none follows soon.
      const timer = setTimeout(() => this.releaseHeld(), shape.holdMs);
      this.held = { packet, timer };
      return;
    }
    if (this.held !== undefined) {
      out.push(this.held.packet);
      clearTimeout(this.held.timer);
      this.held = undefined;
    }
    this.emit(out, shape.delayMs);
  }

  private releaseHeld(): void {
    const h = this.held;
    this.held = undefined;
    if (h !== undefined && !this.closed) this.emit([h.packet], 0);
  }

  private emit(packets: Uint8Array[], delayMs: number): void {
    const nowMs = performance.now();
    if (delayMs <= 0 && this.delayedUntil <= nowMs) {
      for (const p of packets) this.link.send(p);
      return;
    }
    // Later than every frame delayed before it: a delay never reorders.
    const at = Math.max(nowMs + delayMs, this.delayedUntil);
    this.delayedUntil = at;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) for (const p of packets) this.link.send(p);
    }, at - nowMs);
    this.timers.add(timer);
  }

  private applyVerdict(v: Exclude<ReturnType<Dc['injector']['frame']>, 'pass'>): void {
    if (v === 'swallow') return;
    if (v === 'close') return this.close();
    this.dc.log?.(`dc${this.dc.id} connection ${this.id}: fault: transport error ${v.transportError}`);
    try {
      this.link.sendTransportError(v.transportError);
    } finally {
      this.close();
    }
  }

  /**
   * bad-msg fault: the packet is not read; its message is refused with the
   * given code (48 as bad_server_salt with the current salt). False when the
   * packet starts another session or does not open: it is then read as usual.
   */
  private refuseMessage(session: ServerSession, packet: Uint8Array, code: number): boolean {
    const m = session.core.envelope.open(packet);
    if (typeof m === 'string' || m.sessionId !== session.sessionId) return false;
    const body =
      code === BadMsgCode.BAD_SERVER_SALT ? badServerSalt(m.msgId, m.seqNo, session.core.serverSalt) : badMsgNotification(m.msgId, m.seqNo, code);
    session.sendMessage(body, { contentRelated: false, response: true });
    this.scheduleFlush();
    return true;
  }

  /** Why a call must not run: a `refuse` fault, or a temporary key not bound yet (core.telegram.org/api/pfs). */
  private refusalOf(request: tl.TlAny, key: StoredAuthKey | undefined, bound: boolean, now: number): RpcError | undefined {
    if (this.dc.injector.active !== 0) {
      const r = this.dc.injector.refusal(this);
      if (r !== undefined) return new RpcError(r.code, r.text);
    }
    // A bound temporary key passes the gate: it is asked only about one that is not (yet).
    if (key?.temp && !bound) {
      const gate = checkCallOnKey(innermost(request as never), key.authKeyId, key, this.dc.tempKeyBindings, Math.floor(now / 1000));
      if (!gate.ok) return new RpcError(gate.code, gate.text);
    }
    return undefined;
  }

  /** Bad input: transport error −404 and close, as Telegram does; counted, never thrown. */
  private refuse(why: string): void {
    this.dc.stats.refused++;
    this.dc.log?.(`dc${this.dc.id} connection ${this.id}: ${why}`);
    if (this.closed) return;
    try {
      this.link.sendTransportError(TransportErrorCode.NOT_FOUND);
    } finally {
      this.close();
    }
  }
}
