// The world's own records. They are not TL objects: render.ts turns them into
// the constructors a given viewer sees (self, contact, access hash, out flag).
import type { tl } from '@telegram-mt/tl';
import type { SrpServerRecord } from '@telegram-mt/client';
import type { UpdateLog } from './log.js';
import type { StoredFile } from './files.js';

/** The common message box of a user (core.telegram.org/api/updates): pts, qts, seq, date. */
export interface CommonBox {
  pts: number;
  qts: number;
  seq: number;
  date: number;
}

export interface UserRecord {
  id: bigint;
  accessHash: bigint;
  /** Digits only, no '+'. Bots have none. */
  phone: string | undefined;
  firstName: string;
  lastName: string;
  username: string | undefined;
  /** The DC that keeps this account; calls elsewhere get *_MIGRATE_X. */
  homeDc: number;
  bot: boolean;
  /** `id:secret` for bots. */
  botToken: string | undefined;
  /** The 2FA verifier and hint; no password is kept. */
  password: (SrpServerRecord & { hint: string }) | undefined;
  about: string;
  /** Contacts this user saved, with the names they gave. */
  contacts: Map<bigint, { firstName: string; lastName: string }>;
  box: CommonBox;
  log: UpdateLog;
  /** Private chats and basic groups: this user's own copies, by this user's message id. */
  messages: Map<number, MessageRecord>;
  nextMessageId: number;
  dialogs: Map<string, DialogState>;
  /** random_id → message id of messages this user sent (dedup of retries). */
  sentRandomIds: Map<bigint, { peerKey: string; id: number }>;
}

/** A message as one box (a user's, or a channel's) holds it. */
export interface MessageRecord {
  id: number;
  /** The chat it belongs to, as the box owner names it. */
  peer: tl.Peer;
  /** Sender (a user; absent for channel posts). */
  fromId: bigint | undefined;
  /** For a user's box: the owner sent it. */
  out: boolean;
  date: number;
  text: string;
  entities: tl.MessageEntity[] | undefined;
  replyToMsgId: number | undefined;
  editDate: number | undefined;
  /** Every copy of the same message in private chats / basic groups (user id → message id there). */
  copies: Map<bigint, number> | undefined;
  /** The document or photo it carries (the text is then its caption). */
  media?: StoredFile;
}

/** A basic group (chat). */
export interface ChatRecord {
  id: bigint;
  title: string;
  creatorId: bigint;
  members: Set<bigint>;
  date: number;
  version: number;
}

/** A supergroup or broadcast channel: one box with its own pts. */
export interface ChannelRecord {
  id: bigint;
  accessHash: bigint;
  title: string;
  username: string | undefined;
  megagroup: boolean;
  creatorId: bigint;
  members: Set<bigint>;
  date: number;
  pts: number;
  log: UpdateLog;
  messages: Map<number, MessageRecord>;
  /** Message ids in order (deleted ones removed), for history paging. */
  ids: number[];
  nextMessageId: number;
  /** Member → the highest message id they read. */
  readInbox: Map<bigint, number>;
  /** Last time anything was logged, for getDifference's updateChannelTooLong hints. */
  lastDate: number;
}

/** A dialog of a user in a private chat or basic group (channels keep theirs on the channel). */
export interface DialogState {
  peer: tl.Peer;
  topMessage: number;
  readInboxMaxId: number;
  readOutboxMaxId: number;
  /** This user's message ids in the chat, in order. */
  ids: number[];
}

export function peerKey(peer: tl.Peer): string {
  switch (peer._) {
    case 'peerUser':
      return `u${peer.userId}`;
    case 'peerChat':
      return `c${peer.chatId}`;
    case 'peerChannel':
      return `C${peer.channelId}`;
  }
}
