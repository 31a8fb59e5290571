/** An auth key a DC made with a client, and what the DC keeps about it. */
export interface StoredAuthKey {
  authKey: Uint8Array;
  authKeyId: bigint;
  /** The salt the handshake gave; messages must carry it. */
  serverSalt: bigint;
  /** A temporary (PFS) key. */
  temp: boolean;
  /** Unix seconds when a temporary key expires. */
  expiresAt: number | undefined;
  /** The dc the client named in p_q_inner_data (0 for the legacy form without one). */
  clientDcId: number;
  createdAt: number;
  /** session_ids clients have started on this key (most recent last, bounded). */
  sessions: bigint[];
}

/** Most session ids remembered per key; older ones are forgotten first. */
const MAX_SESSIONS_PER_KEY = 64;

/** The auth keys of one DC, by auth_key_id. In memory: a restarted emulator knows no keys. */
export class AuthKeyStore {
  private readonly keys = new Map<bigint, StoredAuthKey>();

  constructor(private readonly maxKeys = 100_000) {}

  get size(): number {
    return this.keys.size;
  }

  has(authKeyId: bigint): boolean {
    return this.keys.has(authKeyId);
  }

  get(authKeyId: bigint): StoredAuthKey | undefined {
    return this.keys.get(authKeyId);
  }

  add(key: StoredAuthKey): void {
    if (this.keys.size >= this.maxKeys && !this.keys.has(key.authKeyId)) {
      // Forget the oldest key: its client will get -404 and make a new one, as with Telegram.
      const oldest = this.keys.keys().next().value as bigint;
      this.keys.delete(oldest);
    }
    this.keys.set(key.authKeyId, key);
  }

  delete(authKeyId: bigint): boolean {
    return this.keys.delete(authKeyId);
  }

  noteSession(authKeyId: bigint, sessionId: bigint): void {
    const key = this.keys.get(authKeyId);
    if (key === undefined) return;
    const i = key.sessions.indexOf(sessionId);
    if (i >= 0) key.sessions.splice(i, 1);
    key.sessions.push(sessionId);
    if (key.sessions.length > MAX_SESSIONS_PER_KEY) key.sessions.shift();
  }

  values(): IterableIterator<StoredAuthKey> {
    return this.keys.values();
  }
}
