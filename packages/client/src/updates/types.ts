import type { tl } from '@telegram-mt/tl';
import type { UpdatesState } from './state.js';

/** The requests the box asks its edge to make; answer each with `answer(id, result)` or `fail(id, error)`. */
export type UpdatesRequest = tl.updates.getState | tl.updates.getDifference | tl.updates.getChannelDifference;

/**
 * What the box gives out, in order. The edge handles each, then persists
 * `box.getState()`; doing so after every drained batch is what makes a
 * restart lose nothing and (short of a crash between the two) repeat nothing.
 */
export type UpdatesOutput =
  /** Updates to hand to the user, each once, in each box's order. `users`/`chats` are the entities that came with them. */
  | { _: 'updates'; updates: tl.Update[]; users: tl.User[]; chats: tl.Chat[] }
  /** A request to send; its answer goes back through `answer(id, …)` or `fail(id, …)`. */
  | { _: 'request'; id: number; request: UpdatesRequest }
  /**
   * The common box was too far behind (updates.differenceTooLong): its pts
   * jumped to `pts` and the updates in between will never be delivered; the
   * user should refetch what it caches (dialogs, history).
   */
  | { _: 'differenceTooLong'; pts: number }
  /**
   * A channel was too far behind (updates.channelDifferenceTooLong): its pts
   * was reset from `dialog`; `messages` are the latest ones, not the missed ones.
   */
  | {
      _: 'channelDifferenceTooLong';
      channelId: bigint;
      dialog: tl.Dialog;
      messages: tl.Message[];
      users: tl.User[];
      chats: tl.Chat[];
    }
  /**
   * A channel's gap could not be filled — no access hash is known for it, or
   * getChannelDifference failed (e.g. CHANNEL_PRIVATE after leaving). The held
   * updates were delivered as they were and the channel is no longer tracked.
   */
  | { _: 'channelGapUnresolved'; channelId: bigint; reason: string };

export interface UpdatesBoxOptions {
  /** The current time in milliseconds on the edge's clock (a virtual one in tests). */
  now: number;
  /** A stored state to resume from (see `parseUpdatesState`); without it the box starts with `updates.getState`. */
  state?: UpdatesState;
  /** Our own user id, to fill `fromId` when expanding outgoing updateShortMessage. */
  selfId?: bigint;
  /** Bots may ask getChannelDifference for far more at once (100000 instead of 100). */
  isBot?: boolean;
  /** How long a gap may wait for the missing updates to arrive by themselves. Spec: 0.5 s. */
  gapWaitMs?: number;
  /** With no update for this long, ask for the difference anyway (a silently dead socket). Default 15 min. */
  idleMs?: number;
  /** The `limit` of getChannelDifference. Default 100 for users, 100000 for bots. */
  channelDifferenceLimit?: number;
  /**
   * getChannelDifference requests out at once (default 8); more channels wait
   * their turn, their updates held. After a long absence a difference can
   * name hundreds of channels: asking for all at once invites FLOOD_WAIT.
   */
  maxConcurrentChannelDifferences?: number;
  /** Passed as `pts_total_limit` of getDifference: beyond it the server answers differenceTooLong. */
  ptsTotalLimit?: number;
  /**
   * Updates held while one box (common, secret, a channel, or the seq
   * queue) waits for a gap. Past it the held updates are dropped and the
   * difference is fetched at once — it brings them back, so nothing is lost.
   */
  maxPendingPerBox?: number;
  /**
   * Channels whose pts is tracked. Past it the least recently updated idle
   * channel is forgotten; its next update is taken as is and re-seeds its pts
   * (a gap in a forgotten channel goes unseen until then).
   */
  maxChannels?: number;
  /** First retry delay after a failed getState/getDifference; it doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Access hashes the box has not seen in `chats` (from the client's peer cache), for getChannelDifference. */
  accessHashOf?: (channelId: bigint) => bigint | undefined;
}

/** Counters for tests, logs and benchmarks. */
export interface UpdatesStats {
  /** Updates dropped because their pts/qts/seq had already been applied. */
  duplicates: number;
  /** Gaps seen (a pts, qts or seq jump). */
  gaps: number;
  /** Gaps that closed during the wait, with no difference asked. */
  gapsClosedByWait: number;
  /** getDifference requests made (each slice counts). */
  differences: number;
  /** getChannelDifference requests made (each page counts). */
  channelDifferences: number;
  /** Updates held now. */
  pending: number;
  /** Channels tracked now. */
  channels: number;
}
