import { EventEmitter } from 'node:events';
import type { tl, TlResult } from '@telegram-mt/tl';
import { RpcError } from '../errors.js';
import type { FileHost } from '../files/host.js';
import type { Connection, InvokeOptions } from '../network/connection.js';
import { transportWire } from '../network/transport-wire.js';
import { exportSession, type ExportSessionOptions } from '../storage/session-string.js';
import { MemoryStorage, type Storage } from '../storage/storage.js';
import type { SelfInfo } from '../storage/repositories/session.js';
import type { UpdatesOutput } from '../updates/types.js';
import * as auth from './auth.js';
import * as chats from './chats.js';
import { DcPool } from './dc-pool.js';
import { isUpdates } from '../updates/classify.js';
import { FloodWaitError, TelegramClientError } from './errors.js';
import * as files from './files.js';
import { EventQueue, type ClientEvent, type TelegramClientEvents } from './events.js';
import type { Dialog, Message } from './message.js';
import { toMessage } from './message.js';
import { defaultDcs, defaultRsaKeys, type TelegramClientOptions } from './options.js';
import { resolvePeer, type PeerLike } from './peers.js';
import { UpdatesEngine } from './updates-engine.js';

export interface CallOptions extends InvokeOptions {
  /** The DC to call (the home DC by default); the login is carried there first if needed. */
  dcId?: number;
}

/** *_MIGRATE_X that move the account's home (as opposed to FILE_MIGRATE, which moves one call). */
const HOME_MIGRATIONS = new Set(['PHONE_MIGRATE', 'NETWORK_MIGRATE', 'USER_MIGRATE']);
const MAX_REDIRECTS = 5;
const MAX_FLOOD_RETRIES = 5;

/**
 * The high-level client: logins, messages, dialogs, contacts, peers, events
 * and files over MTProto connections to every DC it needs. Many clients may
 * live in one process, each with its own storage — the bridge case.
 *
 * ```ts
 * const client = new TelegramClient({ apiId, apiHash, storage: new FileStorage('me.session') });
 * await client.start({ phone: '+31…', code: () => ask('code?'), password: () => ask('2FA?') });
 * client.on('newMessage', (m) => console.log(m.chatId, m.text));
 * await client.sendMessage('@someone', '**hi**', { parseMode: 'markdown' });
 * ```
 */
export class TelegramClient extends EventEmitter<TelegramClientEvents> implements FileHost {
  readonly storage: Storage;
  readonly apiId: number;
  readonly apiHash: string;
  private readonly pool: DcPool;
  private readonly opts: TelegramClientOptions;
  private home: number;
  private self: SelfInfo | undefined;
  private engine: UpdatesEngine | undefined;
  private readonly queues = new Set<EventQueue>();
  private connecting: Promise<void> | undefined;
  private readonly carrying = new Map<number, Promise<void>>();
  private closed = false;
  /** @internal Waiters for updateLoginToken (QR login) before the updates engine runs. */
  readonly loginTokenWaiters = new Set<() => void>();

  constructor(options: TelegramClientOptions) {
    super();
    if (!Number.isInteger(options.apiId) || options.apiId <= 0) throw new TypeError('apiId must be a positive integer (from my.telegram.org)');
    if (typeof options.apiHash !== 'string' || options.apiHash === '') throw new TypeError('apiHash must be a non-empty string');
    this.opts = options;
    this.apiId = options.apiId;
    this.apiHash = options.apiHash;
    this.storage = options.storage ?? new MemoryStorage();
    this.home = options.defaultDcId ?? 2;
    const transport = options.transport;
    const wire = typeof transport === 'function' ? transport : transportWire(transport ?? {});
    this.pool = new DcPool(
      options.dcs ?? defaultDcs(options.testDc),
      {
        ...options.connection,
        apiId: options.apiId,
        wire,
        rsaPublicKeys: options.rsaPublicKeys ?? defaultRsaKeys(options.testDc),
        device: options.device ?? {},
        pfs: options.pfs ?? true,
        testDc: options.testDc ?? false,
      },
      this.storage,
      (connection, dcId, lane) => this.watch(connection, dcId, lane),
      options.connectTimeout ?? 30_000,
    );
  }

  /** The DC the account lives on (known after `connect`). */
  get homeDcId(): number {
    return this.home;
  }

  get floodSleepThreshold(): number {
    return this.opts.floodSleepThreshold ?? 60;
  }

