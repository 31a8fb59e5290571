import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import { TransportError, toTransportError } from '../errors.js';
import { Emitter } from '../emitter.js';
import { ServerCodec, type DetectedTransport, type ServerCodecOptions } from '../codec/server-codec.js';

/** Microtasks through a settled promise: Node's queueMicrotask makes an AsyncResource per call (on every RPC here). */
const SETTLED = Promise.resolve();

export interface ServerConnectionOptions extends ServerCodecOptions {
  /** Close a peer that has not completed a transport init by then (default 10 000 ms). */
  handshakeTimeoutMs?: number;
}

export type ServerConnectionEvents = {
  detected: [info: DetectedTransport];
  packet: [packet: Uint8Array, meta: { quickAck: boolean }];
  /** Always followed by 'close'. */
  error: [error: TransportError];
  close: [];
};

/** The byte pipe under a ServerConnection (a net.Socket or a ws WebSocket). */
interface ServerPipe {
  write(bytes: Uint8Array): void;
  close(): void;
  destroy(): void;
}

/**
 * The server end of one client connection: detects the transport, emits whole
 * packets and frames replies in the same transport (obfuscation included).
 */
export class ServerConnection extends Emitter<ServerConnectionEvents> {
  private readonly codec: ServerCodec;
  private pipe: ServerPipe | undefined;
  private closed = false;
  private closing = false;
  private failure: TransportError | undefined;
  private timer: NodeJS.Timeout | undefined;
  readonly remoteAddress: string | undefined;

  private constructor(options: ServerConnectionOptions, remoteAddress: string | undefined) {
    super();
    this.remoteAddress = remoteAddress;
    this.codec = new ServerCodec(options, {
      write: (bytes) => this.pipe?.write(bytes),
      packet: (packet, meta) => this.emit('packet', packet, meta),
      detected: (info) => {
        clearTimeout(this.timer);
        this.emit('detected', info);
      },
    });
    const timeout = options.handshakeTimeoutMs ?? 10_000;
    this.timer = setTimeout(() => {
      if (!this.codec.detected) this.fail(new TransportError('TIMEOUT', `TIMEOUT: no transport init within ${timeout} ms`));
    }, timeout);
    this.timer.unref();
  }

  /** What the acceptor recognised (undefined until then). */
  get info(): DetectedTransport | undefined {
    return this.codec.info;
  }

  /**
   * Serve a raw TCP socket. `initial` are bytes already read from it (e.g. by
   * a dispatcher that sniffed for HTTP).
   */
  static fromSocket(socket: Socket, options: ServerConnectionOptions = {}, initial?: Uint8Array): ServerConnection {
    const conn = new ServerConnection(options, socket.remoteAddress);
    socket.setNoDelay(true);
    conn.pipe = {
      write: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      close: () => {
        socket.end();
        setTimeout(() => socket.destroy(), 1000).unref();
      },
      destroy: () => socket.destroy(),
    };
    let socketError: TransportError | undefined;
    socket.on('error', (error) => {
      socketError = toTransportError(error, 'CLOSED');
    });
    socket.on('end', () => conn.onEnd());
    socket.on('close', () => conn.finish(socketError));
    socket.on('data', (chunk: Buffer) => conn.onData(chunk));
    // Start reading only after the caller has attached its listeners.
    queueMicrotask(() => {
      if (initial && initial.length > 0) conn.onData(initial);
      socket.resume();
    });
    return conn;
  }

  /** Serve an accepted ws WebSocket (binary frames carry the byte stream). */
  static fromWebSocket(ws: WebSocket, options: ServerConnectionOptions = {}, remoteAddress?: string): ServerConnection {
    const conn = new ServerConnection(options, remoteAddress);
    conn.pipe = {
      write: (bytes) => {
        if (ws.readyState === ws.OPEN) ws.send(bytes, { binary: true });
      },
      close: () => {
        ws.close(1000);
        setTimeout(() => ws.terminate(), 1000).unref();
      },
      destroy: () => ws.terminate(),
    };
    let wsError: TransportError | undefined;
    ws.on('error', (error) => {
      wsError = toTransportError(error, 'CLOSED');
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return conn.fail(new TransportError('BAD_INIT', 'BAD_INIT: text WebSocket frame on a binary transport'));
      conn.onData(data);
    });
    ws.on('close', () => {
      conn.onEnd();
      conn.finish(wsError);
    });
    return conn;
  }

  /** Frame and send one packet; packets sent in the same tick leave in one write. `owned` as for ServerCodec.send. */
  send(packet: Uint8Array, options?: { owned?: boolean }): void {
    if (this.closed || this.closing) throw new TransportError('CLOSED', 'CLOSED: connection is closed');
    this.corkForThisTick();
    this.codec.send(packet, options);
  }

  sendQuickAck(token: number): void {
    if (this.closed || this.closing) throw new TransportError('CLOSED', 'CLOSED: connection is closed');
    this.corkForThisTick();
    this.codec.sendQuickAck(token);
  }

  private corked = false;

  private corkForThisTick(): void {
    if (this.corked) return;
    this.corked = true;
    this.codec.cork();
    void SETTLED.then(() => this.uncork());
  }

  private uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    if (!this.closed) this.codec.uncork();
  }

  /** Send MTProto's 4-byte error packet (e.g. -404) and close. */
  sendError(code: number): void {
    if (this.closed || this.closing) return;
    try {
      if (this.codec.detected) this.codec.sendError(code);
    } finally {
      this.close();
    }
  }

  /** Close after writing whatever was sent before. */
  close(): void {
    if (this.closed || this.closing) return;
    this.uncork();
    this.closing = true;
    clearTimeout(this.timer);
    this.pipe?.close();
  }

  private onData(bytes: Uint8Array): void {
    if (this.closed || this.failure) return;
    try {
      // Socket chunks and ws messages are ours alone once delivered: decrypt them in place.
      this.codec.feed(bytes, { owned: true });
    } catch (error) {
      this.fail(toTransportError(error, 'BAD_INIT'));
    }
  }

  private onEnd(): void {
    if (this.closed || this.failure || this.closing) return;
    try {
      this.codec.end();
    } catch (error) {
      this.failure = toTransportError(error, 'TRUNCATED');
    }
  }

  private fail(error: TransportError): void {
    if (this.failure || this.closed) return;
    this.failure = error;
    clearTimeout(this.timer);
    this.pipe?.destroy();
  }

  private finish(error?: TransportError): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    const failure = this.failure ?? (this.closing ? undefined : error);
    if (failure) this.emit('error', failure);
    this.emit('close');
  }
}
