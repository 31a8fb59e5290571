// What uploads and downloads share: one AbortController per transfer (the
// caller's signal and the first failure both stop every part), bounded
// retries of a failed part with backoff, FLOOD_WAIT slept through up to a
// threshold, and workers spread over the host's lanes. A transfer settles
// only after every worker has: nothing is left in flight, no timer running.
import {
  ConnectionClosedError,
  RequestAbortedError,
  RequestInDoubtError,
  RequestTimeoutError,
  RpcError,
  TransportError,
} from '../errors.js';
import { FileTransferError } from './errors.js';

export interface TransferOptions {
  /** Parts in flight at once (default 4), spread over the host's lanes. */
  parallel?: number;
  /** Called as bytes complete; `total` is -1 while the size is not known. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Attempts after the first for one part before giving up (default 5). */
  retries?: number;
  /** FLOOD_WAIT up to this many seconds is slept through (default 60); longer ones fail the transfer. */
  floodSleepThreshold?: number;
  /** Timeout of one part's call, ms (the host's default when absent). */
  partTimeout?: number;
}

export const DEFAULT_PARALLEL = 4;
const MAX_PARALLEL = 64;
const DEFAULT_RETRIES = 5;
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 2_000;
/** FLOOD_WAITs slept through for one part before the error is passed on. */
const MAX_FLOOD_WAITS = 10;

export function parallelOf(requested: number | undefined): number {
  const n = requested ?? DEFAULT_PARALLEL;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARALLEL) throw new RangeError(`parallel must be a whole number 1…${MAX_PARALLEL}, got ${n}`);
  return n;
}

/** Errors after which sending the same part again may work: the link, not the request, failed. */
function isTransient(e: unknown): boolean {
  if (e instanceof ConnectionClosedError || e instanceof RequestTimeoutError || e instanceof RequestInDoubtError) return true;
  if (e instanceof TransportError) return true;
  // 500 INTERNAL / RPC_CALL_FAIL and the -503 "Timeout" Telegram answers under load.
  if (e instanceof RpcError) return e.code === 500 || e.code === -503 || e.text === 'Timeout';
  return false;
}

export class Transfer {
  private readonly controller = new AbortController();
  private readonly external: AbortSignal | undefined;
  private readonly onExternalAbort = (): void => this.fail(new FileTransferError('ABORTED', 'the transfer was aborted', { cause: this.external?.reason }));
  private failure: Error | undefined;
  private readonly retries: number;
  private readonly floodSleepThreshold: number;
  done = 0;
  total = -1;

  constructor(private readonly opts: TransferOptions) {
    this.external = opts.signal;
    this.retries = opts.retries ?? DEFAULT_RETRIES;
    this.floodSleepThreshold = opts.floodSleepThreshold ?? 60;
    if (this.external?.aborted) this.onExternalAbort();
    else this.external?.addEventListener('abort', this.onExternalAbort, { once: true });
  }

  /** Aborts when the caller aborts or any part fails for good. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Stops the transfer with `error` (the first failure wins). */
  fail(error: Error): void {
    this.failure ??= error;
    this.controller.abort(this.failure);
  }

  /** Throws the reason the transfer stopped, if it has. */
  check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  progress(bytes: number): void {
    this.done += bytes;
    this.opts.onProgress?.(this.done, this.total);
  }

  /** Removes the listener on the caller's signal. */
  dispose(): void {
    this.external?.removeEventListener('abort', this.onExternalAbort);
  }

  /**
   * Runs `workers` copies of `work(worker)` and settles when all have: with
   * nothing if all ended well, else with the first failure (after the
   * others were aborted and finished).
   */
  async run(workers: number, work: (worker: number) => Promise<void>): Promise<void> {
    const runs = Array.from({ length: workers }, (_, w) =>
      (async () => {
        this.check();
        await work(w);
      })().catch((e: unknown) => this.fail(this.translate(e))),
    );
    await Promise.all(runs);
    this.check();
  }

  /** A request aborted by our own signal is the transfer's failure, not a new error. */
  private translate(e: unknown): Error {
    if (this.failure !== undefined && (e instanceof RequestAbortedError || e === this.failure)) return this.failure;
    return e instanceof Error ? e : new Error(String(e));
  }

  /**
   * Calls `call` until it succeeds: transient failures are retried after a
   * growing pause, up to `retries` times; FLOOD_WAIT_X is slept through when
   * X is within the threshold; `redirect` may take an error on itself (it
   * returns true: call again at once, e.g. after FILE_MIGRATE_X).
   */
  async attempt<T>(what: string, call: () => Promise<T>, redirect?: (e: unknown) => boolean): Promise<T> {
    for (let failures = 0, floods = 0; ; ) {
      this.check();
      try {
        return await call();
      } catch (e) {
        this.check();
        if (redirect?.(e)) continue;
        if (e instanceof RpcError && e.seconds !== undefined && e.name.startsWith('FLOOD_')) {
          if (e.seconds > this.floodSleepThreshold || ++floods > MAX_FLOOD_WAITS) throw e;
          await this.sleep(e.seconds * 1000);
          continue;
        }
        if (!isTransient(e)) throw e;
        if (failures >= this.retries) {
          throw new FileTransferError('RETRIES_EXHAUSTED', `${what} failed ${failures + 1} times: ${(e as Error).message}`, { cause: e });
        }
        await this.sleep(Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** failures));
        failures++;
      }
    }
  }

  /** A pause that ends early (rejecting) when the transfer stops; its timer never outlives it. */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const signal = this.signal;
      if (signal.aborted) return reject(this.failure);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(this.failure);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** The lane worker `w` of a transfer uses: workers are spread evenly over the host's lanes. */
export function laneOf(worker: number, lanes: number): number {
  return lanes > 1 ? worker % lanes : 0;
}
