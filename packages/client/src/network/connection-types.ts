// What a Connection is configured with, where it is, and what it tells.
import type { tl } from '@telegram-mt/tl';
import type { AuthKeyResult } from '../mtproto/handshake/types.js';
import type { PfsOptions } from '../mtproto/pfs/temp-key-manager.js';
import type { MessageCipher } from '../mtproto/session/cipher.js';
import type { Clock, RandomSource } from '../mtproto/session/clock.js';
import type { SessionLimits } from '../mtproto/session/limits.js';
import type { ReconnectOptions } from './backoff.js';
import type { DeviceInfo } from './init-connection.js';
import type { TempKeyShare } from './temp-key-share.js';
import type { DcEndpoint, WireFactory } from './wire.js';

export interface ConnectionOptions {
  /** The DC to talk to. */
  dc: DcEndpoint;
  /** How to reach it; by default `transportWire()`: TCP with the intermediate codec. */
  wire?: WireFactory;
  /** The app's api_id, sent in initConnection. */
  apiId: number;
  /** initConnection's device fields; unset ones take `defaultDeviceInfo`'s. */
  device?: Partial<DeviceInfo>;
  /** Server keys to trust, PKCS#1 PEM; Telegram's production key by default. */
  rsaPublicKeys?: readonly string[];
  /** A stored auth key to use instead of making one. */
  authKey?: AuthKeyResult;
  /** Whether `dc` is a test DC or a media DC (changes the dc id the handshake sends). */
  testDc?: boolean;
  mediaDc?: boolean;
  /** Default timeout of `invoke`, ms (30 s). */
  requestTimeout?: number;
  /** Keep-alive ping_delay_disconnect every this many ms (60 s; 0 turns it off). */
  pingInterval?: number;
  /** How long lone acks may wait for other traffic, ms (100). */
  ackDelay?: number;
  /** Most time the handshake may take, ms (30 s). */
  handshakeTimeout?: number;
  /**
   * Where a handshake's two 2048-bit exponentiations run (~2 ms each).
   * `'in-place'` (default): on this thread, each right after the packet
   * it overlaps with is sent — the quickest handshake on a busy or
   * 2-core machine, where a thread-pool thread may wait for a core.
   * `'thread-pool'`: on libuv's thread pool (crypto-native's addon; in
   * place without it), g^b from the first packet on — the event loop is
   * never held, for processes running many sessions.
   */
  dhWork?: 'in-place' | 'thread-pool';
  clock?: Clock;
  random?: RandomSource;
  cipher?: MessageCipher;
  limits?: Partial<SessionLimits>;
  /** Reconnect after a drop (exponential backoff with jitter, bounded); `false` closes on the first drop. */
  reconnect?: Partial<ReconnectOptions> | false;
  /**
   * Requests unanswered this long (ms) are asked about with msgs_state_req:
   * lost requests are sent again, lost answers asked for (10 s; 0 = only after reconnects).
   */
  probeInterval?: number;
  /** Keep future server salts (get_future_salts) and switch before they expire (default true). */
  futureSalts?: boolean;
  /**
   * Perfect forward secrecy (core.telegram.org/api/pfs), on by default: traffic
   * goes on temporary keys bound to the permanent one with
   * auth.bindTempAuthKey, renewed before they expire. `false` sends on the
   * permanent key.
   */
  pfs?: boolean | Partial<PfsOptions>;
  /**
   * PFS for several connections on one permanent key (a DC's main connection
   * and its transfer lanes): the same `TempKeyShare` for each, so that they
   * use one temporary key. A permanent key binds one temporary key at a time
   * (a new binding overwrites the last): without a share, two PFS connections
   * on one permanent key would unbind each other.
   */
  tempKeyShare?: TempKeyShare;
  /**
   * Whether a method may run twice without harm. When the session must
   * start over (bad_msg_notification 32/33, a clock corrected backwards),
   * calls already sent may have run: those safe to repeat are sent again,
   * the others fail with RequestInDoubtError. By default reads (get…,
   * search…, check…, resolve…) and file parts (`isSafeToRepeat`).
   */
  isSafeToRepeat?: (method: string) => boolean;
}

/**
 * Where a connection is: `idle` (not started), `connecting` (opening the
 * wire), `handshaking` (making the auth key), `ready`, `offline` (dropped,
 * waiting to reconnect; calls queue meanwhile), `closed` (for good).
 */
export type ConnectionState = 'idle' | 'connecting' | 'handshaking' | 'ready' | 'offline' | 'closed';

export interface InvokeOptions {
  signal?: AbortSignal;
  /** ms; the connection's `requestTimeout` by default, 0 for none. */
  timeout?: number;
  /** Whether this call may run twice without harm (overrides `isSafeToRepeat`). */
  repeatable?: boolean;
}

export interface ConnectionEvents {
  /** An update or other message the server sent unasked. */
  update: [update: tl.TlAny];
  /** The server created a new session (updates sent to an earlier one may be lost). */
  'new-session': [info: { firstMsgId: bigint; uniqueId: bigint; serverSalt: bigint }];
  /** The server salt or clock offset changed: worth storing with the key. */
  'session-state': [state: { serverSalt: bigint; timeOffset: number }];
  /** The connection state changed. */
  state: [state: ConnectionState, previous: ConnectionState];
  /** The server refused the key or session (AUTH_KEY_UNREGISTERED, AUTH_KEY_DUPLICATED, SESSION_REVOKED, −404). The key is kept. */
  'auth-key-error': [error: Error];
  /** The connection closed; `error` says why when it was not `close()`. */
  close: [error?: Error];
}
