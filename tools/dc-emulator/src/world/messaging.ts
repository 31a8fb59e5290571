// Sending, editing, deleting and reading messages: the state changes in every
// box involved and the updates Telegram gives the caller and pushes to others.
// Containers carrying only pts-ordered updates have seq = 0, as Telegram's do.
import type { tl } from '@telegram-mt/tl';
import { RpcError } from '../rpc/rpc-error.js';
import type { ChannelRecord, ChatRecord, DialogState, MessageRecord, UserRecord } from './records.js';
import { peerKey } from './records.js';
import { mentioned, renderMessage } from './render.js';
import type { UpdateOrigin, World } from './world.js';
import type { StoredFile } from './files.js';

/** A chat as the caller named it (already checked for access). */
export type Target = { kind: 'user'; user: UserRecord } | { kind: 'chat'; chat: ChatRecord } | { kind: 'channel'; channel: ChannelRecord };

export const MESSAGE_LENGTH_MAX = 4096;
/** A media caption's limit (Telegram's, for accounts without Premium). */
export const CAPTION_LENGTH_MAX = 1024;

export interface Draft {
  text: string;
  entities: tl.MessageEntity[] | undefined;
  replyToMsgId: number | undefined;
  randomId: bigint;
  /** A document or photo: the text is its caption and may be empty. */
  media?: StoredFile;
}

export function dialogOf(user: UserRecord, peer: tl.Peer): DialogState {
  const key = peerKey(peer);
  let d = user.dialogs.get(key);
  if (d === undefined) {
    d = { peer, topMessage: 0, readInboxMaxId: 0, readOutboxMaxId: 0, ids: [] };
    user.dialogs.set(key, d);
  }
  return d;
}

/**
 * An `updates` container for one user. Containers of the user's common box
 * take the next seq (core.telegram.org/api/updates: the client applies them in
 * seq order and fetches the difference on a gap); channel-only ones carry
 * seq 0, as Telegram's do, since the channel's pts orders them.
 */
function updatesOf(world: World, viewer: UserRecord, list: tl.Update[], peers: Iterable<tl.Peer | bigint | undefined>): tl.updates {
  const now = world.options.now();
  const channelOnly = list.some((u) => u._ !== 'updateMessageID') && list.every((u) => u._ === 'updateMessageID' || u._.includes('Channel'));
  const seq = channelOnly ? 0 : world.nextSeq(viewer);
  return { _: 'updates' as const, updates: list, ...mentioned(world, viewer, peers, now), date: world.date(), seq };
}

/** Stores a copy of a message in a user's box and logs updateNewMessage there. */
function storeCopy(world: World, owner: UserRecord, peer: tl.Peer, from: UserRecord, draft: Draft, replyTo: number | undefined, copies: Map<bigint, number>) {
  const rec: MessageRecord = {
    id: owner.nextMessageId++,
    peer,
    fromId: from.id,
    out: owner.id === from.id,
    date: world.date(),
    text: draft.text,
    entities: draft.entities,
    replyToMsgId: replyTo,
    editDate: undefined,
    copies,
    media: draft.media,
  };
  copies.set(owner.id, rec.id);
  owner.messages.set(rec.id, rec);
  const d = dialogOf(owner, peer);
  d.ids.push(rec.id);
  d.topMessage = rec.id;
  if (rec.out) d.readInboxMaxId = Math.max(d.readInboxMaxId, rec.id - 1);
  const update = world.logUser(owner, (pts) => ({ _: 'updateNewMessage' as const, message: renderMessage(rec), pts, ptsCount: 1 }));
  return { rec, update };
}

/** The reply's id in another copy of the same chat (undefined when that box does not hold it). */
function mapReply(sender: UserRecord, replyTo: number | undefined, owner: UserRecord): number | undefined {
  if (replyTo === undefined) return undefined;
  return sender.messages.get(replyTo)?.copies?.get(owner.id);
}

