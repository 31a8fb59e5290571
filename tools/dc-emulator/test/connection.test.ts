// The client package's Connection (socket, timers, handshake, session,
// invokeWithLayer(initConnection)) against the emulator on loopback.
import test from 'ava';
import { Connection, HandshakeError, RpcError, RequestTimeoutError, transportWire, type TransportWireOptions } from '@telegram-mt/client';
import type { tl } from '@telegram-mt/tl';
import { RpcError as EmulatorRpcError, startEmulator, type Emulator } from '../src/index.js';
import { keyPath } from './helpers/memory.js';
import { EVERY_TRANSPORT } from './helpers/transports.js';

let emulator: Emulator;
test.before(async () => {
  emulator = await startEmulator({ rsaKeyPath: keyPath });
});
test.after.always(async () => {
  await emulator?.stop();
});

function open(wire: TransportWireOptions, emu = emulator, dcIndex = 0, extra: Partial<ConstructorParameters<typeof Connection>[0]> = {}): Connection {
  return new Connection({
    dc: emu.dcs[dcIndex]!,
    wire: transportWire(wire),
    apiId: 4242,
    device: { deviceModel: 'emulator-test' },
    rsaPublicKeys: emu.rsaPublicKeys,
    pingInterval: 0,
    ...extra,
  });
}

const wires = EVERY_TRANSPORT;

for (const [name, wire] of wires) {
  test(`Connection over ${name}: key, initConnection, calls`, async (t) => {
    const conn = open(wire, emulator, 2);
    t.teardown(() => conn.close());
    const near = await conn.invoke({ _: 'help.getNearestDc' } as tl.TlMethod) as tl.nearestDc;
    t.is(near.thisDc, 3);
    t.true(emulator.dc(3).authKeys.has(conn.authKey!.authKeyId));
    const server = emulator.dc(3).openConnections.find((c) => c.client?.apiId === 4242 && c.client.deviceModel === 'emulator-test');
    t.truthy(server, 'the first call came wrapped in initConnection');
    t.true((server?.layer ?? 0) > 0, 'and in invokeWithLayer');
    const pong = await conn.ping();
    t.is(pong._, 'pong');
  });
}

test('Connection: 10,000 pipelined pings, each answered once', async (t) => {
  const conn = open({ codec: 'intermediate' });
  t.teardown(() => conn.close());
  await conn.connect();
  const N = 10_000;
  const pongs = await Promise.all(Array.from({ length: N }, () => conn.ping({ timeout: 30_000 })));
  t.is(pongs.length, N);
  t.is(new Set(pongs.map((p) => p.pingId)).size, N, 'every ping got its own pong');
  t.is(conn.stats!.dropped['unknown-request'], 0, 'no pong came twice');
});

test('Connection: a gzip_packed answer is read whole', async (t) => {
  const emu = await startEmulator({ dcCount: 1, rsaKeyPath: keyPath });
  t.teardown(() => emu.stop());
  const countries = Array.from({ length: 300 }, (_, i) => ({
    _: 'help.country', hidden: false, iso2: `Q${i}`, defaultName: `Country number ${i} of the emulator`, name: undefined, countryCodes: [],
  }));
  emu.registerMethod('help.getCountriesList', () => ({ _: 'help.countriesList', countries, hash: 7 }) as never);
  const conn = open({ codec: 'abridged' }, emu);
  t.teardown(() => conn.close());
  const list = (await conn.invoke({ _: 'help.getCountriesList', langCode: 'en', hash: 0 } as tl.TlMethod)) as { countries: { iso2: string }[] };
  t.is(list.countries.length, 300);
  t.is(list.countries[299]!.iso2, 'Q299');
});

test('Connection: rpc_error becomes RpcError with parsed arguments', async (t) => {
  const emu = await startEmulator({ dcCount: 1, rsaKeyPath: keyPath });
  t.teardown(() => emu.stop());
  emu.registerMethod('help.getSupport', () => {
    throw new TypeError('a bug in a handler');
  });
  // An answer its method cannot return (help.supportName has a `name` string).
  emu.registerMethod('help.getSupportName', () => ({ _: 'help.supportName' }) as never);
  const conn = open({ codec: 'intermediate' }, emu);
  t.teardown(() => conn.close());
  const unknown = await t.throwsAsync(conn.invoke({ _: 'help.getAppConfig', hash: 0 } as tl.TlMethod));
  t.true(unknown instanceof RpcError);
  t.is((unknown as RpcError).code, 400);
  t.regex((unknown as RpcError).text, /^INPUT_METHOD_INVALID_\d+_0$/);
  const internal = await t.throwsAsync(conn.invoke({ _: 'help.getSupport' } as tl.TlMethod));
  t.is((internal as RpcError).code, 500);
  t.is((internal as RpcError).text, 'INTERNAL');
  const badShape = await t.throwsAsync(conn.invoke({ _: 'help.getSupportName' } as tl.TlMethod));
  t.is((badShape as RpcError).text, 'INTERNAL');
  t.is(emu.stats(1).internalErrors, 2, "both counted as the emulator's own faults");
  emu.registerMethod('help.getSupport', async () => new EmulatorRpcError(420, 'FLOOD_WAIT_12'));
  const flood = await t.throwsAsync(conn.invoke({ _: 'help.getSupport' } as tl.TlMethod));
  t.is((flood as RpcError).seconds, 12);
});

