// Messages, dialogs and contacts on top of `invoke` and the peer cache.
import { randomBytes } from 'node:crypto';
import type { tl } from '@telegram-mt/tl';
import { parseText } from '../parse/index.js';
import { toSendableEntities } from '../parse/sendable.js';
import type { ParseMode } from '../parse/types.js';
import type { TelegramClient } from './client.js';
import { TelegramClientError } from './errors.js';
import { displayName, messagesOf, peerMarkedId, toMessage, type Dialog, type Message } from './message.js';
import { entityOf, toInputChannelOf, toInputUserOf, type PeerLike } from './peers.js';

export interface SendMessageOptions {
  parseMode?: ParseMode;
  /** The id of the message this one answers. */
  replyTo?: number;
  silent?: boolean;
  noWebpage?: boolean;
}

export interface GetMessagesOptions {
  /** Newest first; default 100 (one request). */
  limit?: number;
  /** Start below this message id (0: from the newest). */
  offsetId?: number;
  /** Exactly these messages (ids missing on the server are left out). */
  ids?: number[];
}

export interface IterHistoryOptions {
  /** Most messages to yield (default: all). */
  limit?: number;
  offsetId?: number;
  /** Per request, at most 100 (Telegram's cap). */
  chunkSize?: number;
}

export interface IterDialogsOptions {
  limit?: number;
  chunkSize?: number;
}

export interface ContactInput {
  phone: string;
  firstName: string;
  lastName?: string;
}

export const randomId = (): bigint => randomBytes(8).readBigInt64LE();

export async function sendMessage(client: TelegramClient, peerLike: PeerLike, text: string, o: SendMessageOptions = {}): Promise<Message> {
  const peer = await client.resolvePeer(peerLike);
  const formatted = parseText(text, o.parseMode);
  if (formatted.text.length === 0) throw new TelegramClientError('MISSING_PARAMETER', 'a message needs some text');
  const rid = randomId();
  const request: tl.messages.sendMessage = { _: 'messages.sendMessage', peer, message: formatted.text, randomId: rid };
  const entities = await toSendableEntities(formatted.entities, (userId) => inputUserOf(client, userId));
  if (entities.length > 0) request.entities = entities;
  if (o.replyTo !== undefined) request.replyTo = { _: 'inputReplyToMessage', replyToMsgId: o.replyTo };
  if (o.silent) request.silent = true;
  if (o.noWebpage) request.noWebpage = true;
  const result = await client.invoke(request);
  return sentMessage(client, result, rid, {
    peer,
    text: formatted.text,
    entities,
    ...(o.replyTo !== undefined ? { replyTo: o.replyTo } : {}),
  });
}

/** The message a send produced: built from updateShortSentMessage, or found by its random id in the Updates. */
export async function sentMessage(
  client: TelegramClient,
  result: tl.Updates,
  rid: bigint,
  sent: { peer: tl.InputPeer; text: string; entities: tl.MessageEntity[]; replyTo?: number; media?: tl.MessageMedia },
): Promise<Message> {
  const selfId = client.selfId;
  if (result._ === 'updateShortSentMessage') {
    const raw: tl.message = {
      _: 'message',
      out: true,
      id: result.id,
      peerId: await peerOfInput(client, sent.peer),
      date: result.date,
      message: sent.text,
      entities: result.entities ?? sent.entities,
    };
    if (sent.replyTo !== undefined) raw.replyTo = { _: 'messageReplyHeader', replyToMsgId: sent.replyTo };
    const media = result.media ?? sent.media;
    if (media) raw.media = media;
    return toMessage(raw, selfId)!;
  }
  if (result._ === 'updates' || result._ === 'updatesCombined') {
    const idUpdate = result.updates.find((u): u is tl.updateMessageID => u._ === 'updateMessageID' && u.randomId === rid);
    for (const u of result.updates) {
      if (u._ !== 'updateNewMessage' && u._ !== 'updateNewChannelMessage' && u._ !== 'updateNewScheduledMessage') continue;
      if (idUpdate && u.message.id !== idUpdate.id) continue;
      const m = toMessage(u.message, selfId);
      if (m) return m;
    }
  }
  throw new TelegramClientError('UNEXPECTED_RESULT', `the send was answered with ${result._} that does not name the new message`);
}

