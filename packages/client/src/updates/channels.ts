import type { tl } from '@telegram-mt/tl';
import { PtsSequence } from './pts-sequence.js';

/**
 * The channels whose pts is tracked, most recently updated last, and the
 * access hashes getChannelDifference needs, learnt from the `chats` that
 * come with updates. Both are bounded by `maxChannels`.
 */
export class ChannelBoxes {
  private readonly boxes = new Map<string, PtsSequence>();
  /** Channels with a gap deadline, so a tick does not scan every channel. */
  readonly timed = new Set<string>();
  private readonly accessHashes = new Map<string, bigint>();

  constructor(
    private readonly maxChannels: number,
    private readonly accessHashOf: ((channelId: bigint) => bigint | undefined) | undefined,
  ) {}

  get size(): number {
    return this.boxes.size;
  }

  get(key: string): PtsSequence | undefined {
    return this.boxes.get(key);
  }

  entries(): IterableIterator<[string, PtsSequence]> {
    return this.boxes.entries();
  }

  /**
   * The channel that must make room for a new one: the least recently
   * updated one not being fetched, or undefined when there is room.
   */
  victim(): string | undefined {
    if (this.boxes.size < this.maxChannels) return undefined;
    for (const [key, box] of this.boxes) if (!box.fetching) return key;
    return undefined;
  }

  add(key: string, pts: number): PtsSequence {
    const box = new PtsSequence(pts);
    this.boxes.set(key, box);
    return box;
  }

  delete(key: string): void {
    this.boxes.delete(key);
    this.timed.delete(key);
  }

  /** Marks a channel as just updated (eviction takes the first idle one). */
  touch(key: string, box: PtsSequence): void {
    this.boxes.delete(key);
    this.boxes.set(key, box);
  }

  learn(chats: tl.Chat[]): void {
    for (const c of chats) {
      // A min channel's hash cannot be used for requests.
      if (!((c._ === 'channel' && !c.min) || c._ === 'channelForbidden') || c.accessHash === undefined) continue;
      const key = String(c.id);
      this.accessHashes.delete(key);
      this.accessHashes.set(key, c.accessHash);
      if (this.accessHashes.size > this.maxChannels) {
        this.accessHashes.delete(this.accessHashes.keys().next().value as string);
      }
    }
  }

  accessHash(key: string): bigint | undefined {
    return this.accessHashes.get(key) ?? this.accessHashOf?.(BigInt(key));
  }
}
