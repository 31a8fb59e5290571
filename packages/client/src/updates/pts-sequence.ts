import type { tl } from '@telegram-mt/tl';
import { settleGapWait } from './gap-wait.js';

/** One pts (or qts) step waiting for its turn; `update` is absent for bare pts moves (affectedMessages, updateShortSentMessage). */
export interface Held {
  pts: number;
  ptsCount: number;
  update: tl.Update | undefined;
  users: tl.User[];
  chats: tl.Chat[];
}

/**
 * What `offer` made of a step: `applied` (the local pts moved to it),
 * `duplicate` (already applied: drop it), `gap` (held, and the gap wait
 * started), `held` (held behind a gap already open or a difference in
 * flight), `overflow` (the hold was full: everything held was dropped and
 * the difference must be fetched, which brings it all back).
 */
export type OfferResult = 'applied' | 'duplicate' | 'gap' | 'held' | 'overflow';

export interface Drained {
  /** Held steps now in turn, already applied to `pts`, in order. */
  ready: Held[];
  duplicates: number;
  /** The gap that was open is closed. */
  closed: boolean;
  /** Steps are still held and a new gap wait started. */
  opened: boolean;
}

const NOTHING: Drained = { ready: [], duplicates: 0, closed: false, opened: false };

function byStart(a: Held, b: Held): number {
  return a.pts - a.ptsCount - (b.pts - b.ptsCount);
}

/**
 * One sequence of core.telegram.org/api/updates — the common box's pts, a
 * channel's pts, or qts (every qts step counts 1): a step is applied when
 * `local + count == its pts`, already applied when less, a gap when more.
 */
export class PtsSequence {
  pending: Held[] = [];
  /** When the gap wait ends and the difference must be asked. */
  gapDeadline: number | undefined;
  /** A difference for this sequence is being fetched (or retried): hold, don't time. */
  fetching = false;
  /** Held steps were dropped while fetching: fetch once more when done. */
  refetch = false;

  constructor(public pts: number) {}

  offer(item: Held, now: number, gapWaitMs: number, maxPending: number): OfferResult {
    if (this.fetching) return this.hold(item, maxPending);
    const expected = this.pts + item.ptsCount;
    if (expected === item.pts) {
      this.pts = item.pts;
      return 'applied';
    }
    if (expected > item.pts) return 'duplicate';
    const held = this.hold(item, maxPending);
    if (held === 'held' && this.gapDeadline === undefined) {
      this.gapDeadline = now + gapWaitMs;
      return 'gap';
    }
    return held;
  }

  private hold(item: Held, maxPending: number): 'held' | 'overflow' {
    if (this.pending.length >= maxPending) {
      this.pending = [];
      this.gapDeadline = undefined;
      if (this.fetching) this.refetch = true;
      return 'overflow';
    }
    this.pending.push(item);
    return 'held';
  }

  /** Takes the held steps that are now in turn (after an apply or a difference). */
  drain(now: number, gapWaitMs: number): Drained {
    if (this.pending.length === 0 && this.gapDeadline === undefined) return NOTHING;
    const ready: Held[] = [];
    let duplicates = 0;
    if (this.pending.length > 0) {
      this.pending.sort(byStart);
      let i = 0;
      for (; i < this.pending.length; i++) {
        const item = this.pending[i]!;
        const expected = this.pts + item.ptsCount;
        if (expected === item.pts) {
          this.pts = item.pts;
          ready.push(item);
        } else if (expected > item.pts) duplicates++;
        else break;
      }
      this.pending = i === 0 ? this.pending : this.pending.slice(i);
    }
    return { ready, duplicates, ...settleGapWait(this, this.pending.length === 0, now, gapWaitMs) };
  }

  /** Everything held, in order, emptied out (when a channel is given up). */
  takeAll(): Held[] {
    const all = this.pending.sort(byStart);
    this.pending = [];
    this.gapDeadline = undefined;
    return all;
  }
}
