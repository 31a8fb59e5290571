// gzip_packed as clients really send it. mtcute (`@mtcute/node` 0.30.3)
// packs a request with zlib's deflateSync, which writes a zlib stream
// (RFC 1950, header 78 9c), not a gzip one (RFC 1952, 1f 8b); Telegram's
// servers inflate either (zlib with header auto-detection). The session
// core's unpackGzip read gzip only, so such a request was acknowledged and
// then dropped unanswered: mtcute's msgs_state_req heard "received", and the
// call waited forever. That was the stall of world-files-mtcute.test.ts (a
// getFile that happened to compress well enough for mtcute to pack it); the
// core now reads both.
import test from 'ava';
import { deflateSync, gzipSync } from 'node:zlib';
import { serializeObject, type tl } from '@telegram-mt/tl';
import { exchange, handshake, MemoryLink, memoryDc, newSession } from './helpers/memory.js';

/** gzip_packed#3072cfa1 packed_data:bytes around `packed`. */
function gzipPacked(packed: Uint8Array): Uint8Array {
  const head = packed.length < 254 ? 1 : 4;
  const out = new Uint8Array(4 + Math.ceil((head + packed.length) / 4) * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x3072cfa1, true);
  if (head === 1) out[4] = packed.length;
  else view.setUint32(4, 254 | (packed.length << 8), true);
  out.set(packed, 4 + head);
  return out;
}

/** help.getConfig sent with `body` as it is (no packing of the session's own), and what came of it. */
async function send(body: Uint8Array) {
  const dc = memoryDc();
  const link = new MemoryLink();
  const conn = dc.accept(link);
  const session = newSession(handshake(dc, conn, link));
  const id = session.send('help.getConfig', body, { gzip: false });
  const answered = (events: Awaited<ReturnType<typeof exchange>>) => events.some((e) => (e.type === 'result' || e.type === 'error') && e.requestId === id);
  const events = await exchange(session, conn, link, answered, 5).catch(() => []);
  const answer = events.find((e) => (e.type === 'result' || e.type === 'error') && e.requestId === id);
  return { dc, answer };
}

const getConfig = serializeObject({ _: 'help.getConfig' } as tl.TlAny);

test('a request in gzip_packed with a gzip header is answered', async (t) => {
  const { dc, answer } = await send(gzipPacked(gzipSync(getConfig)));
  t.is(answer?.type, 'result');
  t.is(dc.stats.unreadableMessages, 0);
});

test('a request in gzip_packed with a zlib header (mtcute’s deflateSync) is answered, as Telegram answers it', async (t) => {
  const { dc, answer } = await send(gzipPacked(deflateSync(getConfig)));
  t.is(answer?.type, 'result');
  t.is(dc.stats.unreadableMessages, 0);
});

test('a gzip_packed that does not inflate is counted and logged, never dropped unseen', async (t) => {
  const lines: string[] = [];
  const dc = memoryDc({ log: (l) => lines.push(l) });
  const link = new MemoryLink();
  const conn = dc.accept(link);
  const session = newSession(handshake(dc, conn, link));
  session.send('help.getConfig', gzipPacked(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)), { gzip: false });
  await exchange(session, conn, link, () => false, 2).catch(() => []);
  t.is(dc.stats.unreadableMessages, 1);
  t.true(lines.some((l) => l.includes('dropped unread')), lines.join('\n'));
});
