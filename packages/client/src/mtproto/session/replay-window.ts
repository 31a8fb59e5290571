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
    // The window is the last `size` ids of the array; older entries await a batched trim.
    const from = n > this.size ? n - this.size : 0;
    if (n >= this.size && msgId < ids[from]!) return 'too-old';
    const i = this.search(msgId, from);
    return i < n && ids[i] === msgId ? 'duplicate' : 'new';
  }

  /** Records an id that `check` called new. */
  add(msgId: bigint): void {
    const ids = this.ids;
    const n = ids.length;
    if (n === 0 || msgId > ids[n - 1]!) {
      ids.push(msgId);
    } else {
      // Shifted up by hand: splice would allocate the (empty) array of what it removed.
      const at = this.search(msgId, 0);
      ids.push(ids[n - 1]!);
      for (let j = n - 1; j > at; j--) ids[j] = ids[j - 1]!;
      ids[at] = msgId;
    }
    // Trim in batches of a quarter window: one shift per id would move the whole array each time.
    if (ids.length > this.size + (this.size >> 2)) ids.splice(0, ids.length - this.size);
  }

  /** check + add in one: true when the id is new. */
  accept(msgId: bigint): ReplayVerdict {
    const v = this.check(msgId);
    if (v === 'new') this.add(msgId);
    return v;
  }

  /** How many ids the window holds (at most `size`). */
  get length(): number {
    return Math.min(this.ids.length, this.size);
  }

  clear(): void {
    this.ids.length = 0;
  }

  /** The first index from `from` on whose id is ≥ msgId. */
  private search(msgId: bigint, from: number): number {
    const ids = this.ids;
    let hi = ids.length;
    // Ids come nearly in order (a container's messages sit just below the
    // container's own id): look at the last few before bisecting.
    for (let k = 0; k < 4 && hi > from; k++) {
      if (ids[hi - 1]! < msgId) return hi;
      hi--;
    }
    let lo = from;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid]! < msgId) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
