import { Connection, type ConnectionOptions } from '../network/connection.js';
import { TempKeyShare } from '../network/temp-key-share.js';
import type { DcEndpoint } from '../network/wire.js';
import type { Storage } from '../storage/storage.js';
import { TelegramClientError } from './errors.js';

/** What every connection of the pool shares; the pool adds the DC and the auth key. */
export type PooledConnectionOptions = Omit<ConnectionOptions, 'dc' | 'authKey'>;

/** Storage key of the DCs the logged-in user was authorised on (auth.importAuthorization), id → user id. */
const AUTHORIZED_DCS = 'authorized-dcs';

/**
 * The client's connections: per DC, lane 0 (the main connection, which makes
 * and stores the DC's permanent auth key) and lanes 1…n for file transfers,
 * each its own connection and MTProto session over the same key (Telegram
 * lets one key carry several sessions). Connections open on first use and
 * stay open until `close()`.
 */
export class DcPool {
  private readonly lanes = new Map<string, Promise<Connection>>();
  private readonly open = new Set<Connection>();
  private readonly placeOf = new WeakMap<Connection, { dcId: number; lane: number }>();
  private readonly shares = new Map<number, TempKeyShare>();
  private closed = false;

  constructor(
    private readonly dcs: readonly DcEndpoint[],
    private readonly options: PooledConnectionOptions,
    private readonly storage: Storage,
    /** Called with each connection as it opens (to listen for updates, log state). */
    private readonly onOpen: (connection: Connection, dcId: number, lane: number) => void,
    /** Most time a first connect (socket, handshake, PFS binding) may take, ms. */
    private readonly connectTimeout = 30_000,
  ) {}

  endpoint(dcId: number): DcEndpoint {
    const dc = this.dcs.find((d) => d.id === dcId);
    if (!dc) throw new TelegramClientError('UNKNOWN_DC', `DC ${dcId} is not one of this client's DCs (${this.dcs.map((d) => d.id).join(', ')})`);
    return dc;
  }

  /** The connection of `lane` on DC `dcId`, connected (its auth key made or loaded). */
  get(dcId: number, lane = 0): Promise<Connection> {
    if (this.closed) return Promise.reject(new TelegramClientError('CLOSED', 'the client is disconnected'));
    const key = `${dcId}:${lane}`;
    let p = this.lanes.get(key);
    if (!p) {
      p = this.dial(dcId, lane);
      this.lanes.set(key, p);
      // A failed dial is forgotten, so the next call tries again rather than failing forever.
      p.catch(() => {
        if (this.lanes.get(key) === p) this.lanes.delete(key);
      });
    }
    return p;
  }

  private shareOf(dcId: number): TempKeyShare {
    let share = this.shares.get(dcId);
    if (!share) this.shares.set(dcId, (share = new TempKeyShare()));
    return share;
  }

  /** Lane 0 of a DC if it is open or opening; undefined otherwise. */
  peek(dcId: number): Promise<Connection> | undefined {
    return this.lanes.get(`${dcId}:0`);
  }

  private async dial(dcId: number, lane: number): Promise<Connection> {
    const dc = this.endpoint(dcId);
    // Lanes beyond 0 reuse lane 0's permanent key: one handshake per DC, not per lane.
    const authKey = lane === 0 ? await this.storage.authKeys.get(dcId, 'perm') : (await this.get(dcId, 0)).authKey;
    // Telegram binds one temporary key per permanent key (a new binding replaces the old):
    // with PFS, every connection of a DC shares one, bound once and renewed together.
    const share = this.options.pfs === false ? undefined : this.shareOf(dcId);
    const connection = new Connection({ ...this.options, dc, ...(authKey ? { authKey } : {}), ...(share ? { tempKeyShare: share } : {}) });
    this.open.add(connection);
    this.placeOf.set(connection, { dcId, lane });
    connection.once('close', () => this.open.delete(connection));
    this.onOpen(connection, dcId, lane);
    // A Connection keeps retrying an unreachable DC with backoff; a caller waiting on it gets an answer in bounded time.
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        connection.connect(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new TelegramClientError('UNREACHABLE', `DC ${dcId} (${dc.host}:${dc.port}) not reached within ${this.connectTimeout} ms`)),
            this.connectTimeout,
          );
        }),
      ]);
    } catch (e) {
      connection.close();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    if (this.closed) {
      connection.close();
      throw new TelegramClientError('CLOSED', 'the client is disconnected');
    }
    if (lane === 0 && !authKey) {
      const made = connection.authKey!;
      await this.storage.authKeys.set(dcId, { authKey: made.authKey, authKeyId: made.authKeyId, serverSalt: made.serverSalt, timeOffset: made.timeOffset }, 'perm');
    }
    return connection;
  }

  /** Whether the stored login was carried to `dcId` (auth.importAuthorization) for `userId`. */
  async isAuthorizedOn(dcId: number, userId: bigint): Promise<boolean> {
    const raw = (await this.storage.driver.get(AUTHORIZED_DCS)) as Record<string, bigint> | undefined;
    return raw?.[String(dcId)] === userId;
  }

  async markAuthorized(dcId: number, userId: bigint): Promise<void> {
    const raw = ((await this.storage.driver.get(AUTHORIZED_DCS)) as Record<string, bigint> | undefined) ?? {};
    raw[String(dcId)] = userId;
    await this.storage.driver.set(AUTHORIZED_DCS, raw);
  }

  /** Forgets every carried login (after logOut or a new login). */
  async forgetAuthorizations(): Promise<void> {
    await this.storage.driver.delete(AUTHORIZED_DCS);
  }

  /** Every open connection with its DC and lane, for stats. */
  connections(): { dcId: number; lane: number; connection: Connection }[] {
    return [...this.open].map((connection) => ({ ...this.placeOf.get(connection)!, connection }));
  }

  close(): void {
    this.closed = true;
    for (const c of this.open) c.close();
    this.open.clear();
    this.lanes.clear();
  }
}
