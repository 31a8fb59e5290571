import { connect as netConnect, type Socket } from 'node:net';
import { TransportError, toTransportError } from '../errors.js';
import type { Connection, ConnectionHandlers, ProxyOptions } from './types.js';
import { connectSocks5 } from './socks5.js';
import { connectHttpProxy } from './http-connect.js';

export interface TcpConnectionOptions {
  host: string;
  port: number;
  /** Through a SOCKS5 or HTTP CONNECT proxy. */
  proxy?: ProxyOptions;
  connectTimeoutMs?: number;
  /** TCP keep-alive initial delay; 0 turns it off (default 15 000). */
  keepAliveMs?: number;
}

/**
 * Bytes per read into the shared read buffer. A socket otherwise reads
 * into a fresh 64 KiB buffer each time: at file-transfer rates that is a
 * stream of new memory to page in and, counted as external memory, of
 * garbage collections.
 */
const READ_BUFFER = 64 * 1024;

/**
 * One read buffer for every connection of the process: a read is lent (its
 * bytes are consumed or copied before the callback returns) and libuv reads
 * one socket at a time on this thread, so no two reads ever share it at
 * once — and an idle connection costs no 64 KiB of its own.
 */
let sharedReadBuffer: Uint8Array | undefined;

/** Reads into buffers the reader picks instead of 'data' events (see openTcpSocket). */
export interface SocketReader {
  /** Where the next read goes; asked before the first read and after each one. */
  buffer(): Uint8Array;
  /** `bytes` were read into the start of the buffer last given. */
  read(bytes: Uint8Array): void;
}

/**
 * Open a plain TCP socket, failing with TIMEOUT / ABORTED / CONNECT_FAILED.
 * With `reader` the socket reads into the reader's buffers (no 'data' events).
 */
export function openTcpSocket(host: string, port: number, timeoutMs: number, signal?: AbortSignal, reader?: SocketReader): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new TransportError('ABORTED', 'ABORTED: connect aborted'));
    const onread = reader && {
      buffer: () => reader.buffer(),
      callback: (n: number, buffer: Uint8Array): boolean => {
        reader.read(buffer.subarray(0, n));
        return true;
      },
    };
    const socket = netConnect(onread ? { host, port, onread } : { host, port });
    const timer = setTimeout(() => fail(new TransportError('TIMEOUT', `TIMEOUT: no TCP connection to ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    const onAbort = () => fail(new TransportError('ABORTED', 'ABORTED: connect aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect);
      socket.off('error', onError);
    };
    const fail = (error: TransportError) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onError = (error: Error) => fail(toTransportError(error, 'CONNECT_FAILED'));
    const onConnect = () => {
      cleanup();
      resolve(socket);
    };
    socket.once('connect', onConnect);
    socket.once('error', onError);
  });
}

/** Adapt a connected net.Socket to the Connection contract. */
export class SocketConnection implements Connection {
  private handlers: ConnectionHandlers | undefined;
  private closed = false;
  /** Reads lent before attach() (none expected: the peer speaks second), kept as copies. */
  private early: Uint8Array[] = [];

  constructor(private socket: Socket | undefined) {}

  async open(handlers: ConnectionHandlers): Promise<void> {
    this.attach(handlers);
  }

  protected attach(handlers: ConnectionHandlers, keepAliveMs = 15_000): void {
    const socket = this.socket!;
    this.handlers = handlers;
    socket.setNoDelay(true);
    if (keepAliveMs > 0) socket.setKeepAlive(true, keepAliveMs);
    let failure: TransportError | undefined;
    socket.on('data', (chunk: Buffer) => {
      if (!this.closed) handlers.data(chunk);
    });
    socket.on('error', (error) => {
      failure = toTransportError(error, 'CLOSED');
    });
    socket.on('close', () => this.finish(failure));
    for (const bytes of this.early.splice(0)) if (!this.closed) handlers.data(bytes);
    socket.resume();
  }

  protected setSocket(socket: Socket): void {
    this.socket = socket;
  }

  /**
   * Direct TCP reads into the process's shared read buffer, so each
   * read is lent; or, when the receiver names one, straight into the rest of
   * the frame it is receiving.
   */
  protected readonly reader: SocketReader = {
    buffer: () => {
      if (!this.closed) {
        const target = this.handlers?.readTarget?.();
        if (target !== undefined && target.length > 0) return target;
      }
      return (sharedReadBuffer ??= new Uint8Array(READ_BUFFER));
    },
    read: (bytes) => {
      if (this.closed) return;
      if (this.handlers) this.handlers.data(bytes, true);
      else this.early.push(bytes.slice());
    },
  };

  write(bytes: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (!socket || this.closed || socket.destroyed || !socket.writable) return Promise.reject(new TransportError('CLOSED', 'CLOSED: connection is closed'));
    if (socket.write(bytes)) return this.drained ?? Promise.resolve();
    // One waiter for all writes queued behind a full buffer.
    this.drained ??= new Promise<void>((resolve, reject) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        this.drained = undefined;
        if (this.closed || socket.destroyed) reject(new TransportError('CLOSED', 'CLOSED: connection closed while writing'));
        else resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
    return this.drained;
  }

  private drained: Promise<void> | undefined;

  cork(): void {
    this.socket?.cork();
  }

  uncork(): void {
    const socket = this.socket;
    if (socket && socket.writableCorked > 0) socket.uncork();
  }

  close(): void {
    if (!this.socket) return this.finish();
    this.socket.end();
    // Do not wait forever on a peer that never acknowledges the FIN.
    const socket = this.socket;
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  private finish(error?: TransportError): void {
    if (this.closed) return;
    this.closed = true;
    this.socket?.destroy();
    this.handlers?.close(error);
  }
}

/** TCP to a host, optionally through a proxy, with timeout, keep-alive and abort. */
export class TcpConnection extends SocketConnection {
  constructor(private readonly options: TcpConnectionOptions) {
    super(undefined);
  }

  override async open(handlers: ConnectionHandlers, signal?: AbortSignal): Promise<void> {
    const { host, port, proxy } = this.options;
    const timeout = this.options.connectTimeoutMs ?? 10_000;
    let socket: Socket;
    if (proxy?.type === 'socks5') socket = await connectSocks5(proxy, host, port, timeout, signal);
    else if (proxy?.type === 'http') socket = await connectHttpProxy(proxy, host, port, timeout, signal);
    else socket = await openTcpSocket(host, port, timeout, signal, this.reader);
    this.setSocket(socket);
    this.attach(handlers, this.options.keepAliveMs ?? 15_000);
  }
}
