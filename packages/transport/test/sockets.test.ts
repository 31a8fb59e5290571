import test from 'ava';
import { randomBytes } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import {
  createFrameEncoder,
  createTransport,
  nodeAesCtr,
  serveTransports,
  TransportError,
  type ServerConnection,
  type Transport,
  type TransportOptions,
  type TransportServer,
  type DetectedTransport,
  type TransportErrorCode,
  type AesCtrFactory,
} from '../src/index.js';
import { startHttpProxy, startSilent, startSocks5 } from './proxies.js';
import { within } from './helpers.js';

const eeSecret = `ee${'5'.repeat(32)}${Buffer.from('cdn.example.net').toString('hex')}`;
const ddSecret = `dd${'6'.repeat(32)}`;

/** An echo server: every packet comes back; quick-ack requests get the packet's first word as token. */
async function echoServer(extra: Partial<Parameters<typeof serveTransports>[0]> = {}) {
  const seen: DetectedTransport[] = [];
  const errors: TransportError[] = [];
  const conns: ServerConnection[] = [];
  const server = await serveTransports({ secrets: [eeSecret, ddSecret], handshakeTimeoutMs: 2000, ...extra }, (conn) => {
    conns.push(conn);
    conn.on('detected', (info) => seen.push(info));
    conn.on('error', (e) => errors.push(e));
    conn.on('packet', (packet, { quickAck }) => {
      if (quickAck) conn.sendQuickAck(Buffer.from(packet).readUInt32LE(0));
      conn.send(packet);
    });
  });
  return { server, seen, errors, conns };
}

/** Send packets, await the echoes (and quick acks), close. */
async function roundTrip(t: import('ava').ExecutionContext, transport: Transport, count = 20) {
  const received: Uint8Array[] = [];
  const acks: number[] = [];
  transport.on('packet', (p) => received.push(p));
  transport.on('quickAck', (token) => acks.push(token));
  await within(5000, transport.connect(AbortSignal.timeout(5000)), 'connect');
  t.is(transport.state, 'open');
  const sent = Array.from({ length: count }, (_, i) => randomBytes(i === 3 ? 300_000 : 24 + 4 * i));
  for (const p of sent) await transport.send(p, { quickAck: true });
  await within(5000, (async () => { while (received.length < sent.length) await new Promise((r) => setTimeout(r, 5)); })(), 'echo');
  received.forEach((got, i) => t.true(Buffer.from(got.subarray(0, sent[i]!.length)).equals(sent[i]!)));
  if (transport.supportsQuickAck) t.deepEqual(acks, sent.map((p) => (0x80000000 | Buffer.from(p).readUInt32LE(0)) >>> 0));
  else t.deepEqual(acks, []);
  await within(3000, transport.close(), 'close');
  t.is(transport.state, 'closed');
}

const tcpCases: Array<[string, TransportOptions | ((port: number) => TransportOptions), Partial<DetectedTransport>]> = [
  ['abridged', { codec: 'abridged' }, { codec: 'abridged', obfuscated: false }],
  ['intermediate', { codec: 'intermediate' }, { codec: 'intermediate', obfuscated: false }],
  ['padded', { codec: 'padded' }, { codec: 'padded', obfuscated: false }],
  ['full', { codec: 'full' }, { codec: 'full', obfuscated: false }],
  ['obfuscated abridged', { codec: 'abridged', obfuscated: true }, { codec: 'abridged', obfuscated: true, dcId: 2 }],
  ['obfuscated intermediate', { codec: 'intermediate', obfuscated: true }, { codec: 'intermediate', obfuscated: true, dcId: 2 }],
  ['MTProxy dd', (port) => ({ proxy: { type: 'mtproxy', host: '127.0.0.1', port, secret: ddSecret } }), { codec: 'padded', obfuscated: true }],
  ['MTProxy ee (fake-TLS)', (port) => ({ proxy: { type: 'mtproxy', host: '127.0.0.1', port, secret: eeSecret } }), { codec: 'padded', obfuscated: true, fakeTls: true }],
];

