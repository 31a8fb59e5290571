// The world behind a started emulator, over loopback sockets with our
// client's cores: the wiring (registerWorldMethods on emulator.registry), the
// wire encoding of the world's answers, and auth keys as the world's identity.
import test from 'ava';
import { computeSrpCheck, RpcError as ClientRpcError } from '@telegram-mt/client';
import type { tl } from '@telegram-mt/tl';
import { startEmulator } from '../src/index.js';
import { registerWorldMethods } from '../src/rpc/world-methods.js';
import { World } from '../src/world/world.js';
import { keyPath } from './helpers/memory.js';
import { SocketClient } from './helpers/socket-client.js';

test('two users log in over TCP (one with PHONE_MIGRATE, one with 2FA) and exchange a message', async (t) => {
  const emulator = await startEmulator({ rsaKeyPath: keyPath });
  t.teardown(() => emulator.stop());
  const world = new World({ passwordIterations: 1000 });
  registerWorldMethods(emulator.registry, world);
  world.createUser({ phone: '31600001001', firstName: 'Ann', dc: 2 });
  world.createUser({ phone: '31600001002', firstName: 'Ben', dc: 2, password: 'secret' });
  const pushed: bigint[] = [];
  world.onUpdate((userId) => pushed.push(userId));

  const open = async (dcIndex: number): Promise<SocketClient> => {
    const c = (await SocketClient.open(emulator.dcs[dcIndex]!, { codec: 'intermediate' })).trust(emulator.rsaPublicKeys);
    t.teardown(() => c.close());
    await c.makeKey();
    return c;
  };
  const sendCode = (phone: string): tl.TlMethod => ({ _: 'auth.sendCode', phoneNumber: phone, apiId: 1, apiHash: 'x', settings: { _: 'codeSettings' } });

  // Ann starts on DC 1 and is sent to DC 2.
  const wrong = await open(0);
  const err = await wrong.invoke(sendCode('31600001001')).catch((e: unknown) => e);
  t.true(err instanceof ClientRpcError);
  t.is((err as ClientRpcError).dcId, 2);
  const ann = await open(1);
  const sent = (await ann.invoke(sendCode('31600001001'))) as tl.auth.sentCode;
  const auth = (await ann.invoke({ _: 'auth.signIn', phoneNumber: '31600001001', phoneCodeHash: sent.phoneCodeHash, phoneCode: world.inbox('31600001001').at(-1)! })) as tl.auth.authorization;
  const annUser = auth.user as tl.user;

  const ben = await open(1);
  const sent2 = (await ben.invoke(sendCode('31600001002'))) as tl.auth.sentCode;
  const need = await ben.invoke({ _: 'auth.signIn', phoneNumber: '31600001002', phoneCodeHash: sent2.phoneCodeHash, phoneCode: world.inbox('31600001002').at(-1)! }).catch((e: unknown) => e);
  t.is((need as ClientRpcError).text, 'SESSION_PASSWORD_NEEDED');
  const pw = (await ben.invoke({ _: 'account.getPassword' })) as tl.account.password;
  const check = computeSrpCheck('secret', pw.currentAlgo as never, pw.srpB!, pw.srpId!, undefined, 1000);
  const benUser = ((await ben.invoke({ _: 'auth.checkPassword', password: check })) as tl.auth.authorization).user as tl.user;
  t.is(benUser.firstName, 'Ben');

  const r = (await ann.invoke({ _: 'messages.sendMessage', peer: { _: 'inputPeerUser', userId: benUser.id, accessHash: benUser.accessHash! }, message: 'hello Ben', randomId: 77n })) as tl.updateShortSentMessage;
  t.is(r._, 'updateShortSentMessage');
  t.deepEqual(pushed, [annUser.id, benUser.id]);
  const d = (await ben.invoke({ _: 'updates.getDifference', pts: 1, date: 0, qts: 0 })) as tl.updates.difference;
  t.deepEqual((d.newMessages as tl.message[]).map((m) => m.message), ['hello Ben']);
  t.true(d.users.some((u) => u.id === annUser.id));
});
