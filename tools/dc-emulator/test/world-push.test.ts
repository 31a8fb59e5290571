// The world wired into startEmulator: a message sent by one user reaches the
// other user's live connection as a pushed update, with no polling.
import test from 'ava';
import { Connection, transportWire } from '@telegram-mt/client';
import type { tl } from '@telegram-mt/tl';
import { startEmulator } from '../src/index.js';
import { keyPath } from './helpers/memory.js';

test('startEmulator serves the world and pushes updates to every online session of the recipient', async (t) => {
  const emulator = await startEmulator({ rsaKeyPath: keyPath, world: { passwordIterations: 1000 } });
  t.teardown(() => emulator.stop());
  emulator.world.createUser({ phone: '31600002001', firstName: 'Ann', username: 'annpush', dc: 2 });
  emulator.world.createUser({ phone: '31600002002', firstName: 'Ben', username: 'benpush', dc: 2 });

  const login = async (phone: string) => {
    const c = new Connection({
      dc: emulator.dcs[1]!,
      apiId: 1,
      rsaPublicKeys: emulator.rsaPublicKeys,
      wire: transportWire({ codec: 'intermediate' }),
      pfs: false,
    });
    t.teardown(() => c.close());
    const sent = (await c.invoke({ _: 'auth.sendCode', phoneNumber: phone, apiId: 1, apiHash: 'x', settings: { _: 'codeSettings' } })) as tl.auth.sentCode;
    const code = emulator.world.inbox(phone).at(-1)!;
    await c.invoke({ _: 'auth.signIn', phoneNumber: phone, phoneCodeHash: sent.phoneCodeHash, phoneCode: code });
    return c;
  };
  const ann = await login('31600002001');
  const ben = await login('31600002002');
  const received = new Promise<unknown>((resolve) => ben.on('update', resolve));

  const resolved = (await ann.invoke({ _: 'contacts.resolveUsername', username: 'benpush' })) as tl.contacts.resolvedPeer;
  const benUser = resolved.users[0] as tl.user;
  await ann.invoke({
    _: 'messages.sendMessage',
    peer: { _: 'inputPeerUser', userId: benUser.id, accessHash: benUser.accessHash! },
    message: 'pushed, not polled',
    randomId: 1n,
  });
  const update = (await Promise.race([received, new Promise((_, no) => setTimeout(() => no(new Error('no update pushed')), 10_000))])) as tl.updateShortMessage;
  t.is(update._, 'updateShortMessage');
  t.is(update.message, 'pushed, not polled');
  t.is(update.out, false);
});
