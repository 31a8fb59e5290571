// The emulator's routing and dispatch, in memory: our client's sans-IO cores
// on one side, a DC connection with a fake link on the other.
import test from 'ava';
import { HandshakeError, ids } from '@telegram-mt/client/mtproto';
import { RpcError as ClientRpcError } from '@telegram-mt/client';
import { serializeObject, type tl } from '@telegram-mt/tl';
import { RpcError } from '../src/rpc/rpc-error.js';
import { exchange, handshake, MemoryLink, memoryDc, newSession, roundTrip } from './helpers/memory.js';

function setup(opts: Parameters<typeof memoryDc>[0] = {}) {
  const dc = memoryDc(opts);
  const link = new MemoryLink();
  const conn = dc.accept(link);
  return { dc, link, conn };
}

function resultOf(events: Awaited<ReturnType<typeof exchange>>, requestId: number): unknown {
  for (const e of events) {
    if (e.type === 'result' && e.requestId === requestId) return e.result;
    if (e.type === 'error' && e.requestId === requestId) throw e.error;
  }
  throw new Error(`no answer to request ${requestId}`);
}

function resultOrError(events: Awaited<ReturnType<typeof exchange>>, requestId: number): { result?: unknown; error?: unknown } {
  for (const e of events) {
    if (e.type === 'result' && e.requestId === requestId) return { result: e.result };
    if (e.type === 'error' && e.requestId === requestId) return { error: e.error };
  }
  throw new Error(`no answer to request ${requestId}`);
}

const answered = (id: number) => (events: Awaited<ReturnType<typeof exchange>>) =>
  events.some((e) => (e.type === 'result' || e.type === 'error') && e.requestId === id);

test('our client makes an auth key with a DC, and the DC keeps it', (t) => {
  const { dc, link, conn } = setup();
  const key = handshake(dc, conn, link);
  t.is(key.authKey.length, 256);
  const stored = dc.authKeys.get(key.authKeyId);
  t.truthy(stored);
  t.deepEqual(stored!.authKey, key.authKey);
  t.is(stored!.serverSalt, key.serverSalt);
  t.is(stored!.clientDcId, dc.id);
  t.is(dc.stats.handshakesDone, 1);
});

test('a DC keeps ready (a, g^a) pairs: the first handshake fills the pool, later ones take from it', (t) => {
  const { dc, link, conn } = setup();
  t.false(dc.hasDhExponent);
  const first = handshake(dc, conn, link);
  t.true(dc.hasDhExponent);
  let taken = 0;
  const take = dc.takeDhExponent.bind(dc);
  dc.takeDhExponent = () => {
    const e = take();
    if (e !== undefined) taken++;
    return e;
  };
  const second = handshake(dc, conn, link);
  t.is(taken, 1);
  t.notDeepEqual(second.authKey, first.authKey);
  t.deepEqual(dc.authKeys.get(second.authKeyId)!.authKey, second.authKey);
  t.true(dc.hasDhExponent, 'refilled');
  dc.closeAll();
  t.false(dc.hasDhExponent, 'wiped on close');
});

test('calls are dispatched; wrappers are unwrapped and the layer remembered', async (t) => {
  const { dc, link, conn } = setup();
  const session = newSession(handshake(dc, conn, link));
  const id = session.invoke({
    _: 'invokeWithLayer',
    layer: 228,
    query: {
      _: 'initConnection',
      apiId: 42,
      deviceModel: 'test',
      systemVersion: 'node',
      appVersion: '1',
      systemLangCode: 'en',
      langPack: '',
      langCode: 'en',
      query: { _: 'help.getConfig' },
    },
  } as tl.TlMethod);
  const config = resultOf(await exchange(session, conn, link, answered(id)), id) as tl.config;
  t.is(config._, 'config');
  t.is(config.thisDc, dc.id);
  t.deepEqual(
    config.dcOptions.map((o) => [(o as tl.dcOption).id, (o as tl.dcOption).port]),
    [
      [1, 1001],
      [2, 1002],
    ],
  );
  t.is(conn.layer, 228);
  t.true(dc.authKeys.get(session.core.authKeyId)!.sessions.includes(session.sessionId));

  const near = session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  t.like(resultOf(await exchange(session, conn, link, answered(near)), near), { _: 'nearestDc', thisDc: dc.id });
});

