import type { Socket } from 'node:net';
import { SocksClient } from 'socks';
import { TransportError, toTransportError } from '../errors.js';
import type { ProxyOptions } from './types.js';

/** A socket tunnelled through a SOCKS5 proxy (optional username/password auth). */
export async function connectSocks5(
  proxy: Extract<ProxyOptions, { type: 'socks5' }>,
  host: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Socket> {
  if (signal?.aborted) throw new TransportError('ABORTED', 'ABORTED: connect aborted');
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const attempt = SocksClient.createConnection({
    proxy: { host: proxy.host, port: proxy.port, type: 5, userId: proxy.username, password: proxy.password },
    command: 'connect',
    destination: { host, port },
    timeout: timeoutMs,
  });
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(new TransportError('ABORTED', 'ABORTED: connect aborted')), { once: true });
  });
  try {
    const { socket } = await Promise.race([attempt, aborted]);
    return socket;
  } catch (error) {
    attempt.then(({ socket }) => socket.destroy(), () => {});
    if (error instanceof TransportError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw toTransportError(error, /timed? ?out/i.test(message) ? 'TIMEOUT' : 'PROXY_FAILED');
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
