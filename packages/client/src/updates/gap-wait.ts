/** Something that holds updates behind a gap until `gapDeadline` (ms), then fetches the difference. */
export interface GapWaiting {
  gapDeadline: number | undefined;
}

/**
 * The gap's timer after a drain: nothing left held closes the gap, and
 * whatever is still held after one (a new gap, e.g. after a difference)
 * starts its own wait, while a wait already running is left alone.
 */
export function settleGapWait(
  q: GapWaiting,
  nothingHeld: boolean,
  now: number,
  gapWaitMs: number,
): { closed: boolean; opened: boolean } {
  if (nothingHeld) {
    const closed = q.gapDeadline !== undefined;
    q.gapDeadline = undefined;
    return { closed, opened: false };
  }
  if (q.gapDeadline !== undefined) return { closed: false, opened: false };
  q.gapDeadline = now + gapWaitMs;
  return { closed: false, opened: true };
}
