// The connection over the real transport package on 127.0.0.1: the mini DC
// (this package's server handshake + server session) behind the transport's
// acceptor, one port for every codec, obfuscation and WebSocket.
import test from 'ava';
import { serveTransports, type TransportServer } from '@telegram-mt/transport';
import { Connection } from '../src/network/connection.js';
import { transportWire, type TransportWireOptions } from '../src/network/transport-wire.js';
import { RpcError } from '../src/errors.js';
import { MiniDc, testKeys } from './support/mini-dc.js';

let server: TransportServer;
const dc = new MiniDc();

test.before(async () => {
  testKeys();
  server = await serveTransports({ host: '127.0.0.1', port: 0 }, (conn) => {
    const onPacket = dc.accept(
      (p) => conn.send(p),
      () => conn.close(),
    );
    conn.on('packet', (packet) => onPacket(packet));
  });
});

test.after.always(async () => {
  await server?.close();
});

function connect(wire: TransportWireOptions): Connection {
  return new Connection({
    dc: { id: 2, host: '127.0.0.1', port: server.port },
    wire: transportWire(wire),
    apiId: 1,
    rsaPublicKeys: [testKeys().publicKey.pem],
    pingInterval: 0,
    pfs: false, // the mini DC has no auth.bindTempAuthKey
  });
}

const wires: [string, TransportWireOptions][] = [
  ['abridged', { codec: 'abridged' }],
  ['intermediate', { codec: 'intermediate' }],
  ['padded intermediate', { codec: 'padded' }],
  ['full', { codec: 'full' }],
  ['obfuscated abridged', { codec: 'abridged', obfuscated: true }],
  ['obfuscated intermediate', { codec: 'intermediate', obfuscated: true }],
  ['obfuscated padded', { codec: 'padded', obfuscated: true }],
  ['WebSocket', { connection: 'websocket', codec: 'intermediate' }],
];

for (const [name, wire] of wires) {
  test.serial(`${name}: handshake, a call, an rpc_error, pipelined pings`, async (t) => {
    const c = connect(wire);
    t.like(await c.invoke({ _: 'help.getNearestDc' }), { _: 'nearestDc', thisDc: 2 });
    const err = await t.throwsAsync(c.invoke({ _: 'help.getCountriesList', langCode: 'en', hash: 0 }));
    t.true(err instanceof RpcError && err.seconds === 42);
    const pongs = await Promise.all(Array.from({ length: 200 }, () => c.ping()));
    t.is(new Set(pongs.map((p) => p.pingId)).size, 200);
    c.close();
  });
}

test.serial('10,000 pipelined pings over TCP, each answered once', async (t) => {
  const c = connect({ codec: 'intermediate' });
  await c.connect();
  const before = dc.seen.pings.length;
  const pongs = await Promise.all(Array.from({ length: 10_000 }, () => c.ping({ timeout: 60_000 })));
  t.is(new Set(pongs.map((p) => p.pingId)).size, 10_000);
  t.is(dc.seen.pings.length - before, 10_000);
  for (const [reason, n] of Object.entries(c.stats!.dropped)) t.is(n, 0, reason);
  c.close();
});

test.serial('the server going away fails requests in flight', async (t) => {
  const silent = new MiniDc({ silent: new Set(['help.getNearestDc']) });
  const s2 = await serveTransports({ host: '127.0.0.1', port: 0 }, (conn) => {
    const onPacket = silent.accept(
      (p) => conn.send(p),
      () => conn.close(),
    );
    conn.on('packet', (packet) => onPacket(packet));
  });
  const c = new Connection({
    dc: { id: 2, host: '127.0.0.1', port: s2.port },
    wire: transportWire({ codec: 'intermediate' }),
    apiId: 1,
    rsaPublicKeys: [testKeys().publicKey.pem],
    pingInterval: 0,
    pfs: false, // the mini DC has no auth.bindTempAuthKey
    reconnect: false,
  });
  const closed = new Promise<Error | undefined>((resolve) => c.once('close', resolve));
  await c.connect();
  const p = c.invoke({ _: 'help.getNearestDc' }, { timeout: 0 });
  setTimeout(() => void s2.close(), 50);
  await t.throwsAsync(p, { name: 'ConnectionClosedError' });
  t.truthy(await closed);
});
