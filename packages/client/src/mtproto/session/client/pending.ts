/** A request sent (or queued) and not yet answered. */
export interface PendingRequest {
  /** Stable id handed to the caller; survives resends, unlike the msg_id. */
  readonly id: number;
  /** The method name, to read the result with (`deserializeResult`). */
  readonly method: string;
  /** The serialized request, kept until answered so it can be resent. */
  readonly body: Uint8Array;
  /** Builds the body for each msg_id it is sent with (see `ClientSession.sendBuilt`). */
  readonly bodyFor?: (msgId: bigint) => Uint8Array;
  /** The msg_id of its latest transmission (undefined while queued). */
  msgId: bigint | undefined;
  /** The container it went out in, if any. */
  containerMsgId: bigint | undefined;
  /** Whether the server acknowledged receipt (msgs_ack). */
  acked: boolean;
  /** How many times it was sent again after a bad_server_salt / bad_msg_notification. */
  resends: number;
  /** Local ms of its latest transmission (or of the latest msgs_state_req about it). */
  sentAt: number;
  /**
   * A service request the session makes itself (msgs_state_req,
   * rpc_drop_answer, get_future_salts): never resent, dropped on reconnect.
   */
  internal?: boolean;
  /** Whether it may run twice without harm; the session's `isSafeToRepeat(method)` when unset. */
  readonly repeatable?: boolean;
  /** For msgs_state_req: the msg_ids asked about, in order. */
  asked?: bigint[];
  /** msg_resend_ans_req was sent for it since the latest msgs_state_req about it. */
  answerAsked?: boolean;
}

/** Most msg_ids in one msgs_state_req / msg_resend_req (Telegram's vector limit). */
export const MAX_IDS_PER_REQUEST = 8192;

/**
 * A Map key for a msg_id: its low 53 bits as a number (the second's low 21
 * bits and the fraction), unique for ids less than 24 days apart. Maps hash
 * numbers far faster than bigints; entries are checked against the full id.
 */
export function keyOf(msgId: bigint): number {
  return Number(BigInt.asUintN(53, msgId));
}

/** How many times one request is sent again before it fails. */
export const MAX_RESENDS = 5;
