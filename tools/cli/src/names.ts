// Names for the ids in messages: the logged-in user, contacts, the titles of
// recent group chats, and usernames from the session's peer cache; an id is
// shown as is when nothing is known.
import type { CliClient, Message } from './client-api.js';
import { Names } from './format.js';

export async function namesFor(client: CliClient, messages: readonly Message[] = []): Promise<Names> {
  const names = new Names();
  const [me, contacts, dialogs] = await Promise.all([
    client.getMe(),
    client.getContacts().catch(() => []),
    client.getDialogs({ limit: 100 }).catch(() => []),
  ]);
  names.learn(contacts);
  for (const d of dialogs) if (d.chatId < 0n) names.set(d.chatId, d.title);
  names.set(me.id, 'you');
  await learnFromCache(client, names, messages);
  return names;
}

export async function learnFromCache(client: CliClient, names: Names, messages: readonly Message[]): Promise<void> {
  for (const id of new Set(messages.flatMap((m) => [m.chatId, m.senderId]).filter((x): x is bigint => x !== undefined))) {
    if (names.of(id) !== String(id)) continue;
    const peer = await client.storage.peers.getById(id).catch(() => undefined);
    if (peer?.usernames[0]) names.set(id, `@${peer.usernames[0]}`);
  }
}
