// A new session (bad_msg_notification 32/33, or a clock that went back)
// while calls sent in the old one are still unanswered: the server may have
// run them, and the new session cannot ask about them (msg_ids are per
// session). A call that is not safe to repeat fails as RequestInDoubtError
// and runs once; one that is safe to repeat is sent again and resolves.
import test from 'ava';
import { Connection, type ConnectionOptions } from '../src/network/connection.js';
import { transportWire } from '../src/network/transport-wire.js';
import { RequestInDoubtError } from '../src/errors.js';
import { isSafeToRepeat } from '../src/mtproto/session/client/repeatable.js';
import { startEmulator, type Emulator } from './support/emulator.js';
import { sleep, until } from './support/wait.js';

interface Rig {
  emulator: Emulator;
  /** Runs of account.updateStatus (not safe to repeat) and of help.getNearestDc (safe), each slow. */
  runs: { write: number; read: number };
}

async function rig(): Promise<Rig> {
  const emulator = await startEmulator({ dcCount: 1 });
  const runs = { write: 0, read: 0 };
  emulator.registerMethod('account.updateStatus', async () => {
    runs.write++;
    await sleep(300);
    return true as never;
  });
  emulator.registerMethod('help.getNearestDc', async () => {
    runs.read++;
    await sleep(300);
    return { _: 'nearestDc' as const, country: 'NL', thisDc: 1, nearestDc: 1 };
  });
  emulator.registerMethod('help.getAppConfig', () => ({ _: 'help.appConfigNotModified' as const }));
  return { emulator, runs };
}

function connect(r: Rig, opts: Partial<ConnectionOptions> = {}): Connection {
  return new Connection({
    dc: r.emulator.dcs[0]!,
    apiId: 1,
    rsaPublicKeys: r.emulator.rsaPublicKeys,
    wire: transportWire({ codec: 'intermediate' }),
    pingInterval: 0,
    // Short: a probe in the new session would ask about the old msg_ids at once.
    probeInterval: 50,
    requestTimeout: 10_000,
    ...opts,
  });
}

for (const code of [32, 33]) {
  test(`bad_msg_notification ${code} while calls run: the one not safe to repeat fails in doubt and runs once, the safe one is sent again`, async (t) => {
    const r = await rig();
    const c = connect(r);
    try {
      await c.invoke({ _: 'help.getAppConfig', hash: 0 });
      const sessionBefore = (c as unknown as { session: { sessionId: bigint } }).session.sessionId;
      const write = c.invoke({ _: 'account.updateStatus', offline: false });
      const read = c.invoke({ _: 'help.getNearestDc' });
      await until('both calls running', () => r.runs.write === 1 && r.runs.read === 1, 5000);
      r.emulator.faults.set({ dc: 1 }, { kind: 'bad-msg', code, times: 1 });
      // This call's packet is refused with `code`: the client starts a new session and sends it again.
      await c.invoke({ _: 'help.getAppConfig', hash: 1 });
      t.not((c as unknown as { session: { sessionId: bigint } }).session.sessionId, sessionBefore, 'a new session');
      const outcome = await write.then(
        () => 'resolved',
        (e: Error) => e,
      );
      t.like(await read, { _: 'nearestDc' });
      // Long enough for any probe and resend to have reached the server.
      await sleep(700);
      t.is(r.runs.write, 1, 'the call not safe to repeat ran once');
      t.true(outcome instanceof RequestInDoubtError, `account.updateStatus: ${String(outcome)}`);
      t.is(c.pending, 0);
    } finally {
      c.close();
      await r.emulator.stop();
    }
  });
}

test('our clock jumps ahead and is corrected back (a new session) while calls run: no call runs twice unasked', async (t) => {
  const r = await rig();
  const jump = { ms: 0 };
  const c = connect(r, { clock: { now: () => Date.now() + jump.ms } });
  try {
    await c.invoke({ _: 'help.getAppConfig', hash: 0 });
    jump.ms = 60_000;
    // Sent 60 s in the future: bad_msg_notification 17, resync (offset −60 s), a new session.
    const write = c.invoke({ _: 'account.updateStatus', offline: false });
    await t.notThrowsAsync(write, 'refused with 17, the call never ran: sent again and resolved');
    t.is(r.runs.write, 1);
    // Now a call in flight while the clock goes back: the session renews again.
    const write2 = c.invoke({ _: 'account.updateStatus', offline: true });
    await until('the second call running', () => r.runs.write === 2, 5000);
    jump.ms = 120_000;
    await c.invoke({ _: 'help.getAppConfig', hash: 1 });
    const outcome = await write2.then(
      () => 'resolved',
      (e: Error) => e.name,
    );
    await sleep(700);
    t.is(r.runs.write, 2, `account.updateStatus ran once per call (the second ${outcome})`);
    t.is(outcome, 'RequestInDoubtError');
    t.is(c.pending, 0);
  } finally {
    c.close();
    await r.emulator.stop();
  }
});

test('repeatable: true on a call makes it be sent again across a new session (the caller says a repeat is harmless)', async (t) => {
  const r = await rig();
  const c = connect(r);
  try {
    await c.invoke({ _: 'help.getAppConfig', hash: 0 });
    const write = c.invoke({ _: 'account.updateStatus', offline: false }, { repeatable: true });
    await until('the call running', () => r.runs.write === 1, 5000);
    r.emulator.faults.set({ dc: 1 }, { kind: 'bad-msg', code: 32, times: 1 });
    await c.invoke({ _: 'help.getAppConfig', hash: 1 });
    t.is((await write) as unknown, true);
    t.is(r.runs.write, 2, 'sent again in the new session, as asked');
  } finally {
    c.close();
    await r.emulator.stop();
  }
});

test('isSafeToRepeat: reads and file parts yes, writes and reads with a side effect no', (t) => {
  for (const m of ['help.getNearestDc', 'messages.getHistory', 'contacts.resolveUsername', 'messages.search', 'upload.saveFilePart', 'ping'])
    t.true(isSafeToRepeat(m), m);
  for (const m of ['messages.sendMessage', 'account.updateStatus', 'messages.getBotCallbackAnswer', 'messages.getMessagesViews', 'payments.sendPaymentForm', 'auth.signIn'])
    t.false(isSafeToRepeat(m), m);
});
