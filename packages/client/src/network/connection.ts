import { EventEmitter } from 'node:events';
import { serializeObject, type TlResult, type tl } from '@telegram-mt/tl';
import {
  AuthKeyError,
  AuthKeyUnknownError,
  ConnectionClosedError,
  RequestAbortedError,
  RequestTimeoutError,
  RpcError,
  TransportError,
} from '../errors.js';
import { HandshakeError } from '../mtproto/handshake/errors.js';
import { backoffDelay, defaultReconnectOptions, type ReconnectOptions } from './backoff.js';
import { RequestInDoubtError, rpcErrorFor } from '../errors.js';
import { TempKeyManager, type PfsOptions, type TempKeyAction } from '../mtproto/pfs/temp-key-manager.js';
import { ClientHandshake } from '../mtproto/handshake/client.js';
import type { AuthKeyResult } from '../mtproto/handshake/types.js';
import { handshakeDcId, PRODUCTION_RSA_KEYS } from '../mtproto/production.js';
import { parseRsaPublicKey } from '../mtproto/rsa.js';
import type { MessageCipher } from '../mtproto/session/cipher.js';
import { ClientSession, type ClientSessionEvent } from '../mtproto/session/client/session.js';
import type { Clock, RandomSource } from '../mtproto/session/clock.js';
import type { SessionLimits } from '../mtproto/session/limits.js';
import type { SessionStats } from '../mtproto/session/stats.js';
import { randomLong, systemClock, systemRandom } from '../mtproto/session/clock.js';
import { defaultDeviceInfo, wrapInitConnection, type DeviceInfo } from './init-connection.js';
import type { DcEndpoint, PacketWire, WireFactory } from './wire.js';

export interface ConnectionOptions {
  /** The DC to talk to. */
  dc: DcEndpoint;
  /** How to reach it; by default `transportWire()`: TCP with the intermediate codec. */
  wire?: WireFactory;
  /** The app's api_id, sent in initConnection. */
  apiId: number;
  /** initConnection's device fields; unset ones take `defaultDeviceInfo`'s. */
  device?: Partial<DeviceInfo>;
  /** Server keys to trust, PKCS#1 PEM; Telegram's production key by default. */
  rsaPublicKeys?: readonly string[];
  /** A stored auth key to use instead of making one. */
  authKey?: AuthKeyResult;
  /** Whether `dc` is a test DC or a media DC (changes the dc id the handshake sends). */
  testDc?: boolean;
  mediaDc?: boolean;
  /** Default timeout of `invoke`, ms (30 s). */
  requestTimeout?: number;
  /** Keep-alive ping_delay_disconnect every this many ms (60 s; 0 turns it off). */
  pingInterval?: number;
  /** How long lone acks may wait for other traffic, ms (100). */
  ackDelay?: number;
  /** Most time the handshake may take, ms (30 s). */
  handshakeTimeout?: number;
  clock?: Clock;
  random?: RandomSource;
  cipher?: MessageCipher;
  limits?: Partial<SessionLimits>;
  /** Reconnect after a drop (exponential backoff with jitter, bounded); `false` closes on the first drop. */
  reconnect?: Partial<ReconnectOptions> | false;
  /**
   * Requests unanswered this long (ms) are asked about with msgs_state_req:
   * lost requests are sent again, lost answers asked for (10 s; 0 = only after reconnects).
   */
  probeInterval?: number;
  /** Keep future server salts (get_future_salts) and switch before they expire (default true). */
  futureSalts?: boolean;
  /**
   * Perfect forward secrecy (core.telegram.org/api/pfs), on by default: traffic
   * goes on temporary keys bound to the permanent one with
   * auth.bindTempAuthKey, renewed before they expire. `false` sends on the
   * permanent key.
   */
  pfs?: boolean | Partial<PfsOptions>;
  /**
   * Whether a method may run twice without harm. When the session must
   * start over (bad_msg_notification 32/33, a clock corrected backwards),
   * calls already sent may have run: those safe to repeat are sent again,
   * the others fail with RequestInDoubtError. By default reads (get…,
   * search…, check…, resolve…) and file parts (`isSafeToRepeat`).
   */
  isSafeToRepeat?: (method: string) => boolean;
}

/**
 * Where a connection is: `idle` (not started), `connecting` (opening the
 * wire), `handshaking` (making the auth key), `ready`, `offline` (dropped,
 * waiting to reconnect; calls queue meanwhile), `closed` (for good).
 */
