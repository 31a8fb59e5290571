import { EventEmitter } from 'node:events';
import type { TlResult, tl } from '@telegram-mt/tl';
import {
  AuthKeyUnknownError,
  ConnectionClosedError,
  RequestAbortedError,
  RpcError,
  TransportError,
} from '../errors.js';
import type { AuthKeyResult } from '../mtproto/handshake/types.js';
import { handshakeDcId, PRODUCTION_RSA_KEYS } from '../mtproto/production.js';
import { ClientSession, type ClientSessionEvent } from '../mtproto/session/client/session.js';
import type { Clock, RandomSource } from '../mtproto/session/clock.js';
import type { SessionStats } from '../mtproto/session/stats.js';
import { randomLong, systemClock, systemRandom } from '../mtproto/session/clock.js';
import { serializeRequest } from '../mtproto/session/file-bytes.js';
import { defaultReconnectOptions } from './backoff.js';
import { Dialer, type DialerHost } from './dialer.js';
import type { ConnectionEvents, ConnectionOptions, ConnectionState, InvokeOptions } from './connection-types.js';
import { defaultDeviceInfo, wrapInitConnection, type DeviceInfo } from './init-connection.js';
import { KeepAlive, type KeepAliveHost } from './keep-alive.js';
import { KeyExchange, threadPoolPow } from './key-exchange.js';
import { TempKeys, type TempKeyHost } from './temp-keys.js';
import { applySessionEvent, type SessionEventSink } from './session-events.js';
import { flushPaired, holdPacket, pairable, type HeldPacketsHost, type PairedFlushHost } from './pairing.js';
import { Waiters } from './waiters.js';
import type { PacketWire } from './wire.js';

/** A packet's auth_key_id (0 for the handshake's plain messages, and for anything shorter). */
const keyIdOf = (packet: Uint8Array): bigint => (packet.length >= 8 ? new DataView(packet.buffer, packet.byteOffset, 8).getBigInt64(0, true) : 0n);

/** Microtasks through a settled promise: Node's queueMicrotask makes an AsyncResource per call (on every RPC here). */
const SETTLED = Promise.resolve();

export type { ConnectionEvents, ConnectionOptions, ConnectionState, InvokeOptions } from './connection-types.js';

/**
 * One connection to one DC: a wire from the transport package, the auth key
 * (made by the handshake unless given), and an encrypted session. `invoke`
 * is typed by the request: its promise resolves to the method's result type
 * or rejects with `RpcError`, `RequestTimeoutError`, `RequestAbortedError`,
 * `ConnectionClosedError`, `BadMessageError` or `TlError`.
 *
 * Here: what runs on an open wire (key, session, routing of packets and
 * session events, transport errors). session-events.ts says what the
 * session's events mean, dialer.ts holds the wire's life (dial,
 * drop, backoff), waiters.ts who awaits what, keep-alive.ts the timers,
 * key-exchange.ts the handshake on the wire and temp-keys.ts the PFS key
 * lifecycle. Members marked internal are theirs.
 */
export class Connection extends EventEmitter<ConnectionEvents> implements DialerHost, TempKeyHost, KeepAliveHost, SessionEventSink {
  /** @internal */
  wire: PacketWire | undefined;
  /** @internal Bumped per wire: handlers of an old wire are ignored. */
  generation = 0;
  /** @internal The session traffic goes to. */
  session: ClientSession | undefined;
  /** @internal */
  readonly waiters: Waiters;
  private readonly handshake: KeyExchange;
  private readonly timers: KeepAlive;
  private key: AuthKeyResult | undefined;
  private readonly device: DeviceInfo;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly dialer: Dialer;
  /**
   * @internal Whether the server has answered a call on this wire yet. Until
   * it has, every call is wrapped in invokeWithLayer(initConnection(…)): calls
   * sent together in one container may be processed in any order.
   */
  initConfirmed = false;
  private flushScheduled = false;
  /** @internal */
  closed = false;
  private currentState: ConnectionState = 'idle';
  /** PFS: the temporary keys (undefined when PFS is off or before the permanent key). */
  private pfs: TempKeys | undefined;
  private sessionsMade = 0;

