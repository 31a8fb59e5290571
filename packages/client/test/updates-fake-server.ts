// A tiny model of Telegram's update boxes for the updates tests: one user's
// common box (pts, seq, date), qts box and channel boxes, with logs that
// answer getDifference / getChannelDifference the way core.telegram.org
// describes (slices, differenceTooLong, channelDifferenceTooLong, limits).
// Plus a harness that runs an UpdatesBox against it on a virtual clock.
import type { tl } from '@telegram-mt/tl';
import { UpdatesBox } from '../src/updates/index.js';
import type { UpdatesBoxOptions, UpdatesOutput, UpdatesRequest } from '../src/updates/index.js';

export const SELF = 1000n;

interface Logged {
  pts: number;
  ptsCount: number;
  date: number;
  update: tl.Update;
}

interface FakeChannel {
  accessHash: bigint;
  pts: number;
  topId: number;
  log: Logged[];
}

export function channelChat(id: bigint, accessHash: bigint): tl.Chat {
  return { _: 'channel', id, accessHash, title: `channel ${id}`, photo: { _: 'chatPhotoEmpty' }, date: 0 } as tl.Chat;
}

export class FakeServer {
  pts = 0;
  qts = 0;
  seq = 0;
  date = 1_700_000_000;
  private topId = 0;
  readonly log: Logged[] = [];
  readonly qtsLog: { qts: number; date: number; update: tl.Update }[] = [];
  readonly channels = new Map<bigint, FakeChannel>();
  /** Most common-box updates one getDifference answer holds before it becomes a slice. */
  sliceSize = 100;
  /** A channel whose client is further behind than this gets channelDifferenceTooLong. */
  channelTooLongAfter = 100_000;
  /** Requests answered, by method. */
  readonly calls: UpdatesRequest[] = [];

  state(): tl.updates.state {
    return { _: 'updates.state', pts: this.pts, qts: this.qts, date: this.date, seq: this.seq, unreadCount: 0 };
  }

  addChannel(id: bigint, accessHash = id * 7n + 3n, pts = 1): void {
    this.channels.set(id, { accessHash, pts, topId: 0, log: [] });
  }

  /** A private message from `userId`, pushed as updateShortMessage. */
  privateMessage(userId: bigint, text: string): tl.updateShortMessage {
    this.date++;
    this.pts++;
    this.topId++;
    this.record(userId, undefined, text);
    return { _: 'updateShortMessage', id: this.topId, userId, message: text, pts: this.pts, ptsCount: 1, date: this.date, out: false };
  }

  /** A basic-group message, pushed as updateShortChatMessage. */
  chatMessage(chatId: bigint, fromId: bigint, text: string): tl.updateShortChatMessage {
    this.date++;
    this.pts++;
    this.topId++;
    this.record(fromId, chatId, text);
    return { _: 'updateShortChatMessage', id: this.topId, fromId, chatId, message: text, pts: this.pts, ptsCount: 1, date: this.date };
  }

  /** A private message pushed inside `updates` with the next seq. */
  seqMessage(userId: bigint, text: string): tl.updates {
    this.date++;
    this.pts++;
    this.topId++;
    this.record(userId, undefined, text);
    return { _: 'updates', updates: [this.log.at(-1)!.update], users: [], chats: [], date: this.date, seq: ++this.seq };
  }

  /** Several updates in one updatesCombined spanning seq numbers. */
  combined(userId: bigint, texts: string[]): tl.updatesCombined {
    const seqStart = this.seq + 1;
    const updates: tl.Update[] = [];
    for (const t of texts) {
      this.date++;
      this.pts++;
      this.topId++;
      this.record(userId, undefined, t);
      updates.push(this.log.at(-1)!.update);
      this.seq++;
    }
    return { _: 'updatesCombined', updates, users: [], chats: [], date: this.date, seqStart, seq: this.seq };
  }

  /** A qts update (a bot's user stopping it). */
  botStopped(userId: bigint): tl.updateShort {
    this.date++;
    this.qts++;
    const update: tl.Update = { _: 'updateBotStopped', userId, date: this.date, stopped: true, qts: this.qts };
    this.qtsLog.push({ qts: this.qts, date: this.date, update });
    return { _: 'updateShort', update, date: this.date };
  }

