import type { HandshakeMisbehaviour, RsaKeyPair, ServerSession } from '@telegram-mt/client/mtproto';
import { CallBook } from './calls.js';
import { AuthKeyStore } from './auth-keys.js';
import { DcConnection, type PacketLink } from './connection.js';
import type { PacketFaults } from './faults.js';
import type { MethodRegistry } from './rpc/registry.js';
import { SessionStore } from './sessions.js';
import type { LayerCodec } from './layers.js';

/** Where a DC listens. */
export interface DcAddress {
  id: number;
  host: string;
  port: number;
}

/** What a DC counts; read by tests and benchmarks. */
export interface DcStats {
  connections: number;
  handshakesDone: number;
  handshakesFailed: number;
  /** Connections closed with transport error −404 for bad input. */
  refused: number;
  /** Encrypted packets under a known key that do not decrypt (dropped, as Telegram does). */
  undecryptable: number;
  /** Messages that are constructors rather than methods, not answered. */
  ignoredMessages: number;
  /** Connections the transport closed for bad framing (garbage, bad lengths, timeouts). */
  transportErrors: number;
  /** Faults in the emulator itself (a handler's bad answer, an unforeseen exception): should stay 0. */
  internalErrors: number;
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
}

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
    internalErrors: 0,
  };
  readonly log: ((line: string) => void) | undefined;
  readonly emulatorDcs: () => readonly DcAddress[];
  readonly layers: ReadonlyMap<number, LayerCodec>;
  private readonly connections = new Set<DcConnection>();
  private readonly calls = new WeakMap<ServerSession, CallBook>();
  private readonly clock: () => number;

  constructor(opts: DcOptions) {
    this.id = opts.id;
    this.rsaKey = opts.rsaKey;
    this.registry = opts.registry;
    this.faults = opts.faults;
    this.handshakeMisbehaviour = opts.handshakeMisbehaviour;
    this.clock = opts.now;
    this.sessions = new SessionStore(() => this.clock());
    this.log = opts.log;
    this.emulatorDcs = opts.emulatorDcs;
    this.layers = opts.layers ?? new Map();
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

  now(): number {
    return this.clock();
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
  }

  closeAll(): void {
    for (const c of [...this.connections]) c.close();
  }
}
