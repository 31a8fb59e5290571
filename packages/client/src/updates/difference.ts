import type { tl } from '@telegram-mt/tl';

/**
 * The updates inside an updates.difference / differenceSlice, as one list:
 * its new messages as updateNewMessage, its new encrypted messages as
 * updateNewEncryptedMessage, then its other updates. The pts/qts given to
 * the rebuilt updates are the difference's state with a count of 0: they
 * are inside the range the state already covers.
 */
export function updatesOfDifference(r: tl.updates.difference | tl.updates.differenceSlice): tl.Update[] {
  const state = r._ === 'updates.difference' ? r.state : r.intermediateState;
  const out: tl.Update[] = [];
  for (const message of r.newMessages) out.push({ _: 'updateNewMessage', message, pts: state.pts, ptsCount: 0 });
  for (const message of r.newEncryptedMessages) out.push({ _: 'updateNewEncryptedMessage', message, qts: state.qts });
  for (const u of r.otherUpdates) out.push(u);
  return out;
}

/** The same for updates.channelDifference: its new messages as updateNewChannelMessage, then the rest. */
export function updatesOfChannelDifference(r: tl.updates.channelDifference): tl.Update[] {
  const out: tl.Update[] = [];
  for (const message of r.newMessages) out.push({ _: 'updateNewChannelMessage', message, pts: r.pts, ptsCount: 0 });
  for (const u of r.otherUpdates) if (u._ !== 'updateChannelTooLong') out.push(u);
  return out;
}
