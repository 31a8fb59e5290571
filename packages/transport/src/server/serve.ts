import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { WebSocketServer } from 'ws';
import type { Duplex } from 'node:stream';
import { ServerConnection, type ServerConnectionOptions } from './server-connection.js';
import { DEFAULT_MAX_PACKET_SIZE } from '../framing/types.js';
import { ReplayCache } from '../mtproxy/replay-cache.js';

export interface ServeOptions extends ServerConnectionOptions {
  host?: string;
  /** 0 (default) lets the OS choose; read the result from `server.port`. */
  port?: number;
  /** Accept WebSocket upgrades on this path, on the same port (default '/apiws'; null turns it off). */
  websocketPath?: string | null;
  /** Cap on simultaneous connections (default 1024); extra ones are closed at once. */
  maxConnections?: number;
}

export interface TransportServer {
  readonly host: string;
  readonly port: number;
  /** Stop listening and close every open connection. */
  close(): Promise<void>;
}

const HTTP_WORDS = new Set(['GET ', 'POST', 'HEAD', 'OPTI', 'PUT ', 'DELE', 'CONN', 'PATC']);
const HTTP_FIRST_BYTES = new Set([...HTTP_WORDS].map((w) => w.charCodeAt(0)));

/**
 * One TCP port for every transport: the first four bytes tell an HTTP request
 * (handed to the WebSocket endpoint) from MTProto (handed to a ServerConnection,
 * which recognises the rest itself).
 */
export async function serveTransports(serveOptions: ServeOptions, onConnection: (conn: ServerConnection) => void): Promise<TransportServer> {
  const options: ServeOptions = { ...serveOptions, tlsReplayCache: serveOptions.tlsReplayCache ?? new ReplayCache() };
  const websocketPath = options.websocketPath === undefined ? '/apiws' : options.websocketPath;
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
  const sockets = new Set<Socket>();
  const http = createHttpServer((req, res) => {
    res.writeHead(404, { connection: 'close' }).end();
  });
  http.headersTimeout = handshakeTimeoutMs;
  http.requestTimeout = handshakeTimeoutMs;
  // A WebSocket message carries an arbitrary cut of the stream; one frame's worth plus slack is plenty.
  const maxPayload = (options.maxPacketSize ?? DEFAULT_MAX_PACKET_SIZE) + 64 * 1024;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload });
  wss.on('error', () => {});
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (websocketPath === null || path !== websocketPath) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ServerConnection.fromWebSocket(ws, options, req.socket.remoteAddress)));
  });
  // ws picks the client's first offered subprotocol ("binary" for Telegram's clients).

  const server: NetServer = createNetServer({ pauseOnConnect: false }, (socket) => {
    if (sockets.size >= (options.maxConnections ?? 1024)) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    sniff(socket);
  });

  function sniff(socket: Socket): void {
    let head: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      // Still undecided: let a ServerConnection report the TIMEOUT right away.
      socket.off('data', onData);
      socket.pause();
      onConnection(ServerConnection.fromSocket(socket, { ...options, handshakeTimeoutMs: 0 }, head));
    }, handshakeTimeoutMs);
    timer.unref();
    const onData = (chunk: Buffer) => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      // Only a request line can be HTTP; anything else goes straight to the MTProto acceptor.
      if (head.length < 4 && HTTP_FIRST_BYTES.has(head[0]!)) return;
      socket.off('data', onData);
      socket.pause();
      clearTimeout(timer);
      if (websocketPath !== null && HTTP_WORDS.has(head.subarray(0, 4).toString('latin1'))) {
        socket.unshift(head);
        http.emit('connection', socket);
        socket.resume();
        return;
      }
      onConnection(ServerConnection.fromSocket(socket, options, head));
    };
    socket.on('data', onData);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host: options.host ?? '127.0.0.1',
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        for (const socket of sockets) socket.destroy();
        wss.close();
        server.close(() => resolve());
      }),
  };
}
