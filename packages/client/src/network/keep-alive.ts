// The timers of a live connection: lone acks flushed after a short delay,
// ping_delay_disconnect as keep-alive (which also finds half-open wires),
// and the periodic check (msgs_state_req probes, future salts, PFS renewal).
import { randomLong, type RandomSource } from '../mtproto/session/clock.js';
import type { ClientSession } from '../mtproto/session/client/session.js';
import type { Waiters } from './waiters.js';

/** What the timers use of their connection. */
export interface KeepAliveHost {
  readonly session: ClientSession | undefined;
  /** Not closed, and `ready`. */
  readonly live: boolean;
  readonly waiters: Waiters;
  /** Drops the wire as if the network failed (the connection comes back). */
  dropWire(): void;
  flush(forceAcks: boolean): void;
  /** The periodic check: probes requests unanswered for `age` ms (0: none), salts, keys. */
  check(age: number): void;
}

export interface KeepAliveOptions {
  /** ms between keep-alive pings (0: off). */
  pingInterval: number;
  /** ms a request may go unanswered before it is probed (0: only after reconnects). */
  probeInterval: number;
  /** Whether future salts are kept (the check runs for them even without probes). */
  futureSalts: boolean;
  /** ms lone acks may wait for other traffic. */
  ackDelay: number;
}

export class KeepAlive {
  private ackTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private keepAliveId: number | undefined;

  constructor(
    private readonly host: KeepAliveHost,
    private readonly opts: KeepAliveOptions,
    private readonly random: RandomSource,
  ) {}

  /** The wire is ready: keep-alive and the periodic check start. */
  start(): void {
    this.stop();
    const every = this.opts.pingInterval;
    if (every > 0) {
      this.pingTimer = setInterval(() => this.ping(every), every);
      this.pingTimer.unref?.();
    }
    const probeEvery = this.opts.probeInterval;
    if (probeEvery > 0 || this.opts.futureSalts) {
      const tick = probeEvery > 0 ? probeEvery : 60_000;
      this.probeTimer = setInterval(() => this.host.check(probeEvery), tick);
      this.probeTimer.unref?.();
    }
  }

  /** The wire went down: the keep-alive in flight is forgotten (a new wire gets a new one). */
  stop(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.pingTimer = this.probeTimer = undefined;
    if (this.keepAliveId !== undefined) {
      this.host.waiters.delete(this.keepAliveId);
      this.host.session?.cancel(this.keepAliveId);
      this.keepAliveId = undefined;
    }
  }

  /** The connection closed for good. */
  close(): void {
    this.stop();
    if (this.ackTimer) clearTimeout(this.ackTimer);
  }

  /** Acks wait `ackDelay` for other traffic to ride along, then go alone. */
  scheduleAcks(): void {
    if (this.ackTimer !== undefined) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = undefined;
      this.host.flush(true);
    }, this.opts.ackDelay);
    this.ackTimer.unref?.();
  }

  /**
   * ping_delay_disconnect every `every` ms: the server closes the connection
   * if the next ping is late. A ping still unanswered when the next is due
   * means a half-open wire: it is dropped and the connection comes back.
   */
  private ping(every: number): void {
    const host = this.host;
    const session = host.session;
    if (session === undefined || !host.live) return;
    if (this.keepAliveId !== undefined && host.waiters.has(this.keepAliveId)) {
      host.dropWire();
      return;
    }
    const id = session.ping(randomLong(this.random), Math.max(1, Math.ceil((every * 1.5) / 1000)));
    this.keepAliveId = id;
    // Nobody awaits a keep-alive: forget it once answered or failed.
    host.waiters.ignore(id, 'ping_delay_disconnect');
    host.flush(false);
  }
}
