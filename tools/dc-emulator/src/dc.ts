import { makeDhExponent, type DhExponent, type HandshakeMisbehaviour, type RsaKeyPair, type ServerSession } from '@telegram-mt/client/mtproto';
import { TempKeyBindings } from './pfs.js';
import { FaultInjector } from './fault-injector.js';
import { defaultSaltOptions, SaltSchedule, type SaltOptions } from './salts.js';
import type { StoredAuthKey } from './auth-keys.js';
import { CallBook } from './calls.js';
import { AuthKeyStore } from './auth-keys.js';
import { DcConnection, type PacketLink } from './connection.js';
import type { PacketFaults } from './faults.js';
import type { MethodRegistry } from './rpc/registry.js';
import { SessionStore } from './sessions.js';
import { generatedLayer, type LayerCodec } from './layers.js';
import { DhExponentStock } from './dh-stock.js';
import { emptyOutboxCounters, Outboxes, type OutboxCounters, type OutboxLimits } from './outbox.js';

/** Where a DC listens. */
export interface DcAddress {
  id: number;
  host: string;
  port: number;
}

/** What a DC counts; read by tests and benchmarks. */
export interface DcStats extends OutboxCounters {
  connections: number;
  handshakesDone: number;
  handshakesFailed: number;
  /** Connections closed with transport error −404 for bad input. */
  refused: number;
  /** Encrypted packets under a known key that do not decrypt (dropped, as Telegram does). */
  undecryptable: number;
  /** Messages that are constructors rather than methods, not answered. */
  ignoredMessages: number;
  /**
   * Messages of a packet that opened whose body the session core could not
   * read (a gzip_packed that does not inflate, a short ping or msgs_ack):
   * dropped unanswered although the client sees them acknowledged, so a
   * call among them is never answered. Logged; should stay 0.
   */
  unreadableMessages: number;
  /** Connections the transport closed for bad framing (garbage, bad lengths, timeouts). */
  transportErrors: number;
  /** Faults in the emulator itself (a handler's bad answer, an unforeseen exception): should stay 0. */
  internalErrors: number;
  /** Handler runs by method (the innermost one, after the invoke* wrappers): exactly-once checks read this. */
  executions: Map<string, number>;
  /** Calls refused before running: a `refuse` fault, or a temp key not bound yet (401 AUTH_KEY_PERM_EMPTY). */
  callsRefused: number;
  /** Answers sent again for msg_resend_req / msg_resend_ans_req. */
  answersResent: number;
}

export interface DcOptions {
  id: number;
  rsaKey: RsaKeyPair;
  registry: MethodRegistry;
  faults?: PacketFaults;
  handshakeMisbehaviour?: HandshakeMisbehaviour;
  now: () => number;
  log?: (line: string) => void;
  /** Older layers the DC can speak, by layer number (the generated one is always there). */
  layers?: ReadonlyMap<number, LayerCodec>;
  /** Every DC of the emulator, as clients should see them (filled in once all listen). */
  emulatorDcs: () => readonly DcAddress[];
  /** Faults in force (one injector per emulator). Default: a fresh one, so none. */
  injector?: FaultInjector;
  /** How salts rotate. */
  salts?: Partial<SaltOptions>;
  /**
   * Called right after each handshake answer went out, with the work to do
   * (the server's DH exponentiation): the default runs it on the next turn of
   * the event loop, so it overlaps with the client's own computation.
   */
  precompute?: (work: () => void) => void;
  /** How many pushes a session with no connection keeps, and for how long. */
  outbox?: Partial<OutboxLimits>;
}

/** Ready (a, g^a) pairs a DC keeps: enough for a few handshakes at once, bounded. */
const DH_EXPONENT_POOL = 4;

/**
 * One data center: its auth keys, its open connections and the settings
 * they share. Listening is the emulator's business; a DC only accepts the
 * packet links the transport hands it.
 */