for (const [name, options, expected] of tcpCases) {
  test(`TCP round trip: ${name}`, async (t) => {
    const { server, seen } = await echoServer();
    try {
      const opts = typeof options === 'function' ? options(server.port) : options;
      const dc = { host: '127.0.0.1', port: typeof options === 'function' ? 1 : server.port, dcId: 2 };
      await roundTrip(t, createTransport(dc, opts));
      t.like(seen[0], expected);
    } finally {
      await server.close();
    }
  });
}

test('WebSocket round trip on /apiws (same port), obfuscated inside binary frames', async (t) => {
  const { server, seen } = await echoServer();
  try {
    await roundTrip(t, createTransport({ host: '127.0.0.1', port: server.port, dcId: 4 }, { connection: 'websocket', codec: 'padded' }));
    t.like(seen[0], { codec: 'padded', obfuscated: true, dcId: 4 });
  } finally {
    await server.close();
  }
});

test('WebSocket to a wrong path fails with CONNECT_FAILED', async (t) => {
  const { server } = await echoServer();
  try {
    const transport = createTransport({ host: '127.0.0.1', port: server.port, dcId: 1 }, { connection: 'websocket', websocket: { path: '/nope' } });
    await t.throwsAsync(within(5000, transport.connect()), { instanceOf: TransportError, code: 'CONNECT_FAILED' });
  } finally {
    await server.close();
  }
});

for (const auth of [undefined, { username: 'alice', password: 's3cret' }]) {
  test(`SOCKS5 round trip${auth ? ' with auth' : ''}`, async (t) => {
    const { server } = await echoServer();
    const socks = await startSocks5(auth);
    try {
      const transport = createTransport(
        { host: '127.0.0.1', port: server.port, dcId: 2 },
        { codec: 'intermediate', obfuscated: true, proxy: { type: 'socks5', host: '127.0.0.1', port: socks.port, ...auth } },
      );
      await roundTrip(t, transport);
      t.is(socks.connections, 1);
    } finally {
      await socks.close();
      await server.close();
    }
  });

  test(`HTTP CONNECT round trip${auth ? ' with auth' : ''}`, async (t) => {
    const { server } = await echoServer();
    const proxy = await startHttpProxy(auth);
    try {
      const transport = createTransport(
        { host: '127.0.0.1', port: server.port, dcId: 2 },
        { codec: 'abridged', obfuscated: true, proxy: { type: 'http', host: '127.0.0.1', port: proxy.port, ...auth } },
      );
      await roundTrip(t, transport);
    } finally {
      await proxy.close();
      await server.close();
    }
  });
}

test('proxies that refuse us give PROXY_FAILED', async (t) => {
  const socks = await startSocks5({ username: 'alice', password: 'right' });
  const http = await startHttpProxy({ username: 'alice', password: 'right' });
  try {
    const viaSocks = createTransport({ host: '127.0.0.1', port: 9, dcId: 1 }, { proxy: { type: 'socks5', host: '127.0.0.1', port: socks.port, username: 'alice', password: 'wrong' } });
    await t.throwsAsync(within(5000, viaSocks.connect()), { instanceOf: TransportError, code: 'PROXY_FAILED' });
    const viaHttp = createTransport({ host: '127.0.0.1', port: 9, dcId: 1 }, { proxy: { type: 'http', host: '127.0.0.1', port: http.port, username: 'alice', password: 'wrong' } });
    await t.throwsAsync(within(5000, viaHttp.connect()), { instanceOf: TransportError, code: 'PROXY_FAILED', message: /407/ });
  } finally {
    await socks.close();
    await http.close();
  }
});

