import { serveTransports } from '@telegram-mt/transport';
import type { Dc } from './dc.js';

export interface Listener {
  port: number;
  close(): Promise<void>;
}

/** The WebSocket path Telegram serves MTProto on (an HTTP upgrade on the same port). */
export const WEBSOCKET_PATH = '/apiws';

/**
 * Listens for one DC through the transport package's acceptor: every codec,
 * plain or obfuscated, and WebSocket, on a single TCP port. Each connection
 * becomes a DcConnection fed with whole packets.
 */
export async function listen(dc: Dc, host: string, port: number): Promise<Listener> {
  const server = await serveTransports({ host, port, websocketPath: WEBSOCKET_PATH }, (conn) => {
    // The connection may close under a pending flush: sends then fail, and that is no error of ours.
    const c = dc.accept({
      // Every answer goes through here: no closure per packet.
      send: (packet) => {
        try {
          conn.send(packet);
        } catch {
          // TransportError('CLOSED'): the peer is gone; the 'close' event tells the DC.
        }
      },
      sendTransportError: (code) => ignoreClosed(() => conn.sendError(code)),
      close: () => ignoreClosed(() => conn.close()),
    });
    conn.on('packet', (packet: Uint8Array) => c.onPacket(packet));
    // The transport closes the socket after an error; the DC only counts it.
    conn.on('error', () => {
      dc.stats.transportErrors++;
    });
    conn.on('close', () => c.onClose());
  });
  return { port: server.port, close: () => server.close() };
}

function ignoreClosed(f: () => unknown): void {
  try {
    const r = f();
    if (r instanceof Promise) r.catch(() => undefined);
  } catch {
    // TransportError('CLOSED'): the peer is gone; the 'close' event tells the DC.
  }
}