export class Dc {
  readonly id: number;
  readonly rsaKey: RsaKeyPair;
  readonly registry: MethodRegistry;
  readonly faults: PacketFaults | undefined;
  readonly handshakeMisbehaviour: HandshakeMisbehaviour | undefined;
  readonly authKeys = new AuthKeyStore();
  readonly sessions: SessionStore;
  readonly stats: DcStats = {
    connections: 0,
    handshakesDone: 0,
    handshakesFailed: 0,
    refused: 0,
    transportErrors: 0,
    undecryptable: 0,
    ignoredMessages: 0,
    unreadableMessages: 0,
    internalErrors: 0,
    executions: new Map(),
    callsRefused: 0,
    answersResent: 0,
    ...emptyOutboxCounters(),
  };
  /** Pushes kept for sessions between connections, and those not acknowledged yet. */
  readonly outboxes: Outboxes;
  /**
   * Ready (a, g^a) pairs made by a background thread (2 ms of CPU and 512
   * bytes each): up to 32, enough for a burst of a few dozen handshakes while
   * the machine is too busy for the thread to keep up at its low priority.
   * Taken first; `dhExponents` below is the fallback when it runs dry.
   */
  readonly dhStock = new DhExponentStock(32);
  /** Which temporary key is bound to which permanent key (auth.bindTempAuthKey). */
  readonly tempKeyBindings = new TempKeyBindings();
  readonly injector: FaultInjector;
  readonly saltOptions: SaltOptions;
  readonly precompute: (work: () => void) => void;
  private readonly salts = new Map<bigint, SaltSchedule>();
  readonly log: ((line: string) => void) | undefined;
  readonly emulatorDcs: () => readonly DcAddress[];
  readonly layers: ReadonlyMap<number, LayerCodec>;
  private readonly connections = new Set<DcConnection>();
  private readonly calls = new WeakMap<ServerSession, CallBook>();
  private readonly clock: () => number;
  /** The reading `holdClock` took, until `releaseClock`. */
  private heldNow: number | undefined;
  /** (a, g^a) made ahead, each handed to one handshake, so req_DH_params costs only the RSA decryption. */
  private readonly dhExponents: DhExponent[] = [];
  private refilling = false;
  private closed = false;

  constructor(opts: DcOptions) {
    this.id = opts.id;
    this.rsaKey = opts.rsaKey;
    this.registry = opts.registry;
    this.faults = opts.faults;
    this.handshakeMisbehaviour = opts.handshakeMisbehaviour;
    this.clock = opts.now;
    this.injector = opts.injector ?? new FaultInjector();
    this.saltOptions = { ...defaultSaltOptions, ...opts.salts };
    this.precompute = opts.precompute ?? ((work) => setImmediate(work));
    // The skewed clock: sessions stamp and check msg_ids with it.
    this.outboxes = new Outboxes(this.stats, opts.outbox);
    this.sessions = new SessionStore(
      () => this.now(),
      (key) => this.saltsOf(key),
      undefined,
      (session) => this.outboxes.forget(session),
    );
    this.log = opts.log;
    this.emulatorDcs = opts.emulatorDcs;
    this.layers = opts.layers ?? new Map();
  }

  /**
   * A ready (a, g^a) for Telegram's prime and g = 3, or undefined when none is
   * left (the handshake then draws its own). Taking one schedules a refill
   * through `precompute`, which runs after the answer being made went out.
   */
  takeDhExponent(): DhExponent | undefined {
    const e = this.dhExponents.pop();
    this.refillDhExponents();
    return e;
  }

  /** Whether a ready (a, g^a) is there for the next handshake. */
  get hasDhExponent(): boolean {
    return this.dhExponents.length > 0;
  }

  /** Makes one pair per turn, through `precompute`, until the pool is full. */
  private refillDhExponents(): void {
    if (this.refilling || this.closed || this.dhExponents.length >= DH_EXPONENT_POOL) return;
    this.refilling = true;
    this.precompute(() => {
      this.refilling = false;
      if (this.closed || this.dhExponents.length >= DH_EXPONENT_POOL) return;
      this.dhExponents.push(makeDhExponent());
      this.refillDhExponents();
    });
  }

  /** The calls of a session (running and answered), kept as long as the session is. */
  callsOf(session: ServerSession): CallBook {
    let book = this.calls.get(session);
    if (book === undefined) {
      book = new CallBook();
      this.calls.set(session, book);
    }
    return book;
  }

  /** The DC's clock, ms: the emulator's plus any `skew` fault (the held reading while one is held). */
  now(): number {
    if (this.heldNow !== undefined) return this.heldNow;
    return this.injector.active === 0 ? this.clock() : this.clock() + this.injector.skewMs(this.id);
  }