test('connect: refused, timed out, aborted', async (t) => {
  const silent = await startSilent();
  const closed = await startSilent();
  const refusedPort = closed.port;
  await closed.close();
  try {
    await t.throwsAsync(within(5000, createTransport({ host: '127.0.0.1', port: refusedPort, dcId: 1 }).connect()), { code: 'CONNECT_FAILED' });
    // A proxy that never answers: the connect timeout covers the proxy handshake.
    const slow = createTransport({ host: '127.0.0.1', port: 9, dcId: 1 }, { connectTimeoutMs: 200, proxy: { type: 'http', host: '127.0.0.1', port: silent.port } });
    await t.throwsAsync(within(3000, slow.connect()), { code: 'TIMEOUT' });
    const slowSocks = createTransport({ host: '127.0.0.1', port: 9, dcId: 1 }, { connectTimeoutMs: 200, proxy: { type: 'socks5', host: '127.0.0.1', port: silent.port } });
    await t.throwsAsync(within(3000, slowSocks.connect()), { code: 'TIMEOUT' });
    const controller = new AbortController();
    const aborted = createTransport({ host: '127.0.0.1', port: 9, dcId: 1 }, { proxy: { type: 'http', host: '127.0.0.1', port: silent.port } });
    setTimeout(() => controller.abort(), 50);
    await t.throwsAsync(within(3000, aborted.connect(controller.signal)), { code: 'ABORTED' });
    await t.throwsAsync(createTransport({ host: '127.0.0.1', port: silent.port, dcId: 1 }).connect(AbortSignal.abort()), { code: 'ABORTED' });
  } finally {
    await silent.close();
  }
});

test("the server's -404 surfaces as TransportError(-404), then close", async (t) => {
  const server = await serveTransports({}, (conn) => conn.on('packet', () => conn.sendError(-404)));
  try {
    const transport = createTransport({ host: '127.0.0.1', port: server.port, dcId: 2 }, { codec: 'intermediate', obfuscated: true });
    const errors: TransportError[] = [];
    const closed = new Promise<void>((resolve) => transport.on('close', resolve));
    transport.on('error', (e) => errors.push(e));
    await transport.connect();
    await transport.send(randomBytes(40));
    await within(3000, closed, 'close after -404');
    t.is(errors.length, 1);
    t.is(errors[0]!.code, -404);
    t.is(transport.state, 'closed');
    await t.throwsAsync(transport.send(randomBytes(8)), { code: 'CLOSED' });
  } finally {
    await server.close();
  }
});

/** Write raw bytes at the server and collect what its ServerConnection reports. */
async function rawAgainstServer(bytes: Uint8Array, options: Parameters<typeof serveTransports>[0] = {}, endAfter = false) {
  const { server, errors } = await echoServer({ handshakeTimeoutMs: 300, ...options });
  const started = Date.now();
  try {
    const socket = netConnect({ host: '127.0.0.1', port: server.port });
    socket.on('error', () => {});
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('connect', () => (endAfter ? socket.end(bytes) : socket.write(bytes)));
    socket.resume();
    await within(3000, closed, 'server closing the socket');
    await new Promise((r) => setTimeout(r, 20));
    return { errors, ms: Date.now() - started };
  } finally {
    await server.close();
  }
}

const malformed: Array<[string, Uint8Array, TransportErrorCode, boolean?]> = [
  ['garbage before any init', randomBytesNotInit(64), 'BAD_INIT'],
  ['HTTP that is not a WebSocket upgrade, with websockets off', Buffer.from('POST /api HTTP/1.1\r\n\r\n'), 'BAD_INIT'],
  ['a zero-length intermediate frame', Uint8Array.of(0xee, 0xee, 0xee, 0xee, 0, 0, 0, 0), 'BAD_LENGTH'],
  ['an abridged frame above the maximum', Uint8Array.of(0xef, 0x7f, 0xff, 0xff, 0xff), 'BAD_LENGTH'],
  ['a full frame with a negative length', Uint8Array.of(0xf0, 0xff, 0xff, 0xff, 0, 0, 0, 0), 'BAD_LENGTH'],
  ['a full frame with a bad CRC', Uint8Array.of(16, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 9, 9, 9, 9), 'BAD_CRC'],
  ['a full frame with the wrong sequence number', fullFrameWithSeq(1), 'BAD_SEQ'],
  ['a frame cut short at close', Uint8Array.of(0xee, 0xee, 0xee, 0xee, 64, 0, 0, 0, 1, 2, 3), 'TRUNCATED', true],
  ['a fake-TLS hello with a wrong digest', Uint8Array.of(0x16, 0x03, 0x01, 0x02, 0x00, 0x01, ...new Array(0x1ff).fill(7)), 'BAD_TLS'],
];