  constructor(private readonly opts: ConnectionOptions) {
    super();
    this.device = { ...defaultDeviceInfo, ...opts.device };
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? systemRandom;
    this.key = opts.authKey;
    this.dialer = new Dialer(this, {
      dc: opts.dc,
      wireDcId: this.dcIdOnWire(),
      wire: opts.wire,
      reconnect: opts.reconnect === false ? undefined : { ...defaultReconnectOptions, ...opts.reconnect },
      random: this.random,
    });
    this.handshake = new KeyExchange(opts.dhWork === 'thread-pool' ? threadPoolPow() : undefined);
    this.waiters = new Waiters((id) => {
      if (this.session?.dropAnswer(id)) this.scheduleFlush();
    });
    const keepAlive = {
      pingInterval: opts.pingInterval ?? 60_000,
      probeInterval: opts.probeInterval ?? 10_000,
      futureSalts: opts.futureSalts !== false,
      ackDelay: opts.ackDelay ?? 100,
    };
    this.timers = new KeepAlive(this, keepAlive, this.random);
  }

  /** The auth key in use (after `connect`), to store and pass back as `authKey` next time. */
  get authKey(): AuthKeyResult | undefined {
    if (this.key === undefined) return undefined;
    const s = this.session;
    if (s === undefined) return this.key;
    // With PFS the session runs on a temporary key (never stored): its clock offset holds, its salt does not.
    return this.pfs ? { ...this.key, timeOffset: s.timeOffset } : { ...this.key, serverSalt: s.serverSalt, timeOffset: s.timeOffset };
  }

  /** The auth_key_id traffic goes on: a temporary key's with PFS, else the permanent key's. */
  get trafficKeyId(): bigint | undefined {
    return this.session?.core.authKeyId;
  }

  /** Reconnects made after a drop (for stats and tests). */
  get reconnects(): number {
    return this.dialer.reconnects;
  }

  /** Why the wire last went down (a TransportError for −429 and the like), if it did. */
  get lastDropError(): Error | undefined {
    return this.dialer.lastDropError;
  }

  /** Temporary keys bound so far (PFS). */
  get tempKeysBound(): number {
    return this.pfs?.bound ?? 0;
  }

