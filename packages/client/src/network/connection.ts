import { EventEmitter } from 'node:events';
import { serializeObject, type TlResult, type tl } from '@telegram-mt/tl';
import { ConnectionClosedError, RequestAbortedError, RequestTimeoutError, RpcError } from '../errors.js';
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
}

export interface InvokeOptions {
  signal?: AbortSignal;
  /** ms; the connection's `requestTimeout` by default, 0 for none. */
  timeout?: number;
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
  private session: ClientSession | undefined;
  private handshake:
    | { machine: ClientHandshake; resolve(key: AuthKeyResult): void; reject(error: Error): void }
    | undefined;
  private key: AuthKeyResult | undefined;
  private readonly waiters = new Map<number, Waiter>();
  private readonly device: DeviceInfo;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  /**
   * Whether the server has answered a call yet. Until it has, every call is
   * wrapped in invokeWithLayer(initConnection(…)): calls sent together in one
   * container may be processed in any order.
   */
  private initConfirmed = false;
  private flushScheduled = false;
  private ackTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private connecting: Promise<void> | undefined;

  constructor(private readonly opts: ConnectionOptions) {
    super();
    this.device = { ...defaultDeviceInfo, ...opts.device };
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? systemRandom;
    this.key = opts.authKey;
  }

  /** The auth key in use (after `connect`), to store and pass back as `authKey` next time. */
  get authKey(): AuthKeyResult | undefined {
    if (this.key === undefined) return undefined;
    const s = this.session;
    return s ? { ...this.key, serverSalt: s.serverSalt, timeOffset: s.timeOffset } : this.key;
  }

  get stats(): SessionStats | undefined {
    return this.session?.stats;
  }

  get connected(): boolean {
    return this.session !== undefined && !this.closed;
  }

  /** Opens the wire and makes (or reuses) the auth key. Idempotent. */
  connect(): Promise<void> {
    return (this.connecting ??= this.open());
  }

