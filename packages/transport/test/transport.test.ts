import test from 'ava';
import {
  ClientCodec,
  createTransport,
  Emitter,
  nodeAesCtr,
  serveTransports,
  ServerCodec,
  StreamTransport,
  TransportError,
  type Connection,
  type ConnectionHandlers,
  type DcAddress,
  type Transport,
  type TransportEvents,
} from '../src/index.js';
import { within } from './helpers.js';

/** A user's own transport: an in-memory loop that echoes every packet. */
class LoopTransport extends Emitter<TransportEvents> implements Transport {
  state: Transport['state'] = 'idle';
  readonly supportsQuickAck = false;
  constructor(readonly dc: DcAddress) {
    super();
  }
  async connect() {
    this.state = 'open';
  }
  async send(packet: Uint8Array) {
    queueMicrotask(() => this.emit('packet', packet));
  }
  async close() {
    this.state = 'closed';
    this.emit('close');
  }
}

test("createTransport hands the DC to a user's factory and returns its transport", async (t) => {
  const dcs: DcAddress[] = [];
  const transport = createTransport({ host: 'h', port: 1, dcId: 7 }, (dc) => {
    dcs.push(dc);
    return new LoopTransport(dc);
  });
  t.true(transport instanceof LoopTransport);
  t.deepEqual(dcs, [{ host: 'h', port: 1, dcId: 7 }]);
  const got = new Promise<Uint8Array>((resolve) => transport.on('packet', resolve));
  await transport.connect();
  await transport.send(Uint8Array.of(1, 2, 3, 4));
  t.deepEqual([...(await got)], [1, 2, 3, 4]);
});

test('bad options fail at creation, not at connect', (t) => {
  const dc = { host: '127.0.0.1', port: 1, dcId: 2 };
  t.throws(() => createTransport(dc, { codec: 'full', obfuscated: true }), { instanceOf: TransportError, code: 'UNSUPPORTED' });
  t.throws(() => createTransport(dc, { proxy: { type: 'mtproxy', host: 'h', port: 1, secret: 'nothex!' } }), { code: 'BAD_SECRET' });
  t.throws(() => createTransport(dc, { connection: 'websocket', proxy: { type: 'mtproxy', host: 'h', port: 1, secret: '00'.repeat(16) } }), { code: 'UNSUPPORTED' });
  t.throws(() => createTransport({ ...dc, dcId: 40000 }), { instanceOf: RangeError });
});

test('the transport state machine: send before connect, connect twice, close twice', async (t) => {
  const server = await serveTransports({}, () => {});
  try {
    const transport = createTransport({ host: '127.0.0.1', port: server.port, dcId: 2 }, { codec: 'abridged' });
    t.is(transport.state, 'idle');
    await t.throwsAsync(transport.send(new Uint8Array(4)), { code: 'CLOSED' });
    await transport.connect();
    t.is(transport.state, 'open');
    await t.throwsAsync(transport.connect(), { code: 'CLOSED' });
    const closes: number[] = [];
    transport.on('close', () => closes.push(1));
    await within(3000, transport.close());
    await within(3000, transport.close());
    t.is(transport.state, 'closed');
    t.deepEqual(closes, [1]);
    // A transport closed before connect never opens.
    const unused = createTransport({ host: '127.0.0.1', port: server.port, dcId: 2 });
    await unused.close();
    await t.throwsAsync(unused.connect(), { code: 'CLOSED' });
  } finally {
    await server.close();
  }
});

