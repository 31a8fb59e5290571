import type { tl } from '@telegram-mt/tl';
import type { StorageDriver, StorageTransaction } from '../driver.js';
import type { StoredValue } from '../value.js';
import { asRecord, badValue, bool, int, long, optStr, type Rec } from './records.js';
import { StorageError } from '../errors.js';

export type PeerType = 'user' | 'chat' | 'channel';

/** What the cache knows of a user, basic group or channel: enough to address it in a request. */
export interface StoredPeer {
  type: PeerType;
  /** The bare id, as in `peerUser.userId` / `peerChat.chatId` / `peerChannel.channelId`. */
  id: bigint;
  /** 0n for basic groups, which need none. */
  accessHash: bigint;
  /** Active usernames as Telegram spells them; lookups ignore case. */
  usernames: string[];
  /** Digits only, no `+`. */
  phone?: string;
  /**
   * Seen only in a `min` constructor: the access hash is valid only together
   * with the message it came in. A min record never replaces a full one.
   */
  min: boolean;
  /** Unix seconds of the last save. */
  updatedAt: number;
}

/** Ids the way the Bot API and most tools write them: users as is, chats negated, channels −10¹² − id. */
export function markedPeerId(type: PeerType, id: bigint): bigint {
  return type === 'user' ? id : type === 'chat' ? -id : -1_000_000_000_000n - id;
}

export function parseMarkedPeerId(marked: bigint): { type: PeerType; id: bigint } {
  if (marked > 0n) return { type: 'user', id: marked };
  if (marked <= -1_000_000_000_000n) return { type: 'channel', id: -marked - 1_000_000_000_000n };
  if (marked < 0n) return { type: 'chat', id: -marked };
  return badValue('peer id 0 names no peer');
}

export function toInputPeer(peer: StoredPeer): tl.InputPeer {
  switch (peer.type) {
    case 'user':
      return { _: 'inputPeerUser', userId: peer.id, accessHash: peer.accessHash };
    case 'chat':
      return { _: 'inputPeerChat', chatId: peer.id };
    case 'channel':
      return { _: 'inputPeerChannel', channelId: peer.id, accessHash: peer.accessHash };
  }
}

export function toInputUser(peer: StoredPeer): tl.InputUser {
  if (peer.type !== 'user') badValue(`peer ${peer.type} ${peer.id} is not a user`);
  return { _: 'inputUser', userId: peer.id, accessHash: peer.accessHash };
}

export function toInputChannel(peer: StoredPeer): tl.InputChannel {
  if (peer.type !== 'channel') badValue(`peer ${peer.type} ${peer.id} is not a channel`);
  return { _: 'inputChannel', channelId: peer.id, accessHash: peer.accessHash };
}

