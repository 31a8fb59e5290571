import type { tl } from '@telegram-mt/tl';

/**
 * updateShortMessage and updateShortChatMessage are compressed
 * updateNewMessage's (core.telegram.org/api/updates): rebuild the full
 * message so that users see one shape whatever the server chose to send.
 * `selfId` fills `fromId` of our own outgoing private messages.
 */
export function expandShortMessage(
  short: tl.updateShortMessage | tl.updateShortChatMessage,
  selfId: bigint | undefined,
): tl.updateNewMessage {
  let fromId: tl.Peer | undefined;
  let peerId: tl.Peer;
  if (short._ === 'updateShortMessage') {
    peerId = { _: 'peerUser', userId: short.userId };
    fromId = short.out ? (selfId !== undefined ? { _: 'peerUser', userId: selfId } : undefined) : peerId;
  } else {
    peerId = { _: 'peerChat', chatId: short.chatId };
    fromId = { _: 'peerUser', userId: short.fromId };
  }
  const message: tl.message = {
    _: 'message',
    out: short.out,
    mentioned: short.mentioned,
    mediaUnread: short.mediaUnread,
    silent: short.silent,
    id: short.id,
    fromId,
    peerId,
    fwdFrom: short.fwdFrom,
    viaBotId: short.viaBotId,
    replyTo: short.replyTo,
    date: short.date,
    message: short.message,
    entities: short.entities,
    ttlPeriod: short.ttlPeriod,
  };
  return { _: 'updateNewMessage', message, pts: short.pts, ptsCount: short.ptsCount };
}
