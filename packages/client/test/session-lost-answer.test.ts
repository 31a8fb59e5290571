// A call without a timeout (`timeout: 0`) whose request or answer is lost on
// a live connection (no drop, no reconnect) must still settle: the periodic
// msgs_state_req probe finds out what became of it and sends the request
// again (never received) or asks for the answer again (received, answered),
// as often as it takes. The emulator swallows the frames on purpose.
import test from 'ava';
import { Connection } from '../src/network/connection.js';
import { transportWire } from '../src/network/transport-wire.js';
import { startEmulator, type FaultPacketInfo, type PacketFaults } from './support/emulator.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Swallows the next `out` / `in` frames once armed, and the first `resent`
 * frames that carry an answer sent again (the DC's answersResent count moved).
 */
class Swallow implements PacketFaults {
  out = 0;
  in = 0;
  resent = 0;
  swallowed = 0;
  resentSwallowed = 0;
  stats: { answersResent: number } | undefined;
  private resentSeen = 0;
  outgoing(p: Uint8Array, _i: FaultPacketInfo): Uint8Array | null {
    const resentNow = this.stats?.answersResent ?? 0;
    if (resentNow > this.resentSeen) {
      this.resentSeen = resentNow;
      if (this.resent > 0) {
        this.resent--;
        this.resentSwallowed++;
        return null;
      }
    }
    if (this.out > 0 && p.length > 8) {
      this.out--;
      this.swallowed++;
      return null;
    }
    return p;
  }
  incoming(p: Uint8Array, _i: FaultPacketInfo): Uint8Array | null {
    if (this.in > 0 && p.length > 8) {
      this.in--;
      this.swallowed++;
      return null;
    }
    return p;
  }
}

function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not settled within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function rig(swallow: Swallow) {
  const emulator = await startEmulator({ dcCount: 1, faults: swallow });
  swallow.stats = emulator.dc(1).stats;
  const runs = { n: 0 };
  // Lose the answer(s): armed as the call finishes, so the next frames out are its answer.
  const loseAnswers = { n: 0 };
  emulator.registerMethod('account.updateStatus', async () => {
    runs.n++;
    await sleep(20);
    swallow.out = loseAnswers.n;
    return true as never;
  });
  emulator.registerMethod('help.getAppConfig', () => ({ _: 'help.appConfigNotModified' as const }));
  const c = new Connection({
    dc: emulator.dcs[0]!,
    apiId: 1,
    rsaPublicKeys: emulator.rsaPublicKeys,
    wire: transportWire({ codec: 'intermediate' }),
    pingInterval: 0,
    probeInterval: 100,
    ackDelay: 5,
  });
  await c.invoke({ _: 'help.getAppConfig', hash: 0 });
  return { emulator, c, runs, loseAnswers };
}

for (const resentLost of [0, 1, 3]) {
  test(`timeout 0, the answer lost, then ${resentLost} answer(s) sent again lost too: the probe asks until it comes; the call ran once`, async (t) => {
    const swallow = new Swallow();
    const { emulator, c, runs, loseAnswers } = await rig(swallow);
    try {
      loseAnswers.n = 1;
      swallow.resent = resentLost;
      const result = await bounded(c.invoke({ _: 'account.updateStatus', offline: false }, { timeout: 0 }), 10_000, 'the call');
      t.is(result as unknown, true);
      t.is(runs.n, 1, 'ran once');
      t.is(swallow.swallowed, 1);
      t.is(swallow.resentSwallowed, resentLost);
      t.true(emulator.dc(1).stats.answersResent > resentLost, 'the answer came from msg_resend_ans_req');
      t.is(c.pending, 0);
    } finally {
      c.close();
      await emulator.stop();
    }
  });
}

test('timeout 0, the request lost on the way: the probe learns the server never got it and sends it again; it runs once', async (t) => {
  const swallow = new Swallow();
  const { emulator, c, runs } = await rig(swallow);
  try {
    swallow.in = 1;
    const result = await bounded(c.invoke({ _: 'account.updateStatus', offline: false }, { timeout: 0 }), 10_000, 'the call');
    t.is(result as unknown, true);
    t.is(runs.n, 1);
    t.is(swallow.swallowed, 1);
  } finally {
    c.close();
    await emulator.stop();
  }
});

test('timeout 0, the probe and its answer lost as well: asked again at the next probe, the call settles and runs once', async (t) => {
  const swallow = new Swallow();
  const { emulator, c, runs, loseAnswers } = await rig(swallow);
  try {
    // The answer, then the msgs_state_info (or whatever the server sends next) go missing.
    loseAnswers.n = 2;
    const p = c.invoke({ _: 'account.updateStatus', offline: false }, { timeout: 0 });
    await sleep(150);
    swallow.in = 1; // and the next client frame (the probe) too
    const result = await bounded(p, 10_000, 'the call');
    t.is(result as unknown, true);
    t.is(runs.n, 1);
  } finally {
    c.close();
    await emulator.stop();
  }
});
