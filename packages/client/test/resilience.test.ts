// The connection against the DC emulator under faults: drops, half-open
// stalls, duplicated packets, salt changes, clock jumps, transport errors.
// Every call resolves exactly once and the emulator runs each exactly once.
import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { Connection, type ConnectionOptions, type ConnectionState } from '../src/network/connection.js';
import { transportWire } from '../src/network/transport-wire.js';
import {
  AuthKeyError,
  AuthKeyUnknownError,
  ConnectionClosedError,
  RequestAbortedError,
} from '../src/errors.js';
import { EmulatorRpcError, FaultPlan, startEmulator, type Emulator } from './support/emulator.js';

interface Rig {
  emulator: Emulator;
  faults: FaultPlan;
  /** Executions per call number (help.getAppConfig's hash). */
  executed: Map<number, number>;
  skew: { ms: number };
}

async function rig(): Promise<Rig> {
  const faults = new FaultPlan();
  const skew = { ms: 0 };
  const emulator = await startEmulator({ dcCount: 1, faults, now: () => Date.now() + skew.ms });
  faults.emulator = emulator;
  const executed = new Map<number, number>();
  emulator.registerMethod('help.getAppConfig', (_ctx, req) => {
    executed.set(req.hash, (executed.get(req.hash) ?? 0) + 1);
    return { _: 'help.appConfigNotModified' as const };
  });
  return { emulator, faults, executed, skew };
}

function connect(r: Rig, opts: Partial<ConnectionOptions> = {}): Connection {
  const dc = r.emulator.dcs[0]!;
  return new Connection({
    dc,
    apiId: 1,
    rsaPublicKeys: r.emulator.rsaPublicKeys,
    wire: transportWire({ codec: 'intermediate' }),
    pingInterval: 400,
    probeInterval: 500,
    reconnect: { baseDelay: 20, maxDelay: 500, maxAttempts: 20 },
    ...opts,
  });
}

/** n calls, `window` in flight at a time; `during(i)` runs before call i is made. Returns how often each resolved. */
async function calls(c: Connection, n: number, during: (i: number) => void = () => undefined, window = 16): Promise<number[]> {
  const resolved = new Array<number>(n).fill(0);
  let next = 0;
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (next < n) {
        const i = next++;
        during(i);
        const r = await c.invoke({ _: 'help.getAppConfig', hash: i }, { timeout: 60_000 });
        if ((r as tl.help.AppConfig)._ === 'help.appConfigNotModified') resolved[i]!++;
      }
    }),
  );
  return resolved;
}

function exactlyOnce(t: import('ava').ExecutionContext, r: Rig, resolved: number[], label: string): void {
  const n = resolved.length;
  t.true(resolved.every((x) => x === 1), `${label}: every call resolved once`);
  let runs = 0;
  let twice = 0;
  for (const [, k] of r.executed) {
    runs += k;
    if (k !== 1) twice++;
  }
  t.is(r.executed.size, n, `${label}: every call ran`);
  t.is(twice, 0, `${label}: no call ran twice`);
  t.is(runs, n, `${label}: executions = calls`);
}

const N = Number(process.env.FAULT_MATRIX_CALLS ?? 200);
const CODECS = ['abridged', 'intermediate', 'padded', 'full'] as const;

type Fault = (r: Rig, c: Connection, n: number) => (i: number) => void;
const FAULTS: Record<string, Fault> = {
  // The connection dies on every 7th packet from the client, that packet lost with it.
  drops: (r) => {
    r.faults.dropEvery = 3;
    return () => undefined;
  },
  // Every 5th client packet reaches the server twice: its replay window drops the copy.
  duplicates: (r) => {
    r.faults.duplicateEvery = 2;
    return () => undefined;
  },
  // Half-open for 1.2 s a third of the way in: nothing arrives, nothing closes; keep-alive notices.
  stall: (r, _c, n) => (i) => {
    if (i === Math.floor(n / 3)) r.faults.stallUntil = Date.now() + 1200;
  },
  // Every 6th client packet is answered with transport error −429 and the connection closed: back off, come back.
  'transport-429': (r) => {
    r.faults.transportErrorEvery = 6;
    return () => undefined;
  },
  // The server's clock jumps 400 s ahead mid-run: bad_msg_notification 16 outside our window, resync.
  skew: (r, _c, n) => (i) => {
    if (i === Math.floor(n / 2)) r.skew.ms = 400_000;
  },
};

