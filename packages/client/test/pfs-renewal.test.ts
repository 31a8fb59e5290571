// The PFS flow of the README, end to end and sans-IO: real client and server
// session cores on a fake clock, driven by TempKeyManager the way the
// Connection will drive them. Traffic runs across several temp key
// lifetimes; each call resolves exactly once, no packet travels on a key past
// its expiry, and nothing but the binding goes over an unbound key.
import test from 'ava';
import { deserializeObject, serializeObject, serializeResult, type tl } from '@telegram-mt/tl';
import type { AuthKeyResult } from '../src/mtproto/handshake/types.js';
import { authKeyIdOf } from '../src/mtproto/session/cipher.js';
import { ClientSession } from '../src/mtproto/session/client/session.js';
import { ServerSession } from '../src/mtproto/session/server/session.js';
import { acceptBindTempAuthKey, TempKeyBindings, TempKeyManager, type BindKeyInfo, type TempKey, type TempKeyBinder } from '../src/mtproto/pfs/index.js';
import { bytesOf, FakeClock, seededRandom } from './support/fixtures.js';

const PERM = bytesOf(11, 256);
const nearest: tl.nearestDc = { _: 'nearestDc', country: 'NL', thisDc: 2, nearestDc: 2 };

/** A loopback server: keys, bindings, one ServerSession per key. Answers calls one tick after they arrive. */
class FakeDc {
  readonly keys = new Map<bigint, BindKeyInfo & { salt: bigint }>();
  readonly bindings = new TempKeyBindings();
  readonly sessions = new Map<bigint, ServerSession>();
  readonly violations: string[] = [];
  executed = 0;
  binds = 0;
  /** Keys whose answers are lost (executed, never answered): exercises the resend after the drain. */
  readonly stalled = new Set<bigint>();
  private due: { key: bigint; msgId: bigint }[] = [];

  constructor(private readonly clock: FakeClock) {
    this.keys.set(authKeyIdOf(PERM), { authKey: PERM, temp: false, salt: 1n });
  }

  nowSec(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  addTemp(key: AuthKeyResult): void {
    this.keys.set(key.authKeyId, { authKey: key.authKey, temp: true, expiresAt: key.expiresAt, salt: key.serverSalt });
  }

  receive(packet: Uint8Array): void {
    const keyId = Buffer.from(packet).readBigInt64LE(0);
    const key = this.keys.get(keyId);
    if (key === undefined) return void this.violations.push(`packet on unknown key ${keyId}`);
    if (key.temp && this.nowSec() >= key.expiresAt!) return void this.violations.push(`packet on expired key ${keyId}`);
    let s = this.sessions.get(keyId);
    if (s === undefined) {
      s = new ServerSession({ authKey: key.authKey, serverSalt: key.salt, clock: this.clock, random: seededRandom(Number(keyId & 0xffffn)) });
      this.sessions.set(keyId, s);
    }
    for (const e of s.receive(packet)) {
      if (e.type !== 'request') continue;
      const req = deserializeObject(e.body) as { _: string };
      if (req._ === 'auth.bindTempAuthKey') {
        const v = acceptBindTempAuthKey(req as tl.auth.bindTempAuthKey, {
          authKeyId: keyId,
          sessionId: s.sessionId,
          msgId: e.msgId,
          now: this.nowSec(),
          keys: (id) => this.keys.get(id),
          bindings: this.bindings,
        });
        if (v.ok) {
          this.binds++;
          s.sendResult(e.msgId, serializeResult('auth.bindTempAuthKey', true));
        } else s.sendError(e.msgId, v.code, v.text);
        continue;
      }
      if (key.temp && this.bindings.ofTemp(keyId, this.nowSec()) === undefined) {
        this.violations.push(`${req._} on an unbound temp key`);
        s.sendError(e.msgId, 401, 'AUTH_KEY_PERM_EMPTY');
        continue;
      }
      this.executed++;
      this.due.push({ key: keyId, msgId: e.msgId });
    }
  }

  /** Answers what arrived last tick; returns the packets per key. */
  tick(): Map<bigint, Uint8Array[]> {
    for (const d of this.due) if (!this.stalled.has(d.key)) this.sessions.get(d.key)!.sendResult(d.msgId, serializeObject(nearest));
    this.due = [];
    const out = new Map<bigint, Uint8Array[]>();
    for (const [id, s] of this.sessions) out.set(id, s.flush());
    return out;
  }
}

/** What the Connection will do, reduced to its PFS duties. */
class PfsClient {
  readonly pfs: TempKeyManager;
  active: { key: TempKey; session: ClientSession } | undefined;
  binding: { key: TempKey; session: ClientSession; requestId: number } | undefined;
  draining: { session: ClientSession; until: number } | undefined;
  /** Calls not yet handed to a session (no usable key). */
  held: number[] = [];
  /** call number → where it is in flight. */
  readonly inFlight = new Map<number, { session: ClientSession; requestId: number }>();
  readonly answers = new Map<number, number>();
  private seed = 1000;
  keysMade = 0;

  constructor(
    readonly clock: FakeClock,
    readonly dc: FakeDc,
    opts: { expiresIn: number; renewBefore: number; stopBefore: number },
  ) {
    this.pfs = new TempKeyManager({ permAuthKey: PERM, clock, random: seededRandom(5), ...opts });
  }

  call(n: number): void {
    this.held.push(n);
  }

