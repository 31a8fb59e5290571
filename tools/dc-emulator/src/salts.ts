// Server salts that rotate, per auth key (core.telegram.org/mtproto/description#server-salt,
// /service_messages#request-for-several-future-salts). Salts live in
// consecutive windows of `lifetime` seconds; a client may keep using the
// previous one for `grace` seconds after its window ends, as Telegram lets it.
import { createHash } from 'node:crypto';

export interface SaltOptions {
  /** Seconds each salt is current. Default 3600 (about what Telegram uses). */
  lifetimeSeconds: number;
  /** Seconds the previous salt is still accepted once its window is over. Default 1800. */
  graceSeconds: number;
}

export const defaultSaltOptions: SaltOptions = { lifetimeSeconds: 3600, graceSeconds: 1800 };

/** One window of the schedule, as future_salt names it. */
export interface SaltWindow {
  validSince: number;
  validUntil: number;
  salt: bigint;
}

/** Telegram answers get_future_salts with at most 64 salts. */
export const MAX_FUTURE_SALTS = 64;

/**
 * The salt schedule of one auth key. Window 0 starts when the key was made
 * and carries the handshake's salt; later salts are derived from the key id
 * and the window number, so the schedule is deterministic and needs no
 * storage. `rotateNow` starts a new window at once with no grace for the
 * old salt (the `stale-salt` fault).
 */
export class SaltSchedule {
  /** Unix seconds when window 0 started (moved by rotateNow). */
  private base: number;
  /** Windows before this one get no grace (a forced rotation). */
  private noGraceBefore = 0;
  private readonly cache = new Map<number, bigint>();

  constructor(
    private readonly authKeyId: bigint,
    private readonly first: bigint,
    since: number,
    private readonly opts: SaltOptions = defaultSaltOptions,
  ) {
    if (!(opts.lifetimeSeconds >= 1) || !(opts.graceSeconds >= 0)) throw new RangeError('salt lifetime must be ≥ 1 s and grace ≥ 0 s');
    this.base = since;
  }

  /** The window current at `now` (Unix seconds); never before window 0. */
  indexAt(now: number): number {
    return Math.max(0, Math.floor((now - this.base) / this.opts.lifetimeSeconds));
  }

  saltOf(index: number): bigint {
    if (index === 0) return this.first;
    let salt = this.cache.get(index);
    if (salt === undefined) {
      const h = createHash('sha256').update(`${this.authKeyId}:${index}:salt`).digest();
      salt = h.readBigInt64LE(0);
      if (this.cache.size >= 16) this.cache.delete(this.cache.keys().next().value as number);
      this.cache.set(index, salt);
    }
    return salt;
  }

  window(index: number): SaltWindow {
    const validSince = this.base + index * this.opts.lifetimeSeconds;
    return { validSince, validUntil: validSince + this.opts.lifetimeSeconds, salt: this.saltOf(index) };
  }

  /** The salt the server puts in its messages at `now`. */
  current(now: number): bigint {
    return this.saltOf(this.indexAt(now));
  }

  /** Whether a client message with `salt` passes at `now`: the current salt, or the previous one within the grace. */
  accepts(salt: bigint, now: number): boolean {
    const i = this.indexAt(now);
    if (salt === this.saltOf(i)) return true;
    if (i === 0 || i - 1 < this.noGraceBefore) return false;
    return salt === this.saltOf(i - 1) && now < this.window(i - 1).validUntil + this.opts.graceSeconds;
  }

  /** `n` windows from the current one (get_future_salts). */
  future(now: number, n: number): SaltWindow[] {
    const i = this.indexAt(now);
    const count = Math.max(1, Math.min(n, MAX_FUTURE_SALTS));
    return Array.from({ length: count }, (_, k) => this.window(i + k));
  }

  /** Starts the next window now; the salt in use until now is refused from the next message on. */
  rotateNow(now: number): void {
    const next = this.indexAt(now) + 1;
    this.base = now - next * this.opts.lifetimeSeconds;
    this.noGraceBefore = next;
  }
}
