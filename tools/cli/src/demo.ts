// The demo that `npm start` runs: a loopback Telegram with three DCs, and our
// client talking MTProto 2.0 to each of them over a different transport.
// It grows with the project (accounts, messages, files); today it shows the
// protocol layer: auth keys, encrypted sessions, RPC, pipelining, errors.
import { Connection, RpcError, transportWire, type TransportWireOptions } from '@telegram-mt/client';
import { startEmulator } from '@telegram-mt/dc-emulator';
import { LAYER } from '@telegram-mt/tl';
import type { Out } from './ui.js';

const hex = (n: bigint) => '0x' + BigInt.asUintN(64, n).toString(16).padStart(16, '0');
const ms = (t0: number) => `${(performance.now() - t0).toFixed(1)} ms`;

export async function runDemo(out: Out): Promise<void> {
  out.line(`telegram-mt demo — MTProto 2.0, TL layer ${LAYER}, against the embedded DC emulator`);

  out.step('Starting a loopback Telegram with three DCs');
  const emulator = await startEmulator({ dcCount: 3 });
  const connections: Connection[] = [];
  try {
    for (const dc of emulator.dcs) out.ok(`DC ${dc.id} listening on ${dc.host}:${dc.port} (every transport on one port)`);

    const transports: [string, TransportWireOptions][] = [
      ['TCP, abridged', { codec: 'abridged' }],
      ['TCP, obfuscated intermediate', { codec: 'intermediate', obfuscated: true }],
      ['WebSocket /apiws, obfuscated padded intermediate', { codec: 'padded', connection: 'websocket' }],
    ];
    out.step('Creating an auth key on each DC (req_pq_multi → req_DH_params → set_client_DH_params)');
    for (const [i, dc] of emulator.dcs.entries()) {
      const [label, wire] = transports[i % transports.length]!;
      const connection = new Connection({
        dc,
        apiId: 1,
        device: { deviceModel: 'tgmt demo', appVersion: '0.1.0' },
        rsaPublicKeys: emulator.rsaPublicKeys,
        wire: transportWire(wire),
      });
      connections.push(connection);
      const t0 = performance.now();
      await connection.connect();
      const key = connection.authKey!;
      out.ok(`DC ${dc.id} over ${label}: auth key ${hex(key.authKeyId)} in ${ms(t0)}`);
    }
    out.note('(the first key includes the once-per-process check that the DH prime is safe, on both ends)');

    out.step('Calling the API (the first call goes inside invokeWithLayer(initConnection(…)))');
    const [first, second, third] = connections as [Connection, Connection, Connection];
    const nearest = await first.invoke({ _: 'help.getNearestDc' });
    out.ok(`help.getNearestDc → this DC ${nearest.thisDc}, nearest ${nearest.nearestDc}, country ${nearest.country}`);
    const config = await third.invoke({ _: 'help.getConfig' });
    const options = config.dcOptions.map((o) => `${o.id}@${o.ipAddress}:${o.port}`).join(', ');
    out.ok(`help.getConfig → this DC ${config.thisDc}, DC options ${options}`);

    out.step('Pipelining: 2,000 pings in flight on one connection, packed into msg_containers');
    const t0 = performance.now();
    const pongs = await Promise.all(Array.from({ length: 2000 }, () => second.ping()));
    const elapsed = performance.now() - t0;
    out.ok(`${pongs.length} pongs, each answered once, in ${elapsed.toFixed(0)} ms (${Math.round(pongs.length / (elapsed / 1000))} per second)`);

    out.step('Errors are values: a method this emulator does not serve');
    try {
      await first.invoke({ _: 'help.getCountriesList', langCode: 'en', hash: 0 });
      out.fail('expected an rpc_error');
    } catch (e) {
      if (!(e instanceof RpcError)) throw e;
      out.ok(`RpcError ${e.code} ${e.text} (from ${e.method ?? 'the call'})`);
    }

    out.step('Session counters');
    for (const [i, c] of connections.entries()) {
      const s = c.stats;
      if (!s) continue;
      const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
      out.note(
        `DC ${emulator.dcs[i]!.id}: ${s.messagesOut} messages out in ${s.packetsOut} packets ` +
          `(${s.containersOut} containers), ${s.messagesIn} in, ${dropped} dropped`,
      );
    }
  } finally {
    for (const c of connections) c.close();
    await emulator.stop();
  }
  out.step('Done: the emulator is stopped.');
}