  get stats(): SessionStats | undefined {
    return this.session?.stats;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get connected(): boolean {
    return this.currentState === 'ready';
  }

  /** Calls awaiting their answer (keep-alive pings included). */
  get pending(): number {
    return this.waiters.size;
  }

  /** Messages the session holds: requests pending and service requests of its own, queued messages, acks. */
  get sessionBuffers(): { pending: number; queued: number; acks: number } | undefined {
    const s = this.session;
    return s && { pending: s.pending, queued: s.core.queued, acks: s.core.pendingAcks };
  }

  /** Opens the wire and makes (or reuses) the auth key. Idempotent; retries per `reconnect`. */
  connect(): Promise<void> {
    return this.dialer.connect();
  }

  /**
   * Calls a method; resolves to its result. Calls made before the server's
   * first answer on a wire go inside invokeWithLayer(initConnection(…)).
   * While the connection is offline, calls wait in the session and go out
   * when it is back.
   */
  async invoke<R extends tl.TlMethod>(request: R, opts: InvokeOptions = {}): Promise<TlResult<R>> {
    if (this.session === undefined) await this.connect();
    const session = this.session;
    if (session === undefined || this.closed) throw new ConnectionClosedError('the connection is closed');
    const signal = opts.signal;
    if (signal?.aborted) throw new RequestAbortedError(request._, signal.reason);
    let wire: tl.TlMethod = request;
    const wrapped = !this.initConfirmed;
    if (wrapped) wire = wrapInitConnection(request, this.opts.apiId, this.device);
    const id = session.send(request._, serializeRequest(request, wire), opts.repeatable === undefined ? undefined : { repeatable: opts.repeatable });
    return this.wait(id, request._, opts, wrapped) as Promise<TlResult<R>>;
  }

  /** Sends ping and resolves to the pong (a round trip that involves no RPC dispatch). */
  async ping(opts: InvokeOptions = {}): Promise<{ _: 'pong'; msgId: bigint; pingId: bigint }> {
    if (this.session === undefined) await this.connect();
    const session = this.session;
    if (session === undefined || this.closed) throw new ConnectionClosedError('the connection is closed');
    return this.wait(session.ping(randomLong(this.random)), 'ping', opts) as Promise<{
      _: 'pong';
      msgId: bigint;
      pingId: bigint;
    }>;
  }

  /** Closes the wire; requests in flight fail with ConnectionClosedError. */
  close(): void {
    this.shutdown(undefined);
  }

  /** Drops the wire as if the network failed (the connection reconnects per `reconnect`). For tests and network changes. */
  dropWire(): void {
    const gen = this.generation;
    this.wire?.close();
    this.dialer.wireClosed(gen, new ConnectionClosedError('dropped by dropWire()'));
  }

  // ---- for the helpers (keep-alive.ts, temp-keys.ts) ----

  /** @internal Not closed, and ready. */
  get live(): boolean {
    return !this.closed && this.currentState === 'ready';
  }

  /** @internal Whether a handshake runs on the wire now. */
  get handshaking(): boolean {
    return this.handshake.running;
  }

  /** @internal */
  makeAuthKey(wire: PacketWire, temp?: { expiresIn: number }): Promise<AuthKeyResult> {
    const opts = {
      dcId: this.dcIdOnWire(),
      rsaPublicKeys: this.opts.rsaPublicKeys ?? PRODUCTION_RSA_KEYS,
      clock: this.clock,
      timeout: this.opts.handshakeTimeout ?? 30_000,
    };
    return this.handshake.run(wire, opts, temp);
  }

  /** @internal */
  newSession(authKey: Uint8Array, serverSalt: bigint, timeOffset: number): ClientSession {
    const s = new ClientSession({
      authKey,
      serverSalt,
      timeOffset,
      clock: this.clock,
      random: this.random,
      cipher: this.opts.cipher,
      limits: this.opts.limits,
      // Request ids stay unique across the sessions of this connection (waiters are keyed by them).
      firstRequestId: ++this.sessionsMade * 2 ** 32 + 1,
      ...(this.opts.isSafeToRepeat ? { isSafeToRepeat: this.opts.isSafeToRepeat } : {}),
    });
    s.retryUnbound = this.pfs !== undefined;
    return s;
  }

  /** @internal */
  waitFor(id: number, method: string, timeout: number): Promise<unknown> {
    return this.wait(id, method, { timeout });
  }

  /** @internal Flushes a side session (binding or draining) straight onto the wire. */
  flushSession(session: ClientSession, wire: PacketWire): void {
    for (const packet of session.flush(true)) wire.send(packet);
  }

  /** @internal */
  handleEvents(events: ClientSessionEvent[], session: ClientSession): void {
    for (const e of events) applySessionEvent(this, e, session);
  }

  /** @internal Packs everything invoked in this tick into as few packets as the container limits allow. */
  scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    void SETTLED.then(() => {
      this.flushScheduled = false;
      this.flush(false);
    });
  }

  /** @internal A refused temporary-key binding: the caller's to see. */
  refused(error: RpcError): void {
    this.emit('auth-key-error', error);
    this.shutdown(error);
  }

