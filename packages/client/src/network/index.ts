export {
  Connection,
  type ConnectionOptions,
  type ConnectionEvents,
  type ConnectionState,
  type InvokeOptions,
} from './connection.js';
export { TempKeyShare } from './temp-key-share.js';
export { backoffDelay, defaultReconnectOptions, type ReconnectOptions } from './backoff.js';
export { defaultDeviceInfo, wrapInitConnection, type DeviceInfo } from './init-connection.js';
export { transportWire, type TransportWireOptions } from './transport-wire.js';
export type { PacketWire, WireFactory, WireHandlers, WireTarget, DcEndpoint } from './wire.js';
