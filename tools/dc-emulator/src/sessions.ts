import { Envelope, ServerSession, systemRandom, defaultCipher } from '@telegram-mt/client/mtproto';
import type { StoredAuthKey } from './auth-keys.js';
import type { SaltSchedule } from './salts.js';

/** Most sessions a DC keeps in all; the least recently used goes first. */
const DEFAULT_MAX_SESSIONS = 10_000;
const NONE: ReadonlySet<never> = new Set();

/**
 * A DC's server sessions by auth key and session_id. A session outlives the
 * connection it started on, as on Telegram: a client that reconnects with
 * the same session_id finds its seq_no, replay window and any answers still
 * queued for it. The session_id is inside the encrypted part, so the first
 * packet of a connection is opened once here to find its session; later
 * packets go straight to the session the connection is bound to.
 */
export class SessionStore {
  /** `${authKeyId}:${sessionId}` → session, in least-recently-used order. */
  private readonly sessions = new Map<string, ServerSession>();
  /** The same sessions by auth_key_id, for pushes to every session of a key. */
  private readonly byKey = new Map<bigint, Set<ServerSession>>();
  private readonly peekers = new Map<bigint, Envelope>();

  constructor(
    private readonly now: () => number,
    /** The key's salt schedule (default: the handshake's salt forever). */
    private readonly saltsOf?: (key: StoredAuthKey) => SaltSchedule,
    private readonly maxSessions = DEFAULT_MAX_SESSIONS,
    /** Told when a session leaves the store (evicted, destroyed, its key dropped), so what it kept is given up. */
    private readonly onForget?: (session: ServerSession) => void,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /**
   * The session a packet under `key` belongs to, created when new; undefined
   * when the packet does not even decrypt (the caller then lets a throwaway
   * session count and drop it).
   */
  sessionFor(key: StoredAuthKey, packet: Uint8Array): ServerSession | undefined {
    let peek = this.peekers.get(key.authKeyId);
    if (peek === undefined) {
      peek = new Envelope(key.authKey, 'server', defaultCipher(), systemRandom);
      this.peekers.set(key.authKeyId, peek);
      if (this.peekers.size > this.maxSessions) this.peekers.delete(this.peekers.keys().next().value as bigint);
    }
    const opened = peek.open(packet);
    if (typeof opened === 'string') return undefined;
    const id = `${key.authKeyId}:${opened.sessionId}`;
    let session = this.sessions.get(id);
    if (session !== undefined) {
      this.sessions.delete(id);
      this.sessions.set(id, session);
    } else {
      session = this.create(key);
      this.put(id, key.authKeyId, session);
    }
    return session;
  }

  /** A session that moved to another session_id (the client started a new one on the same connection). */
  rekey(authKeyId: bigint, oldSessionId: bigint, session: ServerSession): void {
    const old = `${authKeyId}:${oldSessionId}`;
    if (this.sessions.get(old) === session) this.sessions.delete(old);
    const id = `${authKeyId}:${session.sessionId}`;
    const displaced = this.sessions.get(id);
    if (displaced !== undefined && displaced !== session) this.remove(id);
    this.put(id, authKeyId, session);
  }

  /** The sessions of a key (live view; do not change the store while iterating). */
  underKey(authKeyId: bigint): ReadonlySet<ServerSession> {
    return this.byKey.get(authKeyId) ?? NONE;
  }

  private put(id: string, authKeyId: bigint, session: ServerSession): void {
    this.sessions.delete(id);
    this.sessions.set(id, session);
    let set = this.byKey.get(authKeyId);
    if (set === undefined) this.byKey.set(authKeyId, (set = new Set()));
    set.add(session);
    if (this.sessions.size > this.maxSessions) this.remove(this.sessions.keys().next().value as string);
  }

  /** Takes one entry out of both indexes; false when there was none. */
  private remove(id: string): boolean {
    const session = this.sessions.get(id);
    if (session === undefined) return false;
    this.sessions.delete(id);
    const keyId = BigInt(id.slice(0, id.indexOf(':')));
    const set = this.byKey.get(keyId);
    set?.delete(session);
    if (set?.size === 0) this.byKey.delete(keyId);
    this.onForget?.(session);
    return true;
  }

  private create(key: StoredAuthKey): ServerSession {
    const salts = this.saltsOf?.(key);
    if (salts === undefined) return new ServerSession({ authKey: key.authKey, serverSalt: key.serverSalt, clock: { now: this.now } });
    const now = () => Math.floor(this.now() / 1000);
    return new ServerSession({
      authKey: key.authKey,
      serverSalt: salts.current(now()),
      acceptSalt: (salt) => salts.accepts(salt, now()),
      clock: { now: this.now },
    });
  }

  /** Forgets one session of a key; false when there was none. */
  destroy(authKeyId: bigint, sessionId: bigint): boolean {
    return this.remove(`${authKeyId}:${sessionId}`);
  }

  /** Sessions of one key (for tests and diagnostics). */
  ofKey(authKeyId: bigint): ServerSession[] {
    return [...this.underKey(authKeyId)];
  }

  /** Forgets every session of a key (destroy_auth_key, or a key dropped from the store). */
  dropKey(authKeyId: bigint): void {
    const prefix = `${authKeyId}:`;
    for (const k of [...this.sessions.keys()]) if (k.startsWith(prefix)) this.remove(k);
    this.peekers.delete(authKeyId);
  }
}
