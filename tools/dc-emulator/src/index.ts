export { startEmulator, type Emulator, type EmulatorFaults, type EmulatorOptions } from './emulator.js';
export {
  FaultInjector,
  REFUSAL_CODES,
  seededRandom,
  type Fault,
  type FaultConnectionView,
  type FaultHandle,
  type FaultTarget,
  type FrameVerdict,
  type RefusalText,
} from './fault-injector.js';
export { SaltSchedule, defaultSaltOptions, MAX_FUTURE_SALTS, type SaltOptions, type SaltWindow } from './salts.js';
export { registerPing } from './rpc/ping.js';
export { bindTempAuthKeyHandler } from './rpc/bind-temp-auth-key.js';
export { Dc, type DcAddress, type DcStats } from './dc.js';
export { listen, WEBSOCKET_PATH, type Listener } from './listener.js';
export { DcConnection, TransportErrorCode, type PacketLink } from './connection.js';
export { AuthKeyStore, type StoredAuthKey } from './auth-keys.js';
export { chainFaults, wrongMsgKey, type Misbehaviour, type PacketFaults, type FaultPacketInfo } from './faults.js';
export { defaultRsaKeyPath, loadOrCreateRsaKeyPair } from './rsa-store.js';
export { MethodRegistry, type MethodHandler, type RpcContext, type ClientInfo } from './rpc/registry.js';
export { RpcError, inputMethodInvalid, inputFetchError } from './rpc/rpc-error.js';
export { dispatch, innermost, type CallOutcome, type ConnectionRpcState, type DispatchEnv } from './rpc/dispatch.js';
export { configOf, defaultHelpOptions, registerHelpMethods, type HelpOptions } from './rpc/help.js';
export { SessionStore } from './sessions.js';
export { CallBook, FINISHED_KEPT, ANSWER_BYTES_KEPT, type KeptAnswer, type FinishedCall } from './calls.js';
export { answerServiceRequest, type ServiceContext } from './service.js';
export { generatedLayer, layerFromSchema, announcedLayer, type LayerCodec } from './layers.js';
export { BUNDLED_LAYERS, LayerShelf, loadBundledLayer } from './layers/shelf.js';
export { World, registerWorldMethods, type WorldOptions, type UpdateListener, type AuthKeyUpdateListener, type UpdateOrigin } from './world/index.js';