  /**
   * Calls a method; resolves to its result. Calls made before the server's
   * first answer go inside invokeWithLayer(initConnection(…)).
   */
  async invoke<R extends tl.TlMethod>(request: R, opts: InvokeOptions = {}): Promise<TlResult<R>> {
    await this.connect();
    const session = this.session;
    if (session === undefined || this.closed) throw new ConnectionClosedError('the connection is closed');
    const signal = opts.signal;
    if (signal?.aborted) throw new RequestAbortedError(request._, signal.reason);
    let wire: tl.TlMethod = request;
    const wrapped = !this.initConfirmed;
    if (wrapped) wire = wrapInitConnection(request, this.opts.apiId, this.device);
    const id = session.send(request._, serializeObject(wire as tl.TlAny));
    return this.wait(id, request._, opts, wrapped) as Promise<TlResult<R>>;
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

  /** Sends ping and resolves to the pong (a round trip that involves no RPC dispatch). */
  async ping(opts: InvokeOptions = {}): Promise<{ _: 'pong'; msgId: bigint; pingId: bigint }> {
    await this.connect();
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

  // ---- internals ----

  private async open(): Promise<void> {
    // Loaded on demand: a connection given its own wire never needs the transport package.
    const factory = this.opts.wire ?? (await import('./transport-wire.js')).transportWire();
    const target = { ...this.opts.dc, wireDcId: this.dcIdOnWire() };
    const wire = await factory(target, {
      onPacket: (p) => this.onPacket(p),
      onClose: (e) => this.shutdown(e ?? new ConnectionClosedError('the server closed the connection')),
    });
    if (this.closed) {
      wire.close();
      throw new ConnectionClosedError('closed while connecting');
    }
    this.wire = wire;
    if (this.key === undefined) this.key = await this.makeAuthKey(wire);
    this.session = new ClientSession({
      authKey: this.key.authKey,
      serverSalt: this.key.serverSalt,
      timeOffset: this.key.timeOffset,
      clock: this.clock,
      random: this.random,
      cipher: this.opts.cipher,
      limits: this.opts.limits,
    });
    this.startPings();
  }

  /** The dc id as the handshake and obfuscated inits send it. */
  private dcIdOnWire(): number {
    return handshakeDcId(this.opts.dc.id, { test: this.opts.testDc, media: this.opts.mediaDc });
  }

  private makeAuthKey(wire: PacketWire): Promise<AuthKeyResult> {
    const pems = this.opts.rsaPublicKeys ?? PRODUCTION_RSA_KEYS;
    const machine = new ClientHandshake({
      dcId: this.dcIdOnWire(),
      publicKeys: pems.map((pem) => parseRsaPublicKey(pem)),
      now: () => this.clock.now(),
    });
    return new Promise<AuthKeyResult>((resolve, reject) => {
      const limit = this.opts.handshakeTimeout ?? 30_000;
      const timer = setTimeout(() => this.shutdown(new RequestTimeoutError('auth key handshake', limit)), limit);
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

  private onPacket(packet: Uint8Array): void {
    if (this.closed) return;
    if (packet.length === 4) {
      // A bare 32-bit negative number is a transport-level error (-404 no such key, -429 flood …).
      const code = new DataView(packet.buffer, packet.byteOffset, 4).getInt32(0, true);
      this.shutdown(new ConnectionClosedError(`the server answered with transport error ${code}`));
      return;
    }
    const hs = this.handshake;
    if (hs !== undefined) {
      try {
        const step = hs.machine.receive(packet);
        if (step.send) this.wire?.send(step.send);
        if (step.done) hs.resolve(step.done);
      } catch (e) {
        // HandshakeError: the key is never used; the connection is done for.
        this.shutdown(e as Error);
      }
      return;
    }
    const session = this.session;
    if (session === undefined) return;
    for (const e of session.receive(packet)) this.onEvent(e, session);
    if (session.core.queued > 0) this.scheduleFlush();
    else if (session.core.pendingAcks > 0) this.scheduleAcks();
  }

  private onEvent(e: ClientSessionEvent, session: ClientSession): void {
    switch (e.type) {
      case 'result':
        if (this.waiters.get(e.requestId)?.wrapped) this.initConfirmed = true;
        this.settle(e.requestId, e.result, false);
        return;
      case 'error':
        // An rpc_error also means initConnection was processed.
        if (e.error instanceof RpcError && this.waiters.get(e.requestId)?.wrapped) this.initConfirmed = true;
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

  /** Resolves (or rejects, for Errors and when `isError`) the waiter of a request. */
  private settle(id: number, value: unknown, cancel: boolean): void {
    const w = this.waiters.get(id);
    if (w === undefined) return;
    this.waiters.delete(id);
    if (w.timer) clearTimeout(w.timer);
    if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
    if (cancel) this.session?.cancel(id);
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
    if (session === undefined || wire === undefined || this.closed) return;
    for (const packet of session.flush(forceAcks)) wire.send(packet);
    if (session.core.pendingAcks > 0) this.scheduleAcks();
  }

  private startPings(): void {
    const every = this.opts.pingInterval ?? 60_000;
    if (every <= 0) return;
    this.pingTimer = setInterval(() => {
      const session = this.session;
      if (session === undefined || this.closed) return;
      // The server closes the connection if the next ping is late by half an interval more.
      const id = session.ping(randomLong(this.random), Math.ceil((every * 1.5) / 1000));
      // Nobody awaits a keep-alive: forget it once answered or failed.
      this.waiters.set(id, { method: 'ping_delay_disconnect', resolve: () => undefined, reject: () => undefined });
      this.flush(false);
    }, every);
    this.pingTimer.unref?.();
  }

  private shutdown(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.ackTimer) clearTimeout(this.ackTimer);
    const wire = this.wire;
    this.wire = undefined;
    wire?.close();
    // A handshake failure reaches connect()'s caller as it is (HandshakeError …).
    this.handshake?.reject(error ?? new ConnectionClosedError('closed during the handshake'));
    const reason =
      error === undefined
        ? new ConnectionClosedError('the connection was closed')
        : error instanceof ConnectionClosedError
          ? error
          : new ConnectionClosedError(`the connection failed: ${error.message}`, { cause: error });
    for (const id of [...this.waiters.keys()]) this.settle(id, reason, false);
    this.emit('close', error);
  }
}
