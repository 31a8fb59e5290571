import type { tl } from '@telegram-mt/tl';
import { settleGapWait } from './gap-wait.js';

/** An `updates`/`updatesCombined` with its place in the seq order. */
export interface HeldContainer {
  seqStart: number;
  seq: number;
  date: number;
  updates: tl.Update[];
  users: tl.User[];
  chats: tl.Chat[];
}

function bySeqStart(a: HeldContainer, b: HeldContainer): number {
  return a.seqStart - b.seqStart;
}

/**
 * The common box's seq and date (core.telegram.org/api/updates): a
 * container with `seq_start == local + 1` is applied and moves seq and date
 * to its own; one with `seq_start <= local` was applied already; a larger one
 * is a gap, held for the gap wait.
 */
export class SeqQueue {
  pending: HeldContainer[] = [];
  gapDeadline: number | undefined;
  /** Held containers were dropped while fetching: fetch once more when done. */
  refetch = false;

  constructor(
    public seq: number,
    public date: number,
  ) {}

  /**
   * `apply`: in turn (the caller applies it, then `advance`); `duplicate`;
   * `gap`/`held`: held; `overflow`: the hold was full and was emptied, the
   * difference must be fetched. `fetching` holds everything, untimed.
   */
  offer(c: HeldContainer, fetching: boolean, now: number, gapWaitMs: number, maxPending: number): 'apply' | 'duplicate' | 'gap' | 'held' | 'overflow' {
    if (!fetching) {
      if (c.seqStart <= this.seq) return 'duplicate';
      if (c.seqStart === this.seq + 1) return 'apply';
    }
    if (this.pending.length >= maxPending) {
      this.pending = [];
      this.gapDeadline = undefined;
      if (fetching) this.refetch = true;
      return 'overflow';
    }
    this.pending.push(c);
    if (fetching || this.gapDeadline !== undefined) return 'held';
    this.gapDeadline = now + gapWaitMs;
    return 'gap';
  }

  advance(c: HeldContainer): void {
    if (c.seq > this.seq) {
      this.seq = c.seq;
      this.date = c.date;
    }
  }

  /**
   * The held containers now in turn, in order, with seq already moved past
   * them. After a difference (`afterDifference`) the ones the difference
   * covered are returned too: their pts updates are checked one by one by
   * the caller, and their other updates were not in the difference.
   */
  drain(afterDifference: boolean, now: number, gapWaitMs: number): { ready: HeldContainer[]; duplicates: number; closed: boolean; opened: boolean } {
    const ready: HeldContainer[] = [];
    let duplicates = 0;
    if (this.pending.length > 0) {
      this.pending.sort(bySeqStart);
      let i = 0;
      for (; i < this.pending.length; i++) {
        const c = this.pending[i]!;
        if (c.seqStart > this.seq + 1) break;
        if (c.seqStart <= this.seq && !afterDifference) duplicates += c.updates.length;
        else ready.push(c);
        this.advance(c);
      }
      this.pending = this.pending.slice(i);
    }
    return { ready, duplicates, ...settleGapWait(this, this.pending.length === 0, now, gapWaitMs) };
  }
}
