import type { tl } from '@telegram-mt/tl';
import type { Storage } from '../storage/storage.js';
import { UpdatesBox } from '../updates/updates-box.js';
import type { UpdatesState } from '../updates/state.js';
import type { UpdatesBoxOptions, UpdatesOutput, UpdatesRequest } from '../updates/types.js';

/** What the engine needs from the client around it. */
export interface UpdatesEngineHost {
  readonly storage: Storage;
  /** Sends one of the box's requests (getState / getDifference / getChannelDifference) to the home DC. */
  request(request: UpdatesRequest): Promise<unknown>;
  /** Hands one drained batch (or notice) to the user; awaited before the state that covers it is stored. */
  deliver(output: Exclude<UpdatesOutput, { _: 'request' }>): void | Promise<void>;
  log(line: string): void;
  now?: () => number;
}

/**
 * The edge around the sans-IO `UpdatesBox`: feeds it what arrives, sends its
 * requests, keeps its timer, and after each batch is handled stores the
 * state — in that order, so a restart neither loses nor repeats an update.
 * Work runs on one promise chain: batches are delivered in the order the box
 * gave them out, and the state written last is the newest.
 */
export class UpdatesEngine {
  private readonly box: UpdatesBox;
  private timer: NodeJS.Timeout | undefined;
  private deadline = Infinity;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Channel access hashes seen (for getChannelDifference when the update carried none). */
  private readonly channelHashes = new Map<bigint, bigint>();
  private readonly now: () => number;
  /** The last state handed to the chain, to skip storing an unchanged one. */
  private lastQueued: string | undefined;

  constructor(
    private readonly host: UpdatesEngineHost,
    options: Omit<UpdatesBoxOptions, 'now' | 'accessHashOf'> & { state?: UpdatesState },
  ) {
    this.now = host.now ?? Date.now;
    this.box = new UpdatesBox({ ...options, now: this.now(), accessHashOf: (id) => this.channelHashes.get(id) });
    this.pump();
  }

  /** Updates from the connection or from a call's result. */
  feed(updates: tl.Updates): void {
    if (this.stopped) return;
    try {
      this.box.feed(updates, this.now());
    } catch (e) {
      this.host.log(`updates: ignored a malformed Updates object: ${(e as Error).message}`);
    }
    this.pump();
  }

  /** A call's messages.affectedMessages / affectedHistory. */
  feedAffected(affected: { pts: number; ptsCount: number }, channelId?: bigint): void {
    if (this.stopped) return;
    this.box.feedAffected(affected, this.now(), channelId);
    this.pump();
  }

  /** Something may have been missed (a new session, a reconnect): ask for the difference. */
  resync(): void {
    this.feed({ _: 'updatesTooLong' });
  }

  rememberChannels(chats: readonly tl.Chat[]): void {
    for (const c of chats) if (c._ === 'channel' && c.accessHash !== undefined && !c.min) this.channelHashes.set(c.id, c.accessHash);
  }

  /** Resolves once everything given out so far has been delivered and stored. */
  idle(): Promise<void> {
    return this.chain;
  }

  stats() {
    return this.box.stats();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    const batch: Exclude<UpdatesOutput, { _: 'request' }>[] = [];
    for (const out of this.box.drain()) {
      if (out._ === 'request') this.send(out.id, out.request);
      else batch.push(out);
    }
    // Also with nothing to deliver: a getState answer or an empty difference moves the state too.
    const state = this.box.getState();
    const key = state && stateKey(state);
    if (batch.length > 0 || key !== this.lastQueued) {
      this.lastQueued = key;
      this.enqueue(batch, state);
    }
    this.schedule();
  }

  private send(id: number, request: UpdatesRequest): void {
    this.host.request(request).then(
      (result) => {
        if (this.stopped) return;
        try {
          this.box.answer(id, result, this.now());
        } catch (e) {
          this.host.log(`updates: ${(e as Error).message}`);
        }
        this.pump();
      },
      (error: unknown) => {
        if (this.stopped) return;
        this.host.log(`updates: ${request._} failed: ${(error as Error).message ?? String(error)}`);
        this.box.fail(id, error, this.now());
        this.pump();
      },
    );
  }

  /** The state is taken now (it covers the whole batch) and stored only after the batch is delivered. */
  private enqueue(batch: Exclude<UpdatesOutput, { _: 'request' }>[], state: UpdatesState | undefined): void {
    for (const out of batch) if ('chats' in out) this.rememberChannels(out.chats);
    this.chain = this.chain.then(async () => {
      for (const out of batch) {
        if (this.stopped) return;
        try {
          await this.host.deliver(out);
        } catch (e) {
          this.host.log(`updates: a handler threw: ${(e as Error).stack ?? String(e)}`);
        }
      }
      if (state && !this.stopped) await this.store(state);
    });
  }

  private async store(state: UpdatesState): Promise<void> {
    try {
      await this.host.storage.updates.set(state);
    } catch (e) {
      this.host.log(`updates: could not store the state: ${(e as Error).message}`);
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    const next = this.box.nextDeadline() ?? Infinity;
    if (next === this.deadline && this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.deadline = next;
    if (next === Infinity) return;
    // Unref'd: a pending gap wait alone does not keep the process alive.
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.deadline = Infinity;
        if (this.stopped) return;
        this.box.tick(this.now());
        this.pump();
      },
      Math.max(0, Math.min(next - this.now(), 0x7fffffff)),
    ).unref();
  }
}

function stateKey(s: UpdatesState): string {
  let key = `${s.pts}/${s.qts}/${s.seq}/${s.date}`;
  for (const id in s.channels) key += `/${id}:${s.channels[id]}`;
  return key;
}
