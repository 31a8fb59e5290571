import { randomBytes, randomInt } from 'node:crypto';
import type { tl } from '@telegram-mt/tl';
import { SRP_PBKDF2_ITERATIONS, srpServerSetup } from '@telegram-mt/client';
import { UpdateLog } from './log.js';
import type { ChannelRecord, ChatRecord, UserRecord } from './records.js';
import { FloodGate, type FloodRate } from './flood.js';
import { FileStore } from './files.js';

export interface WorldOptions {
  /**
   * PBKDF2 iterations of the 2FA password hash. Real Telegram uses 100000
   * (the algorithm's name says so); tests lower it to stay fast, and the
   * client must then be told the same count.
   */
  passwordIterations?: number;
  /** How long a login code stays valid, in seconds. Default 300. */
  codeTtlSeconds?: number;
  /** How long a QR login token stays valid, in seconds. Default 30 (Telegram's). */
  loginTokenTtlSeconds?: number;
  /** Events kept per pts box (user or channel) for getDifference. Default 10000. */
  logLimit?: number;
  /** Events per getDifference answer before it becomes a differenceSlice. Default 100. */
  differenceSliceLimit?: number;
  /** A pts gap larger than this gets differenceTooLong (the client must refetch). Default 5000. */
  differenceTooLong?: number;
  /** Most messages per getChannelDifference answer (Telegram: 100 for users, 100000 for bots). */
  channelDifferenceLimit?: number;
  /** FLOOD_WAIT_X past this many calls in a window, per user (or per auth key before login). Default: none. */
  flood?: FloodRate;
  /** Which DC keeps an account signed up through `dcId`. Default: that DC. */
  homeDcForNewUser?: (phone: string, dcId: number) => number;
  /** The world's clock in ms. Default Date.now. */
  now?: () => number;
  /** A line per login code sent and the like. */
  log?: (line: string) => void;
  /** The DC that keeps every uploaded document and photo (getFile elsewhere: FILE_MIGRATE_X). Default: the DC it was sent from. */
  mediaDc?: number;
  /** Bytes of pending uploads and stored files together; a part past it gets EMULATOR_STORAGE_FULL. Default 2 GiB. */
  fileBytesMax?: number;
  /** Uploads untouched this long, in seconds, are dropped with their parts. Default 1800. */
  uploadIdleSeconds?: number;
}

/** Who caused an update: the pushing side skips this session, which gets the update in its answer. */
export interface UpdateOrigin {
  dcId: number;
  authKeyId: bigint;
  sessionId: bigint;
}

/** Receives every update the world produces for a user (to push to each of the user's online sessions). */
export type UpdateListener = (userId: bigint, updates: tl.Updates, origin: UpdateOrigin | undefined) => void;
/** Receives updates meant for one auth key that has no user yet (updateLoginToken for QR login). */
export type AuthKeyUpdateListener = (dcId: number, authKeyId: bigint, updates: tl.Updates) => void;

interface PendingCode {
  code: string;
  hash: string;
  expires: number;
  /** signIn found no account: signUp may use this code. */
  signUpAllowed: boolean;
}

export interface LoginToken {
  token: Uint8Array;
  dcId: number;
  authKeyId: bigint;
  expires: number;
  acceptedBy: bigint | undefined;
}

/**
 * The emulator's Telegram: accounts, chats, messages and the update boxes,
 * shared by every DC. Methods live in src/rpc/*; this class keeps state and
 * the invariants across it (pts per box, seq per user, where an account lives,
 * which auth key is signed in as whom).
 *
 * Pushing: `onUpdate(listener)` is called with every `Updates` a user must
 * receive (new messages, edits, reads, deletions) and the session that caused
 * it; the emulator delivers it to every online session of that user except
 * that one. Updates for a not-yet-signed-in key go to `onAuthKeyUpdate`.
 */