function checkDraft(draft: Draft): void {
  if (draft.media !== undefined) {
    if (draft.text.length > CAPTION_LENGTH_MAX) throw new RpcError(400, 'MEDIA_CAPTION_TOO_LONG');
    return;
  }
  if (draft.text.trim() === '') throw new RpcError(400, 'MESSAGE_EMPTY');
  if (draft.text.length > MESSAGE_LENGTH_MAX) throw new RpcError(400, 'MESSAGE_TOO_LONG');
}

export function sendMessage(world: World, me: UserRecord, target: Target, draft: Draft, origin: UpdateOrigin | undefined): tl.Updates {
  checkDraft(draft);
  if (me.sentRandomIds.has(draft.randomId)) throw new RpcError(500, 'RANDOM_ID_DUPLICATE');
  const short = {
    message: draft.text,
    date: world.date(),
    entities: draft.entities,
  };
  if (target.kind === 'user') {
    const them = target.user;
    const copies = new Map<bigint, number>();
    if (draft.replyToMsgId !== undefined && me.messages.get(draft.replyToMsgId) === undefined) throw new RpcError(400, 'REPLY_TO_INVALID');
    const mine = storeCopy(world, me, { _: 'peerUser' as const, userId: them.id }, me, draft, draft.replyToMsgId, copies);
    me.sentRandomIds.set(draft.randomId, { peerKey: peerKey(mine.rec.peer), id: mine.rec.id });
    if (draft.media !== undefined) {
      // The short forms (updateShortMessage, updateShortSentMessage) carry no media: every box gets updateNewMessage.
      // One container (one seq) for every session of the sender: the caller gets it as the answer.
      const result = updatesOf(world, me, [{ _: 'updateMessageID' as const, id: mine.rec.id, randomId: draft.randomId }, mine.update], [mine.rec.peer, me.id]);
      world.push(me.id, result, origin);
      if (them.id !== me.id) {
        const theirs = storeCopy(world, them, { _: 'peerUser' as const, userId: me.id }, me, draft, mapReply(me, draft.replyToMsgId, them), copies);
        world.push(them.id, updatesOf(world, them, [theirs.update], [theirs.rec.peer, me.id]), undefined);
      }
      return result;
    }
    const replyHeader = (id: number | undefined): tl.MessageReplyHeader | undefined =>
      id === undefined ? undefined : { _: 'messageReplyHeader' as const, replyToMsgId: id };
    world.push(
      me.id,
      { _: 'updateShortMessage' as const, out: true, id: mine.rec.id, userId: them.id, pts: mine.update.pts, ptsCount: 1, replyTo: replyHeader(draft.replyToMsgId), ...short },
      origin,
    );
    if (them.id !== me.id) {
      const reply = mapReply(me, draft.replyToMsgId, them);
      const theirs = storeCopy(world, them, { _: 'peerUser' as const, userId: me.id }, me, draft, reply, copies);
      world.push(
        them.id,
        { _: 'updateShortMessage' as const, id: theirs.rec.id, userId: me.id, pts: theirs.update.pts, ptsCount: 1, replyTo: replyHeader(reply), ...short },
        undefined,
      );
    }
    return { _: 'updateShortSentMessage' as const, out: true, id: mine.rec.id, pts: mine.update.pts, ptsCount: 1, date: short.date, entities: draft.entities };
  }
  if (target.kind === 'chat') {
    const chat = target.chat;
    const peer: tl.Peer = { _: 'peerChat' as const, chatId: chat.id };
    if (draft.replyToMsgId !== undefined && me.messages.get(draft.replyToMsgId) === undefined) throw new RpcError(400, 'REPLY_TO_INVALID');
    const copies = new Map<bigint, number>();
    const mine = storeCopy(world, me, peer, me, draft, draft.replyToMsgId, copies);
    me.sentRandomIds.set(draft.randomId, { peerKey: peerKey(peer), id: mine.rec.id });
    // The sender's sessions all get the answer's container (one seq); the others a copy each.
    const result = updatesOf(world, me, [{ _: 'updateMessageID' as const, id: mine.rec.id, randomId: draft.randomId }, mine.update], [peer, me.id]);
    world.push(me.id, result, origin);
    for (const memberId of chat.members) {
      const member = world.users.get(memberId);
      if (member === undefined || member.id === me.id) continue;
      const copy = storeCopy(world, member, peer, me, draft, mapReply(me, draft.replyToMsgId, member), copies);
      if (draft.media !== undefined) {
        world.push(member.id, updatesOf(world, member, [copy.update], [peer, me.id]), undefined);
        continue;
      }
      const reply = copy.rec.replyToMsgId;
      world.push(
        member.id,
        {
          _: 'updateShortChatMessage' as const,
          id: copy.rec.id,
          fromId: me.id,
          chatId: chat.id,
          pts: copy.update.pts,
          ptsCount: 1,
          replyTo: reply === undefined ? undefined : { _: 'messageReplyHeader' as const, replyToMsgId: reply },
          ...short,
        },
        undefined,
      );
    }
    return result;
  }
  const channel = target.channel;
  if (!channel.members.has(me.id) || (!channel.megagroup && channel.creatorId !== me.id)) throw new RpcError(403, 'CHAT_WRITE_FORBIDDEN');
  if (draft.replyToMsgId !== undefined && !channel.messages.has(draft.replyToMsgId)) throw new RpcError(400, 'REPLY_TO_INVALID');
  const peer: tl.Peer = { _: 'peerChannel' as const, channelId: channel.id };
  const rec: MessageRecord = {
    id: channel.nextMessageId++,
    peer,
    fromId: channel.megagroup ? me.id : undefined,
    out: false,
    date: world.date(),
    text: draft.text,
    entities: draft.entities,
    replyToMsgId: draft.replyToMsgId,
    editDate: undefined,
    copies: undefined,
    media: draft.media,
  };
  channel.messages.set(rec.id, rec);
  channel.ids.push(rec.id);
  channel.readInbox.set(me.id, rec.id);
  me.sentRandomIds.set(draft.randomId, { peerKey: peerKey(peer), id: rec.id });
  const update = world.logChannel(channel, (pts) => ({ _: 'updateNewChannelMessage' as const, message: renderMessage(rec), pts, ptsCount: 1 }));
  const forViewer = (u: UserRecord): tl.updateNewChannelMessage => ({
    ...update,
    message: { ...renderMessage(rec), out: u.id === me.id || undefined, post: !channel.megagroup || undefined },
  });
  for (const memberId of channel.members) {
    const member = world.users.get(memberId);
    if (member !== undefined) world.push(member.id, updatesOf(world, member, [forViewer(member)], [peer, rec.fromId]), member.id === me.id ? origin : undefined);
  }
  return updatesOf(world, me, [{ _: 'updateMessageID' as const, id: rec.id, randomId: draft.randomId }, forViewer(me)], [peer, rec.fromId]);
}

