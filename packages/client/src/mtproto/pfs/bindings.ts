// Which temporary key is bound to which permanent key, on the server side.
// Sans-IO and bounded; the emulator keeps one table per DC.

export interface TempKeyBinding {
  tempAuthKeyId: bigint;
  permAuthKeyId: bigint;
  /** Server Unix seconds after which the binding (and the temp key) is void. */
  expiresAt: number;
  /** The session that carried auth.bindTempAuthKey. */
  tempSessionId: bigint;
  nonce: bigint;
}

/**
 * Each permanent key is bound to at most one temporary key: binding a new one
 * replaces the previous (core.telegram.org/method/auth.bindTempAuthKey), and
 * a temporary key, once bound, stays with its permanent key until it expires.
 */
export class TempKeyBindings {
  private readonly byTemp = new Map<bigint, TempKeyBinding>();
  private readonly byPerm = new Map<bigint, TempKeyBinding>();

  /** `maxBindings`: past it the oldest binding is forgotten (its client re-binds, as after a server restart). */
  constructor(private readonly maxBindings = 100_000) {
    if (!(maxBindings >= 1)) throw new RangeError('maxBindings must be at least 1');
  }

  get size(): number {
    return this.byTemp.size;
  }

  /** The binding of a temporary key, or undefined when it has none or it expired at `now` (server seconds). */
  ofTemp(tempAuthKeyId: bigint, now: number): TempKeyBinding | undefined {
    const b = this.byTemp.get(tempAuthKeyId);
    if (b === undefined) return undefined;
    if (now >= b.expiresAt) {
      this.remove(b);
      return undefined;
    }
    return b;
  }

  /** The live binding of a permanent key. */
  ofPerm(permAuthKeyId: bigint, now: number): TempKeyBinding | undefined {
    const b = this.byPerm.get(permAuthKeyId);
    if (b === undefined) return undefined;
    return this.ofTemp(b.tempAuthKeyId, now);
  }

  /**
   * Records a binding (already verified). Returns the temporary key it
   * displaced from the same permanent key, if any: that key is no longer
   * bound.
   */
  bind(b: TempKeyBinding): { replaced: bigint | undefined } {
    const prev = this.byPerm.get(b.permAuthKeyId);
    let replaced: bigint | undefined;
    if (prev !== undefined && prev.tempAuthKeyId !== b.tempAuthKeyId) {
      this.remove(prev);
      replaced = prev.tempAuthKeyId;
    }
    const again = this.byTemp.get(b.tempAuthKeyId);
    if (again !== undefined) this.remove(again);
    if (this.byTemp.size >= this.maxBindings) {
      const oldest = this.byTemp.values().next().value as TempKeyBinding;
      this.remove(oldest);
    }
    this.byTemp.set(b.tempAuthKeyId, b);
    this.byPerm.set(b.permAuthKeyId, b);
    return { replaced };
  }

  /** Forgets a temporary key's binding (the key was destroyed or expired). */
  unbind(tempAuthKeyId: bigint): boolean {
    const b = this.byTemp.get(tempAuthKeyId);
    if (b === undefined) return false;
    this.remove(b);
    return true;
  }

  /** Drops every binding expired at `now`; returns how many. */
  sweep(now: number): number {
    let n = 0;
    for (const b of [...this.byTemp.values()]) {
      if (now >= b.expiresAt) {
        this.remove(b);
        n++;
      }
    }
    return n;
  }

  private remove(b: TempKeyBinding): void {
    this.byTemp.delete(b.tempAuthKeyId);
    if (this.byPerm.get(b.permAuthKeyId) === b) this.byPerm.delete(b.permAuthKeyId);
  }
}
