import type { tl } from '@telegram-mt/tl';

/** One pts-carrying event of a box: the update as logged and the pts range it covers. */
export interface LoggedUpdate {
  /** pts after the event. */
  pts: number;
  ptsCount: number;
  date: number;
  update: tl.Update;
}

/**
 * The recent history of a pts box, bounded: getDifference and
 * getChannelDifference are served from it, and a client whose pts fell off
 * its start gets differenceTooLong, as from Telegram when a gap is too old.
 */
export class UpdateLog {
  private readonly entries: LoggedUpdate[] = [];
  private head = 0;
  /** pts before the oldest entry kept (events up to it can no longer be replayed). */
  private floor = 0;

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('an update log needs room for at least one entry');
  }

  push(entry: LoggedUpdate): void {
    this.entries.push(entry);
    if (this.entries.length - this.head > this.limit) {
      this.floor = this.entries[this.head]!.pts;
      this.head++;
      // Compact now and then so the array does not grow without bound.
      if (this.head > 1024 && this.head * 2 > this.entries.length) {
        this.entries.splice(0, this.head);
        this.head = 0;
      }
    }
  }

  /** The smallest pts a client may resume from. */
  get oldestPts(): number {
    return this.floor;
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  /** Entries after `pts`, oldest first, at most `limit`; `more` when some were left. */
  after(pts: number, limit: number): { entries: LoggedUpdate[]; more: boolean } {
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.pts <= pts) lo = mid + 1;
      else hi = mid;
    }
    const end = Math.min(this.entries.length, lo + limit);
    return { entries: this.entries.slice(lo, end), more: end < this.entries.length };
  }
}