test('unknown and unimplemented methods get the rpc_error Telegram uses', async (t) => {
  const { dc, link, conn } = setup();
  const session = newSession(handshake(dc, conn, link));
  const unknown = session.send('help.getConfig', new Uint8Array([0xde, 0xc0, 0xad, 0x0b]));
  const events = await exchange(session, conn, link, answered(unknown));
  const err = t.throws(() => resultOf(events, unknown)) as ClientRpcError;
  t.true(err instanceof ClientRpcError);
  t.is(err.code, 400);
  t.is(err.text, `INPUT_METHOD_INVALID_${0x0badc0de}_4`);

  const missing = session.invoke({ _: 'help.getSupport' } as tl.TlMethod);
  const events2 = await exchange(session, conn, link, answered(missing));
  const err2 = t.throws(() => resultOf(events2, missing)) as ClientRpcError;
  t.is(err2.code, 400);
  t.regex(err2.text, /^INPUT_METHOD_INVALID_\d+_0$/);

  // A known method whose arguments are cut short.
  const full = serializeObject({ _: 'help.getNearestDc' } as tl.TlAny);
  const cut = session.send('invokeWithLayer', Uint8Array.from([...serializeObject({ _: 'invokeWithLayer', layer: 1, query: { _: 'help.getNearestDc' } } as tl.TlAny)].slice(0, 8)));
  const events3 = await exchange(session, conn, link, answered(cut));
  const err3 = t.throws(() => resultOf(events3, cut)) as ClientRpcError;
  t.is(err3.text, 'INPUT_FETCH_ERROR');
  t.is(full.length, 4);
  t.is(dc.stats.internalErrors, 0);
});

test('handlers answer with RpcError, thrown or returned; other throws become 500 INTERNAL', async (t) => {
  const { dc, link, conn } = setup();
  dc.registry.register('help.getSupport', () => new RpcError(420, 'FLOOD_WAIT_7'));
  dc.registry.register('help.getSupportName', () => {
    throw new RpcError(303, 'USER_MIGRATE_3');
  });
  dc.registry.register('help.getInviteText', () => {
    throw new TypeError('handler bug');
  });
  const session = newSession(handshake(dc, conn, link));
  const a = session.invoke({ _: 'help.getSupport' } as tl.TlMethod);
  const b = session.invoke({ _: 'help.getSupportName' } as tl.TlMethod);
  const c = session.invoke({ _: 'help.getInviteText' } as tl.TlMethod);
  const events = await exchange(session, conn, link, (e) => answered(a)(e) && answered(b)(e) && answered(c)(e));
  const ea = t.throws(() => resultOf(events, a)) as ClientRpcError;
  t.is(ea.seconds, 7);
  const eb = t.throws(() => resultOf(events, b)) as ClientRpcError;
  t.is(eb.dcId, 3);
  const ec = t.throws(() => resultOf(events, c)) as ClientRpcError;
  t.is(ec.code, 500);
  t.is(ec.text, 'INTERNAL');
});

test('a large answer goes out gzip_packed and arrives whole', async (t) => {
  const { dc, link, conn } = setup();
  const country = (i: number): tl.help.Country =>
    ({ _: 'help.country', hidden: false, iso2: `C${i}`, defaultName: `Country number ${i}`, name: undefined, countryCodes: [] }) as never;
  dc.registry.register('help.getCountriesList', () => ({ _: 'help.countriesList', countries: Array.from({ length: 500 }, (_, i) => country(i)), hash: 1 }) as never);
  const session = newSession(handshake(dc, conn, link));
  const id = session.invoke({ _: 'help.getCountriesList', langCode: 'en', hash: 0 } as tl.TlMethod);
  for (const p of session.flush(true)) conn.onPacket(p);
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  const packets = link.take();
  const events = packets.flatMap((p) => session.receive(p));
  const list = resultOf(events, id) as { countries: unknown[] };
  t.is(list.countries.length, 500);
  const raw = 500 * 40;
  t.true(packets.reduce((n, p) => n + p.length, 0) < raw / 2, 'the answer was compressed');
});

test('ping is answered with pong; ping_delay_disconnect closes the connection after the delay', async (t) => {
  const { dc, link, conn } = setup();
  const session = newSession(handshake(dc, conn, link));
  const ping = session.invoke({ _: 'ping', pingId: 77n } as tl.TlMethod);
  const pong = resultOf(await exchange(session, conn, link, answered(ping)), ping) as { pingId: bigint };
  t.is(pong.pingId, 77n);
  const pdd = session.invoke({ _: 'ping_delay_disconnect', pingId: 78n, disconnectDelay: 1 } as tl.TlMethod);
  await exchange(session, conn, link, answered(pdd));
  t.false(link.closed);
  await new Promise((r) => setTimeout(r, 1300));
  t.true(link.closed);
  t.true(conn.isClosed);
});

for (const [mode, code] of [
  ['bad_dh_prime', 'BAD_DH_PRIME'],
  ['g_a_range', 'G_A_RANGE'],
  ['wrong_nonce', 'NONCE_MISMATCH'],
  ['wrong_answer_hash', 'ANSWER_HASH'],
] as const) {
  test(`misbehave ${mode}: our client refuses with ${code}`, (t) => {
    const { dc, link, conn } = setup({ misbehave: mode });
    const err = t.throws(() => handshake(dc, conn, link)) as HandshakeError;
    t.true(err instanceof HandshakeError, String(err));
    t.is(err.code, code);
  });
}

