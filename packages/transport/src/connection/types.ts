import type { TransportError } from '../errors.js';

/** Where a client connects: a DC (or, for MTProxy, the proxy in front of it). */
export interface DcAddress {
  host: string;
  port: number;
  /** Written into the obfuscated init as a signed 16-bit value. */
  dcId: number;
}

export interface ConnectionHandlers {
  /**
   * Received bytes, handed over: the receiver may overwrite them (the
   * obfuscation decrypts in place), so a Connection must not keep or reuse
   * them. `lent` bytes are the receiver's only until it returns: the
   * Connection reads into the same buffer again, so the receiver copies what
   * it keeps.
   */
  data(bytes: Uint8Array, lent?: boolean): void;
  /**
   * Where the next read may go instead of the Connection's own buffer: the
   * rest of a large frame being received, so that its bytes land in place
   * (the data() call that follows passes a view of it, lent). Optional for
   * both sides; a Connection that cannot read into given memory ignores it.
   */
  readTarget?(): Uint8Array | undefined;
  /** The peer closed or the socket failed; `error` is set for failures only. */
  close(error?: TransportError): void;
}

/**
 * A byte pipe: TCP (direct or through a SOCKS5 / HTTP CONNECT proxy) or a
 * WebSocket. Codecs sit on top; a Connection never looks at the bytes.
 */
export interface Connection {
  /** Open the pipe. `signal` aborts the attempt (not the open connection). */
  open(handlers: ConnectionHandlers, signal?: AbortSignal): Promise<void>;
  /** Resolves once the bytes are handed to the OS (waits out backpressure). */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * Optional: hold writes from now until uncork(), then hand them to the OS
   * together (one writev instead of a system call, and a TCP segment, each).
   */
  cork?(): void;
  uncork?(): void;
  /** Close; handlers.close fires once. */
  close(): void;
}

export type ProxyOptions =
  | { type: 'socks5'; host: string; port: number; username?: string; password?: string }
  | { type: 'http'; host: string; port: number; username?: string; password?: string };
