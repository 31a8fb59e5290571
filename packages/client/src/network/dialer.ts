// The wire's life: dial (with exponential backoff and jitter between failed
// attempts, bounded), notice a drop, go offline and come back, or give up
// and close. What happens on a wire once it is open (keys, sessions) is the
// connection's; this part only knows wires, attempts and delays.
import { AuthKeyUnknownError, ConnectionClosedError, RpcError, TransportError } from '../errors.js';
import { HandshakeError } from '../mtproto/handshake/errors.js';
import type { RandomSource } from '../mtproto/session/clock.js';
import { backoffDelay, type ReconnectOptions } from './backoff.js';
import type { ConnectionState } from './connection-types.js';
import type { DcEndpoint, PacketWire, WireFactory } from './wire.js';

/** What the dialer uses of its connection. */
export interface DialerHost {
  readonly closed: boolean;
  /** Bumped per wire: handlers of an old wire are ignored. */
  generation: number;
  wire: PacketWire | undefined;
  readonly state: ConnectionState;
  setState(next: ConnectionState): void;
  /** Whether a handshake runs on the wire now; `abortHandshake` fails it. */
  readonly handshaking: boolean;
  abortHandshake(error: Error): void;
  /** A wire is open: make or resume the key and session on it; resolves once ready. */
  startOn(wire: PacketWire, gen: number): Promise<void>;
  /** The wire went down: its timers stop. */
  wireDown(): void;
  onPacket(packet: Uint8Array, owned?: boolean): void;
  /** −404 outside a handshake, about our key: the connection closes, or drops the wire to come back with another key. */
  keyUnknown(code: number): 'reconnect' | 'closed';
  shutdown(error: Error | undefined): void;
}

export interface DialerOptions {
  dc: DcEndpoint;
  /** The dc id as the handshake and obfuscated inits send it. */
  wireDcId: number;
  /** How to open a wire; `transportWire()` when unset. */
  wire: WireFactory | undefined;
  /** undefined: no reconnects (the first drop closes). */
  reconnect: ReconnectOptions | undefined;
  random: RandomSource;
}

export class Dialer {
  private connecting: Promise<void> | undefined;
  private retryTimer: { timer: NodeJS.Timeout; wake(): void } | undefined;
  /** Failed attempts in a row; reset once the server answers (`answered`). */
  private attempts = 0;
  /** Reconnects made after a drop. */
  reconnects = 0;
  /** Why the wire last went down, if it did. */
  lastDropError: Error | undefined;

  constructor(
    private readonly host: DialerHost,
    private readonly opts: DialerOptions,
  ) {}

  /** Dials unless dialling or connected already; the promise settles with the first (re)connection. */
  connect(): Promise<void> {
    return (this.connecting ??= this.establish());
  }

  /** The server answered: the connection works, failed attempts are forgotten. */
  answered(): void {
    this.attempts = 0;
  }

  /** The connection closed for good: a backoff wait ends now (and the loop sees `closed`). */
  close(): void {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer.timer);
      this.retryTimer.wake();
    }
  }

  /** A wire closed: the connection goes offline and comes back (unless closed or out of attempts). */
  wireClosed(gen: number, error: Error): void {
    const host = this.host;
    if (gen !== host.generation || host.closed) return;
    host.generation++;
    this.lastDropError = error;
    const wire = host.wire;
    host.wire = undefined;
    wire?.close();
    host.wireDown();
    // A handshake in flight fails its dial; establish() retries it.
    if (host.handshaking) {
      host.abortHandshake(error);
      return;
    }
    if (host.state !== 'ready') return; // dial() in progress sees it and throws
    const o = this.opts.reconnect;
    if (o === undefined) {
      host.shutdown(error);
      return;
    }
    if (this.attempts + 1 >= o.maxAttempts) {
      // Drops right after each reconnect, with no answer in between, count as failed attempts too.
      host.shutdown(new ConnectionClosedError(`gave up after ${this.attempts + 1} attempts: ${error.message}`, { cause: error }));
      return;
    }
    host.setState('offline');
    this.reconnects++;
    const random = this.opts.random;
    const delay = error instanceof TransportError && error.code === -429 ? backoffDelay(Math.max(this.attempts, 3), o, random) : backoffDelay(this.attempts, o, random);
    this.attempts++;
    this.connecting = this.sleep(delay).then(() => this.establish());
    this.connecting.catch(() => undefined);
  }

  /**
   * The server's 4-byte error packet: −404 in a handshake fails it, −404
   * after one is about our key (the connection's call); the rest drop the
   * wire and come back later (after a longer wait for −429).
   */
  transportError(code: number): void {
    const host = this.host;
    const error = new TransportError(code);
    if (code === -404) {
      if (host.handshaking) {
        host.abortHandshake(new ConnectionClosedError(`the server refused the handshake: ${error.message}`, { cause: error }));
        return;
      }
      if (host.keyUnknown(code) === 'closed') return;
    }
    const gen = host.generation;
    host.wire?.close();
    this.wireClosed(gen, error);
  }

  /** Dials until ready, with backoff between attempts; gives up (and closes) after `maxAttempts`. */
  private async establish(): Promise<void> {
    const host = this.host;
    for (;;) {
      if (host.closed) throw new ConnectionClosedError('the connection is closed');
      try {
        await this.dial();
        return;
      } catch (e) {
        const error = e as Error;
        if (host.closed) throw error;
        const o = this.opts.reconnect;
        // A server failing a handshake check, or not knowing our key, is not a network blip.
        const fatal = error instanceof HandshakeError || error instanceof AuthKeyUnknownError || error instanceof RpcError;
        if (fatal || o === undefined || this.attempts + 1 >= o.maxAttempts) {
          const reason = fatal || o === undefined ? error : new ConnectionClosedError(`gave up after ${this.attempts + 1} attempts: ${error.message}`, { cause: error });
          host.shutdown(reason);
          throw reason;
        }
        host.setState('offline');
        await this.sleep(backoffDelay(this.attempts++, o, this.opts.random));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        this.retryTimer = undefined;
        resolve();
      };
      this.retryTimer = { timer: setTimeout(wake, ms), wake };
    });
  }

  /** One attempt: opens a wire and has the connection make it ready. */
  private async dial(): Promise<void> {
    const host = this.host;
    host.setState('connecting');
    // Loaded on demand: a connection given its own wire never needs the transport package.
    const factory = this.opts.wire ?? (await import('./transport-wire.js')).transportWire();
    const target = { ...this.opts.dc, wireDcId: this.opts.wireDcId };
    const gen = ++host.generation;
    let early: Error | undefined;
    const wire = await factory(target, {
      onPacket: (p, owned) => {
        if (gen === host.generation) host.onPacket(p, owned);
      },
      onClose: (e) => {
        if (gen !== host.generation) return;
        // The transport package reports the server's 4-byte error packet as an error with a negative code.
        const code = (e as { code?: unknown } | undefined)?.code;
        if (typeof code === 'number' && code < 0 && host.wire !== undefined) {
          this.transportError(code);
          return;
        }
        if (host.wire === undefined) early = e ?? new ConnectionClosedError('closed while connecting');
        this.wireClosed(gen, e ?? new ConnectionClosedError('the server closed the connection'));
      },
    });
    if (host.closed || gen !== host.generation || early !== undefined) {
      wire.close();
      throw early ?? new ConnectionClosedError('closed while connecting');
    }
    host.wire = wire;
    await host.startOn(wire, gen);
  }
}
