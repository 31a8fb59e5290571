import type { StorageDriver } from '../driver.js';
import { asRecord, badValue, int } from './records.js';

/**
 * The updates engine's position: the common box (pts, seq, date), qts, and
 * each channel's pts. The same shape as the updates engine's `UpdatesState`
 * (channel ids as decimal strings), so it can be stored as it is.
 */
export interface StoredUpdatesState {
  pts: number;
  qts: number;
  date: number;
  seq: number;
  /** channel id (decimal) → pts. */
  channels: Record<string, number>;
}

const COMMON = 'updates:common';
const CHANNEL = 'updates:channel:';
const INT32_MAX = 0x7fffffff;
const channelKey = (id: bigint | string): string => CHANNEL + String(id);

function checkCounter(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > INT32_MAX) badValue(`updates state: ${name} is not an int32 ≥ 0`);
}
function checkChannelId(id: bigint | string): string {
  const s = String(id);
  if (!/^[1-9][0-9]{0,18}$/.test(s) || BigInt(s) >= 1n << 63n) badValue(`updates state: channel id ${s} is not a positive 64-bit integer`);
  return s;
}

/**
 * Stores the common counters in one record and each channel's pts in its
 * own, so a channel update rewrites one small record, not the whole map.
 */
export class UpdatesStateRepository {
  /**
   * Channel keys stored, learned once from the driver and kept in step by
   * this repository (the only writer of them), so `set` after every batch
   * of updates does not scan the whole storage (peers included).
   */
  private channelKeys: Set<string> | undefined;

  constructor(private readonly driver: StorageDriver) {}

  private async knownChannelKeys(): Promise<Set<string>> {
    this.channelKeys ??= new Set((await this.driver.entries(CHANNEL)).map(([k]) => k));
    return this.channelKeys;
  }

  /** The whole state, or undefined if none was ever stored. */
  async get(): Promise<StoredUpdatesState | undefined> {
    const raw = await this.driver.get(COMMON);
    if (raw === undefined) return undefined;
    const r = asRecord(raw, 'updates state');
    const state: StoredUpdatesState = {
      pts: int(r, 'pts', 'updates state', 0),
      qts: int(r, 'qts', 'updates state', 0),
      date: int(r, 'date', 'updates state', 0),
      seq: int(r, 'seq', 'updates state', 0),
      channels: {},
    };
    for (const [k, v] of await this.driver.entries(CHANNEL)) {
      state.channels[k.slice(CHANNEL.length)] = int(asRecord(v, k), 'pts', k, 0);
    }
    return state;
  }

  /** Replaces the whole state at once: channels missing from `state.channels` are forgotten. */
  async set(state: StoredUpdatesState): Promise<void> {
    for (const f of ['pts', 'qts', 'date', 'seq'] as const) checkCounter(f, state[f]);
    const channels = Object.entries(state.channels ?? {});
    for (const [id, pts] of channels) {
      checkChannelId(id);
      checkCounter(`channel ${id} pts`, pts);
    }
    const known = await this.knownChannelKeys();
    const keep = new Set(channels.map(([id]) => channelKey(id)));
    await this.driver.transaction((tx) => {
      tx.set(COMMON, { pts: state.pts, qts: state.qts, date: state.date, seq: state.seq });
      for (const k of known) if (!keep.has(k)) tx.delete(k);
      for (const [id, pts] of channels) tx.set(channelKey(id), { pts });
    });
    this.channelKeys = keep;
  }

  /** Updates only the common counters, leaving channels as they are. */
  async setCommon(common: { pts: number; qts: number; date: number; seq: number }): Promise<void> {
    for (const f of ['pts', 'qts', 'date', 'seq'] as const) checkCounter(f, common[f]);
    await this.driver.set(COMMON, { pts: common.pts, qts: common.qts, date: common.date, seq: common.seq });
  }

  async getChannelPts(channelId: bigint): Promise<number | undefined> {
    const k = channelKey(checkChannelId(channelId));
    const raw = await this.driver.get(k);
    return raw === undefined ? undefined : int(asRecord(raw, k), 'pts', k, 0);
  }

  async setChannelPts(channelId: bigint, pts: number): Promise<void> {
    const id = checkChannelId(channelId);
    checkCounter(`channel ${id} pts`, pts);
    const known = await this.knownChannelKeys();
    await this.driver.set(channelKey(id), { pts });
    known.add(channelKey(id));
  }

  async deleteChannel(channelId: bigint): Promise<void> {
    const k = channelKey(checkChannelId(channelId));
    const known = await this.knownChannelKeys();
    await this.driver.delete(k);
    known.delete(k);
  }

  /** Forgets everything (after a logout, or to start over from updates.getState). */
  async clear(): Promise<void> {
    const known = await this.knownChannelKeys();
    await this.driver.transaction((tx) => {
      tx.delete(COMMON);
      for (const k of known) tx.delete(k);
    });
    this.channelKeys = new Set();
  }
}