export function normalizeUsername(name: string): string {
  return name.trim().replace(/^@/, '').replace(/^(?:https?:\/\/)?t\.me\//i, '').toLowerCase();
}

export function normalizePhone(phone: string): string {
  return phone.replace(/[^\d]/g, '');
}

const peerKey = (marked: bigint): string => `peer:${marked}`;
const usernameKey = (name: string): string => `peer-username:${normalizeUsername(name)}`;
const phoneKey = (phone: string): string => `peer-phone:${normalizePhone(phone)}`;

/** The input to `save`: `updatedAt` is filled in, `usernames` defaults to none. */
export type PeerInput = Omit<StoredPeer, 'updatedAt' | 'usernames'> & { usernames?: string[] };

/**
 * The peer cache: access hashes, usernames and phones of every user, group
 * and channel seen, with lookups by id, username and phone, so requests can
 * name a peer without asking the server first.
 */
export class PeersRepository {
  constructor(
    private readonly driver: StorageDriver,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** Saves peers in one transaction, keeping the username and phone indexes in step. */
  async save(peers: PeerInput | readonly PeerInput[]): Promise<void> {
    const list = Array.isArray(peers) ? (peers as readonly PeerInput[]) : [peers as PeerInput];
    if (list.length === 0) return;
    const now = this.now();
    const checked = list.map((p) => checkPeer(p, now));
    await this.driver.transaction(async (tx) => {
      for (const peer of checked) await saveOne(tx, peer);
    });
  }

  /** Saves the users and chats that come with almost every answer and update. */
  async saveFromTl(users: readonly tl.User[], chats: readonly tl.Chat[]): Promise<void> {
    const peers: PeerInput[] = [];
    for (const u of users) {
      if (u._ !== 'user' || u.accessHash === undefined) continue;
      const p: PeerInput = { type: 'user', id: u.id, accessHash: u.accessHash, usernames: usernamesOf(u), min: !!u.min };
      if (u.phone) p.phone = normalizePhone(u.phone);
      peers.push(p);
    }
    for (const c of chats) {
      if (c._ === 'chat' || c._ === 'chatForbidden') peers.push({ type: 'chat', id: c.id, accessHash: 0n, min: false });
      else if (c._ === 'channel' && c.accessHash !== undefined) peers.push({ type: 'channel', id: c.id, accessHash: c.accessHash, usernames: usernamesOf(c), min: !!c.min });
      else if (c._ === 'channelForbidden') peers.push({ type: 'channel', id: c.id, accessHash: c.accessHash, min: false });
    }
    await this.save(peers);
  }

  /** By marked id (see `markedPeerId`), or by type and bare id. */
  async getById(id: bigint | number, type?: PeerType): Promise<StoredPeer | undefined> {
    const marked = type ? markedPeerId(type, BigInt(id)) : BigInt(id);
    if (marked === 0n) return undefined;
    const raw = await this.driver.get(peerKey(marked));
    return raw === undefined ? undefined : readPeer(raw, peerKey(marked));
  }

  /** By username, any case, with or without `@` or a t.me/ link. */
  async getByUsername(username: string): Promise<StoredPeer | undefined> {
    const name = normalizeUsername(username);
    if (!name) return undefined;
    const peer = await this.viaIndex(usernameKey(name));
    // An index entry outlives a username only if a save was lost half-way; never trust it alone.
    return peer && peer.usernames.some((u) => u.toLowerCase() === name) ? peer : undefined;
  }

  /** By phone number, in any punctuation (`+7 900 123-45-67`). */
  async getByPhone(phone: string): Promise<StoredPeer | undefined> {
    const digits = normalizePhone(phone);
    if (!digits) return undefined;
    const peer = await this.viaIndex(phoneKey(digits));
    return peer && peer.phone === digits ? peer : undefined;
  }

  /**
   * Looks a peer up the way users write one: a number or bigint is a marked
   * id; a string starting with `+` is a phone number; a string of digits
   * (optionally negative) is a marked id; anything else is a username.
   * Undefined when the cache does not know it (then ask the server:
   * contacts.resolveUsername, contacts.resolvePhone).
   */
  async resolve(query: string | number | bigint): Promise<StoredPeer | undefined> {
    if (typeof query !== 'string') return this.getById(query);
    const q = query.trim();
    if (q.startsWith('+')) return this.getByPhone(q);
    if (/^-?\d{1,20}$/.test(q)) return this.getById(BigInt(q));
    return this.getByUsername(q);
  }

  async delete(type: PeerType, id: bigint): Promise<void> {
    const marked = markedPeerId(type, id);
    await this.driver.transaction(async (tx) => {
      const raw = await tx.get(peerKey(marked));
      if (raw === undefined) return;
      const old = readPeer(raw, peerKey(marked));
      await dropIndexes(tx, old, marked, [], undefined);
      tx.delete(peerKey(marked));
    });
  }

  private async viaIndex(key: string): Promise<StoredPeer | undefined> {
    const ref = await this.driver.get(key);
    if (typeof ref !== 'bigint') return undefined;
    const raw = await this.driver.get(peerKey(ref));
    return raw === undefined ? undefined : readPeer(raw, peerKey(ref));
  }
}

function usernamesOf(u: tl.user | tl.channel): string[] {
  const names: string[] = [];
  if (u.username) names.push(u.username);
  for (const n of u.usernames ?? []) if (n.active && !names.some((x) => x.toLowerCase() === n.username.toLowerCase())) names.push(n.username);
  return names;
}

function checkPeer(p: PeerInput, now: number): StoredPeer {
  if (p.type !== 'user' && p.type !== 'chat' && p.type !== 'channel') badValue(`peer type ${String(p.type)} is not user, chat or channel`);
  if (typeof p.id !== 'bigint' || p.id <= 0n || p.id >= 1n << 63n) badValue(`peer id ${String(p.id)} is not a positive 64-bit bigint`);
  if (typeof p.accessHash !== 'bigint' || p.accessHash < -(1n << 63n) || p.accessHash >= 1n << 63n) badValue(`access hash of ${p.type} ${p.id} is not a 64-bit bigint`);
  const usernames = (p.usernames ?? []).map((u) => {
    const n = normalizeUsername(u);
    if (!/^[a-z0-9_]{1,64}$/.test(n)) badValue(`username ${JSON.stringify(u)} of ${p.type} ${p.id} is not a username`);
    return u.trim().replace(/^@/, '');
  });
  const out: StoredPeer = { type: p.type, id: p.id, accessHash: p.accessHash, usernames, min: !!p.min, updatedAt: now };
  if (p.phone !== undefined && p.phone !== '') {
    const digits = normalizePhone(p.phone);
    if (!digits || digits.length > 32) badValue(`phone ${JSON.stringify(p.phone)} of ${p.type} ${p.id} has no digits`);
    out.phone = digits;
  }
  return out;
}

async function saveOne(tx: StorageTransaction, peer: StoredPeer): Promise<void> {
  const marked = markedPeerId(peer.type, peer.id);
  const raw = await tx.get(peerKey(marked));
  const old = raw === undefined ? undefined : readPeer(raw, peerKey(marked));
  let next: StoredPeer = peer;
  if (old) {
    // A hidden phone (privacy settings) is not a changed phone.
    if (next.phone === undefined && old.phone !== undefined) next = { ...next, phone: old.phone };
    if (peer.min && !old.min) {
      // Only a full constructor's access hash works on its own: keep it.
      next = { ...next, accessHash: old.accessHash, min: false };
    }
    await dropIndexes(tx, old, marked, next.usernames, next.phone);
  }
  tx.set(peerKey(marked), writePeer(next));
  for (const u of next.usernames) tx.set(usernameKey(u), marked);
  if (next.phone) tx.set(phoneKey(next.phone), marked);
}

/** Removes index entries of `old` that the new record no longer has, if they still point at this peer. */
async function dropIndexes(tx: StorageTransaction, old: StoredPeer, marked: bigint, usernames: string[], phone: string | undefined): Promise<void> {
  const keep = new Set(usernames.map(normalizeUsername));
  for (const u of old.usernames) {
    if (keep.has(normalizeUsername(u))) continue;
    if ((await tx.get(usernameKey(u))) === marked) tx.delete(usernameKey(u));
  }
  if (old.phone && old.phone !== phone && (await tx.get(phoneKey(old.phone))) === marked) tx.delete(phoneKey(old.phone));
}

function writePeer(p: StoredPeer): Record<string, StoredValue> {
  const r: Record<string, StoredValue> = { type: p.type, id: p.id, accessHash: p.accessHash, usernames: p.usernames, min: p.min, updatedAt: p.updatedAt };
  if (p.phone !== undefined) r.phone = p.phone;
  return r;
}

function readPeer(raw: StoredValue, what: string): StoredPeer {
  const r: Rec = asRecord(raw, what);
  const type = r.type;
  if (type !== 'user' && type !== 'chat' && type !== 'channel') throw new StorageError('BAD_RECORD', `${what}: type is not user, chat or channel`);
  const names = r.usernames;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw new StorageError('BAD_RECORD', `${what}: usernames is not a list of strings`);
  const out: StoredPeer = {
    type,
    id: long(r, 'id', what),
    accessHash: long(r, 'accessHash', what),
    usernames: names as string[],
    min: bool(r, 'min', what),
    updatedAt: int(r, 'updatedAt', what, 0, 0xffffffff),
  };
  const phone = optStr(r, 'phone', what);
  if (phone !== undefined) out.phone = phone;
  return out;
}
