// What the CLI takes from @telegram-mt/client, in one place.
import { TelegramClient, type TelegramClientOptions } from '@telegram-mt/client';

export type { Message, PeerLike } from '@telegram-mt/client';
export type ClientOptions = TelegramClientOptions;
export type CliClient = TelegramClient;
export type OnProgress = (done: number, total: number) => void;

export async function createClient(opts: ClientOptions): Promise<CliClient> {
  return new TelegramClient(opts);
}
