import type { tl } from '@telegram-mt/tl';
import { updatesOfChannelDifference } from './difference.js';
import { PtsSequence } from './pts-sequence.js';
import type { UpdatesOutput } from './types.js';

/** What the channel boxes need from the box that owns them. */
export interface ChannelHost {
  deliver(update: tl.Update, users: tl.User[], chats: tl.Chat[]): void;
  /** Gives out a notice after the updates delivered so far. */
  notice(out: UpdatesOutput): void;
  request(key: string, request: tl.updates.getChannelDifference): void;
  /** Applies what a channel held and is now in turn (after its difference). */
  drain(key: string, box: PtsSequence): void;
}

export interface ChannelLimits {
  maxChannels: number;
  /** getChannelDifference `limit`. */
  limit: number;
  /** getChannelDifference requests out at once. */
  maxRequests: number;
  accessHashOf: ((channelId: bigint) => bigint | undefined) | undefined;
}

/**
 * Every channel's own pts box and its getChannelDifference: which channels
 * are tracked (most recently updated last, at most `maxChannels`), the
 * access hashes the requests need (learnt from the `chats` that come with
 * updates), and how many fetches run at once. Keys are channel ids in decimal.
 */
export class ChannelBoxes {
  private readonly boxes = new Map<string, PtsSequence>();
  /** Channels with a gap deadline, so a tick does not scan every channel. */
  readonly timed = new Set<string>();
  private readonly accessHashes = new Map<string, bigint>();
  /** Channels with a getChannelDifference out, and those waiting for a slot (insertion-ordered). */
  private readonly slots = new Set<string>();
  private readonly queue = new Set<string>();

  constructor(
    private readonly limits: ChannelLimits,
    private readonly host: ChannelHost,
  ) {}

  get size(): number {
    return this.boxes.size;
  }

  get(key: string): PtsSequence | undefined {
    return this.boxes.get(key);
  }

  entries(): IterableIterator<[string, PtsSequence]> {
    return this.boxes.entries();
  }

  /**
   * Starts tracking a channel at `pts`. Past `maxChannels` the least recently
   * updated one not being fetched makes room (what it held is delivered).
   */
  track(key: string, pts: number): PtsSequence {
    if (this.boxes.size >= this.limits.maxChannels) {
      for (const [old, box] of this.boxes) {
        if (box.fetching) continue;
        if (box.pending.length > 0) this.giveUp(old, 'too many channels tracked');
        else this.forget(old);
        break;
      }
    }
    const box = new PtsSequence(pts);
    this.boxes.set(key, box);
    return box;
  }

  /** Marks a channel as just updated (eviction takes the first idle one). */
  touch(key: string, box: PtsSequence): void {
    this.boxes.delete(key);
    this.boxes.set(key, box);
  }

  learn(chats: tl.Chat[]): void {
    for (const c of chats) {
      // A min channel's hash cannot be used for requests.
      if (!((c._ === 'channel' && !c.min) || c._ === 'channelForbidden') || c.accessHash === undefined) continue;
      const key = String(c.id);
      this.accessHashes.delete(key);
      this.accessHashes.set(key, c.accessHash);
      if (this.accessHashes.size > this.limits.maxChannels) {
        this.accessHashes.delete(this.accessHashes.keys().next().value as string);
      }
    }
  }

  /** updateChannelTooLong: fetch, from its `pts` for a channel not tracked yet. */
  tooLong(u: tl.updateChannelTooLong): void {
    const key = String(u.channelId);
    let box = this.boxes.get(key);
    if (!box) {
      // Joined elsewhere while away: the update says where to start.
      if (u.pts === undefined) return;
      box = this.track(key, u.pts);
    }
    if (box.fetching) box.refetch = true;
    else this.fetch(key);
  }

  /** Starts getChannelDifference for a channel (or queues it for a free slot). */
  fetch(key: string): void {
    const box = this.boxes.get(key);
    if (!box || box.fetching) return;
    box.gapDeadline = undefined;
    this.timed.delete(key);
    if (this.accessHash(key) === undefined) {
      this.giveUp(key, 'no access hash is known for the channel');
      return;
    }
    box.fetching = true;
    if (this.slots.size >= this.limits.maxRequests) {
      // Many channels at once (after a long absence): a few at a time, the rest held.
      this.queue.add(key);
      return;
    }
    this.slots.add(key);
    this.requestPage(key, box);
  }

  applyDifference(key: string, r: tl.updates.ChannelDifference): void {
    const box = this.boxes.get(key);
    if (!box) {
      this.release(key);
      return;
    }
    if (r._ !== 'updates.channelDifferenceEmpty') this.learn(r.chats);
    if (r._ === 'updates.channelDifferenceTooLong') {
      if (r.dialog._ === 'dialog' && r.dialog.pts !== undefined) box.pts = r.dialog.pts;
      this.host.notice({ _: 'channelDifferenceTooLong', channelId: BigInt(key), dialog: r.dialog, messages: r.messages, users: r.users, chats: r.chats });
      this.finish(key, box);
      return;
    }
    if (r._ === 'updates.channelDifference') {
      for (const u of updatesOfChannelDifference(r)) this.host.deliver(u, r.users, r.chats);
    }
    box.pts = r.pts;
    if (!r.final && this.accessHash(key) !== undefined) this.requestPage(key, box);
    else this.finish(key, box);
  }

  /** getChannelDifference failed (CHANNEL_PRIVATE after leaving, …): the channel is given up. */
  failed(key: string, error: unknown): void {
    const box = this.boxes.get(key);
    if (box) box.fetching = false;
    this.giveUp(key, `getChannelDifference failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  private requestPage(key: string, box: PtsSequence): void {
    this.host.request(key, {
      _: 'updates.getChannelDifference',
      force: false,
      channel: { _: 'inputChannel', channelId: BigInt(key), accessHash: this.accessHash(key)! },
      filter: { _: 'channelMessagesFilterEmpty' },
      pts: box.pts,
      limit: this.limits.limit,
    });
  }

  private finish(key: string, box: PtsSequence): void {
    box.fetching = false;
    this.release(key);
    this.host.drain(key, box);
    if (box.refetch) {
      box.refetch = false;
      this.fetch(key);
    }
  }

  /** A channel's fetch is over: its slot goes to the next channel waiting. */
  private release(key: string): void {
    if (!this.slots.delete(key)) return;
    for (const next of this.queue) {
      if (this.slots.size >= this.limits.maxRequests) break;
      this.queue.delete(next);
      const box = this.boxes.get(next);
      if (!box) continue;
      if (this.accessHash(next) === undefined) {
        box.fetching = false;
        this.giveUp(next, 'no access hash is known for the channel');
        continue;
      }
      this.slots.add(next);
      this.requestPage(next, box);
    }
  }

  /** Delivers what a channel held, in order, and stops tracking it, saying why. */
  private giveUp(key: string, reason: string): void {
    const box = this.boxes.get(key);
    if (box) for (const item of box.takeAll()) if (item.update) this.host.deliver(item.update, item.users, item.chats);
    this.forget(key);
    this.host.notice({ _: 'channelGapUnresolved', channelId: BigInt(key), reason });
    this.release(key);
  }

  private forget(key: string): void {
    this.boxes.delete(key);
    this.timed.delete(key);
    this.queue.delete(key);
  }

  private accessHash(key: string): bigint | undefined {
    return this.accessHashes.get(key) ?? this.limits.accessHashOf?.(BigInt(key));
  }
}
