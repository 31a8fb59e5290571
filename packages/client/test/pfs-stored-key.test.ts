// PFS with a stored permanent key (the usual start after the first login):
// the connection makes and binds a temporary key on it before the first call.
import test from 'ava';
import { Connection } from '../src/network/connection.js';
import { transportWire } from '../src/network/transport-wire.js';
import { startEmulator } from './support/emulator.js';

test('a stored permanent key with PFS on: a temporary key is bound and the first call answered', async (t) => {
  const emulator = await startEmulator({ dcCount: 1 });
  const base = { dc: emulator.dcs[0]!, apiId: 1, rsaPublicKeys: emulator.rsaPublicKeys, wire: transportWire({ codec: 'intermediate' }), requestTimeout: 5000 };
  const seed = new Connection({ ...base, pfs: false });
  await seed.invoke({ _: 'help.getNearestDc' });
  const key = seed.authKey!;
  const c = new Connection({ ...base, authKey: key });
  try {
    await c.invoke({ _: 'help.getNearestDc' });
    t.is(c.tempKeysBound, 1);
    t.not(c.trafficKeyId, key.authKeyId);
  } finally {
    c.close();
    seed.close();
    await emulator.stop();
  }
});
