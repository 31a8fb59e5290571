// Records → the TL constructors a viewer receives.
import type { tl } from '@telegram-mt/tl';
import type { ChannelRecord, ChatRecord, MessageRecord, UserRecord } from './records.js';
import { renderMedia } from './files.js';

export function renderUser(u: UserRecord, viewer: UserRecord | undefined, now: number): tl.user {
  const self = viewer !== undefined && viewer.id === u.id;
  const saved = viewer?.contacts.get(u.id);
  const mutual = saved !== undefined && viewer !== undefined && u.contacts.has(viewer.id);
  const names = saved ?? { firstName: u.firstName, lastName: u.lastName };
  return {
    _: 'user' as const,
    self: self || undefined,
    contact: saved !== undefined || undefined,
    mutualContact: mutual || undefined,
    bot: u.bot || undefined,
    botNochats: undefined,
    id: u.id,
    accessHash: u.accessHash,
    firstName: self ? u.firstName : names.firstName,
    lastName: (self ? u.lastName : names.lastName) || undefined,
    username: u.username,
    // Telegram shows the number to the owner and to those who saved it.
    phone: self || saved !== undefined ? u.phone : undefined,
    status: u.bot ? undefined : { _: 'userStatusRecently' as const },
    botInfoVersion: u.bot ? 1 : undefined,
  } as tl.user;
}

export function renderChat(c: ChatRecord, viewer: UserRecord | undefined): tl.chat | tl.chatForbidden {
  if (viewer !== undefined && !c.members.has(viewer.id)) return { _: 'chatForbidden' as const, id: c.id, title: c.title };
  return {
    _: 'chat' as const,
    creator: viewer?.id === c.creatorId || undefined,
    id: c.id,
    title: c.title,
    photo: { _: 'chatPhotoEmpty' as const },
    participantsCount: c.members.size,
    date: c.date,
    version: c.version,
  };
}

export function renderChannel(c: ChannelRecord, viewer: UserRecord | undefined): tl.channel {
  const member = viewer !== undefined && c.members.has(viewer.id);
  return {
    _: 'channel' as const,
    creator: viewer?.id === c.creatorId || undefined,
    left: !member || undefined,
    broadcast: !c.megagroup || undefined,
    megagroup: c.megagroup || undefined,
    id: c.id,
    accessHash: c.accessHash,
    title: c.title,
    username: c.username,
    photo: { _: 'chatPhotoEmpty' as const },
    date: c.date,
    participantsCount: c.members.size,
  };
}

export function renderMessage(m: MessageRecord): tl.message {
  return {
    _: 'message' as const,
    out: m.out || undefined,
    id: m.id,
    fromId: m.fromId === undefined ? undefined : { _: 'peerUser' as const, userId: m.fromId },
    peerId: m.peer,
    date: m.date,
    message: m.text,
    media: m.media === undefined ? undefined : renderMedia(m.media),
    entities: m.entities,
    replyTo: m.replyToMsgId === undefined ? undefined : { _: 'messageReplyHeader' as const, replyToMsgId: m.replyToMsgId },
    editDate: m.editDate,
  };
}

export const emptyNotifySettings: tl.peerNotifySettings = { _: 'peerNotifySettings' as const };

/** The users and chats a list of messages mentions, rendered for the viewer (the `users` / `chats` vectors). */
export function mentioned(
  world: { users: Map<bigint, UserRecord>; chats: Map<bigint, ChatRecord>; channels: Map<bigint, ChannelRecord> },
  viewer: UserRecord | undefined,
  peers: Iterable<tl.Peer | bigint | undefined>,
  now: number,
): { users: tl.User[]; chats: tl.Chat[] } {
  const users = new Map<bigint, tl.User>();
  const chats = new Map<string, tl.Chat>();
  if (viewer !== undefined) users.set(viewer.id, renderUser(viewer, viewer, now));
  for (const p of peers) {
    if (p === undefined) continue;
    if (typeof p === 'bigint' || p._ === 'peerUser') {
      const id = typeof p === 'bigint' ? p : p.userId;
      const u = world.users.get(id);
      if (u !== undefined && !users.has(id)) users.set(id, renderUser(u, viewer, now));
    } else if (p._ === 'peerChat') {
      const c = world.chats.get(p.chatId);
      if (c !== undefined) chats.set(`c${c.id}`, renderChat(c, viewer));
    } else {
      const c = world.channels.get(p.channelId);
      if (c !== undefined) chats.set(`C${c.id}`, renderChannel(c, viewer));
    }
  }
  return { users: [...users.values()], chats: [...chats.values()] };
}

/** Peers a message refers to (its chat and its sender). */
export function peersOf(messages: Iterable<MessageRecord>): (tl.Peer | bigint | undefined)[] {
  const out: (tl.Peer | bigint | undefined)[] = [];
  for (const m of messages) out.push(m.peer, m.fromId);
  return out;
}
