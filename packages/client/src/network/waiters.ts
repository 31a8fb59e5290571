// Who awaits which request: one promise per request id, with its timeout and
// abort signal, settled exactly once (by the answer, an error, the timeout,
// the signal or the connection closing — whichever comes first).
import { RequestAbortedError, RequestTimeoutError } from '../errors.js';

interface Waiter {
  method: string;
  /** Sent inside invokeWithLayer(initConnection(…)). */
  wrapped?: boolean;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class Waiters {
  private readonly byId = new Map<number, Waiter>();

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
      const w: Waiter = { method, wrapped, resolve, reject };
      if (timeout > 0) {
        w.timer = setTimeout(() => this.settle(id, new RequestTimeoutError(method, timeout), true), timeout);
      }
      if (signal) {
        w.signal = signal;
        w.onAbort = () => this.settle(id, new RequestAbortedError(method, signal.reason), true);
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.byId.set(id, w);
    });
  }

  /** A request nobody awaits (a keep-alive ping): forgotten once answered or failed. */
  ignore(id: number, method: string): void {
    this.byId.set(id, { method, resolve: () => undefined, reject: () => undefined });
  }

  delete(id: number): void {
    this.byId.delete(id);
  }

  /** Resolves (or rejects, for Errors) the waiter of a request; `cancel` also forgets the request (rpc_drop_answer). */
  settle(id: number, value: unknown, cancel: boolean): void {
    const w = this.byId.get(id);
    if (w === undefined) return;
    this.byId.delete(id);
    if (w.timer) clearTimeout(w.timer);
    if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
    if (cancel) this.cancelled(id);
    if (value instanceof Error) w.reject(value);
    else w.resolve(value);
  }

  /** Settles every waiter with `reason` (the connection closed). */
  settleAll(reason: Error): void {
    for (const id of [...this.byId.keys()]) this.settle(id, reason, false);
  }
}
