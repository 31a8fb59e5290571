import type { tl } from '@telegram-mt/tl';
import type { MessageCipher } from '../cipher.js';
import type { Clock, RandomSource } from '../clock.js';
import type { SessionLimits } from '../limits.js';

export interface ClientSessionOptions {
  /** The 256-byte authorization key. */
  authKey: Uint8Array;
  /** The server salt to start with (from the handshake or a stored session). */
  serverSalt: bigint;
  /** Seconds to add to the local clock to get the server's (from the handshake). */
  timeOffset?: number;
  /** A session_id to use; random by default. */
  sessionId?: bigint;
  cipher?: MessageCipher;
  clock?: Clock;
  random?: RandomSource;
  limits?: Partial<SessionLimits>;
  /** The first request id (a connection running several sessions keeps their ids apart). */
  firstRequestId?: number;
  /**
   * Whether a method may run twice without harm: such calls are sent again
   * when a new session leaves their fate unknown; others fail with
   * RequestInDoubtError. `isSafeToRepeat` (reads, file parts) by default.
   */
  isSafeToRepeat?: (method: string) => boolean;
}

/** A message as received: from a packet, or out of a container or gzip_packed. */
export interface InboundMessage {
  msgId: bigint;
  seqNo: number;
  body: Uint8Array;
}

/** What a client session reports after `receive`. */
export type ClientSessionEvent =
  /** A request's answer, read as its method's result type. */
  | { type: 'result'; requestId: number; result: unknown }
  /** A request failed: `RpcError`, `BadMessageError`, or a `TlError` when the answer does not parse. */
  | { type: 'error'; requestId: number; error: Error }
  /** Anything else the server sent: updates and service messages this session does not consume. */
  | { type: 'update'; msgId: bigint; update: tl.TlAny }
  /** The server created a session for us (new_session_created). */
  | { type: 'new-session'; firstMsgId: bigint; uniqueId: bigint; serverSalt: bigint }
  /** The server salt changed (bad_server_salt). */
  | { type: 'salt'; serverSalt: bigint }
  /** The clock offset was corrected (bad_msg_notification 16/17). */
  | { type: 'time-synced'; timeOffset: number };

export interface SendOptions {
  /** gzip_packed the request when it is at least `gzipThreshold` bytes and that makes it smaller (default true). */
  gzip?: boolean;
  /** Overrides `isSafeToRepeat` for this request (see `ClientSessionOptions`). */
  repeatable?: boolean;
}