  step(): void {
    const a = this.pfs.poll();
    if (a.type === 'create') {
      // The handshake, done at once here; the server gets the key it would have made.
      const authKey = bytesOf(this.seed++, 256);
      const result: AuthKeyResult = {
        authKey,
        authKeyId: authKeyIdOf(authKey),
        serverSalt: BigInt(this.seed),
        timeOffset: 0,
        expiresAt: this.dc.nowSec() + a.expiresIn,
      };
      this.dc.addTemp(result);
      const key = this.pfs.keyCreated(result);
      this.keysMade++;
      const session = new ClientSession({ authKey: key.authKey, serverSalt: key.serverSalt, clock: this.clock, random: seededRandom(this.seed) });
      this.binding = { key, session, requestId: queueBind(session, this.pfs.binder(session.sessionId)) };
    }
    // Drain over: whatever the old session still owes goes again on the new one.
    if (this.draining !== undefined && this.clock.now() >= this.draining.until) {
      for (const [n, f] of this.inFlight) if (f.session === this.draining.session) this.held.push(n);
      this.draining = undefined;
    }
    // Never send on a key past its stop time: without a usable key, calls wait.
    if (this.active !== undefined && this.pfs.current() !== this.active.key) this.active = undefined;
    if (this.active !== undefined) {
      for (const n of this.held) {
        this.inFlight.set(n, { session: this.active.session, requestId: this.active.session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod) });
      }
      this.held = [];
    }
    for (const s of this.sessions()) for (const p of s.flush()) this.dc.receive(p);
  }

  deliver(packets: Map<bigint, Uint8Array[]>): void {
    for (const [keyId, list] of packets) {
      const s = this.sessions().find((x) => x.core.authKeyId === keyId);
      if (s === undefined) continue;
      for (const p of list) for (const e of s.receive(p)) this.onEvent(s, e);
    }
  }

  private onEvent(s: ClientSession, e: ReturnType<ClientSession['receive']>[number]): void {
    if (e.type !== 'result' && e.type !== 'error') return;
    const b = this.binding;
    if (b !== undefined && s === b.session && e.requestId === b.requestId) {
      if (e.type === 'error' || e.result !== true) {
        this.pfs.failed();
        this.binding = undefined;
        return;
      }
      const sw = this.pfs.keyBound();
      if (sw.previous !== undefined && this.active !== undefined) this.draining = { session: this.active.session, until: sw.previous.drainUntil };
      else if (this.active === undefined) {
        // The old key died before the new one was bound: its calls go again now.
        for (const [n, f] of this.inFlight) if (f.session !== b.session) this.held.push(n);
      }
      this.active = { key: sw.current, session: b.session };
      this.binding = undefined;
      return;
    }
    for (const [n, f] of this.inFlight) {
      if (f.session === s && f.requestId === e.requestId) {
        this.inFlight.delete(n);
        this.answers.set(n, (this.answers.get(n) ?? 0) + 1);
        return;
      }
    }
  }

  private sessions(): ClientSession[] {
    const out: ClientSession[] = [];
    if (this.active) out.push(this.active.session);
    if (this.binding) out.push(this.binding.session);
    if (this.draining && !out.includes(this.draining.session)) out.push(this.draining.session);
    return out;
  }
}

/** auth.bindTempAuthKey made for the msg_id the session gives it (see the README's "hook the session needs"). */
function queueBind(session: ClientSession, binder: TempKeyBinder): number {
  const body = serializeObject(binder.requestFor(0n) as tl.TlAny);
  const id = session.send('auth.bindTempAuthKey', body, { gzip: false });
  const gen = session.core.msgIds;
  const next = gen.next.bind(gen);
  gen.next = (kind) => {
    const msgId = next(kind);
    gen.next = next;
    body.set(serializeObject(binder.requestFor(msgId) as tl.TlAny));
    return msgId;
  };
  return id;
}

function run(opts: { stallOldKeys: boolean }) {
  const clock = new FakeClock();
  const dc = new FakeDc(clock);
  const client = new PfsClient(clock, dc, { expiresIn: 600, renewBefore: 120, stopBefore: 10 });
  const calls = 3000;
  // One call a second for 50 minutes: five key lifetimes.
  for (let n = 0; n < calls; n++) {
    client.call(n);
    client.step();
    if (opts.stallOldKeys && client.binding !== undefined && client.active !== undefined) dc.stalled.add(client.active.key.authKeyId);
    client.deliver(dc.tick());
    clock.advance(1000);
  }
  // Let the last calls land.
  for (let i = 0; i < 700 && client.answers.size < calls; i++) {
    client.step();
    client.deliver(dc.tick());
    clock.advance(1000);
  }
  return { client, dc, calls };
}

test('traffic across five temp key lifetimes: every call answered exactly once, never on an expired or unbound key', (t) => {
  const { client, dc, calls } = run({ stallOldKeys: false });
  t.deepEqual(dc.violations, []);
  t.true(client.keysMade >= 6, `${client.keysMade} keys`);
  t.is(dc.binds, client.keysMade);
  t.is(client.answers.size, calls);
  t.true([...client.answers.values()].every((n) => n === 1));
  t.is(client.inFlight.size, 0);
  t.is(dc.executed, calls, 'nothing ran twice');
});

test('answers lost on the old key are asked again on the new one after the drain, still once each', (t) => {
  const { client, dc, calls } = run({ stallOldKeys: true });
  t.deepEqual(dc.violations, []);
  t.is(client.answers.size, calls);
  t.true([...client.answers.values()].every((n) => n === 1));
  t.true(dc.executed > calls, 'some calls had to be sent again');
  t.is(client.inFlight.size, 0);
});