test('packets sent in one tick leave in one write, in order, and each send() resolves', async (t) => {
  const writes: Uint8Array[] = [];
  let handlers: ConnectionHandlers | undefined;
  const connection: Connection = {
    open: async (h) => {
      handlers = h;
    },
    write: async (bytes) => {
      writes.push(bytes);
    },
    close: () => handlers?.close(),
  };
  const transport = new StreamTransport({ host: 'mem', port: 0, dcId: 2 }, { codec: 'intermediate', obfuscated: true }, connection);
  await transport.connect();
  t.is(writes.length, 1, 'the 64-byte init');
  const packets = Array.from({ length: 100 }, (_, i) => new Uint8Array(32 + 4 * i).fill(i));
  const large = new Uint8Array(100_000).fill(0xaa);
  const sends = packets.map((p) => transport.send(p));
  sends.push(transport.send(large));
  sends.push(transport.send(packets[0]!));
  await Promise.all(sends);
  // small run, large header+body, then the last small one
  t.true(writes.length <= 5, `${writes.length} writes`);
  const got: Uint8Array[] = [];
  const server = new ServerCodec({}, { write() {}, packet: (p) => got.push(p) });
  for (const w of writes) server.feed(w);
  t.is(got.length, 102);
  packets.forEach((p, i) => t.true(Buffer.from(got[i]!).equals(p)));
  t.true(Buffer.from(got[100]!).equals(large));
  t.true(Buffer.from(got[101]!).equals(packets[0]!));
  await transport.close();
});

test('a flush corks the connection: a large packet and its frame header are written between cork() and uncork()', async (t) => {
  const events: string[] = [];
  const written: Uint8Array[] = [];
  let handlers: ConnectionHandlers | undefined;
  const connection: Connection = {
    open: async (h) => {
      handlers = h;
    },
    write: async (bytes) => {
      events.push(`write ${bytes.length}`);
      written.push(Uint8Array.from(bytes));
    },
    cork: () => events.push('cork'),
    uncork: () => events.push('uncork'),
    close: () => handlers?.close(),
  };
  const transport = new StreamTransport({ host: 'mem', port: 0, dcId: 2 }, { codec: 'intermediate' }, connection);
  await transport.connect();
  events.length = 0;
  const large = new Uint8Array(100_000).fill(0x5a);
  await transport.send(large);
  t.is(events[0], 'cork');
  t.is(events.at(-1), 'uncork');
  t.true(events.filter((e) => e.startsWith('write')).length >= 1);
  const got: Uint8Array[] = [];
  const server = new ServerCodec({}, { write() {}, packet: (p) => got.push(p) });
  for (const w of written) server.feed(w);
  t.is(got.length, 1);
  t.true(Buffer.from(got[0]!).equals(large));
  await transport.close();
});

test('ClientCodec cork/uncork: one cipher call and one write for a burst', (t) => {
  const writes: Uint8Array[] = [];
  let updates = 0;
  const codec = new ClientCodec(
    {
      codec: 'abridged',
      obfuscated: true,
      aesCtr: (key, iv) => {
        const inner = nodeAesCtr(key, iv);
        return { update: (d) => (updates++, inner.update(d)) };
      },
    },
    { write: (b) => writes.push(b), packet() {} },
  );
  codec.start();
  const before = updates;
  codec.cork();
  for (let i = 0; i < 50; i++) codec.send(new Uint8Array(64).fill(i));
  t.is(writes.length, 1, 'nothing but the init yet');
  codec.uncork();
  t.is(writes.length, 2);
  t.is(updates - before, 1);
});

test('idle TCP transports hold no read buffer of their own (reads are lent from one shared buffer)', async (t) => {
  const server = await serveTransports({}, (conn) => conn.on('packet', (packet) => conn.send(packet)));
  const transports = Array.from({ length: 40 }, () => createTransport({ host: '127.0.0.1', port: server.port, dcId: 2 }));
  try {
    const before = process.memoryUsage().external;
    for (const transport of transports) {
      await transport.connect();
      const echoed = new Promise<Uint8Array>((resolve) => transport.on('packet', resolve));
      await transport.send(Uint8Array.from({ length: 64 }, (_, i) => i));
      t.deepEqual([...(await within(3000, echoed))], Array.from({ length: 64 }, (_, i) => i));
    }
    // 64 KiB each would be 2.5 MiB; one shared buffer (and what the server side holds) is far less.
    const grown = process.memoryUsage().external - before;
    t.true(grown < 40 * 16 * 1024, `external memory grew by ${grown} bytes for 40 idle transports`);
  } finally {
    await Promise.all(transports.map((tr) => tr.close()));
    await server.close();
  }
});