export type ConnectionState = 'idle' | 'connecting' | 'handshaking' | 'ready' | 'offline' | 'closed';

export interface InvokeOptions {
  signal?: AbortSignal;
  /** ms; the connection's `requestTimeout` by default, 0 for none. */
  timeout?: number;
  /** Whether this call may run twice without harm (overrides `isSafeToRepeat`). */
  repeatable?: boolean;
}

interface Waiter {
  method: string;
  /** Sent inside invokeWithLayer(initConnection(…)). */
  wrapped?: boolean;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export interface ConnectionEvents {
  /** An update or other message the server sent unasked. */
  update: [update: tl.TlAny];
  /** The server created a new session (updates sent to an earlier one may be lost). */
  'new-session': [info: { firstMsgId: bigint; uniqueId: bigint; serverSalt: bigint }];
  /** The server salt or clock offset changed: worth storing with the key. */
  'session-state': [state: { serverSalt: bigint; timeOffset: number }];
  /** The connection state changed. */
  state: [state: ConnectionState, previous: ConnectionState];
  /** The server refused the key or session (AUTH_KEY_UNREGISTERED, AUTH_KEY_DUPLICATED, SESSION_REVOKED, −404). The key is kept. */
  'auth-key-error': [error: Error];
  /** The connection closed; `error` says why when it was not `close()`. */
  close: [error?: Error];
}

/**
 * One connection to one DC: a wire from the transport package, the auth key
 * (made by the handshake unless given), and an encrypted session. `invoke`
 * is typed by the request: its promise resolves to the method's result type
 * or rejects with `RpcError`, `RequestTimeoutError`, `RequestAbortedError`,
 * `ConnectionClosedError`, `BadMessageError` or `TlError`.
 */
export class Connection extends EventEmitter<ConnectionEvents> {
  private wire: PacketWire | undefined;
  /** Bumped per wire: handlers of an old wire are ignored. */
  private generation = 0;
  private session: ClientSession | undefined;
  private handshake:
    | { machine: ClientHandshake; resolve(key: AuthKeyResult): void; reject(error: Error): void }
    | undefined;
  private key: AuthKeyResult | undefined;
  private readonly waiters = new Map<number, Waiter>();
  private readonly device: DeviceInfo;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly reconnectOptions: ReconnectOptions | undefined;
  /**
   * Whether the server has answered a call on this wire yet. Until it has,
   * every call is wrapped in invokeWithLayer(initConnection(…)): calls sent
   * together in one container may be processed in any order.
   */
  private initConfirmed = false;
  private flushScheduled = false;
  private ackTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private retryTimer: { timer: NodeJS.Timeout; wake(): void } | undefined;
  private keepAliveId: number | undefined;
  private closed = false;
  private connecting: Promise<void> | undefined;
  private currentState: ConnectionState = 'idle';
  /** Failed attempts in a row; reset once the server answers. */
  private attempts = 0;
  /** PFS: the temporary-key scheduler (undefined when PFS is off or before the permanent key). */
  private pfs: TempKeyManager | undefined;
  /** PFS: a session on a new temporary key, carrying only auth.bindTempAuthKey until bound. */
  private binding: ClientSession | undefined;
  /** PFS: the session of the key replaced, kept to receive answers to what was sent on it. */
  private draining: { session: ClientSession; timer: NodeJS.Timeout; until: number } | undefined;
  private renewing = false;
  private sessionsMade = 0;
  /** Temporary keys bound so far (PFS). */
  tempKeysBound = 0;
  /** Reconnects made after a drop (for stats and tests). */
  reconnects = 0;
  /** Why the wire last went down (a TransportError for −429 and the like), if it did. */
  lastDropError: Error | undefined;

  constructor(private readonly opts: ConnectionOptions) {
    super();
    this.device = { ...defaultDeviceInfo, ...opts.device };
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? systemRandom;
    this.key = opts.authKey;
    this.reconnectOptions = opts.reconnect === false ? undefined : { ...defaultReconnectOptions, ...opts.reconnect };
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
    return (this.connecting ??= this.establish());
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
    const id = session.send(request._, serializeObject(wire as tl.TlAny), opts.repeatable === undefined ? undefined : { repeatable: opts.repeatable });
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
    this.onWireClose(gen, new ConnectionClosedError('dropped by dropWire()'));
  }