test('bad input gets transport error -404 and a closed connection, never a throw', (t) => {
  const cases: Uint8Array[] = [
    new Uint8Array(3),
    new Uint8Array(40).fill(0x11), // an auth_key_id no one has
    new Uint8Array(28), // a plain message too short for req_pq
    Uint8Array.from([...new Uint8Array(8), ...new Uint8Array(8).fill(4), 4, 0, 0, 0, 1, 2, 3, 4]), // plain, garbage body
  ];
  for (const packet of cases) {
    const { dc, link, conn } = setup();
    t.notThrows(() => conn.onPacket(packet));
    t.deepEqual(link.transportErrors, [-404]);
    t.true(link.closed);
    t.is(dc.stats.refused, 1);
    t.is(dc.stats.internalErrors, 0);
  }
});

test('content-free service ids exist as the session core names them', (t) => {
  t.is(ids.ID_PING, 0x7abe77ec);
});

test('a session outlives its connection: answers queued meanwhile arrive on the next one', async (t) => {
  const dc = memoryDc();
  const linkA = new MemoryLink();
  const connA = dc.accept(linkA);
  const session = newSession(handshake(dc, connA, linkA));
  let release!: () => void;
  dc.registry.register('help.getSupportName', () => new Promise((r) => (release = () => r({ _: 'help.supportName', name: 'late' }))));
  const first = session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  const firstEvents = await exchange(session, connA, linkA, answered(first));
  t.is(firstEvents.filter((e) => e.type === 'new-session').length, 1);
  const slow = session.invoke({ _: 'help.getSupportName' } as tl.TlMethod);
  for (const p of session.flush(true)) connA.onPacket(p);
  await new Promise((r) => setImmediate(r));
  connA.close(); // the client's connection drops before the answer is ready
  release();
  await new Promise((r) => setImmediate(r));

  const linkB = new MemoryLink();
  const connB = dc.accept(linkB);
  const ping = session.invoke({ _: 'ping', pingId: 9n } as tl.TlMethod);
  const events = await exchange(session, connB, linkB, (e) => answered(slow)(e) && answered(ping)(e));
  t.like(resultOf(events, slow), { name: 'late' });
  t.is(events.filter((e) => e.type === 'new-session').length, 0, 'the same session, not a new one');
  t.is(dc.sessions.ofKey(session.core.authKeyId).length, 1);
});

test('a packet under a known key that does not decrypt is ignored and counted', async (t) => {
  const { dc, link, conn } = setup();
  const session = newSession(handshake(dc, conn, link));
  session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  const [packet] = session.flush(true);
  const forged = packet!.slice();
  forged[30]! ^= 1;
  conn.onPacket(forged);
  await new Promise((r) => setImmediate(r));
  t.is(dc.stats.undecryptable, 1);
  t.false(link.closed);
  t.deepEqual(link.take(), []);
});

test('service requests: get_future_salts, msgs_state_req and rpc_drop_answer are answered as Telegram does', async (t) => {
  const { dc, link, conn } = setup();
  const session = newSession(handshake(dc, conn, link));
  let release!: () => void;
  dc.registry.register('help.getSupportName', () => new Promise((r) => (release = () => r({ _: 'help.supportName', name: 'late' }))));

  const near = session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  await exchange(session, conn, link, answered(near));
  const server = dc.sessions.ofKey(session.core.authKeyId)[0]!;
  const [answeredId] = dc.callsOf(server).finishedIds;

  session.send('get_future_salts', serializeObject({ _: 'get_future_salts', num: 3 } as tl.TlAny));
  const salts = (await roundTrip(session, conn, link)).messages.find((m) => m._ === 'future_salts') as tl.future_salts;
  t.truthy(salts, 'future_salts is sent bare, not in rpc_result');
  t.is(salts.salts.length, 3);
  // The schedule from the current window on: the salt in use first, then the next ones, back to back.
  t.is(salts.salts[0]!.salt, session.serverSalt);
  t.is(salts.salts[1]!.validSince, salts.salts[0]!.validUntil);
  t.not(salts.salts[1]!.salt, salts.salts[0]!.salt);

  const slow = session.invoke({ _: 'help.getSupportName' } as tl.TlMethod);
  for (const p of session.flush(true)) conn.onPacket(p);
  await new Promise((r) => setImmediate(r));
  const [runningId] = [...dc.callsOf(server).running.keys()];
  t.truthy(runningId);

  const future = (BigInt(Math.floor(Date.now() / 1000) + 3600) << 32n);
  session.send('msgs_state_req', serializeObject({ _: 'msgs_state_req', msgIds: [answeredId!, runningId!, 4n, future] } as tl.TlAny));
  const drop = session.invoke({ _: 'rpc_drop_answer', reqMsgId: runningId! } as tl.TlMethod);
  const { events, messages } = await roundTrip(session, conn, link);
  const info = (messages.find((m) => m._ === 'msgs_state_info') as tl.msgs_state_info).info;
  t.deepEqual([...info], [4 | 32 | 64, 4 | 32, 1, 3]);
  t.like(resultOf(events, drop), { _: 'rpc_answer_dropped_running' });

  release();
  await new Promise((r) => setImmediate(r));
  const after = await exchange(session, conn, link, () => true, 1);
  t.false(answered(slow)(after), 'a dropped answer is never sent');
  t.true(dc.callsOf(server).hasFinished(runningId!));
});

