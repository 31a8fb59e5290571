// Which handler takes which incoming message: one file per rule under handlers/.
import {
  ID_BAD_MSG_NOTIFICATION,
  ID_BAD_SERVER_SALT,
  ID_GZIP_PACKED,
  ID_MSG_CONTAINER,
  ID_MSGS_ACK,
  ID_NEW_SESSION_CREATED,
  ID_PONG,
  ID_RPC_RESULT,
  ID_FUTURE_SALTS,
  ID_MSG_DETAILED_INFO,
  ID_MSG_NEW_DETAILED_INFO,
  ID_MSGS_STATE_REQ,
  ID_MSGS_STATE_INFO,
  ID_MSGS_ALL_INFO,
  ID_MSG_RESEND_REQ,
  ID_MSG_RESEND_ANS_REQ,
  ID_DESTROY_SESSION_OK,
  ID_DESTROY_SESSION_NONE,
} from '../ids.js';
import type { InboundMessage } from './events.js';
import type { ClientSession } from './session.js';
import { handleBadMsgNotification } from './handlers/bad-msg-notification.js';
import { handleBadServerSalt } from './handlers/bad-server-salt.js';
import { handleGzipPacked } from './handlers/gzip-packed.js';
import { handleMsgContainer } from './handlers/msg-container.js';
import { handleMsgsAck } from './handlers/msgs-ack.js';
import { handleNewSessionCreated } from './handlers/new-session-created.js';
import { handlePong } from './handlers/pong.js';
import { handleRpcResult } from './handlers/rpc-result.js';
import { handleFutureSalts } from './handlers/future-salts.js';
import { handleMsgDetailedInfo } from './handlers/msg-detailed-info.js';
import { handleMsgsStateReq } from './handlers/msgs-state-req.js';
import { handleMsgsAllInfo, handleMsgsStateInfo } from './handlers/msgs-state-info.js';
import { handleMsgResendReq } from './handlers/msg-resend-req.js';
import { handleDestroySessionRes } from './handlers/destroy-session.js';

export type Handler = (s: ClientSession, m: InboundMessage) => void;

/** One file per rule; messages without a handler here are updates. */
export const handlers = new Map<number, Handler>([
  [ID_RPC_RESULT, handleRpcResult],
  [ID_MSG_CONTAINER, handleMsgContainer],
  [ID_GZIP_PACKED, handleGzipPacked],
  [ID_PONG, handlePong],
  [ID_MSGS_ACK, handleMsgsAck],
  [ID_BAD_SERVER_SALT, handleBadServerSalt],
  [ID_BAD_MSG_NOTIFICATION, handleBadMsgNotification],
  [ID_NEW_SESSION_CREATED, handleNewSessionCreated],
  [ID_FUTURE_SALTS, handleFutureSalts],
  [ID_MSG_DETAILED_INFO, handleMsgDetailedInfo],
  [ID_MSG_NEW_DETAILED_INFO, handleMsgDetailedInfo],
  [ID_MSGS_STATE_REQ, handleMsgsStateReq],
  [ID_MSGS_STATE_INFO, handleMsgsStateInfo],
  [ID_MSGS_ALL_INFO, handleMsgsAllInfo],
  [ID_MSG_RESEND_REQ, handleMsgResendReq],
  [ID_MSG_RESEND_ANS_REQ, handleMsgResendReq],
  [ID_DESTROY_SESSION_OK, handleDestroySessionRes],
  [ID_DESTROY_SESSION_NONE, handleDestroySessionRes],
]);

/** Service messages whose first field names one of our msg_ids: they may pass outside the time window. */
export const ANSWERS_BY_ID = new Set([
  ID_RPC_RESULT,
  ID_BAD_MSG_NOTIFICATION,
  ID_BAD_SERVER_SALT,
  ID_PONG,
  ID_MSGS_STATE_INFO,
  ID_FUTURE_SALTS,
]);
