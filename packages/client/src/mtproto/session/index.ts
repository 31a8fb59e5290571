export { ClientSession, type ClientSessionOptions, type ClientSessionEvent, type InboundMessage, type SendOptions } from './client/session.js';
export type { PendingRequest } from './client/pending.js';
export { FutureSalts } from './client/salts.js';
export { isSafeToRepeat } from './client/repeatable.js';
export { MsgState } from './client/handlers/msgs-state-req.js';
export { ServerSession, type ServerSessionOptions, type ServerSessionEvent } from './server/session.js';
export { SessionCore, msgsAck, type Outgoing, type CoreOptions } from './core.js';
export { Envelope, type SealedMessage, type Role } from './envelope.js';
export { authKeyIdOf, type MessageCipher } from './cipher.js';
export { cipherFrom, defaultCipher } from './native-cipher.js';
export { systemClock, systemRandom, randomLong, type Clock, type RandomSource } from './clock.js';
export { MsgIdGenerator, msgIdSeconds, type MsgIdKind } from './msg-id.js';
export { ReplayWindow, type ReplayVerdict } from './replay-window.js';
export { packContainer, unpackContainer, maybeGzip, unpackGzip, type InnerMessage } from './container.js';
export { defaultSessionLimits, type SessionLimits } from './limits.js';
export { FILE_BYTES_METHODS } from './file-bytes.js';
export { DROP_REASONS, emptyStats, type DropReason, type SessionStats } from './stats.js';
export {
  BadMsgCode,
  badMsgNotification,
  badServerSalt,
  newSessionCreated,
  pong,
  rpcError,
  rpcResult,
} from './service-messages.js';
export { FramingError } from './wire.js';
export * as ids from './ids.js';