test('a temporary key works until it expires, then gets -404 and is forgotten', async (t) => {
  let now = Date.now();
  const dc = memoryDc({ now: () => now });
  const link = new MemoryLink();
  const conn = dc.accept(link);
  const key = handshake(dc, conn, link, { expiresIn: 60 });
  const stored = dc.authKeys.get(key.authKeyId)!;
  t.true(stored.temp);
  t.is(stored.expiresAt, Math.floor(now / 1000) + 60);
  const session = newSession(key);
  const near = session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  const refused = resultOrError(await exchange(session, conn, link, answered(near)), near);
  t.like(refused.error, { code: 401, text: 'AUTH_KEY_PERM_EMPTY' }, 'an unbound temp key serves only auth.bindTempAuthKey');
  t.is(dc.stats.callsRefused, 1);
  // Bound (as test/bind-temp-auth-key.test.ts does over the wire), the key serves calls.
  dc.tempKeyBindings.bind({ tempAuthKeyId: key.authKeyId, permAuthKeyId: 1n, expiresAt: stored.expiresAt!, tempSessionId: session.sessionId, nonce: 1n });
  const near2 = session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  t.like(resultOf(await exchange(session, conn, link, answered(near2)), near2), { thisDc: dc.id });

  now += 61_000;
  // The connection that is already bound to the key refuses it too.
  session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  for (const p of session.flush(true)) conn.onPacket(p);
  t.deepEqual(link.transportErrors, [-404]);
  t.true(link.closed);
  const link2 = new MemoryLink();
  const conn2 = dc.accept(link2);
  session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  for (const p of session.flush(true)) conn2.onPacket(p);
  t.deepEqual(link2.transportErrors, [-404], 'and so does any new connection: the key is gone');
  t.true(link2.closed);
  t.false(dc.authKeys.has(key.authKeyId));
  t.is(dc.sessions.ofKey(key.authKeyId).length, 0);
});

test('destroy_session forgets another session of the key; destroy_auth_key forgets the key', async (t) => {
  const { dc, link, conn } = setup();
  const key = handshake(dc, conn, link);
  const a = newSession(key);
  const b = newSession(key);
  const linkB = new MemoryLink();
  const connB = dc.accept(linkB);
  for (const [s, c, l] of [[a, conn, link], [b, connB, linkB]] as const) {
    const id = s.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
    await exchange(s, c, l, answered(id));
  }
  t.is(dc.sessions.ofKey(key.authKeyId).length, 2);
  const sent = async (body: tl.TlAny) => {
    a.send(body._, serializeObject(body));
    return (await roundTrip(a, conn, link)).messages;
  };
  let got = await sent({ _: 'destroy_session', sessionId: b.sessionId } as tl.TlAny);
  t.like(got.find((m) => m._ === 'destroy_session_ok'), { sessionId: b.sessionId }, 'sent bare');
  t.is(dc.sessions.ofKey(key.authKeyId).length, 1);
  got = await sent({ _: 'destroy_session', sessionId: 12345n } as tl.TlAny);
  t.like(got.find((m) => m._ === 'destroy_session_none'), { sessionId: 12345n });
  got = await sent({ _: 'destroy_session', sessionId: a.sessionId } as tl.TlAny);
  t.like(got.find((m) => m._ === 'destroy_session_none'), { sessionId: a.sessionId });
  t.is(dc.sessions.ofKey(key.authKeyId).length, 1, 'the current session is kept');

  got = await sent({ _: 'destroy_auth_key' } as tl.TlAny);
  t.truthy(got.find((m) => m._ === 'destroy_auth_key_ok'));
  t.false(dc.authKeys.has(key.authKeyId));
  t.is(dc.sessions.ofKey(key.authKeyId).length, 0);
  a.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  for (const p of a.flush(true)) conn.onPacket(p);
  t.deepEqual(link.transportErrors, [-404], 'the key is gone');
});
