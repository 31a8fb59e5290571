import type { tl } from '@telegram-mt/tl';
import { RpcError } from '../errors.js';
import { normalizeUsername, parseMarkedPeerId, toInputPeer, type StoredPeer } from '../storage/repositories/peers.js';
import type { Storage } from '../storage/storage.js';
import { TelegramClientError } from './errors.js';

/**
 * Anything that names a peer: `'me'`, a username (`'@durov'`, `'durov'`,
 * `'t.me/durov'`), a phone (`'+31…'`), a marked id (number, bigint or a
 * string of digits), an InputPeer, or a User / Chat object.
 */
export type PeerLike = string | number | bigint | tl.InputPeer | tl.User | tl.Chat;

/** What resolving needs from the client: calls and the peer cache. */
export interface PeerHost {
  readonly storage: Storage;
  invoke<R extends tl.TlMethod>(request: R): Promise<unknown>;
}

/**
 * Turns a PeerLike into an InputPeer: from the peer cache first, then by
 * asking the server (contacts.resolveUsername, or the contact list for a
 * phone), whose answers the client saves into the cache on the way.
 */
export async function resolvePeer(host: PeerHost, peer: PeerLike): Promise<tl.InputPeer> {
  if (typeof peer === 'object' && peer !== null) return fromObject(peer);
  if (typeof peer === 'string') {
    const q = peer.trim();
    if (q === '') throw new TelegramClientError('BAD_PEER', 'an empty string names no peer');
    if (q === 'me' || q === 'self') return { _: 'inputPeerSelf' };
    if (/^-?\d{1,20}$/.test(q)) return byId(host, BigInt(q));
    if (q.startsWith('+')) return byPhone(host, q);
    return byUsername(host, q);
  }
  if (typeof peer === 'number' && !Number.isSafeInteger(peer)) throw new TelegramClientError('BAD_PEER', `${peer} is not an integer peer id`);
  if (typeof peer === 'number' || typeof peer === 'bigint') return byId(host, BigInt(peer));
  throw new TelegramClientError('BAD_PEER', `cannot name a peer with ${typeof peer}`);
}

function fromObject(peer: tl.InputPeer | tl.User | tl.Chat): tl.InputPeer {
  switch (peer._) {
    case 'user':
      // A user object from another account's session may carry `self`: the id and hash are what name it.
      if (peer.accessHash === undefined && peer.self) return { _: 'inputPeerSelf' };
      return { _: 'inputPeerUser', userId: peer.id, accessHash: peer.accessHash ?? 0n };
    case 'chat':
    case 'chatForbidden':
    case 'chatEmpty':
      return { _: 'inputPeerChat', chatId: peer.id };
    case 'channel':
      return { _: 'inputPeerChannel', channelId: peer.id, accessHash: peer.accessHash ?? 0n };
    case 'channelForbidden':
      return { _: 'inputPeerChannel', channelId: peer.id, accessHash: peer.accessHash };
    case 'userEmpty':
      throw new TelegramClientError('BAD_PEER', `user ${peer.id} is userEmpty: it names no one`);
    default:
      if (peer._.startsWith('inputPeer')) return peer as tl.InputPeer;
      throw new TelegramClientError('BAD_PEER', `${(peer as { _: string })._} is not a peer`);
  }
}

async function byId(host: PeerHost, marked: bigint): Promise<tl.InputPeer> {
  let parsed: ReturnType<typeof parseMarkedPeerId>;
  try {
    parsed = parseMarkedPeerId(marked);
  } catch {
    throw new TelegramClientError('BAD_PEER', `${marked} is not a peer id`);
  }
  const cached = await host.storage.peers.getById(marked);
  if (cached) return inputOf(cached);
  // Basic groups need no access hash.
  if (parsed.type === 'chat') return { _: 'inputPeerChat', chatId: parsed.id };
  throw new TelegramClientError(
    'PEER_NOT_FOUND',
    `no access hash is known for ${parsed.type} ${parsed.id}: resolve it by username or phone first, or meet it in a dialog or update`,
  );
}

async function byUsername(host: PeerHost, query: string): Promise<tl.InputPeer> {
  const name = normalizeUsername(query);
  if (!/^[a-z0-9_]{1,64}$/.test(name)) throw new TelegramClientError('BAD_PEER', `${JSON.stringify(query)} is not a username`);
  const cached = await host.storage.peers.getByUsername(name);
  if (cached) return inputOf(cached);
  try {
    const r = (await host.invoke({ _: 'contacts.resolveUsername', username: name })) as tl.contacts.ResolvedPeer;
    const found = entityOf(r.peer, r.users, r.chats);
    if (found) return fromObject(found);
  } catch (e) {
    if (e instanceof RpcError && (e.text === 'USERNAME_NOT_OCCUPIED' || e.text === 'USERNAME_INVALID')) {
      throw new TelegramClientError('PEER_NOT_FOUND', `no one has the username @${name} (${e.text})`);
    }
    throw e;
  }
  throw new TelegramClientError('PEER_NOT_FOUND', `@${name} resolved to a peer the answer did not describe`);
}

async function byPhone(host: PeerHost, phone: string): Promise<tl.InputPeer> {
  const cached = await host.storage.peers.getByPhone(phone);
  if (cached) return inputOf(cached);
  // The contact list carries phones; fetching it refills the cache.
  await host.invoke({ _: 'contacts.getContacts', hash: 0n });
  const again = await host.storage.peers.getByPhone(phone);
  if (again) return inputOf(again);
  throw new TelegramClientError('PEER_NOT_FOUND', `no contact has the phone ${phone}: import it with importContacts first`);
}

function inputOf(peer: StoredPeer): tl.InputPeer {
  return toInputPeer(peer);
}

/** The user or chat a `Peer` points to, from the vectors that came with it. */
export function entityOf(peer: tl.Peer, users: readonly tl.User[], chats: readonly tl.Chat[]): tl.User | tl.Chat | undefined {
  if (peer._ === 'peerUser') return users.find((u) => u.id === peer.userId);
  const id = peer._ === 'peerChat' ? peer.chatId : peer.channelId;
  return chats.find((c) => c.id === id);
}

/** InputPeer → InputUser, for the methods that take one (contacts.deleteContacts, users.getUsers). */
export function toInputUserOf(peer: tl.InputPeer): tl.InputUser {
  if (peer._ === 'inputPeerSelf') return { _: 'inputUserSelf' };
  if (peer._ === 'inputPeerUser') return { _: 'inputUser', userId: peer.userId, accessHash: peer.accessHash };
  throw new TelegramClientError('BAD_PEER', `${peer._} is not a user`);
}

/** InputPeer → InputChannel, for channels.* methods. */
export function toInputChannelOf(peer: tl.InputPeer): tl.InputChannel | undefined {
  return peer._ === 'inputPeerChannel' ? { _: 'inputChannel', channelId: peer.channelId, accessHash: peer.accessHash } : undefined;
}