export function editMessage(world: World, me: UserRecord, target: Target, id: number, text: string | undefined, entities: tl.MessageEntity[] | undefined, origin: UpdateOrigin | undefined): tl.Updates {
  const newText = text ?? '';
  if (target.kind === 'channel') {
    const channel = target.channel;
    const rec = channel.messages.get(id);
    if (rec === undefined) throw new RpcError(400, 'MESSAGE_ID_INVALID');
    if (rec.fromId !== me.id && channel.creatorId !== me.id) throw new RpcError(403, 'MESSAGE_AUTHOR_REQUIRED');
    applyEdit(world, rec, newText, entities);
    const peer = rec.peer;
    const update = world.logChannel(channel, (pts) => ({ _: 'updateEditChannelMessage' as const, message: renderMessage(rec), pts, ptsCount: 1 }));
    for (const memberId of channel.members) {
      const member = world.users.get(memberId);
      if (member !== undefined) world.push(member.id, updatesOf(world, member, [update], [peer, rec.fromId]), member.id === me.id ? origin : undefined);
    }
    return updatesOf(world, me, [update], [peer, rec.fromId]);
  }
  const mine = me.messages.get(id);
  const peerOk = mine !== undefined && (target.kind === 'user' ? mine.peer._ === 'peerUser' && mine.peer.userId === target.user.id : mine.peer._ === 'peerChat' && mine.peer.chatId === target.chat.id);
  if (!peerOk) throw new RpcError(400, 'MESSAGE_ID_INVALID');
  if (!mine!.out) throw new RpcError(403, 'MESSAGE_AUTHOR_REQUIRED');
  let result: tl.Updates | undefined;
  for (const [ownerId, copyId] of mine!.copies ?? new Map([[me.id, id]])) {
    const owner = world.users.get(ownerId);
    const rec = owner?.messages.get(copyId);
    if (owner === undefined || rec === undefined) continue;
    applyEdit(world, rec, newText, entities);
    const update = world.logUser(owner, (pts) => ({ _: 'updateEditMessage' as const, message: renderMessage(rec), pts, ptsCount: 1 }));
    const updates = updatesOf(world, owner, [update], [rec.peer, rec.fromId]);
    world.push(owner.id, updates, owner.id === me.id ? origin : undefined);
    if (owner.id === me.id) result = updates;
  }
  return result!;
}

