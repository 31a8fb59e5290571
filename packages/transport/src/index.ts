export { TransportError, type TransportErrorCode } from './errors.js';
export {
  createFrameEncoder,
  createFrameDecoder,
  plainInit,
  ByteQueue,
  PROTOCOL_TAG,
  DEFAULT_MAX_PACKET_SIZE,
  MAX_PACKET_SIZE_LIMIT,
  type CodecName,
  type Role,
  type Frame,
  type FrameEncoder,
  type FrameDecoder,
} from './framing/index.js';
export { Obfuscated2, type Obfuscated2Options } from './obfuscation/obfuscated2.js';
export { nodeAesCtr, type AesCtrFactory, type AesCtrStream } from './obfuscation/aes-ctr.js';
export { parseMtproxySecret, type MtproxySecret } from './mtproxy/secret.js';
export { ReplayCache } from './mtproxy/replay-cache.js';
export { ClientCodec, type ClientCodecOptions, type ClientCodecSink, type SendOptions } from './codec/client-codec.js';
export { ServerCodec, type ServerCodecOptions, type ServerCodecSink, type DetectedTransport } from './codec/server-codec.js';
export type { Connection, ConnectionHandlers, DcAddress, ProxyOptions } from './connection/types.js';
export { TcpConnection, SocketConnection, type TcpConnectionOptions } from './connection/tcp.js';
export { WebSocketConnection, type WebSocketConnectionOptions } from './connection/websocket.js';
export {
  createTransport,
  StreamTransport,
  type Transport,
  type TransportEvents,
  type TransportFactory,
  type TransportOptions,
  type TransportState,
  type MtproxyOptions,
} from './transport.js';
export { Emitter } from './emitter.js';
export { ServerConnection, type ServerConnectionOptions, type ServerConnectionEvents } from './server/server-connection.js';
export { serveTransports, type ServeOptions, type TransportServer } from './server/serve.js';
