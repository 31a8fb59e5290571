// Perfect forward secrecy (core.telegram.org/api/pfs), both roles, sans-IO.
export { aesKeyIvV1, msgKeyV1 } from './kdf-v1.js';
export {
  ID_BIND_AUTH_KEY_INNER,
  BIND_AUTH_KEY_INNER_SIZE,
  ENCRYPTED_BIND_MESSAGE_SIZE,
  encodeBindAuthKeyInner,
  decodeBindAuthKeyInner,
  sealBindMessage,
  sealBindPlaintext,
  openBindMessage,
  bindMessageKeyId,
  type BindAuthKeyInner,
  type OpenedBindMessage,
  type OpenBindFailure,
} from './bind-message.js';
export { TempKeyBinder, createBindTempAuthKeyRequest, type TempKeyBinderOptions } from './bind-client.js';
export {
  verifyBindTempAuthKey,
  acceptBindTempAuthKey,
  type BindCheckContext,
  type BindKeyInfo,
  type BindErrorText,
  type BindRefusal,
  type BindVerdict,
} from './bind-server.js';
export { TempKeyBindings, type TempKeyBinding } from './bindings.js';
export {
  TempKeyManager,
  defaultPfsOptions,
  type PfsOptions,
  type TempKey,
  type TempKeyAction,
  type TempKeySwitch,
} from './temp-key-manager.js';
export { UNBOUND_TEMP_KEY_METHODS, isTempKeyExpired, checkCallOnKey, type CallGate } from './key-gate.js';
