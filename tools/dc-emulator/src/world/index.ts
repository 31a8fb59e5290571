export { World, normalizePhone, type WorldOptions, type UpdateListener, type AuthKeyUpdateListener, type UpdateOrigin } from './world.js';
export type { UserRecord, ChatRecord, ChannelRecord, MessageRecord, CommonBox } from './records.js';
export type { FloodRate } from './flood.js';
export { FileStore, type StoredFile } from './files.js';
export type { FileData } from './uploads.js';
export { registerWorldMethods } from '../rpc/world-methods.js';
