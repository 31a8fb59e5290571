/**
 * Why an incoming packet or message was dropped. Nothing is dropped silently:
 * each reason has a counter in `SessionStats.dropped`.
 */
export type DropReason =
  /** Shorter than the smallest encrypted packet (after dropping a transport's 0–15 trailing padding bytes). */
  | 'length'
  /** auth_key_id is not this session's key. */
  | 'auth-key-id'
  /** msg_key does not match the decrypted plaintext (tampered, or another key/direction). */
  | 'msg-key'
  /** message_data_length is not a multiple of 4, or padding is outside 12…1024 bytes. */
  | 'padding'
  /** session_id is not ours (client role). */
  | 'session-id'
  /** msg_id has the wrong low bits for its sender. */
  | 'msg-id-parity'
  /** msg_id is more than 300 s behind the corrected clock. */
  | 'msg-id-too-old'
  /** msg_id is more than 30 s ahead of the corrected clock. */
  | 'msg-id-too-new'
  /** msg_id was seen before, or is below everything in a full replay window. */
  | 'replay'
  /** The body does not parse (a broken container, gzip_packed or service message). */
  | 'malformed'
  /** rpc_result / pong for no pending request (already answered, cancelled, or never sent). */
  | 'unknown-request'
  /** The ack queue overflowed before it could be sent; the oldest ids were dropped. */
  | 'ack-overflow';

export const DROP_REASONS: readonly DropReason[] = [
  'length',
  'auth-key-id',
  'msg-key',
  'padding',
  'session-id',
  'msg-id-parity',
  'msg-id-too-old',
  'msg-id-too-new',
  'replay',
  'malformed',
  'unknown-request',
  'ack-overflow',
];

export interface SessionStats {
  packetsIn: number;
  packetsOut: number;
  messagesIn: number;
  messagesOut: number;
  containersOut: number;
  /**
   * Messages accepted although their msg_id was outside the time window,
   * because they answer one of our pending msg_ids (the pending table guards
   * against replays of them): how a badly skewed clock is recovered.
   */
  outOfWindow: number;
  dropped: Record<DropReason, number>;
}

export function emptyStats(): SessionStats {
  const dropped = {} as Record<DropReason, number>;
  for (const r of DROP_REASONS) dropped[r] = 0;
  return { packetsIn: 0, packetsOut: 0, messagesIn: 0, messagesOut: 0, containersOut: 0, outOfWindow: 0, dropped };
}