for (const [fault, setup] of Object.entries(FAULTS)) {
  for (const codec of CODECS) {
    test(`fault matrix: ${fault} over ${codec}, ${N} calls, each resolved and run exactly once`, async (t) => {
      const r = await rig();
      const c = connect(r, { wire: transportWire({ codec }) });
      try {
        await c.connect();
        let stateChanges = 0;
        c.on('session-state', () => stateChanges++);
        const started = Date.now();
        const resolved = await calls(c, N, setup(r, c, N));
        t.log(`${fault}/${codec}: ${N} calls in ${Date.now() - started} ms, ${c.reconnects} reconnects, drops ${r.faults.drops}, duplicates ${r.faults.duplicates}`);
        exactlyOnce(t, r, resolved, `${fault}/${codec}`);
        if (fault === 'drops' || fault === 'transport-429') t.true(c.reconnects > 0);
        if (fault === 'transport-429') t.like(c.lastDropError, { name: 'TransportError', code: -429 });
        if (fault === 'duplicates') t.true(r.faults.duplicates > 0);
        if (fault === 'stall') t.true(c.reconnects > 0, 'the keep-alive noticed the half-open wire');
        if (fault === 'skew') t.true(stateChanges > 0, 'bad_msg_notification 16 handled');
        if (fault === 'skew') t.true(c.stats!.outOfWindow > 0, 'the notice from a server 400 s ahead passed as it named a pending msg_id');
      } finally {
        c.close();
        t.is(c.pending, 0, 'nothing pending after close');
        t.deepEqual(c.sessionBuffers, { pending: 0, queued: 0, acks: 0 });
        await r.emulator.stop();
      }
    });
  }
}

test('the state is observable: connecting, handshaking, ready, then offline and ready again after a drop', async (t) => {
  const r = await rig();
  const c = connect(r);
  const states: ConnectionState[] = [];
  c.on('state', (s) => states.push(s));
  t.is(c.state, 'idle');
  await c.connect();
  t.is(c.state, 'ready');
  await c.invoke({ _: 'help.getAppConfig', hash: 1 });
  const back = new Promise<void>((resolve) => c.on('state', (s) => s === 'ready' && resolve()));
  for (const conn of r.emulator.dc(1).openConnections) conn.close();
  await back;
  await c.invoke({ _: 'help.getAppConfig', hash: 2 });
  c.close();
  t.deepEqual(states, ['connecting', 'handshaking', 'ready', 'offline', 'connecting', 'ready', 'closed']);
  t.is(c.reconnects, 1);
  await r.emulator.stop();
});

test('calls made while offline wait and go out once the connection is back', async (t) => {
  const r = await rig();
  const c = connect(r, { reconnect: { baseDelay: 300, maxDelay: 300 } });
  await c.connect();
  const offline = new Promise<void>((resolve) => c.on('state', (s) => s === 'offline' && resolve()));
  for (const conn of r.emulator.dc(1).openConnections) conn.close();
  await offline;
  const resolved = await calls(c, 50);
  exactlyOnce(t, r, resolved, 'offline');
  c.close();
  await r.emulator.stop();
});

test('reconnecting gives up after maxAttempts: pending calls fail with ConnectionClosedError, nothing hangs', async (t) => {
  const r = await rig();
  const c = connect(r, { reconnect: { baseDelay: 10, maxDelay: 40, maxAttempts: 3 } });
  await c.connect();
  await r.emulator.stop();
  const p = c.invoke({ _: 'help.getAppConfig', hash: 1 }, { timeout: 0 });
  const err = await t.throwsAsync(p, { instanceOf: ConnectionClosedError });
  t.regex(err!.message, /gave up after 3 attempts/);
  t.is(c.state, 'closed');
  t.is(c.pending, 0);
});

test('-404 on our key: AuthKeyUnknownError for every pending call, no reconnect loop, the key kept', async (t) => {
  const r = await rig();
  const c = connect(r, { pfs: false });
  await c.connect();
  await c.invoke({ _: 'help.getAppConfig', hash: 0 });
  const key = c.authKey!;
  const events: Error[] = [];
  c.on('auth-key-error', (e) => events.push(e));
  // The DC forgets the key (as after a restart) and the connection drops: the reconnect meets −404.
  r.emulator.dc(1).forgetKey(key.authKeyId);
  for (const conn of r.emulator.dc(1).openConnections) conn.close();
  const err = await t.throwsAsync(c.invoke({ _: 'help.getAppConfig', hash: 1 }), { instanceOf: AuthKeyUnknownError });
  t.is((err as AuthKeyUnknownError).code, -404);
  t.is(c.state, 'closed');
  t.is(c.reconnects, 1);
  t.is(events.length, 1);
  t.deepEqual(c.authKey?.authKey, key.authKey, 'the key is not wiped');
  await r.emulator.stop();
});

