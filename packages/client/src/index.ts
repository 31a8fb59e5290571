// @telegram-mt/client: MTProto 2.0 connections and sessions. The sans-IO
// protocol core (both roles) is on the `@telegram-mt/client/mtproto` subpath.
export {
  Connection,
  TempKeyShare,
  transportWire,
  defaultDeviceInfo,
  wrapInitConnection,
  type ConnectionOptions,
  type ConnectionEvents,
  type ConnectionState,
  type InvokeOptions,
  type ReconnectOptions,
  defaultReconnectOptions,
  type DeviceInfo,
  type TransportWireOptions,
  type PacketWire,
  type WireFactory,
  type WireHandlers,
  type WireTarget,
  type DcEndpoint,
} from './network/index.js';
export {
  RpcError,
  parseErrorText,
  BadMessageError,
  SessionLimitError,
  RequestTimeoutError,
  RequestAbortedError,
  ConnectionClosedError,
  AuthKeyError,
  AuthKeyUnknownError,
  TransportError,
  RequestInDoubtError,
  AUTH_KEY_ERRORS,
  rpcErrorFor,
} from './errors.js';
export {
  ClientSession,
  ServerSession,
  defaultSessionLimits,
  DROP_REASONS,
  type ClientSessionOptions,
  type ClientSessionEvent,
  type ServerSessionOptions,
  type ServerSessionEvent,
  type SessionLimits,
  type SessionStats,
  type DropReason,
  type MessageCipher,
  type Clock,
  type RandomSource,
} from './mtproto/session/index.js';
export type { AuthKeyResult } from './mtproto/handshake/types.js';
export { HandshakeError, type HandshakeErrorCode } from './mtproto/handshake/errors.js';
export { PRODUCTION_DCS, PRODUCTION_RSA_KEYS, TEST_DCS, TEST_RSA_KEYS, type DcAddress } from './mtproto/production.js';
export {
  computeSrpCheck,
  srpPasswordHash,
  srpServerSetup,
  srpServerB,
  srpServerVerify,
  SrpError,
  SRP_PBKDF2_ITERATIONS,
  type SrpAlgo,
  type SrpCheck,
  type SrpServerRecord,
  type SrpServerChallenge,
} from './auth/srp.js';
// Text with entities: our own Markdown and HTML parsers (UTF-16 offsets) and back.
export * from './parse/index.js';
// Storage behind one driver interface: memory, an atomic 0600 file, string sessions.
export * from './storage/index.js';
// The sans-IO updates engine: pts/qts/seq/date and every channel's pts, gaps, differences.
export * from './updates/index.js';
// Files in parts over several connections per DC (uploadFile / downloadFile with any FileHost).
export * from './files/index.js';
// The high-level client on top of all of the above.
export * from './telegram-client/index.js';