  /** A channel post, pushed in `updates` with seq 0 and the channel in `chats`. */
  channelMessage(channelId: bigint, text: string): tl.updates {
    const ch = this.channels.get(channelId)!;
    this.date++;
    ch.pts++;
    const message: tl.message = { _: 'message', id: ++ch.topId, peerId: { _: 'peerChannel', channelId }, date: this.date, message: text };
    const update: tl.Update = { _: 'updateNewChannelMessage', message, pts: ch.pts, ptsCount: 1 };
    ch.log.push({ pts: ch.pts, ptsCount: 1, date: this.date, update });
    return { _: 'updates', updates: [update], users: [], chats: [channelChat(channelId, ch.accessHash)], date: this.date, seq: 0 };
  }

  private record(userId: bigint, chatId: bigint | undefined, text: string): void {
    const peerId: tl.Peer = chatId === undefined ? { _: 'peerUser', userId } : { _: 'peerChat', chatId };
    const message: tl.message = { _: 'message', id: this.topId, fromId: { _: 'peerUser', userId }, peerId, date: this.date, message: text };
    this.log.push({ pts: this.pts, ptsCount: 1, date: this.date, update: { _: 'updateNewMessage', message, pts: this.pts, ptsCount: 1 } });
  }

  getDifference(req: tl.updates.getDifference): tl.updates.Difference {
    this.calls.push(req);
    if (req.ptsTotalLimit !== undefined && this.pts - req.pts > req.ptsTotalLimit) {
      return { _: 'updates.differenceTooLong', pts: this.pts };
    }
    const missed = this.log.filter((e) => e.pts > req.pts);
    const missedQts = this.qtsLog.filter((e) => e.qts > req.qts);
    // Channels with posts after the client's date are announced, as Telegram does.
    const tooLong: tl.Update[] = [];
    for (const [channelId, ch] of this.channels) {
      if (ch.log.some((e) => e.date > req.date)) tooLong.push({ _: 'updateChannelTooLong', channelId, pts: ch.pts });
    }
    if (missed.length === 0 && missedQts.length === 0 && tooLong.length === 0) {
      return { _: 'updates.differenceEmpty', date: this.date, seq: this.seq };
    }
    const page = missed.slice(0, this.sliceSize);
    const slice = missed.length > this.sliceSize;
    const newMessages: tl.Message[] = [];
    const otherUpdates: tl.Update[] = [];
    for (const e of page) {
      if (e.update._ === 'updateNewMessage') newMessages.push(e.update.message);
      else otherUpdates.push(e.update);
    }
    for (const e of missedQts) otherUpdates.push(e.update);
    const chats = [...this.channels].map(([id, ch]) => channelChat(id, ch.accessHash));
    if (slice) {
      const last = page.at(-1)!;
      const intermediateState: tl.updates.state = { _: 'updates.state', pts: last.pts, qts: this.qts, date: last.date, seq: this.seq, unreadCount: 0 };
      return { _: 'updates.differenceSlice', newMessages, newEncryptedMessages: [], otherUpdates, chats, users: [], intermediateState };
    }
    otherUpdates.push(...tooLong);
    return { _: 'updates.difference', newMessages, newEncryptedMessages: [], otherUpdates, chats, users: [], state: this.state() };
  }

