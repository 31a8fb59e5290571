// When to make, bind and retire temporary keys (core.telegram.org/api/pfs),
// as a sans-IO scheduler: the connection asks what to do and reports what
// happened; time comes from the injected clock, nothing here runs a timer.
import type { AuthKeyResult } from '../handshake/types.js';
import { authKeyIdOf } from '../session/cipher.js';
import { systemClock, type Clock, type RandomSource } from '../session/clock.js';
import { TempKeyBinder } from './bind-client.js';

export interface PfsOptions {
  /** Use temporary keys for all traffic (default true). Off: the permanent key carries the traffic. */
  enabled: boolean;
  /** expires_in asked for in p_q_inner_data_temp_dc, seconds (default 24 h). */
  expiresIn: number;
  /** Start making the next key this many seconds before the current one expires (default 1 h). */
  renewBefore: number;
  /**
   * Stop sending on a key this many seconds before its expires_at (default
   * 30 s), so no packet reaches the server after the key died there.
   */
  stopBefore: number;
  /** First retry delay after a failed create or bind, ms; doubles per failure (default 1 s). */
  retryDelayMs: number;
  /** Longest retry delay, ms (default 60 s). */
  maxRetryDelayMs: number;
}

export const defaultPfsOptions: PfsOptions = {
  enabled: true,
  expiresIn: 24 * 3600,
  renewBefore: 3600,
  stopBefore: 30,
  retryDelayMs: 1000,
  maxRetryDelayMs: 60_000,
};

/** A temporary key as the client keeps it (in memory only: that is the point of PFS). */
export interface TempKey {
  authKey: Uint8Array;
  authKeyId: bigint;
  serverSalt: bigint;
  /** Server Unix seconds. */
  expiresAt: number;
  /** Server time − local time, seconds, from the key's handshake. */
  timeOffset: number;
}

/** What the connection should do next. */
export type TempKeyAction =
  /** PFS is off: use the permanent key. */
  | { type: 'use-permanent' }
  /** Run ClientHandshake({ temp: { expiresIn } }) (on the side: current traffic goes on), then call keyCreated. */
  | { type: 'create'; expiresIn: number }
  /** Nothing to do before `at` (local ms); undefined while waiting on the edge (a handshake or a bind in flight). */
  | { type: 'wait'; at: number | undefined };

/** What keyBound hands back: the switch the connection makes. */
export interface TempKeySwitch {
  /** The key all new traffic goes to, in a new session. */
  current: TempKey;
  /**
   * The key it replaces, if any. Its session may still receive answers to
   * requests sent on it until `drainUntil` (local ms); at that time every
   * request still unanswered there is resent in the new session.
   */
  previous: { key: TempKey; drainUntil: number } | undefined;
  /** Always true: the client must call initConnection again after each binding (core.telegram.org/api/pfs). */
  initConnection: true;
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'creating' }
  | { kind: 'binding'; key: TempKey; binder: TempKeyBinder | undefined };

/**
 * Keeps one bound temporary key in use and the next one ready before the
 * current expires:
 *
 *   poll() → create → [handshake] → keyCreated() → binder(sessionId).requestFor(msgId)
 *          → [auth.bindTempAuthKey answered true] → keyBound() → switch traffic
 *
 * A key is never handed out for sending once it is within `stopBefore` of its
 * expiry; `current()` returns undefined then, and the connection holds
 * requests until the next key is bound.
 */
export class TempKeyManager {
  readonly options: PfsOptions;
  readonly permAuthKey: Uint8Array;
  readonly permAuthKeyId: bigint;
  private readonly clock: Clock;
  private readonly random: RandomSource | undefined;
  private active: TempKey | undefined;
  private phase: Phase = { kind: 'idle' };
  private failures = 0;
  private retryAt = 0;

