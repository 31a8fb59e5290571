/** What a replay window says about a msg_id. */
export type ReplayVerdict = 'new' | 'duplicate' | 'too-old';

/**
 * The last `size` msg_ids seen, against replays (core.telegram.org/mtproto/
 * security_guidelines): an id already stored is a duplicate, and once the
 * window is full an id below all stored ones is too old to tell. Kept sorted;
 * ids arrive nearly in order, so inserts are appends and evictions drop the
 * smallest.
 */
export class ReplayWindow {
  private readonly ids: bigint[] = [];

  constructor(readonly size = 1024) {
    if (!(size >= 1)) throw new RangeError('a replay window holds at least one id');
  }

  check(msgId: bigint): ReplayVerdict {
    const ids = this.ids;
    const n = ids.length;
    if (n === 0) return 'new';
    if (msgId > ids[n - 1]!) return 'new';
    if (n >= this.size && msgId < ids[0]!) return 'too-old';
    const i = this.search(msgId);
    return i < n && ids[i] === msgId ? 'duplicate' : 'new';
  }

  /** Records an id that `check` called new. */
  add(msgId: bigint): void {
    const ids = this.ids;
    const n = ids.length;
    if (n === 0 || msgId > ids[n - 1]!) ids.push(msgId);
    else ids.splice(this.search(msgId), 0, msgId);
    if (ids.length > this.size) ids.shift();
  }

  /** check + add in one: true when the id is new. */
  accept(msgId: bigint): ReplayVerdict {
    const v = this.check(msgId);
    if (v === 'new') this.add(msgId);
    return v;
  }

  get length(): number {
    return this.ids.length;
  }

  clear(): void {
    this.ids.length = 0;
  }

  /** The first index whose id is ≥ msgId. */
  private search(msgId: bigint): number {
    const ids = this.ids;
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid]! < msgId) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