export class World {
  readonly users = new Map<bigint, UserRecord>();
  readonly chats = new Map<bigint, ChatRecord>();
  readonly channels = new Map<bigint, ChannelRecord>();
  readonly options: Required<Omit<WorldOptions, 'flood' | 'log' | 'homeDcForNewUser' | 'mediaDc' | 'fileBytesMax' | 'uploadIdleSeconds'>> & Pick<WorldOptions, 'log'>;
  readonly flood: FloodGate | undefined;
  readonly homeDcForNewUser: (phone: string, dcId: number) => number;
  /** Uploads in progress and the documents and photos made of them. */
  readonly files: FileStore;

  private readonly byPhone = new Map<string, UserRecord>();
  private readonly byUsername = new Map<string, { user?: UserRecord; channel?: ChannelRecord }>();
  /** `${dcId}:${authKeyId}` → user id. */
  private readonly authorizations = new Map<string, bigint>();
  /** Keys that passed the code but owe the 2FA password. */
  readonly passwordPending = new Map<string, bigint>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly inboxes = new Map<string, string[]>();
  readonly loginTokens = new Map<string, LoginToken>();
  /** auth.exportAuthorization: id:bytes → user and the DC it may be imported on. */
  readonly exportedAuthorizations = new Map<string, { userId: bigint; dcId: number }>();
  private readonly listeners = new Set<UpdateListener>();
  private readonly keyListeners = new Set<AuthKeyUpdateListener>();
  private nextUserId = 100000001n;
  private nextChatId = 4000001n;
  private nextChannelId = 1000000001n;

  constructor(options: WorldOptions = {}) {
    this.options = {
      passwordIterations: options.passwordIterations ?? SRP_PBKDF2_ITERATIONS,
      codeTtlSeconds: options.codeTtlSeconds ?? 300,
      loginTokenTtlSeconds: options.loginTokenTtlSeconds ?? 30,
      logLimit: options.logLimit ?? 10000,
      differenceSliceLimit: options.differenceSliceLimit ?? 100,
      differenceTooLong: options.differenceTooLong ?? 5000,
      channelDifferenceLimit: options.channelDifferenceLimit ?? 100,
      now: options.now ?? Date.now,
      log: options.log,
    };
    this.flood = options.flood ? new FloodGate(options.flood) : undefined;
    this.homeDcForNewUser = options.homeDcForNewUser ?? ((_phone, dcId) => dcId);
    this.files = new FileStore({
      mediaDc: options.mediaDc,
      bytesMax: options.fileBytesMax ?? 2 * 1024 ** 3,
      uploadIdleMs: (options.uploadIdleSeconds ?? 1800) * 1000,
      now: this.options.now,
    });
  }

  /** Seconds, as TL dates are. */
  date(): number {
    return Math.floor(this.options.now() / 1000);
  }

  // ---- accounts ----

  createUser(init: {
    phone?: string;
    firstName: string;
    lastName?: string;
    username?: string;
    dc?: number;
    password?: string;
    passwordHint?: string;
    bot?: boolean;
  }): UserRecord {
    const phone = init.phone === undefined ? undefined : normalizePhone(init.phone);
    if (phone !== undefined && (!isValidPhone(phone) || this.byPhone.has(phone))) {
      throw new RangeError(`phone ${init.phone} is invalid or taken`);
    }
    if (init.username !== undefined && (!isValidUsername(init.username) || this.byUsername.has(init.username.toLowerCase()))) {
      throw new RangeError(`username ${init.username} is invalid or taken`);
    }
    const id = this.nextUserId++;
    const user: UserRecord = {
      id,
      accessHash: randomBytes(8).readBigInt64LE(),
      phone,
      firstName: init.firstName,
      lastName: init.lastName ?? '',
      username: init.username,
      homeDc: init.dc ?? 2,
      bot: init.bot ?? false,
      botToken: init.bot ? `${id}:${randomBytes(18).toString('base64url')}` : undefined,
      password: undefined,
      about: '',
      contacts: new Map(),
      box: { pts: 1, qts: 0, seq: 0, date: this.date() },
      log: new UpdateLog(this.options.logLimit),
      messages: new Map(),
      nextMessageId: 1,
      dialogs: new Map(),
      sentRandomIds: new Map(),
    };
    if (init.password !== undefined) this.setPassword(user, init.password, init.passwordHint ?? '');
    this.users.set(id, user);
    if (phone !== undefined) this.byPhone.set(phone, user);
    if (init.username !== undefined) this.byUsername.set(init.username.toLowerCase(), { user });
    return user;
  }

