import { Connection, transportWire } from '@telegram-mt/client';
import { startChildEmulator } from './emulator.js';
import { sequential } from './measure.js';
const emu = await startChildEmulator(2);
const c = new Connection({ dc: emu.dcs[1]!, apiId: 1, rsaPublicKeys: emu.rsaPublicKeys, wire: transportWire({ codec: 'intermediate' }), pingInterval: 0 });
await c.invoke({ _: 'help.getNearestDc' });
for (let k = 0; k < 2; k++) {
  for (const [name, f] of [
    ['plain', () => c.invoke({ _: 'help.getNearestDc' })],
    ['withoutUpdates', () => c.invoke({ _: 'invokeWithoutUpdates', query: { _: 'help.getNearestDc' } } as never)],
    ['ping', () => c.ping()],
    ['getConfig', () => c.invoke({ _: 'help.getConfig' })],
  ] as const) {
    const s0 = emu.cpuMs();
    const r = await sequential(1500, 8000, f as () => Promise<unknown>);
    console.log(name, r.perSecond.toFixed(0), ((emu.cpuMs() - s0) * 1000 / r.done).toFixed(0), 'µs server', JSON.stringify(c.stats?.dropped ?? {}).slice(0, 80));
  }
}
c.close(); await emu.stop(); process.exit(0);
