/** At most `calls` calls per `windowMs`; `methods` limits which methods count (default: all). */
export interface FloodRate {
  calls: number;
  windowMs: number;
  methods?: readonly string[];
}

/**
 * A sliding window of call times per caller. A call over the limit is refused
 * with the seconds until the oldest call in the window leaves it — the X of
 * FLOOD_WAIT_X — and is not counted, as Telegram does not count refused calls.
 */
export class FloodGate {
  private readonly calls = new Map<string, number[]>();
  private readonly methods: ReadonlySet<string> | undefined;

  constructor(readonly rate: FloodRate) {
    if (!(rate.calls >= 1) || !(rate.windowMs > 0)) throw new RangeError('a flood rate needs calls ≥ 1 and windowMs > 0');
    this.methods = rate.methods ? new Set(rate.methods) : undefined;
  }

  /** 0 when the call may go ahead (and is counted), else the seconds to wait. */
  check(caller: string, method: string, now: number): number {
    if (this.methods !== undefined && !this.methods.has(method)) return 0;
    let times = this.calls.get(caller);
    if (times === undefined) this.calls.set(caller, (times = []));
    const since = now - this.rate.windowMs;
    while (times.length > 0 && times[0]! <= since) times.shift();
    if (times.length >= this.rate.calls) return Math.max(1, Math.ceil((times[0]! + this.rate.windowMs - now) / 1000));
    times.push(now);
    return 0;
  }
}
