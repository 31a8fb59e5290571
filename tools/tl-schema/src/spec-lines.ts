// Schema lines the JSON source leaves out, written from the TL and MTProto
// spec pages on core.telegram.org. Each explicit id here is checked against
// the CRC-32 of its line like every other.

/**
 * Builtin declarations at the head of Telegram's mtproto.tl (/mtproto/TL,
 * /mtproto/serialize). They describe encodings the runtime handles itself;
 * the parser keeps them out of the constructor list.
 */
export const MTPROTO_BUILTINS = `int ? = Int;
long ? = Long;
double ? = Double;
string ? = String;

vector {t:Type} # [ t ] = Vector t;

int128 4*[ int ] = Int128;
int256 8*[ int ] = Int256;`;

/**
 * Constructors that are special on the wire and so absent from the JSON:
 * /mtproto/auth_key (the pre-`_dc` inner data and the failed DH answer),
 * /mtproto/service_messages (rpc_result, msg_container with its bare
 * `message`, msg_copy, gzip_packed) and
 * /mtproto/service_messages_about_messages (msg_resend_ans_req).
 */
export const MTPROTO_SPEC_TYPES = `p_q_inner_data#83c95aec pq:bytes p:bytes q:bytes nonce:int128 server_nonce:int128 new_nonce:int256 = P_Q_inner_data;
p_q_inner_data_temp#3c6a84d4 pq:bytes p:bytes q:bytes nonce:int128 server_nonce:int128 new_nonce:int256 expires_in:int = P_Q_inner_data;
server_DH_params_fail#79cb045d nonce:int128 server_nonce:int128 new_nonce_hash:int128 = Server_DH_Params;
rpc_result#f35c6d01 req_msg_id:long result:Object = RpcResult;
msg_container#73f1f8dc messages:vector<message> = MessageContainer;
message#5bb8e511 msg_id:long seqno:int bytes:int body:Object = Message;
msg_copy#e06046b2 orig_message:Message = MessageCopy;
gzip_packed#3072cfa1 packed_data:bytes = Object;
msg_resend_ans_req#8610baeb msg_ids:Vector<long> = MsgResendReq;`;

/** The handshake's first request before `req_pq_multi` replaced it (/mtproto/auth_key). */
export const MTPROTO_SPEC_FUNCTIONS = `req_pq#60469778 nonce:int128 = ResPQ;`;

/**
 * The head of Telegram's api.tl: Bool, True, the boxed vector and Null.
 * (`error` comes with the JSON.)
 */
export const API_SPEC_TYPES = `boolFalse#bc799737 = Bool;
boolTrue#997275b5 = Bool;
true#3fedd339 = True;
vector#1cb5c415 {t:Type} # [ t ] = Vector t;
null#56730bcc = Null;`;

/** MTProto names the JSON lists as classes although they are functions. */
export const MTPROTO_METHODS: ReadonlySet<string> = new Set([
  'req_pq_multi',
  'req_DH_params',
  'set_client_DH_params',
  'rpc_drop_answer',
  'get_future_salts',
  'ping',
  'ping_delay_disconnect',
  'destroy_session',
  'destroy_auth_key',
]);

/**
 * Entries in mtcute's API JSON that are not in Telegram's layer-228 api.tl:
 * constructors of older layers kept under renamed names, so their ids are not
 * the CRC of the renamed line. Dropped by name and id; any other mismatch fails.
 */
export const API_NOT_TELEGRAM: ReadonlyMap<string, number> = new Map([
  ['inputPeerPhotoFileLocationLegacy', 0x27d69997],
  ['inputStickerSetThumbLegacy', 0x0dbaeae9],
]);
