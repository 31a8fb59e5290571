import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { Connection, type ConnectionOptions } from '../src/network/connection.js';
import { RpcError, RequestTimeoutError, RequestAbortedError, ConnectionClosedError } from '../src/errors.js';
import { HandshakeError } from '../src/mtproto/handshake/errors.js';
import { MiniDc, testKeys, type MiniDcOptions } from './support/mini-dc.js';

const DC = { id: 2, host: '127.0.0.1', port: 0 };

/** Polls `cond` every 10 ms for up to 5 s: for what timers do, on a machine that may run them late. */
async function until(cond: () => boolean, ms = 5000): Promise<boolean> {
  for (let waited = 0; !cond() && waited < ms; waited += 10) await new Promise((r) => setTimeout(r, 10));
  return cond();
}

function setup(dcOpts: MiniDcOptions = {}, conn: Partial<ConnectionOptions> = {}) {
  const dc = new MiniDc(dcOpts);
  const connection = new Connection({
    dc: DC,
    wire: dc.memoryWire(),
    apiId: 12345,
    device: { deviceModel: 'ava', appVersion: '9.9' },
    rsaPublicKeys: [testKeys().publicKey.pem],
    pingInterval: 0,
    pfs: false, // the mini DC has no auth.bindTempAuthKey
    ...conn,
  });
  return { dc, connection };
}

test('a new auth key, then a typed call wrapped once in invokeWithLayer(initConnection)', async (t) => {
  const { dc, connection } = setup();
  const result = await connection.invoke({ _: 'help.getNearestDc' });
  t.deepEqual(result, { _: 'nearestDc', country: 'NL', thisDc: 2, nearestDc: 2 });
  t.is(dc.seen.handshakes, 1);
  t.is(dc.keys.size, 1);
  t.is(connection.authKey?.authKey.length, 256);
  const first = dc.seen.requests[0] as unknown as tl.invokeWithLayer & { query: tl.initConnection };
  t.is(first._, 'invokeWithLayer');
  t.is(first.query._, 'initConnection');
  t.like(first.query, { apiId: 12345, deviceModel: 'ava', appVersion: '9.9', langCode: 'en', query: { _: 'help.getNearestDc' } });
  await connection.invoke({ _: 'help.getNearestDc' });
  t.deepEqual(dc.seen.requests[1], { _: 'help.getNearestDc' });
  t.is(dc.seen.layers.length, 1);
  connection.close();
});

test("dhWork 'thread-pool': the handshake's exponentiations go to the thread pool, with the same result", async (t) => {
  const { defaultCrypto } = await import('@telegram-mt/crypto-native');
  if (defaultCrypto.backend !== 'native') {
    t.log('crypto-native addon not loaded: thread-pool work falls back to in place');
  }
  const calls: number[] = [];
  const original = defaultCrypto.modPowAsync;
  // A KeyExchange whose thread-pool work is counted and slowed, put where the connection keeps its own.
  const { KeyExchange } = await import('../src/network/key-exchange.js');
  const counted = new KeyExchange(async (b, e, m) => {
    calls.push(m.length);
    // Slow on purpose: answers that come meanwhile must wait for it, not race it.
    await new Promise((r) => setTimeout(r, 30));
    return original(b, e, m);
  });
  const { dc, connection } = setup({}, { dhWork: 'thread-pool' });
  (connection as unknown as { handshake: unknown }).handshake = counted;
  t.like(await connection.invoke({ _: 'help.getNearestDc' }), { thisDc: 2 });
  t.deepEqual(calls, [256, 256], 'g^b and g_a^b');
  t.is(dc.seen.handshakes, 1);
  t.is(dc.keys.size, 1);
  connection.close();
  // And the real thread-pool path, unwrapped.
  const real = setup({}, { dhWork: 'thread-pool' });
  t.like(await real.connection.invoke({ _: 'help.getNearestDc' }), { thisDc: 2 });
  real.connection.close();
});

test('rpc_error rejects with RpcError; the connection goes on', async (t) => {
  const { connection } = setup();
  const err = await t.throwsAsync(connection.invoke({ _: 'help.getCountriesList', langCode: 'en', hash: 0 }));
  t.true(err instanceof RpcError);
  t.like(err, { code: 420, name: 'FLOOD_WAIT', seconds: 42, method: 'help.getCountriesList' });
  t.like(await connection.invoke({ _: 'help.getNearestDc' }), { thisDc: 2 });
  connection.close();
});

test('timeouts and aborts reject with their own errors and forget the request', async (t) => {
  const { connection } = setup({ silent: new Set(['help.getNearestDc']) });
  await connection.connect();
  await t.throwsAsync(connection.invoke({ _: 'help.getNearestDc' }, { timeout: 50 }), { instanceOf: RequestTimeoutError });
  const ac = new AbortController();
  const p = connection.invoke({ _: 'help.getNearestDc' }, { signal: ac.signal, timeout: 0 });
  setTimeout(() => ac.abort(), 20);
  await t.throwsAsync(p, { instanceOf: RequestAbortedError });
  await t.throwsAsync(connection.invoke({ _: 'help.getNearestDc' }, { signal: AbortSignal.abort() }), {
    instanceOf: RequestAbortedError,
  });
  connection.close();
});

