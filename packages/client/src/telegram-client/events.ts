import type { tl } from '@telegram-mt/tl';
import { TelegramClientError } from './errors.js';
import type { Message } from './message.js';

export interface DeletedMessages {
  ids: number[];
  /** Set for a channel or supergroup; ids without it are in the common box (private chats, basic groups). */
  channelId?: bigint;
}

export interface RawUpdate {
  update: tl.Update;
  users: tl.User[];
  chats: tl.Chat[];
}

/** What `on(…)` handlers and `updates()` iterators receive. */
export interface TelegramClientEvents {
  newMessage: [message: Message];
  editMessage: [message: Message];
  deleteMessage: [deleted: DeletedMessages];
  /** Every update, including the three above, with the entities it came with. */
  raw: [update: RawUpdate];
  /** The server could not give the whole difference: cached dialogs and history may be stale. */
  differenceTooLong: [info: { pts: number } | { channelId: bigint }];
  /** The home connection's state (`connecting`, `ready`, `offline`, …). */
  connectionState: [state: string];
}

export type ClientEvent =
  | { kind: 'newMessage'; message: Message }
  | { kind: 'editMessage'; message: Message }
  | { kind: 'deleteMessage'; ids: number[]; channelId?: bigint };

/**
 * One `updates()` iterator's queue. It holds at most `limit` events: a
 * consumer that falls further behind gets EVENTS_OVERFLOW from `next()`
 * (after the events already queued) instead of the process growing without
 * bound or events vanishing unnoticed.
 */
export class EventQueue implements AsyncIterableIterator<ClientEvent> {
  private readonly items: ClientEvent[] = [];
  private head = 0;
  private waiter: ((r: IteratorResult<ClientEvent>) => void) | undefined;
  private done = false;
  private overflowed = false;

  constructor(
    private readonly limit: number,
    private readonly onEnd: () => void,
  ) {}

  push(event: ClientEvent): void {
    if (this.done || this.overflowed) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ value: event, done: false });
      return;
    }
    if (this.items.length - this.head >= this.limit) {
      this.overflowed = true;
      return;
    }
    this.items.push(event);
  }

  /** Ends the iteration (the client disconnected). */
  end(): void {
    if (this.done) return;
    this.done = true;
    this.onEnd();
    const w = this.waiter;
    this.waiter = undefined;
    w?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<ClientEvent>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.overflowed) {
      this.end();
      return Promise.reject(new TelegramClientError('EVENTS_OVERFLOW', `the updates() consumer fell more than ${this.limit} events behind`));
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<ClientEvent>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ClientEvent> {
    return this;
  }
}