  /** Transfer lanes per DC (connections of their own, next to the main one). */
  get transferConnections(): number {
    return Math.max(1, this.opts.transferConnections ?? 4);
  }

  /** The logged-in user's id, once known. */
  get selfId(): bigint | undefined {
    return this.self?.userId;
  }

  /** Loads the storage and connects to the home DC; resumes updates when a login is stored. Idempotent. */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new TelegramClientError('CLOSED', 'the client is disconnected'));
    this.connecting ??= (async () => {
      await this.storage.load();
      const home = await this.storage.session.getHomeDc();
      if (home) this.home = home.dcId;
      this.self = await this.storage.session.getSelf();
      await this.pool.get(this.home, 0);
      if (this.self) await this.startUpdates(true);
    })().catch((e: unknown) => {
      this.connecting = undefined;
      throw e;
    });
    return this.connecting;
  }

  async isAuthorized(): Promise<boolean> {
    await this.connect();
    return this.self !== undefined;
  }

  /**
   * Calls any API method, typed from the schema. Follows PHONE/USER/NETWORK_MIGRATE
   * (moving the home DC) and FILE_MIGRATE-like redirects (this call only),
   * sleeps through FLOOD_WAIT up to `floodSleepThreshold`, keeps the users
   * and chats of the answer in the peer cache, and passes `Updates` answers
   * to the updates engine.
   */
  async invoke<R extends tl.TlMethod>(request: R, options: CallOptions = {}): Promise<TlResult<R>> {
    await this.connect();
    let dcId = options.dcId;
    let redirects = 0;
    let floods = 0;
    for (;;) {
      const target = dcId ?? this.home;
      try {
        const connection = await this.connectionFor(target, 0);
        const result = (await connection.invoke(request as tl.TlMethod, options)) as unknown;
        await this.absorb(request, result, target === this.home);
        return result as TlResult<R>;
      } catch (e) {
        if (!(e instanceof RpcError)) throw e;
        if (e.code === 303 && e.dcId !== undefined) {
          if (++redirects > MAX_REDIRECTS) throw new TelegramClientError('TOO_MANY_MIGRATIONS', `${request._}: more than ${MAX_REDIRECTS} redirects (last ${e.text})`);
          if (HOME_MIGRATIONS.has(e.name) && options.dcId === undefined) await this.migrateHome(e.dcId);
          else dcId = e.dcId;
          continue;
        }
        if (e.code === 420 && e.seconds !== undefined && /^FLOOD(_PREMIUM)?_WAIT$/.test(e.name)) {
          const threshold = this.floodSleepThreshold;
          if (e.seconds > threshold || ++floods > MAX_FLOOD_RETRIES) throw new FloodWaitError(e.code, e.text, e.method ?? request._, threshold);
          this.log(`${request._}: ${e.text}, waiting ${e.seconds} s`);
          await sleep(e.seconds * 1000, options.signal);
          continue;
        }
        throw e;
      }
    }
  }

  /**
   * Calls on a given DC over transfer lane `lane` (0 … transferConnections − 1,
   * each its own connection beside the main one), with the login carried
   * there by auth.exportAuthorization / importAuthorization first. For file
   * parts: no redirects or FLOOD_WAIT handling here (the file module does
   * its own); `invoke` with `dcId` is the general form.
   */
  async invokeOnDc<R extends tl.TlMethod>(dcId: number, request: R, options: InvokeOptions & { lane?: number } = {}): Promise<TlResult<R>> {
    await this.connect();
    const lane = Math.min(Math.max(0, options.lane ?? 0), this.transferConnections - 1);
    const connection = await this.connectionFor(dcId, lane + 1);
    return (await connection.invoke(request as tl.TlMethod, options)) as TlResult<R>;
  }

  // ---- login -----------------------------------------------------------------

  /** Logs in unless a stored login exists: by bot token, or by phone, code and (2FA) password callbacks. */
  start(params: auth.StartParams): Promise<tl.user> {
    return auth.start(this, params);
  }
  sendCode(phone: string): Promise<auth.SentCode> {
    return auth.sendCode(this, phone);
  }
  signIn(params: { phone: string; phoneCodeHash: string; code: string; firstName?: string; lastName?: string }): Promise<tl.user> {
    return auth.signIn(this, params);
  }
  checkPassword(password: string): Promise<tl.user> {
    return auth.checkPassword(this, password);
  }
  signInBot(token: string): Promise<tl.user> {
    return auth.signInBot(this, token);
  }
  qrLogin(params: auth.QrLoginParams): Promise<tl.user> {
    return auth.qrLogin(this, params);
  }
  /** Ends the login on the server and forgets it here (the auth keys stay: they are not the login). */
  async logOut(): Promise<void> {
    await this.invoke({ _: 'auth.logOut' });
    await this.forgetLogin();
  }

  async getMe(): Promise<tl.user> {
    const [me] = await this.invoke({ _: 'users.getUsers', id: [{ _: 'inputUserSelf' }] });
    if (me?._ !== 'user') throw new TelegramClientError('NOT_AUTHORIZED', 'users.getUsers(self) gave no user: not logged in?');
    return me;
  }

  // ---- peers, messages, dialogs, contacts ------------------------------------

  resolvePeer(peer: PeerLike): Promise<tl.InputPeer> {
    return resolvePeer(this, peer);
  }
  sendMessage(peer: PeerLike, text: string, options?: chats.SendMessageOptions): Promise<Message> {
    return chats.sendMessage(this, peer, text, options);
  }
  getMessages(peer: PeerLike, options?: chats.GetMessagesOptions): Promise<Message[]> {
    return chats.getMessages(this, peer, options);
  }
  iterHistory(peer: PeerLike, options?: chats.IterHistoryOptions): AsyncIterableIterator<Message> {
    return chats.iterHistory(this, peer, options);
  }
  editMessage(peer: PeerLike, id: number, text: string, options?: Pick<chats.SendMessageOptions, 'parseMode'>): Promise<Message> {
    return chats.editMessage(this, peer, id, text, options);
  }
  deleteMessages(peer: PeerLike, ids: number[], options?: { revoke?: boolean }): Promise<void> {
    return chats.deleteMessages(this, peer, ids, options);
  }
  markRead(peer: PeerLike, maxId = 0): Promise<void> {
    return chats.markRead(this, peer, maxId);
  }
  getDialogs(options?: chats.IterDialogsOptions): Promise<Dialog[]> {
    return chats.getDialogs(this, options);
  }
  iterDialogs(options?: chats.IterDialogsOptions): AsyncIterableIterator<Dialog> {
    return chats.iterDialogs(this, options);
  }
  getContacts(): Promise<tl.user[]> {
    return chats.getContacts(this);
  }
  importContacts(contacts: chats.ContactInput[]): Promise<tl.user[]> {
    return chats.importContacts(this, contacts);
  }
  deleteContacts(peers: PeerLike[]): Promise<void> {
    return chats.deleteContacts(this, peers);
  }

  // ---- files ------------------------------------------------------------------

  /** Uploads in parts over the transfer lanes; the result goes into messages.sendMedia and the like. */
  uploadFile(source: files.UploadSource, options?: files.UploadOptions): Promise<files.UploadedFile> {
    return files.uploadFile(this, source, options);
  }
  /** Downloads a message's media, a document, a photo or any InputFileLocation; to bytes, or into `to` (a path, resumable). */
  downloadFile(location: files.FileLocationLike, options: files.DownloadOptions & { to: string }): Promise<number>;
  downloadFile(location: files.FileLocationLike, options?: files.DownloadOptions): Promise<Uint8Array>;
  downloadFile(location: files.FileLocationLike, options: files.DownloadOptions = {}): Promise<Uint8Array | number> {
    return files.downloadFile(this, location, options);
  }
  sendFile(peer: PeerLike, file: files.UploadSource, options?: files.SendFileOptions): Promise<Message> {
    return files.sendFile(this, peer, file, options);
  }

  // ---- events -------------------------------------------------------------------

  /**
   * New, edited and deleted messages as an async iterator, from the moment
   * of the call. Breaking out of the loop ends it; so does `disconnect()`.
   */
  updates(): AsyncIterableIterator<ClientEvent> {
    const queue = new EventQueue(this.opts.maxQueuedEvents ?? 10_000, () => this.queues.delete(queue));
    if (this.closed) queue.end();
    else this.queues.add(queue);
    return queue;
  }

  /** Resolves once every update received so far has been handed to handlers and its state stored. */
  async idle(): Promise<void> {
    await this.engine?.idle();
  }

  /** Each open connection: where, its state, and its session's counters. */
  connectionStats(): { dcId: number; lane: number; state: string; tempKeysBound: number; reconnects: number; trafficKeyId: bigint | undefined; messagesOut: number; messagesIn: number }[] {
    return this.pool.connections().map(({ dcId, lane, connection: c }) => ({
      dcId,
      lane,
      state: c.state,
      tempKeysBound: c.tempKeysBound,
      reconnects: c.reconnects,
      trafficKeyId: c.trafficKeyId,
      messagesOut: c.stats?.messagesOut ?? 0,
      messagesIn: c.stats?.messagesIn ?? 0,
    }));
  }

  /** Counters of the updates engine (duplicates dropped, gaps, differences). */
  updatesStats() {
    return this.engine?.stats();
  }

  /** The session as a string (see `exportSession`): it holds the login, so keep it secret. */
  exportSession(options?: ExportSessionOptions): Promise<string> {
    return exportSession(this.storage, options);
  }

  /**
   * Closes every connection, ends `updates()` iterators, and closes the
   * storage (a FileStorage writes its last changes and is released), unless
   * `keepStorage` — to hand the same storage to another client.
   */
  async disconnect(options: { keepStorage?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.engine?.stop();
    await this.engine?.idle();
    this.engine = undefined;
    this.pool.close();
    for (const q of [...this.queues]) q.end();
    this.loginTokenWaiters.clear();
    if (options.keepStorage) await this.storage.flush();
    else await this.storage.close();
  }

  // ---- inside ---------------------------------------------------------------------

  /** @internal Records a login: who, where, and starts updates from a fresh state. */
  async completeLogin(authorization: tl.auth.Authorization): Promise<tl.user> {
    if (authorization._ !== 'auth.authorization') {
      throw new TelegramClientError('UNEXPECTED_RESULT', 'the server asks for sign-up (auth.authorizationSignUpRequired): pass firstName to start()/signIn()');
    }
    const user = authorization.user;
    if (user._ !== 'user') throw new TelegramClientError('UNEXPECTED_RESULT', 'auth.authorization without a user');
    await this.pool.forgetAuthorizations();
    this.self = { userId: user.id, isBot: !!user.bot };
    await this.storage.session.setHomeDc({ dcId: this.home });
    await this.storage.session.setSelf(this.self);
    await this.storage.updates.clear();
    await this.startUpdates(false);
    return user;
  }

  /** @internal */
  async forgetLogin(): Promise<void> {
    this.engine?.stop();
    this.engine = undefined;
    this.self = undefined;
    await this.storage.session.setSelf(undefined);
    await this.storage.updates.clear();
    await this.pool.forgetAuthorizations();
  }

  /** @internal Moves the account's home to `dcId` (PHONE_MIGRATE and the like, QR login's loginTokenMigrateTo). */
  async migrateHome(dcId: number): Promise<void> {
    if (dcId === this.home) return;
    this.pool.endpoint(dcId);
    this.log(`home DC ${this.home} → ${dcId}`);
    if (this.self) await this.carryLogin(dcId);
    this.home = dcId;
    await this.storage.session.setHomeDc({ dcId });
    await this.pool.get(dcId, 0);
    this.engine?.resync();
  }

  log(line: string): void {
    this.opts.log?.(line);
  }

  private async connectionFor(dcId: number, lane: number): Promise<Connection> {
    if (dcId !== this.home && this.self) await this.carryLogin(dcId);
    return this.pool.get(dcId, lane);
  }

  /** Makes the login valid on `dcId` too: auth.exportAuthorization at home, importAuthorization there; once per DC. */
  private carryLogin(dcId: number): Promise<void> {
    let p = this.carrying.get(dcId);
    if (!p) {
      p = (async () => {
        const self = this.self!;
        if (await this.pool.isAuthorizedOn(dcId, self.userId)) return;
        const home = await this.pool.get(this.home, 0);
        const exported = await home.invoke({ _: 'auth.exportAuthorization', dcId });
        const there = await this.pool.get(dcId, 0);
        await there.invoke({ _: 'auth.importAuthorization', id: exported.id, bytes: exported.bytes });
        await this.pool.markAuthorized(dcId, self.userId);
      })();
      this.carrying.set(dcId, p);
      p.catch(() => this.carrying.delete(dcId));
    }
    return p;
  }

  /** Keeps the answer's users and chats, and hands `Updates` and pts moves to the updates engine. */
  private async absorb(request: tl.TlMethod, result: unknown, fromHome: boolean): Promise<void> {
    if (typeof result !== 'object' || result === null) return;
    const r = result as { _?: string; users?: unknown; chats?: unknown; user?: tl.User; pts?: number; ptsCount?: number };
    const users = Array.isArray(r.users) ? (r.users as tl.User[]) : r.user ? [r.user] : [];
    const chatList = Array.isArray(r.chats) ? (r.chats as tl.Chat[]) : [];
    if (users.length > 0 || chatList.length > 0) {
      await this.storage.peers.saveFromTl(users, chatList);
      this.engine?.rememberChannels(chatList);
    }
    if (!fromHome || !this.engine) return;
    if (isUpdates(result)) this.engine.feed(result);
    else if ((r._ === 'messages.affectedMessages' || r._ === 'messages.affectedHistory') && r.pts !== undefined && r.ptsCount !== undefined) {
      const channel = (request as { channel?: tl.InputChannel }).channel;
      this.engine.feedAffected({ pts: r.pts, ptsCount: r.ptsCount }, channel?._ === 'inputChannel' ? channel.channelId : undefined);
    }
  }

  private async startUpdates(resume: boolean): Promise<void> {
    if (this.opts.updates === false || !this.self) return;
    this.engine?.stop();
    const stored = resume ? await this.storage.updates.get() : undefined;
    this.engine = new UpdatesEngine(
      {
        storage: this.storage,
        request: (request) => this.invoke(request),
        deliver: (out) => this.deliver(out),
        log: (line) => this.log(line),
      },
      { selfId: this.self.userId, isBot: this.self.isBot, ...(stored ? { state: stored } : {}) },
    );
  }

  private watch(connection: Connection, dcId: number, lane: number): void {
    if (lane !== 0) return;
    connection.on('update', (u) => {
      // Only the home DC's main session feeds the engine; other DCs' copies would be duplicates.
      if (dcId !== this.home) return;
      const updates = u as tl.Updates;
      if (updates._ === 'updateShort' && updates.update._ === 'updateLoginToken') for (const w of [...this.loginTokenWaiters]) w();
      if (isUpdates(updates)) this.engine?.feed(updates);
    });
    connection.on('new-session', () => {
      if (dcId === this.home) this.engine?.resync();
    });
    let wasOffline = false;
    connection.on('state', (state) => {
      if (dcId !== this.home) return;
      this.emit('connectionState', state);
      if (state === 'offline') wasOffline = true;
      // Pushes sent while the wire was down are gone: the difference brings them back.
      if (state === 'ready' && wasOffline) {
        wasOffline = false;
        this.engine?.resync();
      }
    });
  }

  private async deliver(out: Exclude<UpdatesOutput, { _: 'request' }>): Promise<void> {
    if (out._ === 'differenceTooLong') {
      this.emit('differenceTooLong', { pts: out.pts });
      return;
    }
    if (out._ === 'channelDifferenceTooLong' || out._ === 'channelGapUnresolved') {
      if (out._ === 'channelDifferenceTooLong') await this.storage.peers.saveFromTl(out.users, out.chats);
      else this.log(`updates: channel ${out.channelId}: ${out.reason}`);
      this.emit('differenceTooLong', { channelId: out.channelId });
      return;
    }
    await this.storage.peers.saveFromTl(out.users, out.chats);
    const selfId = this.self?.userId;
    for (const update of out.updates) {
      this.emit('raw', { update, users: out.users, chats: out.chats });
      switch (update._) {
        case 'updateNewMessage':
        case 'updateNewChannelMessage':
        case 'updateEditMessage':
        case 'updateEditChannelMessage': {
          const message = toMessage(update.message, selfId);
          if (!message) break;
          const kind = update._ === 'updateNewMessage' || update._ === 'updateNewChannelMessage' ? 'newMessage' : 'editMessage';
          this.emit(kind, message);
          this.broadcast({ kind, message });
          break;
        }
        case 'updateDeleteMessages':
          this.emit('deleteMessage', { ids: update.messages });
          this.broadcast({ kind: 'deleteMessage', ids: update.messages });
          break;
        case 'updateDeleteChannelMessages':
          this.emit('deleteMessage', { ids: update.messages, channelId: update.channelId });
          this.broadcast({ kind: 'deleteMessage', ids: update.messages, channelId: update.channelId });
          break;
      }
    }
  }

  private broadcast(event: ClientEvent): void {
    for (const q of this.queues) q.push(event);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
