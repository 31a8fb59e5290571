// Our client's protocol cores against the emulator over real loopback
// sockets: every codec, plain and obfuscated, and WebSocket; pipelining;
// gzip_packed answers; rpc_error; and each misbehaving mode refused.
import test from 'ava';
import { HandshakeError } from '@telegram-mt/client/mtproto';
import { RpcError as ClientRpcError } from '@telegram-mt/client';
import type { TransportOptions } from '@telegram-mt/transport';
import type { tl } from '@telegram-mt/tl';
import { startEmulator, type Emulator } from '../src/index.js';
import { keyPath } from './helpers/memory.js';
import { SocketClient } from './helpers/socket-client.js';
import { EVERY_TRANSPORT } from './helpers/transports.js';

let emulator: Emulator;
test.before(async () => {
  emulator = await startEmulator({ rsaKeyPath: keyPath });
});
test.after.always(async () => {
  await emulator?.stop();
});

async function connect(options: TransportOptions, dcIndex = 0, emu = emulator): Promise<SocketClient> {
  const c = await SocketClient.open(emu.dcs[dcIndex]!, options);
  return c.trust(emu.rsaPublicKeys);
}

const transports = EVERY_TRANSPORT;

for (const [name, options] of transports) {
  test(`handshake and calls over ${name}`, async (t) => {
    const c = await connect(options, 1);
    t.teardown(() => c.close());
    const key = await c.makeKey();
    t.true(emulator.dc(2).authKeys.has(key.authKeyId));
    const near = (await c.invoke({ _: 'help.getNearestDc' } as tl.TlMethod)) as tl.nearestDc;
    t.is(near.thisDc, 2);
    const pong = (await c.invoke({ _: 'ping', pingId: 5n } as tl.TlMethod)) as { pingId: bigint };
    t.is(pong.pingId, 5n);
  });
}

test('10,000 pipelined pings are each answered exactly once', async (t) => {
  const c = await connect({ codec: 'intermediate' });
  t.teardown(() => c.close());
  await c.makeKey();
  const N = 10_000;
  const calls = Array.from({ length: N }, (_, i) => c.queue({ _: 'ping', pingId: BigInt(i) } as tl.TlMethod));
  await c.flush();
  let timer: NodeJS.Timeout | undefined;
  const pongs = (await Promise.race([
    Promise.all(calls.map((x) => x.answer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`only ${c.answers.size} of ${N} answered in 30 s`)), 30_000);
    }),
  ])) as { pingId: bigint }[];
  clearTimeout(timer);
  t.deepEqual(
    pongs.map((p) => p.pingId),
    Array.from({ length: N }, (_, i) => BigInt(i)),
  );
  // Wait a moment for duplicates, if any were coming.
  await new Promise((r) => setTimeout(r, 100));
  t.is(c.answers.size, N);
  t.true([...c.answers.values()].every((n) => n === 1), 'no request answered twice');
  t.is(c.session!.stats.dropped['unknown-request'], 0);
});

test('a large answer comes gzip_packed and is read whole', async (t) => {
  const emu = await startEmulator({ dcCount: 1, rsaKeyPath: keyPath });
  t.teardown(() => emu.stop());
  const countries = Array.from({ length: 300 }, (_, i) => ({
    _: 'help.country',
    hidden: false,
    iso2: `Q${i}`,
    defaultName: `Country number ${i} of the emulator`,
    name: undefined,
    countryCodes: [],
  }));
  emu.registerMethod('help.getCountriesList', () => ({ _: 'help.countriesList', countries, hash: 7 }) as never);
  const c = await connect({ codec: 'abridged' }, 0, emu);
  t.teardown(() => c.close());
  await c.makeKey();
  let bytesIn = 0;
  c.transport.on('packet', (p) => {
    bytesIn += p.length;
  });
  const list = (await c.invoke({ _: 'help.getCountriesList', langCode: 'en', hash: 0 } as tl.TlMethod)) as { countries: { iso2: string }[] };
  t.is(list.countries.length, 300);
  t.is(list.countries[299]!.iso2, 'Q299');
  t.true(bytesIn < 300 * 40, `answer took ${bytesIn} bytes on the wire: it was compressed`);
});

test('an rpc_error becomes RpcError', async (t) => {
  const c = await connect({ codec: 'full' });
  t.teardown(() => c.close());
  await c.makeKey();
  const err = await t.throwsAsync(c.invoke({ method: 'help.getConfig', body: Uint8Array.of(0xde, 0xc0, 0xad, 0x0b) }));
  t.true(err instanceof ClientRpcError, String(err));
  t.is((err as ClientRpcError).code, 400);
  t.is((err as ClientRpcError).text, `INPUT_METHOD_INVALID_${0x0badc0de}_4`);
});

for (const [mode, code] of [
  ['bad_dh_prime', 'BAD_DH_PRIME'],
  ['g_a_range', 'G_A_RANGE'],
  ['wrong_nonce', 'NONCE_MISMATCH'],
  ['wrong_answer_hash', 'ANSWER_HASH'],
] as const) {
  test(`misbehaving emulator (${mode}): the client refuses with ${code} and has no key`, async (t) => {
    const emu = await startEmulator({ dcCount: 1, misbehave: mode, rsaKeyPath: keyPath });
    t.teardown(() => emu.stop());
    const c = await connect({ codec: 'intermediate' }, 0, emu);
    t.teardown(() => c.close());
    const err = await t.throwsAsync(c.makeKey());
    t.true(err instanceof HandshakeError, String(err));
    t.is((err as HandshakeError).code, code);
    t.is(c.key, undefined);
    t.is(c.session, undefined);
  });
}

test('misbehaving emulator (wrong_msg_key): the client drops every answer', async (t) => {
  const emu = await startEmulator({ dcCount: 1, misbehave: 'wrong_msg_key', rsaKeyPath: keyPath });
  t.teardown(() => emu.stop());
  const c = await connect({ codec: 'intermediate' }, 0, emu);
  t.teardown(() => c.close());
  await c.makeKey();
  await t.throwsAsync(c.invoke({ _: 'ping', pingId: 1n } as tl.TlMethod, 1_000), { message: 'no answer in time' });
  for (let i = 0; i < 100 && c.session!.stats.dropped['msg-key'] === 0; i++) await new Promise((r) => setTimeout(r, 50));
  t.true(c.session!.stats.dropped['msg-key'] >= 1);
  t.is(c.answers.size, 0);
});

test('garbage on the wire closes the connection without hurting the emulator', async (t) => {
  const emu = await startEmulator({ dcCount: 1, rsaKeyPath: keyPath });
  t.teardown(() => emu.stop());
  const c = await connect({ codec: 'intermediate' }, 0, emu);
  await c.transport.send(new Uint8Array(40).fill(0x42)); // an auth_key_id the DC does not have
  for (let i = 0; i < 50 && !c.closed; i++) await new Promise((r) => setTimeout(r, 20));
  t.true(c.closed);
  t.is((c.closeError as { code?: unknown } | undefined)?.code, -404);
  t.is(emu.stats(1).internalErrors, 0);
  // The DC still serves others.
  const d = await connect({ codec: 'abridged' }, 0, emu);
  t.teardown(() => d.close());
  await d.makeKey();
  t.like(await d.invoke({ _: 'help.getNearestDc' } as tl.TlMethod), { thisDc: 1 });
});