  /**
   * Holds the clock at one reading while a connection handles a packet or
   * writes its answers: everything that work does (msg_id checks, new
   * msg_ids, salts, handlers) happens at one moment, for one clock read
   * instead of one per message. False when it was held already (only the
   * holder releases it).
   */
  holdClock(): boolean {
    if (this.heldNow !== undefined) return false;
    this.heldNow = this.now();
    return true;
  }

  releaseClock(): void {
    this.heldNow = undefined;
  }

  /** The salt schedule of a key, made on first use. */
  saltsOf(key: StoredAuthKey): SaltSchedule {
    let s = this.salts.get(key.authKeyId);
    if (s === undefined) {
      s = new SaltSchedule(key.authKeyId, key.serverSalt, Math.floor(key.createdAt / 1000), this.saltOptions);
      this.salts.set(key.authKeyId, s);
    }
    return s;
  }

  /** The `stale-salt` fault: every key's salt rotates now, without grace for the old one. */
  rotateSaltsNow(): void {
    const now = Math.floor(this.now() / 1000);
    for (const key of this.authKeys.values()) this.saltsOf(key).rotateNow(now);
  }

  /** Counts one handler run. */
  countExecution(method: string): void {
    const e = this.stats.executions;
    e.set(method, (e.get(method) ?? 0) + 1);
  }

  /** The connections open now (their layer and initConnection fields, for tests). */
  get openConnections(): readonly DcConnection[] {
    return [...this.connections];
  }

  /** A new client connection whose packets the caller feeds to `onPacket`. */
  accept(link: PacketLink): DcConnection {
    const c = new DcConnection(this, link);
    this.connections.add(c);
    this.stats.connections++;
    return c;
  }

  /** Called by a connection once it is closed. */
  forget(c: DcConnection): void {
    this.connections.delete(c);
  }

  /** Drops a key and every session under it (an expired temporary key, destroy_auth_key). */
  forgetKey(authKeyId: bigint): void {
    this.authKeys.delete(authKeyId);
    this.sessions.dropKey(authKeyId);
    this.salts.delete(authKeyId);
    this.tempKeyBindings.unbind(authKeyId);
  }

  /**
   * Updates for a key go to every session under it (or under the temporary
   * key bound to it: a login belongs to the permanent key), except
   * `exceptSessionId`, which has them in its answer. A session with an open
   * connection gets them at once; one whose connection closed keeps them
   * for its next connection, as a Telegram session outlives its TCP link.
   */
  pushUpdates(authKeyId: bigint, exceptSessionId: bigint | undefined, updates: { _: string }): void {
    const now = this.now();
    const temp = this.tempKeyBindings.ofPerm(authKeyId, Math.floor(now / 1000))?.tempAuthKeyId;
    // Written once per layer, however many sessions read it.
    const written = new Map<LayerCodec, Uint8Array>();
    const write = (codec: LayerCodec): Uint8Array | undefined => {
      let body = written.get(codec);
      if (body === undefined) {
        try {
          body = codec.serializeObject(updates);
        } catch (err) {
          this.stats.internalErrors++;
          this.log?.(`dc${this.id}: cannot write ${updates._}: ${(err as Error).message}`);
          return undefined;
        }
        written.set(codec, body);
      }
      return body;
    };
    for (const keyId of temp === undefined ? [authKeyId] : [authKeyId, temp]) {
      for (const session of [...this.sessions.underKey(keyId)]) {
        // 0n: a session whose first message was refused; it has no client to reach yet.
        if (session.sessionId === exceptSessionId || session.sessionId === 0n) continue;
        const box = this.outboxes.of(session);
        const carrier = box.carrier;
        if (carrier !== undefined && !carrier.isClosed) {
          const body = write(carrier.layerCodec);
          if (body !== undefined) carrier.pushTo(session, box, body);
        } else {
          const body = write(box.writer ?? generatedLayer);
          if (body !== undefined) box.keep(body, now);
        }
      }
    }
  }

  closeAll(): void {
    this.closed = true;
    for (const e of this.dhExponents.splice(0)) e.a.fill(0);
    this.dhStock.wipe();
    for (const c of [...this.connections]) c.close();
  }
}