for (const [name, bytes, code, endAfter] of malformed) {
  test(`malformed input over TCP: ${name} → ${code}, socket closed`, async (t) => {
    const { errors, ms } = await rawAgainstServer(bytes, { websocketPath: null, secrets: [eeSecret] }, endAfter);
    t.is(errors.length, 1);
    t.true(errors[0] instanceof TransportError);
    t.is(errors[0]!.code, code);
    t.true(ms < 2000, `took ${ms} ms`);
  });
}

test('a silent client is closed after handshakeTimeoutMs with TIMEOUT', async (t) => {
  const { errors, ms } = await rawAgainstServer(Uint8Array.of(0x11, 0x22), {});
  t.is(errors[0]?.code, 'TIMEOUT');
  t.true(ms >= 250 && ms < 2000, `took ${ms} ms`);
});

test('a client fed garbage by the server errors and closes', async (t) => {
  const { createServer } = await import('node:net');
  const evil = createServer((s) => {
    s.on('error', () => {});
    s.write(Uint8Array.of(0, 0, 0, 0)); // zero-length intermediate frame
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (evil.address() as { port: number }).port;
    const transport = createTransport({ host: '127.0.0.1', port, dcId: 1 }, { codec: 'intermediate' });
    const errors: TransportError[] = [];
    transport.on('error', (e) => errors.push(e));
    const closed = new Promise<void>((resolve) => transport.on('close', resolve));
    await transport.connect();
    await within(3000, closed);
    t.is(errors[0]?.code, 'BAD_LENGTH');
  } finally {
    evil.close();
  }
});

test('backpressure: 32 MiB in 512 KiB packets arrive whole and in order', async (t) => {
  let bytes = 0;
  let count = 0;
  let orderOk = true;
  const done = new Promise<void>((resolve) => {
    void serveTransports({}, (conn) =>
      conn.on('packet', (p) => {
        if (p[0] !== (count & 0xff)) orderOk = false;
        count++;
        bytes += p.length;
        if (count === 64) resolve();
      }),
    ).then((s) => (serverRef.server = s));
  });
  const serverRef: { server?: TransportServer } = {};
  while (!serverRef.server) await new Promise((r) => setTimeout(r, 5));
  try {
    const transport = createTransport({ host: '127.0.0.1', port: serverRef.server.port, dcId: 2 }, { codec: 'intermediate', obfuscated: true });
    await transport.connect();
    const packet = randomBytes(512 * 1024);
    for (let i = 0; i < 64; i++) {
      packet[0] = i & 0xff;
      await transport.send(Uint8Array.from(packet));
    }
    await within(20_000, done, '32 MiB');
    t.is(bytes, 64 * 512 * 1024);
    t.true(orderOk);
    await transport.close();
  } finally {
    await serverRef.server.close();
  }
});

function randomBytesNotInit(n: number): Uint8Array {
  // Random, but never one of the plain inits, HTTP or TLS (those have their own tests).
  for (;;) {
    const b = randomBytes(n);
    if (b[0] !== 0xef && b[0] !== 0x16 && b[0] !== 0xee && b[0] !== 0xdd && b[0]! < 0x40 && b.readUInt32LE(4) !== 0) return b;
  }
}

for (const obfuscated of [false, true]) {
  test(`server → client, ${obfuscated ? 'obfuscated' : 'plain'}: 16 MiB in 512 KiB packets (read lent and in place), all kept, arrive intact`, async (t) => {
    const packets = Array.from({ length: 32 }, (_, i) => randomBytes(512 * 1024 + 4 * i));
    const server = await serveTransports({}, (conn) => {
      // Asked for by a first packet, then all at once: the client's reads come full.
      conn.on('packet', () => {
        for (const p of packets) conn.send(p);
      });
    });
    try {
      // An AES-CTR that writes in place (as crypto-native's does): obfuscated reads stay lent too.
      const aesCtr: AesCtrFactory = (key, iv) => {
        const inner = nodeAesCtr(key, iv);
        return { update: (data, out) => (out ? (out.set(inner.update(data)), out) : inner.update(data)) };
      };
      const transport = createTransport({ host: '127.0.0.1', port: server.port, dcId: 2 }, { codec: 'intermediate', obfuscated, aesCtr });
      const received: Uint8Array[] = [];
      const all = new Promise<void>((resolve) =>
        transport.on('packet', (p) => {
          received.push(p);
          if (received.length === packets.length) resolve();
        }),
      );
      await within(5000, transport.connect(), 'connect');
      await transport.send(randomBytes(32));
      await within(20_000, all, '16 MiB');
      // Compared only now: a packet still sharing memory with a later read would show it.
      received.forEach((p, i) => t.true(Buffer.from(p).equals(packets[i]!), `packet ${i}`));
      await within(3000, transport.close(), 'close');
    } finally {
      await server.close();
    }
  });
}

test('fake-TLS: connect() waits for the server hello, within the connect timeout', async (t) => {
  const silent = await startSilent();
  const { server, errors } = await echoServer();
  try {
    const mute = createTransport({ host: 'x', port: 1, dcId: 2 }, { connectTimeoutMs: 300, proxy: { type: 'mtproxy', host: '127.0.0.1', port: silent.port, secret: eeSecret } });
    await t.throwsAsync(within(3000, mute.connect()), { code: 'TIMEOUT', message: /server hello/ });
    t.is(mute.state, 'closed');
    // A secret the server does not know: it refuses the hello and hangs up.
    const otherSecret = `ee${'9'.repeat(32)}${Buffer.from('cdn.example.net').toString('hex')}`;
    const wrong = createTransport({ host: 'x', port: 1, dcId: 2 }, { proxy: { type: 'mtproxy', host: '127.0.0.1', port: server.port, secret: otherSecret } });
    const events: string[] = [];
    wrong.on('error', () => events.push('error')).on('close', () => events.push('close'));
    await t.throwsAsync(within(3000, wrong.connect()), { instanceOf: TransportError });
    t.deepEqual(events, [], 'a transport that never opened reports through connect() only');
    await within(3000, (async () => { while (errors.length === 0) await new Promise((r) => setTimeout(r, 5)); })());
    t.is(errors[0]?.code, 'BAD_TLS');
  } finally {
    await silent.close();
    await server.close();
  }
});

test('WebSocket through SOCKS5 and through HTTP CONNECT', async (t) => {
  const { server, seen } = await echoServer();
  const socks = await startSocks5({ username: 'u', password: 'p' });
  const http = await startHttpProxy();
  try {
    const dc = { host: '127.0.0.1', port: server.port, dcId: 5 };
    await roundTrip(t, createTransport(dc, { connection: 'websocket', proxy: { type: 'socks5', host: '127.0.0.1', port: socks.port, username: 'u', password: 'p' } }), 5);
    await roundTrip(t, createTransport(dc, { connection: 'websocket', codec: 'abridged', proxy: { type: 'http', host: '127.0.0.1', port: http.port } }), 5);
    t.is(socks.connections, 1);
    t.like(seen[0], { codec: 'intermediate', obfuscated: true, dcId: 5 });
    t.like(seen[1], { codec: 'abridged', obfuscated: true, dcId: 5 });
  } finally {
    await socks.close();
    await http.close();
    await server.close();
  }
});

function fullFrameWithSeq(seq: number): Uint8Array {
  // The acceptor recognises full by a first seq of 0, so: one correct frame, then one whose seq skips ahead.
  const first = createFrameEncoder('full').encode(new Uint8Array(8).fill(1));
  const wrong = createFrameEncoder('full');
  for (let i = 0; i < seq + 1; i++) wrong.encode(new Uint8Array(8)); // advance its counter past 1
  return Buffer.concat([first, wrong.encode(new Uint8Array(8).fill(2))]);
}
