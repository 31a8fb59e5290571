// Who awaits which request: one promise per request id, with its timeout and
// abort signal, settled exactly once (by the answer, an error, the timeout,
// the signal or the connection closing — whichever comes first).
import { RequestAbortedError, RequestTimeoutError } from '../errors.js';

class Waiter {
  /** The deadline queue that times this waiter out, if it has a timeout. */
  deadlines: Deadlines | undefined = undefined;
  signal: AbortSignal | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;
  constructor(
    readonly method: string,
    /** Sent inside invokeWithLayer(initConnection(…)). */
    readonly wrapped: boolean,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: Error) => void,
  ) {}
}

/**
 * The deadlines of every waiter with the same timeout, in the order they
 * were set (so also in deadline order), under one timer. A timer per request
 * would be created and cancelled on every call — Node keeps a timer list per
 * duration and builds and drops it each time the last timer of a duration
 * goes — while calls are answered far sooner than they time out. Entries of
 * settled waiters are skipped when reached, and compacted away when they
 * outnumber the live ones; the timer keeps the process alive only while a
 * live waiter is in the queue.
 */
class Deadlines {
  private ids: number[] = [];
  private at: number[] = [];
  private head = 0;
  /** Waiters in the queue not yet settled. */
  live = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(
    readonly timeout: number,
    private readonly owner: Waiters,
  ) {}

  add(id: number, now: number): void {
    const stale = this.ids.length - this.head - this.live;
    if (stale > 2 * this.live + 64) this.compact();
    this.ids.push(id);
    this.at.push(now + this.timeout);
    if (this.live++ === 0) this.timer?.ref();
    if (this.timer === undefined) this.arm(now + this.timeout, now);
  }

  /** A waiter of this queue was settled (its entry goes when reached). */
  settled(): void {
    if (--this.live === 0) this.timer?.unref();
  }

  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.ids = [];
    this.at = [];
    this.head = 0;
    this.live = 0;
  }

  private arm(at: number, now: number): void {
    this.timerAt = at;
    this.timer = setTimeout(() => this.fire(), Math.max(1, Math.ceil(at - now)));
    if (this.live === 0) this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = performance.now();
    while (this.head < this.ids.length && this.at[this.head]! <= now) {
      const id = this.ids[this.head++]!;
      this.owner.expire(id, this);
    }
    // Settled waiters ahead of the next live one need no timer of their own.
    while (this.head < this.ids.length && this.owner.timedBy(this.ids[this.head]!) !== this) this.head++;
    if (this.head === this.ids.length) {
      this.ids = [];
      this.at = [];
      this.head = 0;
      return;
    }
    if (this.timer === undefined) this.arm(this.at[this.head]!, now);
  }

  /** Drops the entries of settled waiters. */
  private compact(): void {
    const ids: number[] = [];
    const at: number[] = [];
    for (let i = this.head; i < this.ids.length; i++) {
      if (this.owner.timedBy(this.ids[i]!) === this) {
        ids.push(this.ids[i]!);
        at.push(this.at[i]!);
      }
    }
    this.ids = ids;
    this.at = at;
    this.head = 0;
    // The timer stays armed for its old head; firing early only finds nothing due yet and re-arms.
    if (ids.length > 0 && this.timerAt > at[0]! + 1 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.arm(at[0]!, performance.now());
    }
  }
}

export class Waiters {
  private readonly byId = new Map<number, Waiter>();
  /** One deadline queue per timeout value (a connection uses one or two). */
  private readonly deadlines = new Map<number, Deadlines>();

  /** `cancelled(id)`: a waiter gave up (timeout, abort): the request is to be forgotten and its answer dropped. */
  constructor(private readonly cancelled: (id: number) => void) {}

  get size(): number {
    return this.byId.size;
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  /** Whether request `id` went inside invokeWithLayer(initConnection(…)). */
  wrapped(id: number): boolean {
    return this.byId.get(id)?.wrapped === true;
  }

  /** A promise for request `id`; `timeout` ms (0: none) and `signal` settle it early. */
  wait(id: number, method: string, timeout: number, signal: AbortSignal | undefined, wrapped: boolean): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const w = new Waiter(method, wrapped, resolve, reject);
      this.byId.set(id, w);
      if (timeout > 0) {
        let q = this.deadlines.get(timeout);
        if (q === undefined) {
          q = new Deadlines(timeout, this);
          this.deadlines.set(timeout, q);
        }
        w.deadlines = q;
        q.add(id, performance.now());
      }
      if (signal) {
        w.signal = signal;
        w.onAbort = () => this.settle(id, new RequestAbortedError(method, signal.reason), true);
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
    });
  }

  /** A request nobody awaits (a keep-alive ping): forgotten once answered or failed. */
  ignore(id: number, method: string): void {
    this.byId.set(id, new Waiter(method, false, ignored, ignored));
  }

  delete(id: number): void {
    const w = this.byId.get(id);
    if (w === undefined) return;
    this.byId.delete(id);
    this.release(w);
  }

  /** Resolves (or rejects, for Errors) the waiter of a request; `cancel` also forgets the request (rpc_drop_answer). */
  settle(id: number, value: unknown, cancel: boolean): void {
    const w = this.byId.get(id);
    if (w === undefined) return;
    this.byId.delete(id);
    this.release(w);
    if (cancel) this.cancelled(id);
    if (value instanceof Error) w.reject(value);
    else w.resolve(value);
  }

  /** Settles every waiter with `reason` (the connection closed). */
  settleAll(reason: Error): void {
    for (const id of [...this.byId.keys()]) this.settle(id, reason, false);
    for (const q of this.deadlines.values()) q.clear();
    this.deadlines.clear();
  }

  /** @internal The deadline queue timing request `id` out, if it is still waiting. */
  timedBy(id: number): Deadlines | undefined {
    return this.byId.get(id)?.deadlines;
  }

  /** @internal A deadline passed: the waiter of `id` times out, if it still waits on this queue. */
  expire(id: number, q: Deadlines): void {
    const w = this.byId.get(id);
    if (w === undefined || w.deadlines !== q) return;
    this.settle(id, new RequestTimeoutError(w.method, q.timeout), true);
  }

  private release(w: Waiter): void {
    if (w.deadlines !== undefined) {
      w.deadlines.settled();
      w.deadlines = undefined;
    }
    if (w.signal !== undefined && w.onAbort !== undefined) w.signal.removeEventListener('abort', w.onAbort);
  }
}

const ignored = (): void => undefined;