/** The InputUser of a cached user, for mentions by id (`inputMessageEntityMentionName`). */
export async function inputUserOf(client: TelegramClient, userId: bigint): Promise<tl.InputUser | undefined> {
  const p = await client.storage.peers.getById(userId, 'user');
  return p ? { _: 'inputUser', userId: p.id, accessHash: p.accessHash } : undefined;
}

export async function peerOfInput(client: TelegramClient, peer: tl.InputPeer): Promise<tl.Peer> {
  switch (peer._) {
    case 'inputPeerSelf':
      if (client.selfId === undefined) throw new TelegramClientError('NOT_AUTHORIZED', 'not logged in');
      return { _: 'peerUser', userId: client.selfId };
    case 'inputPeerUser':
    case 'inputPeerUserFromMessage':
      return { _: 'peerUser', userId: peer.userId };
    case 'inputPeerChat':
      return { _: 'peerChat', chatId: peer.chatId };
    case 'inputPeerChannel':
    case 'inputPeerChannelFromMessage':
      return { _: 'peerChannel', channelId: peer.channelId };
    default:
      throw new TelegramClientError('BAD_PEER', `${peer._} names no chat`);
  }
}

export async function getMessages(client: TelegramClient, peerLike: PeerLike, o: GetMessagesOptions = {}): Promise<Message[]> {
  const peer = await client.resolvePeer(peerLike);
  if (o.ids) {
    if (o.ids.length === 0) return [];
    const id = o.ids.map((i): tl.InputMessage => ({ _: 'inputMessageID', id: i }));
    const channel = toInputChannelOf(peer);
    const r = channel ? await client.invoke({ _: 'channels.getMessages', channel, id }) : await client.invoke({ _: 'messages.getMessages', id });
    return messagesOf(r, client.selfId);
  }
  const limit = Math.min(Math.max(1, o.limit ?? 100), 100);
  const r = await client.invoke({ _: 'messages.getHistory', peer, offsetId: o.offsetId ?? 0, offsetDate: 0, addOffset: 0, limit, maxId: 0, minId: 0, hash: 0n });
  return messagesOf(r, client.selfId);
}

/** Newest first, a page of `chunkSize` per request, until the chat's start or `limit`. */
export async function* iterHistory(client: TelegramClient, peerLike: PeerLike, o: IterHistoryOptions = {}): AsyncIterableIterator<Message> {
  const peer = await client.resolvePeer(peerLike);
  let left = o.limit ?? Infinity;
  let offsetId = o.offsetId ?? 0;
  const chunk = Math.min(Math.max(1, o.chunkSize ?? 100), 100);
  while (left > 0) {
    const page = await getMessages(client, peer, { limit: Math.min(chunk, left), offsetId });
    for (const m of page) {
      yield m;
      if (--left <= 0) return;
    }
    const last = page.at(-1);
    // A short page is the chat's start; a page that does not move would loop.
    if (page.length < Math.min(chunk, left + page.length) || !last || (offsetId !== 0 && last.id >= offsetId)) return;
    offsetId = last.id;
  }
}

export async function editMessage(client: TelegramClient, peerLike: PeerLike, id: number, text: string, o: { parseMode?: ParseMode } = {}): Promise<Message> {
  const peer = await client.resolvePeer(peerLike);
  const formatted = parseText(text, o.parseMode);
  const entities = await toSendableEntities(formatted.entities, (userId) => inputUserOf(client, userId));
  const request: tl.messages.editMessage = { _: 'messages.editMessage', peer, id, message: formatted.text };
  if (entities.length > 0) request.entities = entities;
  const r = await client.invoke(request);
  if (r._ === 'updates' || r._ === 'updatesCombined') {
    for (const u of r.updates) {
      if ((u._ === 'updateEditMessage' || u._ === 'updateEditChannelMessage') && u.message.id === id) {
        const m = toMessage(u.message, client.selfId);
        if (m) return m;
      }
    }
  }
  throw new TelegramClientError('UNEXPECTED_RESULT', `messages.editMessage was answered with ${r._} without the edited message`);
}

