// TelegramClients against the emulator, logged in the way a person would:
// the code is read from the emulator's inbox for the phone.
import { TelegramClient, type TelegramClientOptions } from '../../src/index.js';
import type { Emulator } from './emulator.js';

export function clientFor(emulator: Emulator, options: Partial<TelegramClientOptions> = {}): TelegramClient {
  return new TelegramClient({
    apiId: 1,
    apiHash: 'test',
    dcs: emulator.dcs,
    rsaPublicKeys: emulator.rsaPublicKeys,
    transport: { codec: 'intermediate' },
    pfs: false,
    ...options,
  });
}

/** Logs `client` in as the world's user with `phone` (2FA with `password` when the user has one). */
export async function logIn(emulator: Emulator, client: TelegramClient, phone: string, password?: string) {
  return client.start({
    phone,
    code: async () => emulator.world.inbox(phone).at(-1)!,
    ...(password !== undefined ? { password: async () => password } : {}),
  });
}

/** Resolves with the first value `take` accepts, or rejects after `ms`. */
export function waitFor<T>(subscribe: (take: (v: T) => void) => () => void, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const off = subscribe((v) => {
      clearTimeout(timer);
      off();
      resolve(v);
    });
  });
}