  /** @internal */
  flush(forceAcks: boolean): void {
    const session = this.flushable();
    if (session === undefined) return;
    // A file part waits: sealed at the end of this turn, paired with any other connection's (pairing.ts).
    if (!forceAcks && pairable(session.core.queuedBytes, this.opts.cipher !== undefined)) return flushPaired(this.paired);
    const wire = this.wire!;
    for (const packet of session.flush(forceAcks)) wire.send(packet);
    this.afterFlush(session);
  }

  /** The session when packets may go out now (ready, and on a usable key); else undefined. */
  private flushable(): ClientSession | undefined {
    const session = this.session;
    if (session === undefined || this.wire === undefined || this.closed || this.currentState !== 'ready') return undefined;
    // PFS: nothing goes out on a key at or past its stop time; calls wait for the next key.
    if (this.pfs !== undefined && !this.pfs.usable(session)) {
      this.pfs.renew();
      return undefined;
    }
    return session;
  }

  private afterFlush(session: ClientSession): void {
    this.handleEvents(session.takePendingEvents(), session);
    if (session.core.pendingAcks > 0) this.timers.scheduleAcks();
  }

  /** This connection's side of a paired flush: sealed and written in one task, so session and wire stay the same. */
  private readonly paired: PairedFlushHost = {
    sealQueued: () => this.flushable()?.flush(false),
    sendSealed: (packets) => {
      for (const packet of packets) this.wire!.send(packet);
      this.afterFlush(this.session!);
    },
    failed: (error) => this.shutdown(error),
  };

  /** @internal Periodic: msgs_state_req about requests unanswered for `age` ms, future salts when they run low, PFS keys. */
  check(age: number): void {
    const session = this.session;
    if (session === undefined || !this.live) return;
    if (age > 0) session.probe(this.clock.now() - age);
    if (this.opts.futureSalts !== false && session.wantsFutureSalts) session.requestFutureSalts();
    this.pfs?.check(age);
    this.flush(false);
  }

  // ---- internals ----

  /** @internal */
  setState(next: ConnectionState): void {
    const prev = this.currentState;
    if (prev === next || prev === 'closed') return;
    this.currentState = next;
    this.emit('state', next, prev);
  }

  /** A promise for request `id`, with its timeout and abort signal wired up. */
  private wait(id: number, method: string, opts: InvokeOptions, wrapped = false): Promise<unknown> {
    const signal = opts.signal;
    if (signal?.aborted) {
      this.session?.cancel(id);
      return Promise.reject(new RequestAbortedError(method, signal.reason));
    }
    const answer = this.waiters.wait(id, method, opts.timeout ?? this.opts.requestTimeout ?? 30_000, signal, wrapped);
    this.scheduleFlush();
    return answer;
  }

  /** @internal A wire is open: makes the key if there is none and resumes (or starts) the session on it. */
  async startOn(wire: PacketWire, gen: number): Promise<void> {
    this.initConfirmed = false;
    if (this.key === undefined) {
      this.setState('handshaking');
      this.key = await this.makeAuthKey(wire);
    }
    if (this.closed || gen !== this.generation) throw new ConnectionClosedError('closed while connecting');
    const pfsOpts = this.opts.pfs ?? true;
    if (pfsOpts !== false) {
      const timeout = this.opts.handshakeTimeout ?? 30_000;
      this.pfs ??= new TempKeys(this, this.key.authKey, this.clock, this.random, pfsOpts === true ? {} : pfsOpts, timeout, this.opts.tempKeyShare);
      await this.pfs.resume(wire, gen, () => this.setState('handshaking'));
    } else if (this.session === undefined) {
      this.session = this.newSession(this.key.authKey, this.key.serverSalt, this.key.timeOffset);
    } else {
      // Same session on a new wire: ask what became of everything sent on the old one.
      this.session.reconnected();
    }
    if (this.closed || gen !== this.generation) throw new ConnectionClosedError('closed while connecting');
    this.setState('ready');
    this.timers.start();
    this.flush(false);
  }