for (const [mode, code] of [
  ['bad_dh_prime', 'BAD_DH_PRIME'],
  ['g_a_range', 'G_A_RANGE'],
  ['wrong_nonce', 'NONCE_MISMATCH'],
  ['wrong_answer_hash', 'ANSWER_HASH'],
] as const) {
  test(`Connection refuses a misbehaving DC (${mode}) with ${code} and keeps no key`, async (t) => {
    const emu = await startEmulator({ dcCount: 1, misbehave: mode, rsaKeyPath: keyPath });
    t.teardown(() => emu.stop());
    const conn = open({ codec: 'intermediate' }, emu);
    t.teardown(() => conn.close());
    const err = await t.throwsAsync(conn.connect());
    t.true(err instanceof HandshakeError, String(err));
    t.is((err as HandshakeError).code, code);
    t.is(conn.authKey, undefined);
  });
}

test('Connection against wrong_msg_key: every answer is dropped, the call times out', async (t) => {
  const emu = await startEmulator({ dcCount: 1, misbehave: 'wrong_msg_key', rsaKeyPath: keyPath });
  t.teardown(() => emu.stop());
  // Without PFS, so the call is the first encrypted message (with PFS the forged answer would be the binding's).
  const conn = open({ codec: 'intermediate' }, emu, 0, { pfs: false });
  t.teardown(() => conn.close());
  const err = await t.throwsAsync(conn.invoke({ _: 'help.getNearestDc' } as tl.TlMethod, { timeout: 800 }));
  t.true(err instanceof RequestTimeoutError, String(err));
  // On a loaded machine the forged answer may come after the timeout: wait for it (bounded).
  for (let i = 0; i < 100 && conn.stats!.dropped['msg-key'] === 0; i++) await new Promise((r) => setTimeout(r, 50));
  t.true(conn.stats!.dropped['msg-key'] >= 1);
});

test('Connection with a key this emulator does not have: refused with -404, the call fails', async (t) => {
  const other = await startEmulator({ dcCount: 1, rsaKeyPath: keyPath });
  t.teardown(() => other.stop());
  const first = open({ codec: 'intermediate' }, other, 0, { pfs: false });
  await first.connect();
  const foreignKey = first.authKey!;
  first.close();
  const before = emulator.stats(1).refused;
  // Without PFS the foreign key carries the call itself (with PFS it is only named in the binding: test below).
  const conn = open({ codec: 'intermediate' }, emulator, 0, { authKey: foreignKey, pfs: false });
  t.teardown(() => conn.close());
  // What the client does after -404 (reconnect, new key) is its own business; the call must not succeed.
  await t.throwsAsync(conn.invoke({ _: 'help.getNearestDc' } as tl.TlMethod, { timeout: 2_000 }));
  t.true(emulator.stats(1).refused > before, 'the emulator refused the unknown key');
  t.false(emulator.dc(1).authKeys.has(foreignKey.authKeyId));
});

test('PFS with a permanent key this emulator does not have: the binding is refused, the call fails', async (t) => {
  const other = await startEmulator({ dcCount: 1, rsaKeyPath: keyPath });
  t.teardown(() => other.stop());
  const first = open({ codec: 'intermediate' }, other, 0, { pfs: false });
  await first.connect();
  const foreignKey = first.authKey!;
  first.close();
  const log: string[] = [];
  const emu = await startEmulator({ dcCount: 1, rsaKeyPath: keyPath, log: (l) => log.push(l) });
  t.teardown(() => emu.stop());
  const conn = open({ codec: 'intermediate' }, emu, 0, { authKey: foreignKey, reconnect: false });
  t.teardown(() => conn.close());
  await t.throwsAsync(conn.invoke({ _: 'help.getNearestDc' } as tl.TlMethod, { timeout: 3_000 }));
  t.is(emu.stats(1).executions.get('help.getNearestDc'), undefined, 'the call never ran');
  t.true(log.some((l) => l.includes('auth.bindTempAuthKey refused: ENCRYPTED_MESSAGE_INVALID (perm-key-unknown)')), log.join('\n'));
});
