import type { tl } from '@telegram-mt/tl';

/**
 * Where an update sits in the protocol's sequences. `pts` updates belong to
 * the common message box or, when they concern a channel, to that channel's
 * own box; `qts` updates to the secret-chat/bot box; the rest carry no
 * sequence number and are delivered as they come.
 */
export type UpdateSequence =
  | { box: 'common'; pts: number; ptsCount: number }
  | { box: 'channel'; channelId: bigint; pts: number; ptsCount: number }
  | { box: 'secret'; qts: number }
  | { box: 'none' };

const NONE: UpdateSequence = { box: 'none' };

/**
 * Classifies by shape rather than by a list of constructor names, so new
 * layers' updates with `pts`/`pts_count` or `qts` are ordered without a code
 * change. A `pts` without `pts_count` (updateReadChannelInbox …) is a
 * snapshot, not a step, and is not checked.
 */
export function sequenceOf(update: tl.Update): UpdateSequence {
  const u = update as unknown as Record<string, unknown>;
  if (typeof u.pts === 'number' && typeof u.ptsCount === 'number') {
    const channelId = channelIdOf(update);
    if (channelId !== undefined) return { box: 'channel', channelId, pts: u.pts, ptsCount: u.ptsCount };
    // A channel update whose channel cannot be told (messageEmpty without a
    // peer) must not move the common box.
    if (update._.includes('Channel')) return NONE;
    return { box: 'common', pts: u.pts, ptsCount: u.ptsCount };
  }
  // qts = 0 has been seen interleaved with real values: it means "unordered".
  if (typeof u.qts === 'number' && u.qts > 0) return { box: 'secret', qts: u.qts };
  return NONE;
}

/** The channel an update belongs to: its `channelId`, or its message's `peerChannel`. */
export function channelIdOf(update: tl.Update): bigint | undefined {
  const u = update as unknown as Record<string, unknown>;
  if (typeof u.channelId === 'bigint') return u.channelId;
  const message = u.message as { peerId?: tl.Peer } | undefined;
  if (message && typeof message === 'object' && message.peerId?._ === 'peerChannel') return message.peerId.channelId;
  return undefined;
}

/** Whether a value is one of the `Updates` constructors (what `UpdatesBox.feed` takes). */
export function isUpdates(value: unknown): value is tl.Updates {
  switch ((value as { _?: unknown } | null)?._) {
    case 'updates':
    case 'updatesCombined':
    case 'updateShort':
    case 'updateShortMessage':
    case 'updateShortChatMessage':
    case 'updateShortSentMessage':
    case 'updatesTooLong':
      return true;
    default:
      return false;
  }
}
