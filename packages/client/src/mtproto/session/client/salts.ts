import type { tl } from '@telegram-mt/tl';

/** Telegram answers get_future_salts with at most 64. */
const MAX_SALTS = 64;
/** Switch away from a salt this long (s) before its valid_until. */
const SWITCH_BEFORE = 60;
/** Ask for more salts when none is valid this long (s) from now. */
const REFILL_BEFORE = 1800;

/**
 * Future server salts (future_salts#ae500895), kept to switch salts before
 * the current one expires instead of waiting for bad_server_salt. Bounded to
 * 64 entries, sorted by valid_since; times are the server's Unix seconds.
 */
export class FutureSalts {
  private salts: tl.future_salt[] = [];

  get size(): number {
    return this.salts.length;
  }

  store(salts: readonly tl.future_salt[]): void {
    const all = [...this.salts, ...salts.filter((s) => s.validUntil > s.validSince)];
    all.sort((a, b) => a.validSince - b.validSince);
    // Later answers win for the same window.
    const byStart = new Map<number, tl.future_salt>();
    for (const s of all) byStart.set(s.validSince, s);
    this.salts = [...byStart.values()].slice(-MAX_SALTS);
  }

  /** The salt to use at `now`: valid now and not about to expire; undefined when none is known. */
  pick(now: number): bigint | undefined {
    this.prune(now);
    for (const s of this.salts) {
      if (s.validSince <= now && now < s.validUntil - SWITCH_BEFORE) return s.salt;
    }
    return undefined;
  }

  /** Whether the known salts run out within half an hour (time to send get_future_salts). */
  needsRefill(now: number): boolean {
    const last = this.salts[this.salts.length - 1];
    return last === undefined || last.validUntil - now < REFILL_BEFORE;
  }

  /** The server said our salt is wrong (bad_server_salt): what we hold is stale. */
  clear(): void {
    this.salts = [];
  }

  private prune(now: number): void {
    let i = 0;
    while (i < this.salts.length && this.salts[i]!.validUntil - SWITCH_BEFORE <= now) i++;
    if (i > 0) this.salts = this.salts.slice(i);
  }
}
