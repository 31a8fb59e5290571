// Builders for the fixed-layout service messages a server sends (and tests forge).
import { ID_BAD_MSG_NOTIFICATION, ID_BAD_SERVER_SALT, ID_NEW_SESSION_CREATED, ID_PONG, ID_RPC_ERROR, ID_RPC_RESULT } from './ids.js';
import { encodeUtf8, tlBytesSize, writeLong, writeTlBytes, writeU32 } from './wire.js';

/**
 * bad_msg_notification error codes (core.telegram.org/mtproto/
 * service_messages_about_messages), named as the spec describes them.
 */
export const BadMsgCode = {
  MSG_ID_TOO_LOW: 16,
  MSG_ID_TOO_HIGH: 17,
  MSG_ID_BAD_BITS: 18,
  CONTAINER_MSG_ID_REUSED: 19,
  MSG_TOO_OLD: 20,
  SEQ_NO_TOO_LOW: 32,
  SEQ_NO_TOO_HIGH: 33,
  /** An even seq_no expected (a message that is not content-related), odd received. */
  SEQ_NO_EXPECTED_EVEN: 34,
  /** An odd seq_no expected (a content-related message), even received. */
  SEQ_NO_EXPECTED_ODD: 35,
  BAD_SERVER_SALT: 48,
  BAD_CONTAINER: 64,
} as const;

export function badMsgNotification(badMsgId: bigint, badSeqNo: number, code: number): Uint8Array {
  const out = new Uint8Array(20);
  writeU32(out, 0, ID_BAD_MSG_NOTIFICATION);
  writeLong(out, 4, badMsgId);
  writeU32(out, 12, badSeqNo);
  writeU32(out, 16, code);
  return out;
}

export function badServerSalt(badMsgId: bigint, badSeqNo: number, newSalt: bigint): Uint8Array {
  const out = new Uint8Array(28);
  writeU32(out, 0, ID_BAD_SERVER_SALT);
  writeLong(out, 4, badMsgId);
  writeU32(out, 12, badSeqNo);
  writeU32(out, 16, BadMsgCode.BAD_SERVER_SALT);
  writeLong(out, 20, newSalt);
  return out;
}

export function newSessionCreated(firstMsgId: bigint, uniqueId: bigint, serverSalt: bigint): Uint8Array {
  const out = new Uint8Array(28);
  writeU32(out, 0, ID_NEW_SESSION_CREATED);
  writeLong(out, 4, firstMsgId);
  writeLong(out, 12, uniqueId);
  writeLong(out, 20, serverSalt);
  return out;
}

export function pong(msgId: bigint, pingId: bigint): Uint8Array {
  const out = new Uint8Array(20);
  writeU32(out, 0, ID_PONG);
  writeLong(out, 4, msgId);
  writeLong(out, 12, pingId);
  return out;
}

/** rpc_result#f35c6d01 req_msg_id:long result:Object around an already serialized result. */
export function rpcResult(reqMsgId: bigint, result: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + result.length);
  writeU32(out, 0, ID_RPC_RESULT);
  writeLong(out, 4, reqMsgId);
  out.set(result, 12);
  return out;
}

/** rpc_error#2144ca19 error_code:int error_message:string. */
export function rpcError(code: number, text: string): Uint8Array {
  const t = encodeUtf8(text);
  const out = new Uint8Array(8 + tlBytesSize(t.length));
  writeU32(out, 0, ID_RPC_ERROR);
  writeU32(out, 4, code);
  writeTlBytes(out, 8, t);
  return out;
}