test('AUTH_KEY_UNREGISTERED, AUTH_KEY_DUPLICATED and SESSION_REVOKED surface as AuthKeyError (an RpcError), the key kept', async (t) => {
  const r = await rig();
  let text = 'AUTH_KEY_UNREGISTERED';
  r.emulator.registerMethod('help.getSupportName', () => new EmulatorRpcError(text === 'AUTH_KEY_DUPLICATED' ? 406 : 401, text));
  const c = connect(r);
  const events: Error[] = [];
  c.on('auth-key-error', (e) => events.push(e));
  for (text of ['AUTH_KEY_UNREGISTERED', 'AUTH_KEY_DUPLICATED', 'SESSION_REVOKED']) {
    const err = await t.throwsAsync(c.invoke({ _: 'help.getSupportName' }), { instanceOf: AuthKeyError });
    t.is((err as AuthKeyError).text, text);
  }
  t.is(events.length, 3);
  t.truthy(c.authKey);
  t.is(c.state, 'ready');
  c.close();
  await r.emulator.stop();
});

test('an aborted call sends rpc_drop_answer: the server never answers it, the client keeps nothing', async (t) => {
  const r = await rig();
  let finished = 0;
  r.emulator.registerMethod('help.getSupportName', async () => {
    await new Promise((res) => setTimeout(res, 300));
    finished++;
    return { _: 'help.supportName' as const, name: 'slow' };
  });
  const c = connect(r);
  await c.connect();
  const ac = new AbortController();
  const p = c.invoke({ _: 'help.getSupportName' }, { signal: ac.signal });
  setTimeout(() => ac.abort(), 50);
  await t.throwsAsync(p, { instanceOf: RequestAbortedError });
  // Bounded waits, not fixed sleeps: on a loaded machine the handler's 300 ms can take much longer.
  const until = async (ok: () => boolean) => {
    for (let i = 0; i < 500 && !ok(); i++) await new Promise((res) => setTimeout(res, 20));
  };
  await until(() => finished === 1);
  t.is(finished, 1);
  await c.invoke({ _: 'help.getAppConfig', hash: 1 });
  // The rpc_drop_answer's own answer may still be on its way: wait for it, then nothing is left.
  await until(() => c.sessionBuffers!.pending === 0 && c.sessionBuffers!.queued === 0);
  // rpc_answer_dropped_running was consumed; the slow answer never came (it would count as unknown-request).
  t.is(c.stats!.dropped['unknown-request'], 0);
  t.deepEqual(c.sessionBuffers, { pending: 0, queued: 0, acks: c.sessionBuffers!.acks });
  c.close();
  await r.emulator.stop();
});

test('future salts are asked for and kept', async (t) => {
  const r = await rig();
  const c = connect(r, { probeInterval: 100 });
  await c.connect();
  await c.invoke({ _: 'help.getAppConfig', hash: 1 });
  for (let i = 0; i < 100 && (c as unknown as { session: { salts: { size: number } } }).session.salts.size === 0; i++) {
    await new Promise((res) => setTimeout(res, 20));
  }
  t.true((c as unknown as { session: { salts: { size: number } } }).session.salts.size > 0);
  await c.invoke({ _: 'help.getAppConfig', hash: 2 });
  c.close();
  await r.emulator.stop();
});

test('our clock jumps 60 s ahead: bad_msg_notification 17, resync, a new session, calls go on, each once', async (t) => {
  const r = await rig();
  const jump = { ms: 0 };
  const c = connect(r, { clock: { now: () => Date.now() + jump.ms } });
  await c.connect();
  await c.invoke({ _: 'help.getAppConfig', hash: 0 });
  const synced: number[] = [];
  c.on('session-state', (s) => synced.push(s.timeOffset));
  jump.ms = 60_000;
  for (let i = 1; i <= 20; i++) await c.invoke({ _: 'help.getAppConfig', hash: i });
  t.true(c.authKey!.timeOffset <= -59 && c.authKey!.timeOffset >= -61);
  t.true(synced.length >= 1);
  t.is(r.executed.size, 21);
  for (const [, k] of r.executed) t.is(k, 1);
  c.close();
  await r.emulator.stop();
});