  /** A bot account; sign in with `auth.importBotAuthorization` and the returned `user.botToken`. */
  createBot(init: { username: string; firstName: string; dc?: number }): UserRecord {
    return this.createUser({ ...init, bot: true });
  }

  setPassword(user: UserRecord, password: string | undefined, hint = ''): void {
    user.password = password === undefined ? undefined : { ...srpServerSetup(password, this.options.passwordIterations), hint };
  }

  userByPhone(phone: string): UserRecord | undefined {
    return this.byPhone.get(normalizePhone(phone));
  }

  resolveUsername(username: string): { user?: UserRecord; channel?: ChannelRecord } | undefined {
    return this.byUsername.get(username.toLowerCase());
  }

  // ---- chats and channels ----

  createChat(creatorId: bigint, title: string, memberIds: readonly bigint[]): ChatRecord {
    this.mustUser(creatorId);
    for (const m of memberIds) this.mustUser(m);
    const chat: ChatRecord = {
      id: this.nextChatId++,
      title,
      creatorId,
      members: new Set([creatorId, ...memberIds]),
      date: this.date(),
      version: 1,
    };
    this.chats.set(chat.id, chat);
    return chat;
  }

  createChannel(creatorId: bigint, init: { title: string; megagroup?: boolean; username?: string }, memberIds: readonly bigint[] = []): ChannelRecord {
    this.mustUser(creatorId);
    for (const m of memberIds) this.mustUser(m);
    if (init.username !== undefined && (!isValidUsername(init.username) || this.byUsername.has(init.username.toLowerCase()))) {
      throw new RangeError(`username ${init.username} is invalid or taken`);
    }
    const channel: ChannelRecord = {
      id: this.nextChannelId++,
      accessHash: randomBytes(8).readBigInt64LE(),
      title: init.title,
      username: init.username,
      megagroup: init.megagroup ?? false,
      creatorId,
      members: new Set([creatorId, ...memberIds]),
      date: this.date(),
      pts: 1,
      log: new UpdateLog(this.options.logLimit),
      messages: new Map(),
      ids: [],
      nextMessageId: 1,
      readInbox: new Map(),
      lastDate: this.date(),
    };
    this.channels.set(channel.id, channel);
    if (init.username !== undefined) this.byUsername.set(init.username.toLowerCase(), { channel });
    return channel;
  }

  private mustUser(id: bigint): UserRecord {
    const u = this.users.get(id);
    if (u === undefined) throw new RangeError(`no user ${id}`);
    return u;
  }

  // ---- login codes ----

  /** A fresh 5-digit code for `phone`, put in its inbox; returns the phone_code_hash. */
  issueCode(phone: string): string {
    const p = normalizePhone(phone);
    const code = String(randomInt(0, 100000)).padStart(5, '0');
    const hash = randomBytes(9).toString('hex');
    this.codes.set(p, { code, hash, expires: this.options.now() + this.options.codeTtlSeconds * 1000, signUpAllowed: false });
    let box = this.inboxes.get(p);
    if (box === undefined) this.inboxes.set(p, (box = []));
    box.push(code);
    if (box.length > 16) box.shift();
    this.options.log?.(`login code for +${p}: ${code}`);
    return hash;
  }

  /** Codes sent to `phone`, oldest first (the last one is the valid one). */
  inbox(phone: string): readonly string[] {
    return this.inboxes.get(normalizePhone(phone)) ?? [];
  }

  /** The code check of auth.signIn / auth.signUp: undefined when it passes, else the error text. */
  checkCode(phone: string, hash: string, code: string | undefined, forSignUp: boolean): string | undefined {
    const pending = this.codes.get(phone);
    if (pending === undefined || pending.hash !== hash) return hash === '' ? 'PHONE_CODE_HASH_EMPTY' : 'PHONE_CODE_EXPIRED';
    if (pending.expires <= this.options.now()) {
      this.codes.delete(phone);
      return 'PHONE_CODE_EXPIRED';
    }
    if (forSignUp) return pending.signUpAllowed ? undefined : 'PHONE_CODE_EXPIRED';
    if (code === undefined || code === '') return 'PHONE_CODE_EMPTY';
    if (code !== pending.code) return 'PHONE_CODE_INVALID';
    return undefined;
  }

