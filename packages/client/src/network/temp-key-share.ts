// One temporary key for every connection on one permanent key. A permanent
// key is bound to one temporary key at a time, and binding another overwrites
// the first (core.telegram.org/method/auth.bindTempAuthKey): connections that
// each bound their own would unbind each other without end. With a share, one
// connection makes and binds each key and the others open their own sessions
// on it.
import { authKeyIdOf } from '../mtproto/session/cipher.js';
import { TempKeyManager, type PfsOptions } from '../mtproto/pfs/temp-key-manager.js';
import type { Clock, RandomSource } from '../mtproto/session/clock.js';

/** What a connection's temporary-key lifecycle does when another member bound a key. */
export interface TempKeyMember {
  /** Another member bound a new key: move traffic to it. */
  keyBoundElsewhere(): void;
}

/**
 * Pass the same share as `ConnectionOptions.tempKeyShare` to every connection
 * with PFS on one permanent key (a DC's main connection and its transfer
 * lanes). The first connection's PFS options and clock are the share's.
 */
export class TempKeyShare {
  private manager: TempKeyManager | undefined;
  private readonly members = new Set<TempKeyMember>();
  private waiting: (() => void)[] = [];

  /** @internal The scheduler of this share's keys (made by the first connection that asks). */
  join(member: TempKeyMember, permAuthKey: Uint8Array, clock: Clock, random: RandomSource, options: Partial<PfsOptions>): TempKeyManager {
    if (this.manager === undefined) {
      this.manager = new TempKeyManager({ permAuthKey, clock, random, ...options });
    } else if (this.manager.permAuthKeyId !== authKeyIdOf(permAuthKey)) {
      throw new RangeError('a TempKeyShare serves the connections of one permanent key');
    }
    this.members.add(member);
    return this.manager;
  }

  /** @internal A connection closed for good. */
  leave(member: TempKeyMember): void {
    this.members.delete(member);
  }

  /** @internal `by` bound a new key (or gave up on one): the others follow, and those waiting go on. */
  settled(by: TempKeyMember | undefined): void {
    if (by !== undefined) for (const m of [...this.members]) if (m !== by) m.keyBoundElsewhere();
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  /** @internal Resolves when the key being made by another member is bound or given up on, or after `ms`. */
  nextKey(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== wake);
        resolve();
      }, ms);
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiting.push(wake);
    });
  }
}
