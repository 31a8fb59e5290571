// messages.* and channels.* over the world's boxes.
import type { tl } from '@telegram-mt/tl';
import {
  channelUnread,
  deleteChannelMessages,
  deleteMessages,
  dialogOf,
  editMessage,
  readHistory,
  sendMessage,
  unreadCount,
  type Target,
} from '../world/messaging.js';
import type { MessageRecord, UserRecord } from '../world/records.js';
import { peerKey } from '../world/records.js';
import { emptyNotifySettings, mentioned, peersOf, renderChannel, renderChat, renderMessage } from '../world/render.js';
import type { World } from '../world/world.js';
import type { MethodRegistry } from './registry.js';
import { RpcError } from './rpc-error.js';
import { caller, inputChannel, inputPeer, inputUser, originOf, peerOfTarget } from './world-common.js';

const HISTORY_LIMIT_MAX = 100;

/** The page of `ids` (ascending) getHistory's offsets select, newest first. */
export function historyPage(
  ids: readonly number[],
  dateOf: (id: number) => number,
  q: { offsetId: number; offsetDate: number; addOffset: number; limit: number; maxId: number; minId: number },
): number[] {
  let start = ids.length;
  if (q.offsetId > 0) start = lowerBound(ids.length, (i) => ids[i]! >= q.offsetId);
  else if (q.offsetDate > 0) start = lowerBound(ids.length, (i) => dateOf(ids[i]!) >= q.offsetDate);
  const limit = Math.max(0, Math.min(q.limit <= 0 ? 20 : q.limit, HISTORY_LIMIT_MAX));
  const end = Math.max(0, Math.min(ids.length, start - q.addOffset));
  const begin = Math.max(0, end - limit);
  const out: number[] = [];
  for (let i = end - 1; i >= begin; i--) {
    const id = ids[i]!;
    if (q.maxId > 0 && id >= q.maxId) continue;
    if (q.minId > 0 && id <= q.minId) continue;
    out.push(id);
  }
  return out;
}