  // ---- internals ----

  private setState(next: ConnectionState): void {
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
    return new Promise<unknown>((resolve, reject) => {
      const w: Waiter = { method, wrapped, resolve, reject };
      const timeout = opts.timeout ?? this.opts.requestTimeout ?? 30_000;
      if (timeout > 0) {
        w.timer = setTimeout(() => this.settle(id, new RequestTimeoutError(method, timeout), true), timeout);
      }
      if (signal) {
        w.signal = signal;
        w.onAbort = () => this.settle(id, new RequestAbortedError(method, signal.reason), true);
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.waiters.set(id, w);
      this.scheduleFlush();
    });
  }

  /** Dials until ready, with backoff between attempts; gives up (and closes) after `maxAttempts`. */
  private async establish(): Promise<void> {
    for (;;) {
      if (this.closed) throw new ConnectionClosedError('the connection is closed');
      try {
        await this.dial();
        return;
      } catch (e) {
        const error = e as Error;
        if (this.closed) throw error;
        const o = this.reconnectOptions;
        // A server failing a handshake check, or not knowing our key, is not a network blip.
        const fatal = error instanceof HandshakeError || error instanceof AuthKeyUnknownError || error instanceof RpcError;
        if (fatal || o === undefined || this.attempts + 1 >= o.maxAttempts) {
          const reason = fatal || o === undefined ? error : new ConnectionClosedError(`gave up after ${this.attempts + 1} attempts: ${error.message}`, { cause: error });
          this.shutdown(reason);
          throw reason;
        }
        this.setState('offline');
        await this.sleep(backoffDelay(this.attempts++, o, this.random));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        this.retryTimer = undefined;
        resolve();
      };
      this.retryTimer = { timer: setTimeout(wake, ms), wake };
    });
  }

  /** One attempt: opens a wire, makes the key if there is none, and resumes the session on it. */
  private async dial(): Promise<void> {
    this.setState('connecting');
    // Loaded on demand: a connection given its own wire never needs the transport package.
    const factory = this.opts.wire ?? (await import('./transport-wire.js')).transportWire();
    const target = { ...this.opts.dc, wireDcId: this.dcIdOnWire() };
    const gen = ++this.generation;
    let early: Error | undefined;
    const wire = await factory(target, {
      onPacket: (p) => {
        if (gen === this.generation) this.onPacket(p);
      },
      onClose: (e) => {
        if (gen !== this.generation) return;
        // The transport package reports the server's 4-byte error packet as an error with a negative code.
        const code = (e as { code?: unknown } | undefined)?.code;
        if (typeof code === 'number' && code < 0 && this.wire !== undefined) {
          this.onTransportError(code);
          return;
        }
        if (this.wire === undefined) early = e ?? new ConnectionClosedError('closed while connecting');
        this.onWireClose(gen, e ?? new ConnectionClosedError('the server closed the connection'));
      },
    });
    if (this.closed || gen !== this.generation || early !== undefined) {
      wire.close();
      throw early ?? new ConnectionClosedError('closed while connecting');
    }
    this.wire = wire;
    this.initConfirmed = false;
    if (this.key === undefined) {
      this.setState('handshaking');
      this.key = await this.makeAuthKey(wire);
    }
    if (this.closed || gen !== this.generation) throw new ConnectionClosedError('closed while connecting');
    const pfsOpts = this.opts.pfs ?? true;
    if (pfsOpts !== false) {
      this.pfs ??= new TempKeyManager({
        permAuthKey: this.key.authKey,
        clock: this.clock,
        random: this.random,
        ...(pfsOpts === true ? {} : pfsOpts),
      });
      const cur = this.pfs.current();
      if (cur !== undefined && this.session?.core.authKeyId === cur.authKeyId) {
        this.session.reconnected();
      } else {
        // No bound key clear of its expiry (first dial, or it expired or was lost): make and bind one.
        const action = this.pfs.poll();
        if (action.type !== 'create') throw new ConnectionClosedError('waiting to retry the temporary key');
        this.setState('handshaking');
        await this.makeTempKey(wire, gen, action);
      }
    } else if (this.session === undefined) {
      this.session = this.newSession(this.key.authKey, this.key.serverSalt, this.key.timeOffset);
    } else {
      // Same session on a new wire: ask what became of everything sent on the old one.
      this.session.reconnected();
    }
    if (this.closed || gen !== this.generation) throw new ConnectionClosedError('closed while connecting');
    this.setState('ready');
    this.startTimers();
    this.flush(false);
  }

