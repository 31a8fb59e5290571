// The protocol layer under TelegramClient, briefly: an auth key on each DC
// over a different transport with a PFS temporary key bound to it, the first
// call inside invokeWithLayer(initConnection(…)), pipelined pings packed
// into msg_containers, and an rpc_error as a typed RpcError.
import { Connection, RpcError, transportWire, type TransportWireOptions } from '@telegram-mt/client';
import type { Emulator } from '@telegram-mt/dc-emulator';
import type { Out } from '../terminal/out.js';

const hex = (n: bigint) => '0x' + BigInt.asUintN(64, n).toString(16).padStart(16, '0');
const ms = (t0: number) => `${(performance.now() - t0).toFixed(1)} ms`;

const TRANSPORTS: [string, TransportWireOptions][] = [
  ['TCP, abridged', { codec: 'abridged' }],
  ['TCP, obfuscated intermediate', { codec: 'intermediate', obfuscated: true }],
  ['WebSocket /apiws, obfuscated padded intermediate', { codec: 'padded', connection: 'websocket' }],
];

export async function showProtocol(out: Out, emulator: Emulator): Promise<void> {
  out.step('Underneath: MTProto 2.0 on each DC over a different transport, with PFS');
  const connections: Connection[] = [];
  try {
    for (const [i, dc] of emulator.dcs.entries()) {
      const [label, wire] = TRANSPORTS[i % TRANSPORTS.length]!;
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
      out.ok(
        `DC ${dc.id} over ${label}: key ${hex(connection.authKey!.authKeyId)}, traffic on temp key ${hex(connection.trafficKeyId!)} ` +
          `(auth.bindTempAuthKey) in ${ms(t0)}`,
      );
    }
    const [first, second] = connections as [Connection, Connection];
    const nearest = await first.invoke({ _: 'help.getNearestDc' });
    out.ok(`help.getNearestDc → this DC ${nearest.thisDc}, nearest ${nearest.nearestDc}, country ${nearest.country} (inside invokeWithLayer(initConnection(…)))`);

    const t0 = performance.now();
    const pongs = await Promise.all(Array.from({ length: 2000 }, () => second.ping()));
    const elapsed = performance.now() - t0;
    const stats = second.stats;
    out.ok(
      `${pongs.length} pongs, each answered once, in ${elapsed.toFixed(0)} ms: 2,000 pings pipelined on one connection` +
        (stats ? ` in ${stats.packetsOut} packets (${stats.containersOut} msg_containers)` : ''),
    );

    try {
      await first.invoke({ _: 'help.getCountriesList', langCode: 'en', hash: 0 });
      out.fail('expected an rpc_error');
    } catch (e) {
      if (!(e instanceof RpcError)) throw e;
      out.ok(`a method this emulator does not serve: RpcError ${e.code} ${e.text} (from ${e.method ?? 'the call'})`);
    }
  } finally {
    for (const c of connections) c.close();
  }
}