function lowerBound(n: number, pred: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function replyOf(r: tl.InputReplyTo | undefined): number | undefined {
  return r?._ === 'inputReplyToMessage' ? r.replyToMsgId : undefined;
}

/** A chat the caller may write to (two bots cannot talk). */
export function writable(world: World, me: UserRecord, t: Target): Target {
  if (t.kind === 'user' && t.user.bot && me.bot) throw new RpcError(400, 'USER_IS_BOT');
  return t;
}

export function registerMessageMethods(registry: MethodRegistry, world: World): void {
  const now = (): number => world.options.now();

  registry.register('messages.sendMessage', (ctx, req) => {
    const me = caller(world, ctx);
    const target = writable(world, me, inputPeer(world, me, req.peer));
    return sendMessage(world, me, target, { text: req.message, entities: req.entities, replyToMsgId: replyOf(req.replyTo), randomId: req.randomId }, originOf(ctx));
  });

  registry.register('messages.editMessage', (ctx, req) => {
    const me = caller(world, ctx);
    if (req.message === undefined) throw new RpcError(400, 'MESSAGE_NOT_MODIFIED');
    return editMessage(world, me, inputPeer(world, me, req.peer), req.id, req.message, req.entities, originOf(ctx));
  });

  registry.register('messages.deleteMessages', (ctx, req) => {
    const me = caller(world, ctx);
    return deleteMessages(world, me, req.id, req.revoke ?? false, originOf(ctx));
  });

  registry.register('messages.readHistory', (ctx, req) => {
    const me = caller(world, ctx);
    const t = inputPeer(world, me, req.peer);
    if (t.kind === 'channel') throw new RpcError(400, 'PEER_ID_INVALID'); // channels.readHistory
    return readHistory(world, me, t, req.maxId, originOf(ctx));
  });

  registry.register('messages.getHistory', (ctx, req) => {
    const me = caller(world, ctx);
    const t = inputPeer(world, me, req.peer);
    if (t.kind === 'channel') {
      const c = t.channel;
      const page = historyPage(c.ids, (id) => c.messages.get(id)!.date, req).map((id) => c.messages.get(id)!);
      return {
        _: 'messages.channelMessages' as const,
        pts: c.pts,
        count: c.ids.length,
        messages: page.map(renderMessage),
        topics: [],
        ...mentioned(world, me, peersOf(page), now()),
      };
    }
    const d = me.dialogs.get(peerKey(peerOfTarget(t)));
    const ids = d?.ids ?? [];
    const page = historyPage(ids, (id) => me.messages.get(id)!.date, req).map((id) => me.messages.get(id)!);
    const m = { messages: page.map(renderMessage), topics: [], ...mentioned(world, me, [peerOfTarget(t), ...peersOf(page)], now()) };
    return page.length === ids.length ? { _: 'messages.messages' as const, ...m } : { _: 'messages.messagesSlice' as const, count: ids.length, ...m };
  });

  /** messages.getMessages / channels.getMessages: by id or by what an id replies to; unknown ids give messageEmpty. */
  const byIds = (box: Map<number, MessageRecord>, ids: tl.InputMessage[]): (MessageRecord | number)[] => {
    if (ids.length > HISTORY_LIMIT_MAX) throw new RpcError(400, 'LIMIT_INVALID');
    return ids.map((input) => {
      const id = input._ === 'inputMessageID' ? input.id : input._ === 'inputMessageReplyTo' ? box.get(input.id)?.replyToMsgId ?? 0 : 0;
      return box.get(id) ?? id;
    });
  };
  const messagesOf = (found: (MessageRecord | number)[]): tl.Message[] =>
    found.map((m) => (typeof m === 'number' ? { _: 'messageEmpty' as const, id: m } : renderMessage(m)));
  const known = (found: (MessageRecord | number)[]): MessageRecord[] => found.filter((m): m is MessageRecord => typeof m !== 'number');

  registry.register('messages.getMessages', (ctx, req) => {
    const me = caller(world, ctx);
    const found = byIds(me.messages, req.id);
    return { _: 'messages.messages' as const, messages: messagesOf(found), topics: [], ...mentioned(world, me, peersOf(known(found)), now()) };
  });

  registry.register('channels.getMessages', (ctx, req) => {
    const me = caller(world, ctx);
    const c = inputChannel(world, req.channel);
    if (!c.members.has(me.id) && c.username === undefined) throw new RpcError(400, 'CHANNEL_PRIVATE');
    const found = byIds(c.messages, req.id);
    return {
      _: 'messages.channelMessages' as const,
      pts: c.pts,
      count: found.length,
      messages: messagesOf(found),
      topics: [],
      ...mentioned(world, me, [{ _: 'peerChannel', channelId: c.id }, ...peersOf(known(found))], now()),
    };
  });

  registry.register('messages.getDialogs', (ctx, req) => {
    const me = caller(world, ctx);
    type Row = { dialog: tl.dialog; top: MessageRecord | undefined; date: number };
    const rows: Row[] = [];
    if ((req.folderId ?? 0) === 0) {
      for (const d of me.dialogs.values()) {
        const top = me.messages.get(d.topMessage);
        if (top === undefined) continue;
        rows.push({
          dialog: {
            _: 'dialog' as const,
            peer: d.peer,
            topMessage: d.topMessage,
            readInboxMaxId: d.readInboxMaxId,
            readOutboxMaxId: d.readOutboxMaxId,
            unreadCount: unreadCount(me, d),
            unreadMentionsCount: 0,
            unreadReactionsCount: 0,
            unreadPollVotesCount: 0,
            notifySettings: emptyNotifySettings,
          },
          top,
          date: top.date,
        });
      }
      for (const c of world.channels.values()) {
        if (!c.members.has(me.id)) continue;
        const topId = c.ids.at(-1) ?? 0;
        const top = c.messages.get(topId);
        rows.push({
          dialog: {
            _: 'dialog' as const,
            peer: { _: 'peerChannel' as const, channelId: c.id },
            topMessage: topId,
            readInboxMaxId: c.readInbox.get(me.id) ?? 0,
            readOutboxMaxId: 0,
            unreadCount: channelUnread(c, me.id),
            unreadMentionsCount: 0,
            unreadReactionsCount: 0,
            unreadPollVotesCount: 0,
            notifySettings: emptyNotifySettings,
            pts: c.pts,
          },
          top,
          date: top?.date ?? c.date,
        });
      }
    }
    rows.sort((a, b) => b.date - a.date || b.dialog.topMessage - a.dialog.topMessage);
    const after = req.offsetDate > 0 ? rows.filter((r) => r.date < req.offsetDate || (r.date === req.offsetDate && r.dialog.topMessage < req.offsetId)) : rows;
    const limit = Math.max(1, Math.min(req.limit <= 0 ? 20 : req.limit, HISTORY_LIMIT_MAX));
    const page = after.slice(0, limit);
    const tops = page.flatMap((r) => (r.top ? [r.top] : []));
    const body = {
      dialogs: page.map((r) => r.dialog),
      messages: tops.map(renderMessage),
      ...mentioned(world, me, [...page.map((r) => r.dialog.peer), ...peersOf(tops)], now()),
    };
    return page.length === rows.length ? { _: 'messages.dialogs' as const, ...body } : { _: 'messages.dialogsSlice' as const, count: rows.length, ...body };
  });

  registry.register('messages.getChats', (ctx, req) => {
    const me = caller(world, ctx);
    const chats: tl.Chat[] = [];
    for (const id of req.id) {
      const c = world.chats.get(id);
      if (c !== undefined) chats.push(renderChat(c, me));
    }
    return { _: 'messages.chats' as const, chats };
  });

  registry.register('messages.createChat', (ctx, req) => {
    const me = caller(world, ctx);
    const title = req.title.trim();
    if (title === '' || title.length > 128) throw new RpcError(400, 'CHAT_TITLE_EMPTY');
    const members = req.users.map((u) => inputUser(world, me, u)).filter((u) => u.id !== me.id);
    if (members.length === 0) throw new RpcError(400, 'USERS_TOO_FEW');
    const chat = world.createChat(me.id, title, members.map((u) => u.id));
    for (const id of chat.members) dialogOf(world.users.get(id)!, { _: 'peerChat' as const, chatId: chat.id });
    const peer: tl.Peer = { _: 'peerChat' as const, chatId: chat.id };
    const updates: tl.updates = { _: 'updates' as const, updates: [], ...mentioned(world, me, [peer, ...chat.members], now()), date: world.date(), seq: 0 };
    return { _: 'messages.invitedUsers' as const, updates, missingInvitees: [] };
  });

  registry.register('channels.createChannel', (ctx, req) => {
    const me = caller(world, ctx);
    const title = req.title.trim();
    if (title === '' || title.length > 128) throw new RpcError(400, 'CHAT_TITLE_EMPTY');
    const c = world.createChannel(me.id, { title, megagroup: req.megagroup ?? false });
    return {
      _: 'updates' as const,
      updates: [{ _: 'updateChannel' as const, channelId: c.id }],
      users: [],
      chats: [renderChannel(c, me)],
      date: world.date(),
      seq: 0,
    };
  });

  registry.register('channels.inviteToChannel', (ctx, req) => {
    const me = caller(world, ctx);
    const c = inputChannel(world, req.channel);
    if (!c.members.has(me.id)) throw new RpcError(400, 'CHANNEL_PRIVATE');
    if (!c.megagroup && c.creatorId !== me.id) throw new RpcError(403, 'CHAT_ADMIN_REQUIRED');
    for (const input of req.users) c.members.add(inputUser(world, me, input).id);
    const updates: tl.updates = { _: 'updates' as const, updates: [{ _: 'updateChannel' as const, channelId: c.id }], users: [], chats: [renderChannel(c, me)], date: world.date(), seq: 0 };
    return { _: 'messages.invitedUsers' as const, updates, missingInvitees: [] };
  });

  registry.register('channels.getChannels', (ctx, req) => {
    const me = caller(world, ctx);
    return { _: 'messages.chats' as const, chats: req.id.map((input) => renderChannel(inputChannel(world, input), me)) };
  });

  registry.register('channels.readHistory', (ctx, req) => {
    const me = caller(world, ctx);
    const c = inputChannel(world, req.channel);
    if (!c.members.has(me.id)) throw new RpcError(400, 'CHANNEL_PRIVATE');
    const top = c.ids.at(-1) ?? 0;
    const upTo = Math.min(req.maxId <= 0 ? top : req.maxId, top);
    if (upTo > (c.readInbox.get(me.id) ?? 0)) {
      c.readInbox.set(me.id, upTo);
      const update: tl.updateReadChannelInbox = { _: 'updateReadChannelInbox' as const, channelId: c.id, maxId: upTo, stillUnreadCount: channelUnread(c, me.id), pts: c.pts };
      world.push(me.id, { _: 'updateShort' as const, update, date: world.date() }, originOf(ctx));
    }
    return true;
  });

  registry.register('channels.deleteMessages', (ctx, req) => {
    const me = caller(world, ctx);
    const c = inputChannel(world, req.channel);
    if (!c.members.has(me.id)) throw new RpcError(400, 'CHANNEL_PRIVATE');
    return deleteChannelMessages(world, me, c, req.id, originOf(ctx));
  });
}
