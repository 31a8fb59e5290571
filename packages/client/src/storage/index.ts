// Storage: one driver interface, repositories on top, memory/file/string backends.
export type { StorageDriver, StorageTransaction } from './driver.js';
export type { StoredValue } from './value.js';
export { MapDriver } from './map-driver.js';
export { MemoryDriver } from './memory-driver.js';
export { FileDriver, STORAGE_FILE_FORMAT, STORAGE_FILE_VERSION, type FileDriverOptions, type FileDriverStats } from './file-driver.js';
export { Storage, MemoryStorage, FileStorage } from './storage.js';
export { exportSession, importSession, SESSION_STRING_VERSION, type ExportSessionOptions } from './session-string.js';
export {
  StorageError,
  StorageCorruptError,
  SessionStringError,
  type StorageErrorCode,
  type SessionStringErrorCode,
} from './errors.js';
export { AuthKeysRepository, authKeyIdOf, type AuthKeyKind, type StoredAuthKey } from './repositories/auth-keys.js';
export { SessionRepository, type HomeDc, type SelfInfo } from './repositories/session.js';
export { UpdatesStateRepository, type StoredUpdatesState } from './repositories/updates-state.js';
export {
  PeersRepository,
  markedPeerId,
  parseMarkedPeerId,
  toInputPeer,
  toInputUser,
  toInputChannel,
  normalizeUsername,
  normalizePhone,
  type PeerType,
  type StoredPeer,
  type PeerInput,
} from './repositories/peers.js';