function applyEdit(world: World, rec: MessageRecord, text: string, entities: tl.MessageEntity[] | undefined): void {
  if (text.trim() === '') throw new RpcError(400, 'MESSAGE_EMPTY');
  if (text.length > MESSAGE_LENGTH_MAX) throw new RpcError(400, 'MESSAGE_TOO_LONG');
  if (text === rec.text && JSON.stringify(entities ?? [], big) === JSON.stringify(rec.entities ?? [], big)) {
    throw new RpcError(400, 'MESSAGE_NOT_MODIFIED');
  }
  rec.text = text;
  rec.entities = entities;
  rec.editDate = world.date();
}

const big = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);

function removeIds(list: number[], gone: ReadonlySet<number>): void {
  let w = 0;
  for (const id of list) if (!gone.has(id)) list[w++] = id;
  list.length = w;
}

/** messages.deleteMessages: the caller's copies, and with `revoke` everyone's. Unknown ids are skipped. */
export function deleteMessages(world: World, me: UserRecord, ids: readonly number[], revoke: boolean, origin: UpdateOrigin | undefined): tl.messages.affectedMessages {
  const perOwner = new Map<bigint, number[]>();
  for (const id of new Set(ids)) {
    const rec = me.messages.get(id);
    if (rec === undefined) continue;
    for (const [ownerId, copyId] of revoke && rec.copies ? rec.copies : new Map([[me.id, id]])) {
      let list = perOwner.get(ownerId);
      if (list === undefined) perOwner.set(ownerId, (list = []));
      list.push(copyId);
    }
  }
  const mine = perOwner.get(me.id) ?? [];
  if (mine.length === 0) return { _: 'messages.affectedMessages' as const, pts: me.box.pts, ptsCount: 0 };
  for (const [ownerId, list] of perOwner) {
    const owner = world.users.get(ownerId);
    if (owner === undefined) continue;
    const gone = new Set<number>();
    for (const id of list) {
      const rec = owner.messages.get(id);
      if (rec === undefined) continue;
      owner.messages.delete(id);
      gone.add(id);
      const d = owner.dialogs.get(peerKey(rec.peer));
      if (d !== undefined) {
        removeIds(d.ids, gone);
        d.topMessage = d.ids.at(-1) ?? 0;
      }
    }
    if (gone.size === 0) continue;
    const update = world.logUser(owner, (pts) => ({ _: 'updateDeleteMessages' as const, messages: [...gone], pts, ptsCount: gone.size }), gone.size);
    world.push(owner.id, updatesOf(world, owner, [update], []), owner.id === me.id ? origin : undefined);
  }
  return { _: 'messages.affectedMessages' as const, pts: me.box.pts, ptsCount: mine.length };
}

