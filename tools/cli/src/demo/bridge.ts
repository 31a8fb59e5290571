// A bridge, the job the original Elixir telegram_mt was written for: every
// message in one chat is relayed into another as "[Name] text", with the
// formatting kept — the entities are moved past the prefix, and the name
// itself is bold.
import { randomBytes } from 'node:crypto';
import type { tl } from '@telegram-mt/tl';
import type { CliClient, Message } from '../client-api.js';

export interface BridgeOptions {
  /** Marked id of the chat to read (as `Message.chatId`). */
  from: bigint;
  to: tl.InputPeer;
  /** Display names by marked user id; unknown senders show as their id. */
  names: ReadonlyMap<bigint, string>;
  /** Called after each relay with the original and the relayed text. */
  onRelay?(original: Message, relayed: { text: string; entities: tl.MessageEntity[] }): void;
  onError?(e: unknown): void;
}

/** The relayed form of a message: the prefix, then the text with its entities shifted. */
export function relayed(name: string, m: Pick<Message, 'text' | 'entities'>): { text: string; entities: tl.MessageEntity[] } {
  const prefix = `[${name}] `;
  const shift = prefix.length; // UTF-16 code units, as entity offsets are
  const entities: tl.MessageEntity[] = [
    { _: 'messageEntityBold', offset: 0, length: prefix.length - 1 },
    ...m.entities.map((e) => ({ ...e, offset: e.offset + shift })),
  ];
  return { text: prefix + m.text, entities };
}

/** Starts relaying; returns a function that stops it. */
export function startBridge(client: CliClient, o: BridgeOptions): () => void {
  const onMessage = (m: Message) => {
    if (m.chatId !== o.from || m.out || m.text === '') return;
    const name = o.names.get(m.senderId ?? 0n) ?? String(m.senderId);
    const r = relayed(name, m);
    client
      .invoke({ _: 'messages.sendMessage', peer: o.to, message: r.text, entities: r.entities, randomId: randomBytes(8).readBigInt64LE() })
      .then(() => o.onRelay?.(m, r), (e: unknown) => o.onError?.(e));
  };
  client.on('newMessage', onMessage);
  return () => client.off('newMessage', onMessage);
}