export async function deleteMessages(client: TelegramClient, peerLike: PeerLike, ids: number[], o: { revoke?: boolean } = {}): Promise<void> {
  if (ids.length === 0) return;
  const peer = await client.resolvePeer(peerLike);
  const channel = toInputChannelOf(peer);
  if (channel) await client.invoke({ _: 'channels.deleteMessages', channel, id: ids });
  else await client.invoke({ _: 'messages.deleteMessages', id: ids, revoke: o.revoke ?? true });
}

export async function markRead(client: TelegramClient, peerLike: PeerLike, maxId: number): Promise<void> {
  const peer = await client.resolvePeer(peerLike);
  const channel = toInputChannelOf(peer);
  if (channel) await client.invoke({ _: 'channels.readHistory', channel, maxId });
  else await client.invoke({ _: 'messages.readHistory', peer, maxId });
}

export async function getDialogs(client: TelegramClient, o: IterDialogsOptions = {}): Promise<Dialog[]> {
  const out: Dialog[] = [];
  for await (const d of iterDialogs(client, { ...o, limit: o.limit ?? 100 })) out.push(d);
  return out;
}

/** The chat list, most recent first, paged by (date, id, peer) of each page's last dialog. */
export async function* iterDialogs(client: TelegramClient, o: IterDialogsOptions = {}): AsyncIterableIterator<Dialog> {
  let left = o.limit ?? Infinity;
  const chunk = Math.min(Math.max(1, o.chunkSize ?? 100), 100);
  let offsetDate = 0;
  let offsetId = 0;
  let offsetPeer: tl.InputPeer = { _: 'inputPeerEmpty' };
  const seen = new Set<bigint>();
  while (left > 0) {
    const r = await client.invoke({ _: 'messages.getDialogs', offsetDate, offsetId, offsetPeer, limit: Math.min(chunk, left), hash: 0n });
    if (r._ === 'messages.dialogsNotModified') return;
    const byKey = new Map<string, tl.Message>();
    for (const m of r.messages) if (m._ !== 'messageEmpty') byKey.set(`${peerMarkedId(m.peerId)}:${m.id}`, m);
    let fresh = 0;
    let last: { dialog: tl.dialog; message: tl.Message | undefined } | undefined;
    for (const d of r.dialogs) {
      if (d._ !== 'dialog') continue;
      const chatId = peerMarkedId(d.peer);
      if (seen.has(chatId)) continue;
      seen.add(chatId);
      fresh++;
      const raw = byKey.get(`${chatId}:${d.topMessage}`);
      const top = raw ? toMessage(raw, client.selfId) : undefined;
      const dialog: Dialog = { peer: d.peer, chatId, title: displayName(entityOf(d.peer, r.users, r.chats)), unreadCount: d.unreadCount, raw: d };
      if (top) dialog.topMessage = top;
      yield dialog;
      last = { dialog: d, message: raw };
      if (--left <= 0) return;
    }
    if (r._ === 'messages.dialogs' || fresh === 0 || !last) return;
    offsetId = last.dialog.topMessage;
    offsetDate = last.message && last.message._ !== 'messageEmpty' ? last.message.date : 0;
    offsetPeer = await client.resolvePeer(peerMarkedId(last.dialog.peer));
  }
}

export async function getContacts(client: TelegramClient): Promise<tl.user[]> {
  const r = await client.invoke({ _: 'contacts.getContacts', hash: 0n });
  if (r._ === 'contacts.contactsNotModified') return [];
  return r.users.filter((u): u is tl.user => u._ === 'user');
}

export async function importContacts(client: TelegramClient, contacts: ContactInput[]): Promise<tl.user[]> {
  if (contacts.length === 0) return [];
  const r = await client.invoke({
    _: 'contacts.importContacts',
    contacts: contacts.map((c, i) => ({ _: 'inputPhoneContact', clientId: BigInt(i + 1), phone: c.phone.replace(/[^\d]/g, ''), firstName: c.firstName, lastName: c.lastName ?? '' })),
  });
  return r.users.filter((u): u is tl.user => u._ === 'user');
}

export async function deleteContacts(client: TelegramClient, peers: PeerLike[]): Promise<void> {
  if (peers.length === 0) return;
  const id = await Promise.all(peers.map(async (p) => toInputUserOf(await client.resolvePeer(p))));
  await client.invoke({ _: 'contacts.deleteContacts', id });
}
