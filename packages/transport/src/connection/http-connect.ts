import type { Socket } from 'node:net';
import { TransportError } from '../errors.js';
import type { ProxyOptions } from './types.js';
import { openTcpSocket } from './tcp.js';

/** Longest proxy reply head we read before calling it garbage. */
const MAX_REPLY_HEAD = 8 * 1024;

/** A socket tunnelled through an HTTP proxy with CONNECT (optional Basic auth). */
export async function connectHttpProxy(
  proxy: Extract<ProxyOptions, { type: 'http' }>,
  host: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Socket> {
  const started = Date.now();
  const socket = await openTcpSocket(proxy.host, proxy.port, timeoutMs, signal);
  const target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  let request = `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n`;
  if (proxy.username !== undefined) {
    const token = Buffer.from(`${proxy.username}:${proxy.password ?? ''}`).toString('base64');
    request += `Proxy-Authorization: Basic ${token}\r\n`;
  }
  socket.write(`${request}\r\n`);
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const remaining = Math.max(1, timeoutMs - (Date.now() - started));
    const timer = setTimeout(() => fail(new TransportError('TIMEOUT', 'TIMEOUT: HTTP proxy did not answer CONNECT')), remaining);
    const onAbort = () => fail(new TransportError('ABORTED', 'ABORTED: connect aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    const fail = (error: TransportError) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onError = (error: Error) => fail(new TransportError('PROXY_FAILED', `PROXY_FAILED: ${error.message}`, { cause: error }));
    const onClose = () => fail(new TransportError('PROXY_FAILED', 'PROXY_FAILED: proxy closed during CONNECT'));
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_REPLY_HEAD) fail(new TransportError('PROXY_FAILED', 'PROXY_FAILED: oversized CONNECT reply'));
        return;
      }
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
      if (!match || match[1] !== '200') return fail(new TransportError('PROXY_FAILED', `PROXY_FAILED: proxy answered "${statusLine.slice(0, 100)}"`));
      socket.pause(); // hold bytes until the Connection attaches its own listener
      cleanup();
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}