  private newSession(authKey: Uint8Array, serverSalt: bigint, timeOffset: number): ClientSession {
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

  /**
   * PFS: a temporary key by the handshake on `wire` (the current session goes
   * on meanwhile), bound with auth.bindTempAuthKey as the only message of a
   * session on it; then traffic moves over (`switchTo`). Failures are told to
   * the scheduler, which retries after a growing delay.
   */
  private async makeTempKey(wire: PacketWire, gen: number, action: Extract<TempKeyAction, { type: 'create' }>): Promise<void> {
    const pfs = this.pfs!;
    let session: ClientSession | undefined;
    try {
      const result = await this.makeAuthKey(wire, { expiresIn: action.expiresIn });
      if (this.closed || gen !== this.generation) throw new ConnectionClosedError('closed while binding a temporary key');
      const key = pfs.keyCreated(result);
      session = this.newSession(key.authKey, key.serverSalt, key.timeOffset);
      const binder = pfs.binder(session.sessionId);
      this.binding = session;
      const id = session.sendBuilt('auth.bindTempAuthKey', (msgId) => serializeObject(binder.requestFor(msgId) as tl.TlAny));
      const answer = this.wait(id, 'auth.bindTempAuthKey', { timeout: this.opts.handshakeTimeout ?? 30_000 });
      this.flushSession(session, wire);
      const ok = await answer;
      if (ok !== true && (ok as { _?: string } | undefined)?._ !== 'boolTrue') throw new ConnectionClosedError('auth.bindTempAuthKey did not answer true');
      if (this.closed || gen !== this.generation) throw new ConnectionClosedError('closed while binding a temporary key');
    } catch (e) {
      if (this.binding === session) this.binding = undefined;
      session?.clear();
      pfs.failed();
      throw e;
    }
    this.binding = undefined;
    const sw = pfs.keyBound();
    this.tempKeysBound++;
    this.switchTo(session, sw.previous?.drainUntil ?? this.clock.now());
  }

  /**
   * New traffic goes to `next` (a session on a freshly bound key, which asks
   * for initConnection again). What the old session never sent moves at once;
   * what it sent stays there to be answered until `drainUntil`, then moves
   * too if the server never acknowledged it, and fails as in doubt if it did.
   */
  private switchTo(next: ClientSession, drainUntil: number): void {
    if (this.draining !== undefined) this.endDrain();
    const old = this.session;
    this.session = next;
    this.initConfirmed = false;
    if (old === undefined) return;
    old.moveTo(next, false);
    const timer = setTimeout(() => this.endDrain(), Math.max(0, drainUntil - this.clock.now()));
    timer.unref?.();
    this.draining = { session: old, timer, until: drainUntil };
    if (old.pendingCalls === 0 || drainUntil <= this.clock.now()) this.endDrain();
    this.scheduleFlush();
  }

  private endDrain(): void {
    const d = this.draining;
    if (d === undefined) return;
    this.draining = undefined;
    clearTimeout(d.timer);
    const next = this.session;
    if (next !== undefined && next !== d.session) d.session.moveTo(next, true);
    const events = d.session.failAll((method) => new RequestInDoubtError(method));
    if (next !== undefined) this.handleEvents(events, next);
    d.session.clear();
    this.scheduleFlush();
  }

  /** Background renewal of the temporary key on the live wire, when the scheduler says so. */
  private renewTempKey(): void {
    const pfs = this.pfs;
    const wire = this.wire;
    if (pfs === undefined || wire === undefined || this.renewing || this.handshake !== undefined || this.currentState !== 'ready') return;
    const action = pfs.poll();
    if (action.type !== 'create') return;
    this.renewing = true;
    const gen = this.generation;
    this.makeTempKey(wire, gen, action)
      .catch((e: Error) => {
        // A refused binding (the permanent key unknown …) is the caller's to see.
        if (e instanceof RpcError) {
          this.emit('auth-key-error', e);
          this.shutdown(e);
        }
      })
      .finally(() => {
        this.renewing = false;
      });
  }

  /** A wire closed: the connection goes offline and comes back (unless closed or out of attempts). */
  private onWireClose(gen: number, error: Error): void {
    if (gen !== this.generation || this.closed) return;
    this.generation++;
    this.lastDropError = error;
    const wire = this.wire;
    this.wire = undefined;
    wire?.close();
    this.stopTimers();
    // A handshake in flight fails its dial; establish() retries it.
    if (this.handshake !== undefined) {
      this.handshake.reject(error);
      return;
    }
    if (this.currentState !== 'ready') return; // dial() in progress sees it and throws
    if (this.reconnectOptions === undefined) {
      this.shutdown(error);
      return;
    }
    const o = this.reconnectOptions;
    if (this.attempts + 1 >= o.maxAttempts) {
      // Drops right after each reconnect, with no answer in between, count as failed attempts too.
      this.shutdown(new ConnectionClosedError(`gave up after ${this.attempts + 1} attempts: ${error.message}`, { cause: error }));
      return;
    }
    this.setState('offline');
    this.reconnects++;
    const delay = error instanceof TransportError && error.code === -429 ? backoffDelay(Math.max(this.attempts, 3), o, this.random) : backoffDelay(this.attempts, o, this.random);
    this.attempts++;
    this.connecting = this.sleep(delay).then(() => this.establish());
    this.connecting.catch(() => undefined);
  }

  /** The dc id as the handshake and obfuscated inits send it. */
  private dcIdOnWire(): number {
    return handshakeDcId(this.opts.dc.id, { test: this.opts.testDc, media: this.opts.mediaDc });
  }

  private makeAuthKey(wire: PacketWire, temp?: { expiresIn: number }): Promise<AuthKeyResult> {
    const pems = this.opts.rsaPublicKeys ?? PRODUCTION_RSA_KEYS;
    const machine = new ClientHandshake({
      dcId: this.dcIdOnWire(),
      publicKeys: pems.map((pem) => parseRsaPublicKey(pem)),
      now: () => this.clock.now(),
      ...(temp ? { temp } : {}),
    });
    return new Promise<AuthKeyResult>((resolve, reject) => {
      const limit = this.opts.handshakeTimeout ?? 30_000;
      const timer = setTimeout(() => this.handshake?.reject(new RequestTimeoutError('auth key handshake', limit)), limit);
      this.handshake = {
        machine,
        resolve: (key) => {
          clearTimeout(timer);
          this.handshake = undefined;
          resolve(key);
        },
        reject: (e) => {
          clearTimeout(timer);
          this.handshake = undefined;
          reject(e);
        },
      };
      wire.send(machine.start());
    });
  }

  /**
   * Once a handshake packet is out, does the exponentiation the server's
   * answer would otherwise wait for (g^b, then g_a^b) while the server works on
   * it. Same randomness order either way; a failure here resurfaces in receive().
   */
  private precomputeHandshake(machine: ClientHandshake): void {
    setImmediate(() => {
      if (this.handshake?.machine !== machine) return;
      try {
        machine.precompute();
      } catch {
        // receive() repeats the work and reports the error to the handshake's caller.
      }
    });
  }

  private onPacket(packet: Uint8Array): void {
    if (this.closed) return;
    if (packet.length === 4) {
      // A bare 32-bit negative number is a transport-level error (-404 no such key, -429 flood …).
      const code = new DataView(packet.buffer, packet.byteOffset, 4).getInt32(0, true);
      this.onTransportError(code);
      return;
    }
    const keyId = packet.length >= 8 ? new DataView(packet.buffer, packet.byteOffset, 8).getBigInt64(0, true) : 0n;
    const hs = this.handshake;
    if (keyId === 0n) {
      if (hs === undefined) return;
      try {
        const step = hs.machine.receive(packet);
        if (step.send) this.wire?.send(step.send);
        if (step.done) hs.resolve(step.done);
        else if (step.send) this.precomputeHandshake(hs.machine);
      } catch (e) {
        // HandshakeError: the key is never used; the connection is done for.
        hs.reject(e as Error);
      }
      return;
    }
    // Packets are routed by auth_key_id: a key being bound and a key being drained run beside the current one.
    const session =
      this.binding !== undefined && keyId === this.binding.core.authKeyId
        ? this.binding
        : this.draining !== undefined && keyId === this.draining.session.core.authKeyId
          ? this.draining.session
          : this.session;
    if (session === undefined) return;
    this.handleEvents(session.receive(packet), session);
    if (session.parked > 0) {
      if (session !== this.session && this.session !== undefined) {
        // Refused on a replaced key without running: sent again on the bound one.
        session.moveTo(this.session, false);
        this.scheduleFlush();
      } else if (session === this.session && this.pfs !== undefined) {
        // Our own key is no longer bound: make and bind another; the parked calls move to it.
        this.pfs.keyLost(session.core.authKeyId);
        this.renewTempKey();
      }
    }
    if (session !== this.session) {
      if (this.wire !== undefined) this.flushSession(session, this.wire);
      return;
    }
    if (session.core.queued > 0) this.scheduleFlush();
    else if (session.core.pendingAcks > 0) this.scheduleAcks();
  }

  /** Flushes a side session (binding or draining) straight onto the wire. */
  private flushSession(session: ClientSession, wire: PacketWire): void {
    for (const packet of session.flush(true)) wire.send(packet);
  }

  private onTransportError(code: number): void {
    if (code === -404 && this.handshake === undefined && this.pfs !== undefined && this.session !== undefined) {
      // Temporary keys live in the server's RAM and may vanish (core.telegram.org/api/pfs): make a new one.
      this.pfs.keyLost(this.session.core.authKeyId);
      if (this.binding !== undefined) this.pfs.keyLost(this.binding.core.authKeyId);
      const gen = this.generation;
      this.wire?.close();
      this.onWireClose(gen, new TransportError(code));
      return;
    }
    if (code === -404 && this.handshake === undefined && this.session !== undefined) {
      // The server does not know our key. Never wiped here: the caller decides (AuthKeyUnknownError).
      const error = new AuthKeyUnknownError(code);
      this.emit('auth-key-error', error);
      this.shutdown(error);
      return;
    }
    // −429 and the rest: drop the wire and come back later (after a longer wait for −429).
    const gen = this.generation;
    const error = new TransportError(code);
    if (this.handshake !== undefined && code === -404) {
      this.handshake.reject(new ConnectionClosedError(`the server refused the handshake: ${error.message}`, { cause: error }));
      return;
    }
    this.wire?.close();
    this.onWireClose(gen, error);
  }

  private handleEvents(events: ClientSessionEvent[], session: ClientSession): void {
    for (const e of events) this.onEvent(e, session);
  }

  private onEvent(e: ClientSessionEvent, session: ClientSession): void {
    switch (e.type) {
      case 'result':
        this.attempts = 0;
        if (this.waiters.get(e.requestId)?.wrapped) this.initConfirmed = true;
        this.settle(e.requestId, e.result, false);
        return;
      case 'error':
        // An rpc_error also means initConnection was processed.
        if (e.error instanceof RpcError) {
          this.attempts = 0;
          if (this.waiters.get(e.requestId)?.wrapped) this.initConfirmed = true;
          if (e.error instanceof AuthKeyError) this.emit('auth-key-error', e.error);
        }
        this.settle(e.requestId, e.error, false);
        return;
      case 'update':
        this.emit('update', e.update);
        return;
      case 'new-session':
        this.emit('new-session', { firstMsgId: e.firstMsgId, uniqueId: e.uniqueId, serverSalt: e.serverSalt });
        this.emit('session-state', { serverSalt: session.serverSalt, timeOffset: session.timeOffset });
        return;
      case 'salt':
      case 'time-synced':
        this.emit('session-state', { serverSalt: session.serverSalt, timeOffset: session.timeOffset });
        // Resends are queued by the session.
        this.scheduleFlush();
        return;
    }
  }

  /** Resolves (or rejects, for Errors) the waiter of a request; `cancel` also tells the server (rpc_drop_answer). */
  private settle(id: number, value: unknown, cancel: boolean): void {
    const w = this.waiters.get(id);
    if (w === undefined) return;
    this.waiters.delete(id);
    if (w.timer) clearTimeout(w.timer);
    if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
    if (cancel && this.session?.dropAnswer(id)) this.scheduleFlush();
    if (value instanceof Error) w.reject(value);
    else w.resolve(value);
  }

  /** Packs everything invoked in this tick into as few packets as the container limits allow. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      this.flush(false);
    });
  }

  private scheduleAcks(): void {
    if (this.ackTimer !== undefined) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = undefined;
      this.flush(true);
    }, this.opts.ackDelay ?? 100);
    this.ackTimer.unref?.();
  }

  private flush(forceAcks: boolean): void {
    const session = this.session;
    const wire = this.wire;
    if (session === undefined || wire === undefined || this.closed || this.currentState !== 'ready') return;
    // PFS: nothing goes out on a key at or past its stop time; calls wait for the next key.
    if (this.pfs !== undefined && this.pfs.current()?.authKeyId !== session.core.authKeyId) {
      this.renewTempKey();
      return;
    }
    for (const packet of session.flush(forceAcks)) wire.send(packet);
    this.handleEvents(session.takePendingEvents(), session);
    if (session.core.pendingAcks > 0) this.scheduleAcks();
  }

  private startTimers(): void {
    this.stopTimers();
    const every = this.opts.pingInterval ?? 60_000;
    if (every > 0) {
      this.pingTimer = setInterval(() => this.keepAlive(every), every);
      this.pingTimer.unref?.();
    }
    const probeEvery = this.opts.probeInterval ?? 10_000;
    if (probeEvery > 0 || this.opts.futureSalts !== false) {
      const tick = probeEvery > 0 ? probeEvery : 60_000;
      this.probeTimer = setInterval(() => this.check(probeEvery), tick);
      this.probeTimer.unref?.();
    }
  }

  private stopTimers(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.pingTimer = this.probeTimer = undefined;
    if (this.keepAliveId !== undefined) {
      this.waiters.delete(this.keepAliveId);
      this.session?.cancel(this.keepAliveId);
      this.keepAliveId = undefined;
    }
  }

  /**
   * ping_delay_disconnect every `every` ms: the server closes the connection
   * if the next ping is late. A ping still unanswered when the next is due
   * means a half-open wire: it is dropped and the connection comes back.
   */
  private keepAlive(every: number): void {
    const session = this.session;
    if (session === undefined || this.closed || this.currentState !== 'ready') return;
    if (this.keepAliveId !== undefined && this.waiters.has(this.keepAliveId)) {
      this.dropWire();
      return;
    }
    const id = session.ping(randomLong(this.random), Math.max(1, Math.ceil((every * 1.5) / 1000)));
    this.keepAliveId = id;
    // Nobody awaits a keep-alive: forget it once answered or failed.
    this.waiters.set(id, { method: 'ping_delay_disconnect', resolve: () => undefined, reject: () => undefined });
    this.flush(false);
  }

  /** Periodic: msgs_state_req about requests unanswered for `age` ms, and future salts when they run low. */
  private check(age: number): void {
    const session = this.session;
    if (session === undefined || this.closed || this.currentState !== 'ready') return;
    if (age > 0) session.probe(this.clock.now() - age);
    if (this.opts.futureSalts !== false && session.wantsFutureSalts) session.requestFutureSalts();
    // The clock may have jumped (a machine waking from sleep) past the drain's end before its timer.
    if (this.draining !== undefined && this.clock.now() >= this.draining.until) this.endDrain();
    const d = this.draining;
    if (d !== undefined && age > 0 && this.wire !== undefined) {
      d.session.probe(this.clock.now() - age);
      this.flushSession(d.session, this.wire);
    }
    this.renewTempKey();
    this.flush(false);
  }

  private shutdown(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.stopTimers();
    if (this.ackTimer) clearTimeout(this.ackTimer);
    if (this.retryTimer) {
      clearTimeout(this.retryTimer.timer);
      this.retryTimer.wake();
    }
    const wire = this.wire;
    this.wire = undefined;
    this.generation++;
    wire?.close();
    // A handshake failure reaches connect()'s caller as it is (HandshakeError …).
    this.handshake?.reject(error ?? new ConnectionClosedError('closed during the handshake'));
    const reason =
      error === undefined
        ? new ConnectionClosedError('the connection was closed')
        : error instanceof ConnectionClosedError || error instanceof TransportError
          ? error
          : new ConnectionClosedError(`the connection failed: ${error.message}`, { cause: error });
    for (const id of [...this.waiters.keys()]) this.settle(id, reason, false);
    // Nothing is left pending in the sessions either.
    this.session?.clear();
    this.binding?.clear();
    this.binding = undefined;
    if (this.draining !== undefined) {
      clearTimeout(this.draining.timer);
      this.draining.session.clear();
      this.draining = undefined;
    }
    this.setState('closed');
    this.emit('close', error);
  }
}
