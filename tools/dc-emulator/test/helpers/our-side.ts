// Our own client's side of the independent-client tests (GramJS, mtcute):
// a logged-in user on a Connection of @telegram-mt/client, the messages
// pushed to it, and bounded waits.
import { Connection, type DcEndpoint } from '@telegram-mt/client';
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
  connection: Connection;
  user: tl.user;
  /** Texts of the private messages pushed to this user. */
  inbox: Inbox;
  close(): void;
}

/** Logs `phone` in with the code from the emulator's inbox, on the user's home DC (no migration). */
export async function ourUser(emulator: Emulator, phone: string, dcId: number): Promise<OurUser> {
  const dc = emulator.dcs.find((d) => d.id === dcId) as DcEndpoint;
  const connection = new Connection({ dc, apiId: 1, rsaPublicKeys: emulator.rsaPublicKeys, reconnect: false, requestTimeout: 15_000 });
  const inbox = new Inbox();
  connection.on('update', (u: unknown) => {
    const up = u as tl.Updates;
    if (up._ === 'updateShortMessage') inbox.push(up.message);
    if (up._ === 'updates' || up._ === 'updatesCombined') {
      for (const x of up.updates) if (x._ === 'updateNewMessage' && x.message._ === 'message') inbox.push(x.message.message);
    }
    if (up._ === 'updateShort' && up.update._ === 'updateNewMessage' && up.update.message._ === 'message') inbox.push(up.update.message.message);
  });
  try {
    await within(connection.connect(), 20_000, 'our client connects');
    const sent = (await connection.invoke({ _: 'auth.sendCode', phoneNumber: phone, apiId: 1, apiHash: 'ours', settings: { _: 'codeSettings' } })) as tl.auth.sentCode;
    const code = emulator.world.inbox(phone).at(-1)!;
    const auth = await connection.invoke({ _: 'auth.signIn', phoneNumber: phone, phoneCodeHash: sent.phoneCodeHash, phoneCode: code });
    if (auth._ !== 'auth.authorization') throw new Error(`our client: sign-in gave ${auth._}`);
    return { connection, user: auth.user as tl.user, inbox, close: () => connection.close() };
  } catch (err) {
    connection.close();
    throw err;
  }
}

/** An input peer for a username, as our user resolves it. */
export async function resolve(c: Connection, username: string): Promise<tl.inputPeerUser> {
  const r = await c.invoke({ _: 'contacts.resolveUsername', username });
  const u = r.users[0] as tl.user;
  return { _: 'inputPeerUser', userId: u.id, accessHash: u.accessHash! };
}