test('close fails requests in flight with ConnectionClosedError', async (t) => {
  const { connection } = setup({ silent: new Set(['help.getNearestDc']) });
  await connection.connect();
  const p = connection.invoke({ _: 'help.getNearestDc' }, { timeout: 0 });
  setTimeout(() => connection.close(), 20);
  await t.throwsAsync(p, { instanceOf: ConnectionClosedError });
  await t.throwsAsync(connection.invoke({ _: 'help.getNearestDc' }), { instanceOf: ConnectionClosedError });
});

test('1000 pipelined pings, each answered once', async (t) => {
  const { dc, connection } = setup();
  await connection.connect();
  const pongs = await Promise.all(Array.from({ length: 1000 }, () => connection.ping()));
  t.is(new Set(pongs.map((p) => p.pingId)).size, 1000);
  t.is(dc.seen.pings.length, 1000);
  t.is(connection.stats?.containersOut !== undefined && connection.stats.containersOut > 0, true);
  for (const r of Object.values(connection.stats!.dropped)) t.is(r, 0);
  connection.close();
});

test('a stored auth key is used as is: no second handshake', async (t) => {
  const { dc, connection } = setup();
  await connection.invoke({ _: 'help.getNearestDc' });
  const key = connection.authKey!;
  connection.close();
  const again = new Connection({
    dc: DC,
    wire: dc.memoryWire(),
    apiId: 1,
    authKey: key,
    rsaPublicKeys: [testKeys().publicKey.pem],
    pingInterval: 0,
    pfs: false, // the mini DC has no auth.bindTempAuthKey
  });
  t.like(await again.invoke({ _: 'help.getNearestDc' }), { thisDc: 2 });
  t.is(dc.seen.handshakes, 1);
  again.close();
});

test('a malicious server fails the handshake with HandshakeError and no key', async (t) => {
  const { connection } = setup({ misbehave: 'wrong_nonce' });
  const err = await t.throwsAsync(connection.connect());
  t.true(err instanceof HandshakeError);
  t.is(connection.authKey, undefined);
  await t.throwsAsync(connection.invoke({ _: 'help.getNearestDc' }));
});

test('keep-alive: ping_delay_disconnect goes out on its interval', async (t) => {
  const { dc, connection } = setup({}, { pingInterval: 30 });
  await connection.connect();
  // Two keep-alives, within a generous bound (timers run late on a loaded machine).
  t.true(await until(() => dc.seen.pings.length >= 2));
  t.like(dc.seen.pings[0], { type: 'ping', disconnectDelay: 1 });
  connection.close();
});

test('updates pushed by the server are emitted, and acknowledged after ackDelay', async (t) => {
  const { dc, connection } = setup({}, { ackDelay: 20 });
  await connection.connect();
  await connection.invoke({ _: 'help.getNearestDc' });
  // The answer's ack goes out on its own after ackDelay.
  t.true(await until(() => dc.seen.acks.length >= 1));
  const acksBefore = dc.seen.acks.length;
  const got = new Promise<unknown>((resolve) => connection.once('update', resolve));
  const { serializeObject } = await import('@telegram-mt/tl');
  dc.push(serializeObject({ _: 'updatesTooLong' }));
  t.deepEqual(await got, { _: 'updatesTooLong' });
  // The update is acked on its own, without other traffic to ride on.
  t.true(await until(() => dc.seen.acks.length === acksBefore + 1));
  connection.close();
});

test('calls sent together before the first answer are each wrapped in initConnection', async (t) => {
  const { dc, connection } = setup();
  await connection.ping(); // a pong says nothing about initConnection
  await Promise.all([1, 2, 3].map(() => connection.invoke({ _: 'help.getNearestDc' })));
  t.deepEqual(
    dc.seen.requests.map((r) => r._),
    ['invokeWithLayer', 'invokeWithLayer', 'invokeWithLayer'],
  );
  await connection.invoke({ _: 'help.getNearestDc' });
  t.is(dc.seen.requests[3]?._, 'help.getNearestDc');
  connection.close();
});

test('a salt the client does not know: bad_server_salt, the new salt, the call resent and answered', async (t) => {
  const { dc, connection } = setup({ serverSalt: 0x5a17n });
  const states: bigint[] = [];
  connection.on('session-state', (s) => states.push(s.serverSalt));
  t.like(await connection.invoke({ _: 'help.getNearestDc' }), { thisDc: 2 });
  t.deepEqual(dc.seen.rejected, [48]);
  t.true(states.includes(0x5a17n));
  t.is(connection.authKey?.serverSalt, 0x5a17n);
  connection.close();
});

test('with the handshake salt nothing is refused', async (t) => {
  const { dc, connection } = setup();
  await Promise.all(Array.from({ length: 300 }, () => connection.ping()));
  await connection.invoke({ _: 'help.getNearestDc' });
  t.deepEqual(dc.seen.rejected, []);
  connection.close();
});
