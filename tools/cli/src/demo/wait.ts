// Waiting for an event in the demo, always bounded.
import type { CliClient, Message } from '../client-api.js';

/** The next newMessage on `client` that `match` accepts, or a rejection after `ms`. */
export function nextMessage(client: CliClient, match: (m: Message) => boolean, what: string, ms = 10_000): Promise<Message> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('newMessage', on);
      reject(new Error(`no ${what} within ${ms} ms`));
    }, ms);
    const on = (m: Message) => {
      if (!match(m)) return;
      clearTimeout(timer);
      client.off('newMessage', on);
      resolve(m);
    };
    client.on('newMessage', on);
  });
}
