// updates.getState / getDifference / getChannelDifference, served from the
// bounded logs (core.telegram.org/api/updates: slices, differenceTooLong,
// channel difference limits).
import type { tl } from '@telegram-mt/tl';
import { RpcError } from '../rpc/rpc-error.js';
import type { LoggedUpdate } from './log.js';
import { channelUnread, unreadCount } from './messaging.js';
import type { ChannelRecord, UserRecord } from './records.js';
import { emptyNotifySettings, mentioned, renderChannel, renderMessage } from './render.js';
import type { World } from './world.js';

export function stateOf(world: World, me: UserRecord): tl.updates.state {
  let unread = 0;
  for (const d of me.dialogs.values()) unread += unreadCount(me, d);
  // The server's current date, as Telegram gives it: the client resumes from here, so a hint is not repeated forever.
  return { _: 'updates.state' as const, pts: me.box.pts, qts: me.box.qts, date: world.date(), seq: me.box.seq, unreadCount: unread };
}

function peersOfUpdates(entries: LoggedUpdate[]): (tl.Peer | bigint | undefined)[] {
  const peers: (tl.Peer | bigint | undefined)[] = [];
  for (const { update } of entries) {
    const msg = (update as { message?: tl.Message }).message;
    if (msg !== undefined && msg._ !== 'messageEmpty') peers.push(msg.peerId, msg.fromId?._ === 'peerUser' ? msg.fromId.userId : undefined);
    const peer = (update as { peer?: tl.Peer }).peer;
    if (peer !== undefined) peers.push(peer);
  }
  return peers;
}

/**
 * updates.getDifference. Channels are not in the common box: a channel the
 * user is in that changed after `date` is named with updateChannelTooLong,
 * which tells the client to call getChannelDifference for it.
 */
export function getDifference(world: World, me: UserRecord, req: { pts: number; date: number; qts: number; ptsTotalLimit?: number }): tl.updates.Difference {
  const box = me.box;
  if (req.pts > box.pts || req.pts < 0) throw new RpcError(400, 'PERSISTENT_TIMESTAMP_INVALID');
  const channelHints: tl.Update[] = [];
  const channels: ChannelRecord[] = [];
  for (const c of world.channels.values()) {
    if (c.members.has(me.id) && c.lastDate >= req.date && c.pts > 1) {
      channelHints.push({ _: 'updateChannelTooLong' as const, channelId: c.id });
      channels.push(c);
    }
  }
  const tooLong = Math.min(req.ptsTotalLimit ?? Infinity, world.options.differenceTooLong);
  if (req.pts < me.log.oldestPts || box.pts - req.pts > tooLong) return { _: 'updates.differenceTooLong' as const, pts: box.pts };
  if (req.pts === box.pts && channelHints.length === 0) return { _: 'updates.differenceEmpty' as const, date: world.date(), seq: box.seq };
  const { entries, more } = world.options.differenceSliceLimit > 0 ? me.log.after(req.pts, world.options.differenceSliceLimit) : { entries: [], more: false };
  const newMessages: tl.Message[] = [];
  const otherUpdates: tl.Update[] = [];
  for (const e of entries) {
    if (e.update._ === 'updateNewMessage') newMessages.push(e.update.message);
    else otherUpdates.push(e.update);
  }
  if (!more) otherUpdates.push(...channelHints);
  const { users, chats } = mentioned(world, me, [...peersOfUpdates(entries), ...channels.map((c): tl.Peer => ({ _: 'peerChannel' as const, channelId: c.id }))], world.options.now());
  if (more) {
    const last = entries.at(-1)!;
    const intermediateState: tl.updates.state = { ...stateOf(world, me), pts: last.pts, date: last.date };
    return { _: 'updates.differenceSlice' as const, newMessages, newEncryptedMessages: [], otherUpdates, users, chats, intermediateState };
  }
  return { _: 'updates.difference' as const, newMessages, newEncryptedMessages: [], otherUpdates, users, chats, state: stateOf(world, me) };
}

/** How long the client should wait before polling this channel again, in seconds. */
const CHANNEL_POLL_TIMEOUT = 30;

export function getChannelDifference(world: World, me: UserRecord, channel: ChannelRecord, pts: number, limit: number): tl.updates.ChannelDifference {
  if (pts <= 0 || pts > channel.pts) throw new RpcError(400, 'PERSISTENT_TIMESTAMP_INVALID');
  const cap = Math.max(1, Math.min(limit, world.options.channelDifferenceLimit));
  if (pts === channel.pts) return { _: 'updates.channelDifferenceEmpty' as const, final: true, pts, timeout: CHANNEL_POLL_TIMEOUT };
  const peer: tl.Peer = { _: 'peerChannel' as const, channelId: channel.id };
  if (pts < channel.log.oldestPts || channel.pts - pts > world.options.differenceTooLong) {
    // Too far behind: the latest messages and the dialog; the client drops what it had.
    const ids = channel.ids.slice(-cap).reverse();
    const messages = ids.map((id) => renderMessage(channel.messages.get(id)!));
    const dialog: tl.dialog = {
      _: 'dialog' as const,
      peer,
      topMessage: channel.ids.at(-1) ?? 0,
      readInboxMaxId: channel.readInbox.get(me.id) ?? 0,
      readOutboxMaxId: 0,
      unreadCount: channelUnread(channel, me.id),
      unreadMentionsCount: 0,
      unreadReactionsCount: 0,
      unreadPollVotesCount: 0,
      notifySettings: emptyNotifySettings,
      pts: channel.pts,
    };
    const m = mentioned(world, me, [peer, ...ids.map((id) => channel.messages.get(id)!.fromId)], world.options.now());
    return { _: 'updates.channelDifferenceTooLong' as const, final: true, timeout: CHANNEL_POLL_TIMEOUT, dialog, messages, ...m };
  }
  const { entries, more } = channel.log.after(pts, cap);
  const newMessages: tl.Message[] = [];
  const otherUpdates: tl.Update[] = [];
  for (const e of entries) {
    if (e.update._ === 'updateNewChannelMessage') newMessages.push(e.update.message);
    else otherUpdates.push(e.update);
  }
  const m = mentioned(world, me, [peer, ...peersOfUpdates(entries)], world.options.now());
  m.chats = m.chats.length > 0 ? m.chats : [renderChannel(channel, me)];
  return {
    _: 'updates.channelDifference' as const,
    final: !more || undefined,
    pts: entries.at(-1)!.pts,
    timeout: CHANNEL_POLL_TIMEOUT,
    newMessages,
    otherUpdates,
    ...m,
  };
}
