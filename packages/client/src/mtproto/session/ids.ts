// Constructor ids of the MTProto service messages framed by hand here
// (core.telegram.org/mtproto/service_messages and
// /mtproto/service_messages_about_messages; each checked against the CRC32 of
// its TL line).

export const ID_MSG_CONTAINER = 0x73f1f8dc;
export const ID_GZIP_PACKED = 0x3072cfa1;
export const ID_RPC_RESULT = 0xf35c6d01;
export const ID_RPC_ERROR = 0x2144ca19;
export const ID_MSGS_ACK = 0x62d6b459;
export const ID_BAD_MSG_NOTIFICATION = 0xa7eff811;
export const ID_BAD_SERVER_SALT = 0xedab447b;
export const ID_NEW_SESSION_CREATED = 0x9ec20908;
export const ID_PING = 0x7abe77ec;
export const ID_PING_DELAY_DISCONNECT = 0xf3427b8c;
export const ID_PONG = 0x347773c5;
export const ID_HTTP_WAIT = 0x9299359f;
export const ID_VECTOR = 0x1cb5c415;

/**
 * Messages that need no acknowledgement and take an even seq_no. Everything
 * else a peer sends ("content-related") takes an odd one and is acked.
 */
export function isContentRelated(constructorId: number): boolean {
  return constructorId !== ID_MSGS_ACK && constructorId !== ID_MSG_CONTAINER && constructorId !== ID_HTTP_WAIT;
}

// Service messages about messages and the service requests around them.
export const ID_FUTURE_SALTS = 0xae500895;
export const ID_MSG_DETAILED_INFO = 0x276d3ec6;
export const ID_MSG_NEW_DETAILED_INFO = 0x809db6df;
export const ID_MSGS_STATE_REQ = 0xda69fb52;
export const ID_MSGS_STATE_INFO = 0x04deb57d;
export const ID_MSGS_ALL_INFO = 0x8cc0d131;
export const ID_MSG_RESEND_REQ = 0x7d861a08;
export const ID_MSG_RESEND_ANS_REQ = 0x8610baeb;
export const ID_DESTROY_SESSION_OK = 0xe22045fc;
export const ID_DESTROY_SESSION_NONE = 0x62d350c9;
