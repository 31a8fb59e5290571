// Our own client's side of the independent-client tests (GramJS, mtcute):
// a user logged in with @telegram-mt/client's TelegramClient, the messages
// its events deliver, and bounded waits.
import { TelegramClient } from '@telegram-mt/client';
import type { tl } from '@telegram-mt/tl';
import type { Emulator } from '../../src/index.js';

/** Resolves as `p` does, or rejects after `ms` saying what was awaited. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Texts pushed to a listener, awaited one by one with a bound. */
export class Inbox {
  private readonly texts: string[] = [];
  private wake: (() => void) | undefined;

  push(text: string): void {
    this.texts.push(text);
    this.wake?.();
  }

  /** The next text that satisfies `match` (earlier ones that do not are kept). */
  async next(match: (text: string) => boolean, ms: number, what: string): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.texts.findIndex(match);
      if (i >= 0) return this.texts.splice(i, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${ms} ms: ${what} (got ${JSON.stringify(this.texts)})`);
      await within(new Promise<void>((r) => (this.wake = r)), left, what).catch(() => {});
    }
  }
}

export interface OurUser {
  client: TelegramClient;
  user: tl.user;
  /** Texts of the messages our client's `newMessage` event saw. */
  inbox: Inbox;
  close(): Promise<void>;
}

/** Our TelegramClient, logged in as `phone` with the code from the emulator's inbox, starting on `dcId`. */
export async function ourUser(emulator: Emulator, phone: string, dcId: number): Promise<OurUser> {
  const client = new TelegramClient({
    apiId: 1,
    apiHash: 'ours',
    dcs: emulator.dcs,
    rsaPublicKeys: emulator.rsaPublicKeys,
    defaultDcId: dcId,
    connection: { requestTimeout: 15_000 },
  });
  const inbox = new Inbox();
  client.on('newMessage', (m) => inbox.push(m.text));
  const close = () => within(client.disconnect(), 10_000, 'our client disconnects').catch(() => {});
  try {
    const user = await within(client.start({ phone, code: async () => emulator.world.inbox(phone).at(-1)! }), 20_000, 'our client logs in');
    return { client, user, inbox, close };
  } catch (err) {
    await close();
    throw err;
  }
}
