// The part of @telegram-mt/client's TelegramClient the CLI uses: a narrow
// shape, so the commands say what they need of the client.
import { TelegramClient, type Storage } from '@telegram-mt/client';
import type { tl, TlResult } from '@telegram-mt/tl';

export interface Message {
  id: number;
  chatId: bigint;
  senderId?: bigint;
  out: boolean;
  date: Date;
  editDate?: Date;
  text: string;
  entities: tl.MessageEntity[];
  replyToMsgId?: number;
  media?: tl.MessageMedia;
  raw: unknown;
}

export type PeerLike = string | number | bigint | tl.InputPeer;
export type OnProgress = (done: number, total: number) => void;

export interface ClientOptions {
  apiId: number;
  apiHash: string;
  storage?: Storage;
  dcs?: readonly { id: number; host: string; port: number }[];
  rsaPublicKeys?: readonly string[];
  device?: { deviceModel?: string; appVersion?: string; systemVersion?: string };
  updates?: boolean;
  log?: (line: string) => void;
}

export interface CliClient {
  readonly storage: Storage;
  readonly homeDcId: number;
  connect(): Promise<void>;
  isAuthorized(): Promise<boolean>;
  start(p: {
    phone?: string | (() => Promise<string>);
    code?: () => Promise<string>;
    password?: () => Promise<string>;
    botToken?: string;
    firstName?: string;
    lastName?: string;
  }): Promise<tl.user>;
  logOut(): Promise<void>;
  getMe(): Promise<tl.user>;
  invoke<R extends tl.TlMethod>(req: R, opts?: { dcId?: number; timeout?: number }): Promise<TlResult<R>>;
  resolvePeer(peer: PeerLike): Promise<tl.InputPeer>;
  sendMessage(peer: PeerLike, text: string, o?: { parseMode?: 'markdown' | 'html'; replyTo?: number; silent?: boolean }): Promise<Message>;
  getMessages(peer: PeerLike, o?: { limit?: number; offsetId?: number; ids?: number[] }): Promise<Message[]>;
  getContacts(): Promise<tl.user[]>;
  getDialogs(o?: { limit?: number }): Promise<{ chatId: bigint; title: string }[]>;
  on(event: 'newMessage', listener: (m: Message) => void): unknown;
  off(event: 'newMessage', listener: (m: Message) => void): unknown;
  uploadFile(source: Uint8Array | string, o?: { fileName?: string; onProgress?: OnProgress; signal?: AbortSignal }): Promise<tl.InputFile>;
  downloadFile(location: Message, o?: { to?: string; onProgress?: OnProgress; signal?: AbortSignal }): Promise<Uint8Array | number>;
  sendFile(peer: PeerLike, file: Uint8Array | string, o?: { caption?: string; fileName?: string; onProgress?: OnProgress; signal?: AbortSignal }): Promise<Message>;
  disconnect(): Promise<void>;
}

export async function createClient(opts: ClientOptions): Promise<CliClient> {
  const client: CliClient = new TelegramClient(opts);
  return client;
}