  /** @internal */
  wireDown(): void {
    this.timers.stop();
  }

  /** @internal */
  abortHandshake(error: Error): void {
    this.handshake.reject(error);
  }

  /** The dc id as the handshake and obfuscated inits send it. */
  private dcIdOnWire(): number {
    return handshakeDcId(this.opts.dc.id, { test: this.opts.testDc, media: this.opts.mediaDc });
  }

  /** @internal */
  onPacket(packet: Uint8Array, owned = false): void {
    if (this.closed) return;
    // A file part: decrypted at the end of this turn, paired with any other connection's (pairing.ts).
    if (this.opts.cipher === undefined && holdPacket(this.held, packet, owned)) return;
    this.receivePacket(packet, owned);
  }

  /** The receiving side of the pairing: the envelope receivePacket would open the packet with. */
  private readonly held: HeldPacketsHost = {
    envelopeFor: (packet) => {
      const keyId = keyIdOf(packet);
      return keyId === 0n ? undefined : this.sessionFor(keyId)?.core.envelope;
    },
    receiveHeld: (packet, owned) => this.receivePacket(packet, owned),
  };

  /** Packets are routed by auth_key_id: with PFS a key being bound and a key being drained run beside the current one. */
  private sessionFor(keyId: bigint): ClientSession | undefined {
    return this.pfs !== undefined ? this.pfs.sessionFor(keyId) : this.session;
  }

  private receivePacket(packet: Uint8Array, owned: boolean): void {
    if (this.closed) return;
    if (packet.length === 4) {
      // A bare 32-bit negative number is a transport-level error (-404 no such key, -429 flood …).
      const code = new DataView(packet.buffer, packet.byteOffset, 4).getInt32(0, true);
      this.dialer.transportError(code);
      return;
    }
    const keyId = keyIdOf(packet);
    if (keyId === 0n) {
      this.handshake.receive(packet, this.wire);
      return;
    }
    const session = this.sessionFor(keyId);
    if (session === undefined) return;
    this.handleEvents(session.receive(packet, owned), session);
    this.pfs?.afterReceive(session);
    if (session !== this.session) {
      if (this.wire !== undefined) this.flushSession(session, this.wire);
      return;
    }
    if (session.core.queued > 0) this.scheduleFlush();
    else if (session.core.pendingAcks > 0) this.timers.scheduleAcks();
  }

  /**
   * @internal −404 outside a handshake: the server does not know our key. A
   * temporary key lost (they live in the server's RAM) is replaced on the
   * next dial; the permanent key unknown closes the connection with
   * AuthKeyUnknownError — never wiped here: the caller decides.
   */
  keyUnknown(code: number): 'reconnect' | 'closed' {
    if (this.session === undefined) return 'reconnect';
    if (this.pfs !== undefined) {
      this.pfs.keyLost();
      return 'reconnect';
    }
    const error = new AuthKeyUnknownError(code);
    this.emit('auth-key-error', error);
    this.shutdown(error);
    return 'closed';
  }

  /** @internal The server answered: the connection works. */
  answered(): void {
    this.dialer.answered();
  }

  /** @internal */
  shutdown(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.timers.close();
    this.dialer.close();
    const wire = this.wire;
    this.wire = undefined;
    this.generation++;
    wire?.close();
    // A handshake failure reaches connect()'s caller as it is (HandshakeError …).
    this.handshake.reject(error ?? new ConnectionClosedError('closed during the handshake'));
    const reason =
      error === undefined
        ? new ConnectionClosedError('the connection was closed')
        : error instanceof ConnectionClosedError || error instanceof TransportError
          ? error
          : new ConnectionClosedError(`the connection failed: ${error.message}`, { cause: error });
    this.waiters.settleAll(reason);
    // Nothing is left pending in the sessions either.
    this.session?.clear();
    this.pfs?.close();
    this.setState('closed');
    this.emit('close', error);
  }
}