export function deleteChannelMessages(world: World, me: UserRecord, channel: ChannelRecord, ids: readonly number[], origin: UpdateOrigin | undefined): tl.messages.affectedMessages {
  const gone = new Set<number>();
  for (const id of new Set(ids)) {
    const rec = channel.messages.get(id);
    if (rec === undefined) continue;
    if (rec.fromId !== me.id && channel.creatorId !== me.id) throw new RpcError(403, 'MESSAGE_DELETE_FORBIDDEN');
    gone.add(id);
  }
  if (gone.size === 0) return { _: 'messages.affectedMessages' as const, pts: channel.pts, ptsCount: 0 };
  for (const id of gone) channel.messages.delete(id);
  removeIds(channel.ids, gone);
  const update = world.logChannel(
    channel,
    (pts) => ({ _: 'updateDeleteChannelMessages' as const, channelId: channel.id, messages: [...gone], pts, ptsCount: gone.size }),
    gone.size,
  );
  for (const memberId of channel.members) {
    const member = world.users.get(memberId);
    if (member !== undefined) world.push(member.id, updatesOf(world, member, [update], [{ _: 'peerChannel' as const, channelId: channel.id }]), member.id === me.id ? origin : undefined);
  }
  return { _: 'messages.affectedMessages' as const, pts: channel.pts, ptsCount: gone.size };
}

/** messages.readHistory for a private chat or basic group: inbox read here, outbox read for the senders. */
export function readHistory(world: World, me: UserRecord, target: Target & { kind: 'user' | 'chat' }, maxId: number, origin: UpdateOrigin | undefined): tl.messages.affectedMessages {
  const peer: tl.Peer = target.kind === 'user' ? { _: 'peerUser' as const, userId: target.user.id } : { _: 'peerChat' as const, chatId: target.chat.id };
  const d = dialogOf(me, peer);
  const upTo = Math.min(maxId <= 0 ? d.topMessage : maxId, d.topMessage);
  if (upTo <= d.readInboxMaxId) return { _: 'messages.affectedMessages' as const, pts: me.box.pts, ptsCount: 0 };
  d.readInboxMaxId = upTo;
  const still = unreadCount(me, d);
  const update = world.logUser(me, (pts) => ({ _: 'updateReadHistoryInbox' as const, peer, maxId: upTo, stillUnreadCount: still, pts, ptsCount: 1 }));
  world.push(me.id, updatesOf(world, me, [update], [peer]), origin);
  // Each sender learns the highest of its own messages now read (by its own ids).
  const outbox = new Map<bigint, number>();
  for (const id of d.ids) {
    if (id > upTo) break;
    const rec = me.messages.get(id)!;
    if (rec.out || rec.fromId === undefined) continue;
    const theirId = rec.copies?.get(rec.fromId);
    if (theirId !== undefined) outbox.set(rec.fromId, Math.max(outbox.get(rec.fromId) ?? 0, theirId));
  }
  for (const [senderId, theirMax] of outbox) {
    const sender = world.users.get(senderId);
    if (sender === undefined) continue;
    const theirPeer: tl.Peer = target.kind === 'user' ? { _: 'peerUser' as const, userId: me.id } : peer;
    const sd = dialogOf(sender, theirPeer);
    if (theirMax <= sd.readOutboxMaxId) continue;
    sd.readOutboxMaxId = theirMax;
    const u = world.logUser(sender, (pts) => ({ _: 'updateReadHistoryOutbox' as const, peer: theirPeer, maxId: theirMax, pts, ptsCount: 1 }));
    world.push(sender.id, updatesOf(world, sender, [u], [theirPeer]), undefined);
  }
  return { _: 'messages.affectedMessages' as const, pts: me.box.pts, ptsCount: 1 };
}

export function unreadCount(me: UserRecord, d: DialogState): number {
  let n = 0;
  for (let i = d.ids.length - 1; i >= 0 && d.ids[i]! > d.readInboxMaxId; i--) if (!me.messages.get(d.ids[i]!)?.out) n++;
  return n;
}

export function channelUnread(channel: ChannelRecord, userId: bigint): number {
  const read = channel.readInbox.get(userId) ?? 0;
  let n = 0;
  for (let i = channel.ids.length - 1; i >= 0 && channel.ids[i]! > read; i--) n++;
  return n;
}
