import WebSocket from 'ws';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { TransportError, toTransportError } from '../errors.js';
import type { Connection, ConnectionHandlers, ProxyOptions } from './types.js';
import { connectSocks5 } from './socks5.js';
import { connectHttpProxy } from './http-connect.js';
import { DEFAULT_MAX_PACKET_SIZE } from '../framing/types.js';

export interface WebSocketConnectionOptions {
  host: string;
  port: number;
  /** Telegram serves MTProto over WebSocket at /apiws. */
  path?: string;
  /** wss:// instead of ws:// */
  tls?: boolean;
  connectTimeoutMs?: number;
  /** Tunnel the WebSocket through a SOCKS5 or HTTP CONNECT proxy. */
  proxy?: ProxyOptions;
  /** Bounds one WebSocket message (a message carries at most about one frame). */
  maxPacketSize?: number;
}

/**
 * A WebSocket carrying the MTProto byte stream in binary frames, the way
 * Telegram's /apiws endpoints do (subprotocol "binary"). Frame boundaries mean
 * nothing: the obfuscated stream inside is cut wherever the sender likes.
 */
export class WebSocketConnection implements Connection {
  private socket: WebSocket | undefined;
  private handlers: ConnectionHandlers | undefined;
  private closed = false;

  constructor(private readonly options: WebSocketConnectionOptions) {}

  get url(): string {
    const { host, port, path = '/apiws', tls = false } = this.options;
    const h = host.includes(':') ? `[${host}]` : host;
    return `${tls ? 'wss' : 'ws'}://${h}:${port}${path}`;
  }

  async open(handlers: ConnectionHandlers, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new TransportError('ABORTED', 'ABORTED: connect aborted');
    const started = Date.now();
    const timeoutMs = this.options.connectTimeoutMs ?? 10_000;
    let tunnel: Socket | undefined;
    const { proxy, host, port } = this.options;
    if (proxy) {
      tunnel = proxy.type === 'socks5' ? await connectSocks5(proxy, host, port, timeoutMs, signal) : await connectHttpProxy(proxy, host, port, timeoutMs, signal);
      tunnel.resume();
      if (this.options.tls) tunnel = tlsConnect({ socket: tunnel, servername: host });
    }
    const through = tunnel;
    const remaining = Math.max(1, timeoutMs - (Date.now() - started));
    return this.handshake(handlers, remaining, through, signal);
  }

  private handshake(handlers: ConnectionHandlers, timeoutMs: number, tunnel: Socket | undefined, signal?: AbortSignal): Promise<void> {
    const socket = new WebSocket(this.url, 'binary', {
      handshakeTimeout: timeoutMs,
      perMessageDeflate: false,
      maxPayload: (this.options.maxPacketSize ?? DEFAULT_MAX_PACKET_SIZE) + 64 * 1024,
      ...(tunnel ? { createConnection: () => tunnel } : {}),
    });
    socket.binaryType = 'nodebuffer';
    this.socket = socket;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new TransportError('TIMEOUT', `TIMEOUT: no WebSocket to ${this.url} within ${timeoutMs} ms`)), timeoutMs);
      const onAbort = () => fail(new TransportError('ABORTED', 'ABORTED: connect aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.off('open', onOpen);
        socket.off('error', onError);
        socket.off('close', onEarlyClose);
      };
      const fail = (error: TransportError) => {
        cleanup();
        socket.on('error', () => {}); // terminate() may still report; nobody is listening any more
        socket.terminate();
        this.closed = true;
        reject(error);
      };
      const onError = (error: Error) => fail(toTransportError(error, 'CONNECT_FAILED'));
      const onEarlyClose = () => fail(new TransportError('CONNECT_FAILED', 'CONNECT_FAILED: WebSocket closed during the handshake'));
      const onOpen = () => {
        cleanup();
        this.attach(handlers);
        resolve();
      };
      socket.once('open', onOpen);
      socket.once('error', onError);
      socket.once('close', onEarlyClose);
    });
  }

  private attach(handlers: ConnectionHandlers): void {
    const socket = this.socket!;
    this.handlers = handlers;
    let failure: TransportError | undefined;
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.closed) return;
      if (!isBinary) {
        failure = new TransportError('BAD_INIT', 'BAD_INIT: text WebSocket frame on a binary transport');
        socket.terminate();
        return;
      }
      handlers.data(data);
    });
    socket.on('error', (error) => {
      failure = toTransportError(error, 'CLOSED');
    });
    socket.on('close', () => this.finish(failure));
  }

  write(bytes: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (!socket || this.closed || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new TransportError('CLOSED', 'CLOSED: WebSocket is closed'));
    }
    return new Promise((resolve, reject) => {
      socket.send(bytes, { binary: true }, (error) => (error ? reject(toTransportError(error, 'CLOSED')) : resolve()));
    });
  }

  close(): void {
    const socket = this.socket;
    if (!socket) return;
    if (socket.readyState === WebSocket.OPEN) {
      socket.close(1000);
      setTimeout(() => socket.terminate(), 1000).unref();
    } else socket.terminate();
  }

  private finish(error?: TransportError): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers?.close(error);
  }
}
