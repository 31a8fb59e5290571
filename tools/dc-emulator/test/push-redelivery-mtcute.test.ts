// mtcute (`@mtcute/node`) resumes its session after its TCP connection
// dropped and does not fetch the difference: a message sent to it meanwhile
// must come as a push on the resumed session, and exactly once.
import test from 'ava';
import { startEmulator } from '../src/index.js';
import { isMtcuteShortAuthKeyError, mtcuteClient, rsaKeyMtcuteFinds } from './helpers/mtcute.js';
import { Inbox, ourUser, within } from './helpers/our-side.js';

test('mtcute gets a message sent while its connection was down once it reconnects, exactly once', async (t) => {
  t.timeout(90_000);
  const log: string[] = [];
  const emulator = await startEmulator({ dcCount: 2, rsaKeyPath: rsaKeyMtcuteFinds(), log: (l) => log.push(l) });
  t.teardown(() => emulator.stop());
  const home = emulator.dcs[1]!;
  const dc = emulator.dc(home.id);
  emulator.world.createUser({ phone: '31611117001', firstName: 'Mt', username: 'mt_away', dc: home.id });
  emulator.world.createUser({ phone: '31611117002', firstName: 'Ours', username: 'ours_sender', dc: home.id });

  const ours = await ourUser(emulator, '31611117002', home.id);
  t.teardown(() => ours.close());
  const oursConnections = new Set(dc.openConnections.map((c) => c.id));

  const client = await mtcuteClient(t, emulator, home);
  const errors: unknown[] = [];
  client.onError.add((e) => errors.push(e));
  const phone = '31611117001';
  await within(client.start({ phone, code: async () => emulator.world.inbox(phone).at(-1)!, codeSentCallback: () => {} }), 30_000, 'mtcute logs in');
  const received = new Inbox();
  const seen: string[] = [];
  client.onNewMessage.add((m) => {
    seen.push(m.text);
    received.push(m.text);
  });
  // mtcute knows the sender (it writes first) and its updates loop runs before anything is pushed to it.
  await within(client.sendText('@ours_sender', 'hi'), 10_000, 'mtcute sends');
  await ours.inbox.next((x) => x === 'hi', 10_000, 'our client gets mtcute’s message');
  await within(ours.client.sendMessage('@mt_away', 'while online'), 10_000, 'our client sends');
  await received.next((x) => x === 'while online', 15_000, 'mtcute gets the message while online');

  // mtcute's sockets drop; its reconnects fail until the fault is lifted.
  const notOurs = (c: { id: number }) => !oursConnections.has(c.id);
  const fault = emulator.faults.set({ dc: home.id, connection: notOurs }, { kind: 'drop', afterFrames: 0 });
  for (const c of dc.openConnections) if (notOurs(c)) c.close();
  const stats = emulator.stats(home.id);
  const differences = stats.executions.get('updates.getDifference') ?? 0;
  await within(ours.client.sendMessage('@mt_away', 'while away'), 10_000, 'our client sends while mtcute is away');
  t.true(stats.pushesQueued >= 1, 'kept for mtcute’s session');
  t.false(seen.includes('while away'));

  emulator.faults.clear(fault);
  t.is(await received.next((s) => s === 'while away', 30_000, 'mtcute gets the message after reconnecting'), 'while away');
  // Something after it still comes through, and no copy of the kept one with it.
  await within(ours.client.sendMessage('@mt_away', 'after'), 10_000, 'our client sends after');
  await received.next((s) => s === 'after', 15_000, 'mtcute gets the next message');
  await new Promise((r) => setTimeout(r, 300));
  t.deepEqual(seen, ['hi', 'while online', 'while away', 'after']); // its own message too
  t.true(stats.pushesDelivered >= 1);
  t.is(stats.executions.get('updates.getDifference') ?? 0, differences, 'mtcute did not fetch the difference: the push carried it');
  t.deepEqual(errors.filter((e) => !isMtcuteShortAuthKeyError(e)), []);
  t.is(stats.internalErrors, 0, log.join('\n'));
});
