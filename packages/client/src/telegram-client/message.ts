import type { tl } from '@telegram-mt/tl';
import { markedPeerId } from '../storage/repositories/peers.js';

/**
 * A message as people think of it: who, where, what. `chatId` and `senderId`
 * are marked ids (users as is, basic groups negated, channels −10¹² − id),
 * the form `resolvePeer` takes back. `raw` is the TL object it came from.
 */
export interface Message {
  id: number;
  /** The chat: for a private chat, the other person (also for our own outgoing messages). */
  chatId: bigint;
  /** Who wrote it; undefined for channel posts without a signature. */
  senderId?: bigint;
  /** Sent by the logged-in account. */
  out: boolean;
  date: Date;
  editDate?: Date;
  text: string;
  /** UTF-16 offsets, as Telegram's. */
  entities: tl.MessageEntity[];
  replyToMsgId?: number;
  media?: tl.MessageMedia;
  /** Set for service messages (joins, title changes …). */
  action?: tl.MessageAction;
  raw: tl.message | tl.messageService;
}

/** A row of the chat list. */
export interface Dialog {
  peer: tl.Peer;
  chatId: bigint;
  title: string;
  unreadCount: number;
  topMessage?: Message;
  raw: tl.Dialog;
}

export function peerMarkedId(peer: tl.Peer): bigint {
  switch (peer._) {
    case 'peerUser':
      return markedPeerId('user', peer.userId);
    case 'peerChat':
      return markedPeerId('chat', peer.chatId);
    case 'peerChannel':
      return markedPeerId('channel', peer.channelId);
  }
}

/** The high-level form of a message; undefined for messageEmpty (a deleted or unknown id). */
export function toMessage(raw: tl.Message, selfId: bigint | undefined): Message | undefined {
  if (raw._ === 'messageEmpty') return undefined;
  const out = !!raw.out;
  const chatId = peerMarkedId(raw.peerId);
  // Private chats carry no fromId: the sender is the other side, or us.
  const senderId =
    raw.fromId !== undefined ? peerMarkedId(raw.fromId) : raw.peerId._ === 'peerUser' ? (out ? selfId : chatId) : raw.peerId._ === 'peerChat' ? undefined : undefined;
  const m: Message = {
    id: raw.id,
    chatId,
    out,
    date: new Date(raw.date * 1000),
    text: raw._ === 'message' ? raw.message : '',
    entities: raw._ === 'message' ? (raw.entities ?? []) : [],
    raw,
  };
  if (senderId !== undefined) m.senderId = senderId;
  const reply = raw.replyTo;
  if (reply?._ === 'messageReplyHeader' && reply.replyToMsgId !== undefined) m.replyToMsgId = reply.replyToMsgId;
  if (raw._ === 'message') {
    if (raw.media !== undefined && raw.media._ !== 'messageMediaEmpty') m.media = raw.media;
    if (raw.editDate !== undefined) m.editDate = new Date(raw.editDate * 1000);
  } else {
    m.action = raw.action;
  }
  return m;
}

/** "First Last" of a user, the title of a chat or channel. */
export function displayName(entity: tl.User | tl.Chat | undefined): string {
  if (!entity) return '';
  if (entity._ === 'user') return [entity.firstName, entity.lastName].filter(Boolean).join(' ') || (entity.username ?? String(entity.id));
  if (entity._ === 'userEmpty') return String(entity.id);
  return 'title' in entity ? entity.title : String(entity.id);
}

/** The messages of a messages.Messages answer, converted; users/chats come along for the peer cache. */
export function messagesOf(result: tl.messages.Messages, selfId: bigint | undefined): Message[] {
  if (result._ === 'messages.messagesNotModified') return [];
  const out: Message[] = [];
  for (const raw of result.messages) {
    const m = toMessage(raw, selfId);
    if (m) out.push(m);
  }
  return out;
}
