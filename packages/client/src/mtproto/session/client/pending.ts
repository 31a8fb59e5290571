/** A request sent (or queued) and not yet answered. */
export interface PendingRequest {
  /** Stable id handed to the caller; survives resends, unlike the msg_id. */
  readonly id: number;
  /** The method name, to read the result with (`deserializeResult`). */
  readonly method: string;
  /** The serialized request, kept until answered so it can be resent. */
  readonly body: Uint8Array;
  /** The msg_id of its latest transmission (undefined while queued). */
  msgId: bigint | undefined;
  /** The container it went out in, if any. */
  containerMsgId: bigint | undefined;
  /** Whether the server acknowledged receipt (msgs_ack). */
  acked: boolean;
  /** How many times it was sent again after a bad_server_salt / bad_msg_notification. */
  resends: number;
}