  /** After a good code: a new number may sign up with the same hash; a known one consumes it. */
  codeUsed(phone: string, signUpNext: boolean): void {
    const pending = this.codes.get(phone);
    if (pending === undefined) return;
    if (signUpNext) pending.signUpAllowed = true;
    else this.codes.delete(phone);
  }

  // ---- authorizations ----

  authorize(dcId: number, authKeyId: bigint, userId: bigint): void {
    this.passwordPending.delete(keyOf(dcId, authKeyId));
    this.authorizations.set(keyOf(dcId, authKeyId), userId);
  }

  /** The user an auth key is signed in as on a DC. */
  userOf(dcId: number, authKeyId: bigint): UserRecord | undefined {
    const id = this.authorizations.get(keyOf(dcId, authKeyId));
    return id === undefined ? undefined : this.users.get(id);
  }

  logOut(dcId: number, authKeyId: bigint): boolean {
    this.passwordPending.delete(keyOf(dcId, authKeyId));
    return this.authorizations.delete(keyOf(dcId, authKeyId));
  }

  /** Every (dcId, authKeyId) signed in as the user. */
  authKeysOf(userId: bigint): { dcId: number; authKeyId: bigint }[] {
    const out: { dcId: number; authKeyId: bigint }[] = [];
    for (const [k, u] of this.authorizations) {
      if (u !== userId) continue;
      const [dc, key] = k.split(':');
      out.push({ dcId: Number(dc), authKeyId: BigInt(key!) });
    }
    return out;
  }

  // ---- update boxes and pushes ----

  onUpdate(listener: UpdateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onAuthKeyUpdate(listener: AuthKeyUpdateListener): () => void {
    this.keyListeners.add(listener);
    return () => this.keyListeners.delete(listener);
  }

  /** Hands `updates` to every listener for `userId`. */
  push(userId: bigint, updates: tl.Updates, origin: UpdateOrigin | undefined): void {
    for (const l of this.listeners) l(userId, updates, origin);
  }

  pushToAuthKey(dcId: number, authKeyId: bigint, updates: tl.Updates): void {
    for (const l of this.keyListeners) l(dcId, authKeyId, updates);
  }

  /** Advances a user's pts by `ptsCount` for an update that carries pts; logs and returns it with the new pts. */
  logUser<U extends tl.Update & { pts: number; ptsCount: number }>(user: UserRecord, make: (pts: number) => U, ptsCount = 1): U {
    user.box.pts += ptsCount;
    user.box.date = this.date();
    const update = make(user.box.pts);
    user.log.push({ pts: user.box.pts, ptsCount, date: user.box.date, update });
    return update;
  }

  logChannel<U extends tl.Update & { pts: number }>(channel: ChannelRecord, make: (pts: number) => U, ptsCount = 1): U {
    channel.pts += ptsCount;
    channel.lastDate = this.date();
    const update = make(channel.pts);
    channel.log.push({ pts: channel.pts, ptsCount, date: channel.lastDate, update });
    return update;
  }

  /** The next seq of a user's `updates` containers. */
  nextSeq(user: UserRecord): number {
    user.box.date = this.date();
    return ++user.box.seq;
  }
}

export function keyOf(dcId: number, authKeyId: bigint): string {
  return `${dcId}:${authKeyId}`;
}

/** Telegram accepts numbers with '+', spaces and dashes; it stores digits. */
export function normalizePhone(phone: string): string {
  return phone.replace(/[\s+\-()]/g, '');
}

export function isValidPhone(phone: string): boolean {
  return /^\d{5,15}$/.test(phone);
}

/** 5–32 characters, a–z, 0–9 and underscores, starting with a letter (Telegram's rule). */
export function isValidUsername(username: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9_]{4,31}$/.test(username);
}
