/** Every buffer a session keeps is bounded by one of these. */
export interface SessionLimits {
  /** Most messages in one msg_container (Telegram accepts up to 1020). */
  maxContainerMessages: number;
  /** Most bytes of one container body; a bigger message goes alone. */
  maxContainerBytes: number;
  /** Most messages waiting in the send queue; beyond it `send` throws. */
  maxQueued: number;
  /** Most msg_ids waiting to be acknowledged; beyond it the oldest are dropped and counted. */
  maxPendingAcks: number;
  /** Acks to gather before they are worth a packet of their own. */
  ackThreshold: number;
  /**
   * Acks to gather before they ride along with other traffic. Below it they
   * wait (for more, or for the connection's ack timer, `ackDelay`): a call
   * answered and followed by the next one then goes out alone, not in a
   * container with one ack.
   */
  ackRide: number;
  /** Most requests awaiting an answer (client role). */
  maxPending: number;
  /** How many received msg_ids the replay window remembers. */
  replayWindow: number;
  /** Most bytes a gzip_packed body may inflate to. */
  maxInflated: number;
  /** Content-related bodies at least this long are sent gzip_packed when that is smaller. */
  gzipThreshold: number;
  /** How far (s) a received msg_id may lag the corrected clock. */
  maxPastSeconds: number;
  /** How far (s) a received msg_id may lead the corrected clock. */
  maxFutureSeconds: number;
  /** Random padding beyond the minimum, in 16-byte blocks (0…63). */
  extraPaddingBlocks: number;
}

export const defaultSessionLimits: SessionLimits = {
  maxContainerMessages: 1020,
  maxContainerBytes: 1024 * 1024 - 1024,
  maxQueued: 65536,
  maxPendingAcks: 16384,
  ackThreshold: 512,
  ackRide: 16,
  maxPending: 65536,
  replayWindow: 4096,
  maxInflated: 32 * 1024 * 1024,
  gzipThreshold: 1024,
  maxPastSeconds: 300,
  maxFutureSeconds: 30,
  extraPaddingBlocks: 0,
};