  constructor(opts: { permAuthKey: Uint8Array; clock?: Clock; random?: RandomSource } & Partial<PfsOptions>) {
    const o: PfsOptions = { ...defaultPfsOptions };
    for (const k of Object.keys(defaultPfsOptions) as (keyof PfsOptions)[]) {
      if (opts[k] !== undefined) (o as unknown as Record<string, unknown>)[k] = opts[k];
    }
    if (!Number.isInteger(o.expiresIn) || o.expiresIn <= 0) throw new RangeError('expiresIn must be a positive whole number of seconds');
    if (!(o.renewBefore >= 0) || !(o.stopBefore >= 0) || o.renewBefore + o.stopBefore >= o.expiresIn) {
      throw new RangeError('renewBefore and stopBefore must be ≥ 0 and together shorter than expiresIn');
    }
    this.options = o;
    this.permAuthKey = opts.permAuthKey;
    this.permAuthKeyId = authKeyIdOf(opts.permAuthKey);
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random;
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  /** The phase, for logs and tests. */
  get state(): 'off' | 'idle' | 'creating' | 'binding' {
    return this.options.enabled ? this.phase.kind : 'off';
  }

  /**
   * The temporary key to send on now, or undefined when there is none that
   * is bound and still clear of its expiry. An expired key is forgotten here,
   * so it can never be handed out again.
   */
  current(): TempKey | undefined {
    const k = this.active;
    if (k === undefined) return undefined;
    if (this.clock.now() >= this.stopAt(k)) {
      this.active = undefined;
      return undefined;
    }
    return k;
  }

  /** Decides the next step. Call it on start, after each report, and when the `wait` time comes. */
  poll(): TempKeyAction {
    if (!this.options.enabled) return { type: 'use-permanent' };
    const now = this.clock.now();
    const cur = this.current();
    if (this.phase.kind !== 'idle') return { type: 'wait', at: cur === undefined ? undefined : this.stopAt(cur) };
    if (now < this.retryAt) return { type: 'wait', at: this.retryAt };
    if (cur === undefined || now >= this.renewAt(cur)) {
      this.phase = { kind: 'creating' };
      return { type: 'create', expiresIn: this.options.expiresIn };
    }
    return { type: 'wait', at: this.renewAt(cur) };
  }

  /** The handshake made the key asked for by `create`. Next: bind it with `binder`. */
  keyCreated(result: AuthKeyResult): TempKey {
    if (this.phase.kind !== 'creating') throw new Error(`keyCreated while ${this.phase.kind}`);
    if (result.expiresAt === undefined) throw new TypeError('the handshake made a permanent key, not a temporary one');
    const key: TempKey = {
      authKey: result.authKey,
      authKeyId: result.authKeyId,
      serverSalt: result.serverSalt,
      expiresAt: result.expiresAt,
      timeOffset: result.timeOffset,
    };
    this.phase = { kind: 'binding', key, binder: undefined };
    return key;
  }

  /** The binder for the key being bound, in the session (on that key) that will carry the request. */
  binder(tempSessionId: bigint): TempKeyBinder {
    const p = this.phase;
    if (p.kind !== 'binding') throw new Error(`binder while ${p.kind}`);
    if (p.binder === undefined || p.binder.inner.tempSessionId !== tempSessionId) {
      p.binder = new TempKeyBinder({
        permAuthKey: this.permAuthKey,
        tempAuthKeyId: p.key.authKeyId,
        tempSessionId,
        expiresAt: p.key.expiresAt,
        ...(this.random ? { random: this.random } : {}),
      });
    }
    return p.binder;
  }

  /** auth.bindTempAuthKey returned true: the new key takes over. */
  keyBound(): TempKeySwitch {
    const p = this.phase;
    if (p.kind !== 'binding') throw new Error(`keyBound while ${p.kind}`);
    const previous = this.current();
    this.active = p.key;
    this.phase = { kind: 'idle' };
    this.failures = 0;
    this.retryAt = 0;
    return {
      current: p.key,
      previous: previous === undefined ? undefined : { key: previous, drainUntil: this.stopAt(previous) },
      initConnection: true,
    };
  }

  /**
   * The handshake or the bind failed (network, an rpc_error such as
   * ENCRYPTED_MESSAGE_INVALID, a timeout). The half-made key is thrown away
   * and a new one is tried after a doubling delay; the current key, if still
   * valid, stays in use meanwhile.
   */
  failed(): void {
    if (this.phase.kind === 'idle') return;
    this.phase = { kind: 'idle' };
    const delay = Math.min(this.options.maxRetryDelayMs, this.options.retryDelayMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    this.retryAt = this.clock.now() + delay;
  }

  /**
   * The server no longer knows a temporary key: a transport error -404 on it.
   * Temp keys live only in the server's RAM and may vanish before expires_at
   * (core.telegram.org/api/pfs). The key is dropped at once; the next poll()
   * makes a new one without waiting for a retry delay. Returns whether the key
   * was the one in use or the one being bound.
   */
  keyLost(authKeyId: bigint): boolean {
    if (this.active?.authKeyId === authKeyId) {
      this.active = undefined;
      return true;
    }
    const p = this.phase;
    if (p.kind === 'binding' && p.key.authKeyId === authKeyId) {
      this.phase = { kind: 'idle' };
      return true;
    }
    return false;
  }

  /** Turns PFS on or off. Off drops the temporary keys: the permanent key carries traffic from now on. */
  setEnabled(enabled: boolean): void {
    this.options.enabled = enabled;
    if (!enabled) {
      this.active = undefined;
      this.phase = { kind: 'idle' };
    }
  }

  /** Local ms when a key's server-side expires_at (minus renewBefore) comes. */
  renewAt(k: TempKey): number {
    return (k.expiresAt - this.options.renewBefore - k.timeOffset) * 1000;
  }

  /** Local ms from which a key is no longer sent on. */
  stopAt(k: TempKey): number {
    return (k.expiresAt - this.options.stopBefore - k.timeOffset) * 1000;
  }
}