  getChannelDifference(req: tl.updates.getChannelDifference): tl.updates.ChannelDifference {
    this.calls.push(req);
    if (req.channel._ !== 'inputChannel') throw new Error('CHANNEL_INVALID');
    const ch = this.channels.get(req.channel.channelId);
    if (!ch || ch.accessHash !== req.channel.accessHash) throw new Error('CHANNEL_INVALID');
    if (ch.pts - req.pts > this.channelTooLongAfter) {
      const dialog: tl.Dialog = {
        _: 'dialog', peer: { _: 'peerChannel', channelId: req.channel.channelId }, topMessage: ch.topId, readInboxMaxId: 0, readOutboxMaxId: 0,
        unreadCount: 0, unreadMentionsCount: 0, unreadReactionsCount: 0, unreadPollVotesCount: 0, notifySettings: { _: 'peerNotifySettings' }, pts: ch.pts,
      } as tl.Dialog;
      const messages = ch.log.slice(-5).map((e) => (e.update as tl.updateNewChannelMessage).message);
      return { _: 'updates.channelDifferenceTooLong', final: true, dialog, messages, chats: [], users: [] };
    }
    const missed = ch.log.filter((e) => e.pts > req.pts);
    if (missed.length === 0) return { _: 'updates.channelDifferenceEmpty', final: true, pts: ch.pts };
    const page = missed.slice(0, req.limit);
    const final = page.length === missed.length;
    return {
      _: 'updates.channelDifference',
      final,
      pts: page.at(-1)!.pts,
      newMessages: page.map((e) => (e.update as tl.updateNewChannelMessage).message),
      otherUpdates: [],
      chats: [channelChat(req.channel.channelId, ch.accessHash)],
      users: [],
    };
  }

  answer(request: UpdatesRequest): unknown {
    switch (request._) {
      case 'updates.getState':
        this.calls.push(request);
        return this.state();
      case 'updates.getDifference':
        return this.getDifference(request);
      case 'updates.getChannelDifference':
        return this.getChannelDifference(request);
    }
  }
}

/** Where a delivered message came from and its id: the key for "no duplicate". */
export function messageKey(u: tl.Update): string | undefined {
  if (u._ === 'updateNewMessage' || u._ === 'updateNewChannelMessage') {
    const m = u.message as tl.message;
    const p = m.peerId;
    return p._ === 'peerChannel' ? `channel:${p.channelId}:${m.id}` : `common:${m.id}`;
  }
  return undefined;
}

/**
 * Runs a box against a FakeServer on a virtual clock. Requests are answered
 * at once unless `manual` is set, in which case they wait in `requests`.
 */
export class Harness {
  clock = 0;
  readonly box: UpdatesBox;
  readonly delivered: tl.Update[] = [];
  readonly notices: UpdatesOutput[] = [];
  readonly requests: { id: number; request: UpdatesRequest }[] = [];
  constructor(
    readonly server: FakeServer,
    options: Partial<UpdatesBoxOptions> = {},
    /** Leave requests in `requests` instead of answering them at once. */
    public manual = false,
  ) {
    this.box = new UpdatesBox({ now: this.clock, selfId: SELF, ...options });
    this.pump();
  }

  pump(): void {
    for (let rounds = 0; rounds < 10_000; rounds++) {
      const outs = this.box.drain();
      if (outs.length === 0) return;
      for (const out of outs) {
        if (out._ === 'updates') this.delivered.push(...out.updates);
        else if (out._ === 'request') {
          if (this.manual) this.requests.push(out);
          else {
            try {
              this.box.answer(out.id, this.server.answer(out.request), this.clock);
            } catch (e) {
              this.box.fail(out.id, e, this.clock);
            }
          }
        } else this.notices.push(out);
      }
    }
    throw new Error('harness: the box did not settle');
  }

  feed(u: tl.Updates): void {
    this.box.feed(u, this.clock);
    this.pump();
  }

  /** Moves the clock forward by `ms`, firing every deadline on the way. */
  advance(ms: number): void {
    const end = this.clock + ms;
    for (let i = 0; i < 10_000; i++) {
      const d = this.box.nextDeadline();
      if (d === undefined || d > end) break;
      this.clock = Math.max(this.clock, d);
      this.box.tick(this.clock);
      this.pump();
    }
    this.clock = end;
    this.box.tick(this.clock);
    this.pump();
  }

  /** Answers the manual requests waiting now. */
  answerAll(): void {
    const waiting = this.requests.splice(0);
    for (const { id, request } of waiting) this.box.answer(id, this.server.answer(request), this.clock);
    this.pump();
  }

  messageKeys(): string[] {
    return this.delivered.map(messageKey).filter((k): k is string => k !== undefined);
  }
}
