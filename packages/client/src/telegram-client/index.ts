// The high-level client: logins, messages, dialogs, contacts, peers, events.
export { TelegramClient, type CallOptions } from './client.js';
export type { TelegramClientOptions } from './options.js';
export type { StartParams, SentCode, QrLoginParams } from './auth.js';
export type { SendMessageOptions, GetMessagesOptions, IterHistoryOptions, IterDialogsOptions, ContactInput } from './chats.js';
export { toMessage, peerMarkedId, displayName, type Message, type Dialog } from './message.js';
export { entityOf, type PeerLike } from './peers.js';
export { FloodWaitError, TelegramClientError, type TelegramClientErrorCode } from './errors.js';
export type { ClientEvent, DeletedMessages, RawUpdate, TelegramClientEvents } from './events.js';
export type { SendFileOptions } from './files.js';
