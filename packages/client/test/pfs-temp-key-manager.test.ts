// The temp key scheduler on a fake clock: when keys are made, bound, switched
// and retired, across several expiries, and never used past expiry.
import test from 'ava';
import type { AuthKeyResult } from '../src/mtproto/handshake/types.js';
import { authKeyIdOf } from '../src/mtproto/session/cipher.js';
import {
  defaultPfsOptions,
  TempKeyBindings,
  TempKeyManager,
  verifyBindTempAuthKey,
  type BindKeyInfo,
} from '../src/mtproto/pfs/index.js';
import { bytesOf, FakeClock, seededRandom } from './support/fixtures.js';

const PERM = bytesOf(11, 256);

/** What ClientHandshake({ temp: { expiresIn } }) would give at the clock's time, with a server `skew` seconds ahead. */
function tempKeyFrom(clock: FakeClock, expiresIn: number, seed: number, skew = 0): AuthKeyResult {
  const authKey = bytesOf(seed, 256);
  const serverTime = Math.floor(clock.now() / 1000) + skew;
  return { authKey, authKeyId: authKeyIdOf(authKey), serverSalt: BigInt(seed), timeOffset: skew, expiresAt: serverTime + expiresIn };
}

test('defaults: on, 24 h keys, renewed an hour early', (t) => {
  t.deepEqual(
    { enabled: defaultPfsOptions.enabled, expiresIn: defaultPfsOptions.expiresIn, renewBefore: defaultPfsOptions.renewBefore },
    { enabled: true, expiresIn: 86400, renewBefore: 3600 },
  );
  const m = new TempKeyManager({ permAuthKey: PERM, clock: new FakeClock() });
  t.true(m.enabled);
  t.is(m.permAuthKeyId, authKeyIdOf(PERM));
});

test('switched off: the permanent key carries the traffic and no temp key is made', (t) => {
  const m = new TempKeyManager({ permAuthKey: PERM, clock: new FakeClock(), enabled: false });
  t.deepEqual(m.poll(), { type: 'use-permanent' });
  t.is(m.current(), undefined);
  t.is(m.state, 'off');
});

test('first key: create, bind, then in use until it nears expiry', (t) => {
  const clock = new FakeClock();
  const m = new TempKeyManager({ permAuthKey: PERM, clock, random: seededRandom(3) });
  t.deepEqual(m.poll(), { type: 'create', expiresIn: 86400 });
  t.is(m.state, 'creating');
  t.like(m.poll(), { type: 'wait', at: undefined }, 'one key at a time');
  const key = m.keyCreated(tempKeyFrom(clock, 86400, 1));
  t.is(m.state, 'binding');
  t.is(m.current(), undefined, 'an unbound key is not for traffic');
  const req = m.binder(77n).requestFor((BigInt(Math.floor(clock.now() / 1000)) << 32n) | 4n);
  t.is(req.expiresAt, key.expiresAt);
  const sw = m.keyBound();
  t.is(sw.current, key);
  t.is(sw.previous, undefined);
  t.true(sw.initConnection);
  t.is(m.current(), key);
  t.deepEqual(m.poll(), { type: 'wait', at: (key.expiresAt - 3600) * 1000 });
});

test('the binder the manager makes is accepted by the server checks', (t) => {
  const clock = new FakeClock();
  const m = new TempKeyManager({ permAuthKey: PERM, clock });
  m.poll();
  const result = tempKeyFrom(clock, 3600, 5);
  m.keyCreated(result);
  const now = Math.floor(clock.now() / 1000);
  const msgId = (BigInt(now) << 32n) | 8n;
  const keys = new Map<bigint, BindKeyInfo>([
    [m.permAuthKeyId, { authKey: PERM, temp: false }],
    [result.authKeyId, { authKey: result.authKey, temp: true, expiresAt: result.expiresAt }],
  ]);
  const verdict = verifyBindTempAuthKey(m.binder(99n).requestFor(msgId), {
    authKeyId: result.authKeyId,
    sessionId: 99n,
    msgId,
    now,
    keys: (id) => keys.get(id),
    bindings: new TempKeyBindings(),
  });
  t.true(verdict.ok);
});

test('renewal across three expiries: the next key is bound before the current one stops, and no key is used past its stop time', (t) => {
  const clock = new FakeClock();
  const expiresIn = 600;
  const m = new TempKeyManager({ permAuthKey: PERM, clock, expiresIn, renewBefore: 120, stopBefore: 10 });
  const used = new Map<bigint, number>(); // key id → last local ms it was handed out
  const stops = new Map<bigint, number>();
  let seed = 100;
  let switches = 0;
  let gaps = 0;
  // Walk 40 minutes in 1-second steps, doing what poll asks at once (handshake and bind take 2 s each).
  let busyUntil = -1;
  let pending: 'create' | 'bind' | undefined;
  for (let step = 0; step < 2400; step++) {
    if (pending !== undefined && clock.now() >= busyUntil) {
      if (pending === 'create') {
        const k = m.keyCreated(tempKeyFrom(clock, expiresIn, seed++));
        stops.set(k.authKeyId, m.stopAt(k));
        pending = 'bind';
        busyUntil = clock.now() + 2000;
      } else {
        const sw = m.keyBound();
        switches++;
        if (sw.previous !== undefined) {
          t.true(sw.previous.drainUntil > clock.now(), 'the old key is still valid while its answers drain');
          t.is(sw.previous.drainUntil, stops.get(sw.previous.key.authKeyId)!);
        }
        pending = undefined;
      }
    }
    const a = m.poll();
    if (a.type === 'create') {
      pending = 'create';
      busyUntil = clock.now() + 2000;
    }
    const k = m.current();
    if (k === undefined) gaps++;
    else {
      used.set(k.authKeyId, clock.now());
      t.true(clock.now() < stops.get(k.authKeyId)!, 'handed out before its stop time');
    }
    clock.advance(1000);
  }
  // 2400 s / (600 − 120) s per key ≈ 5 keys; only the very first seconds have no key.
  t.true(switches >= 5, `switched ${switches} times`);
  t.is(gaps, 4, 'no key only while the first one was made and bound');
  for (const [id, last] of used) t.true(last < stops.get(id)!, `key ${id} used until ${last}, stops ${stops.get(id)}`);
});

test('a key that expires before its successor is bound is not used: traffic waits', (t) => {
  const clock = new FakeClock();
  const m = new TempKeyManager({ permAuthKey: PERM, clock, expiresIn: 300, renewBefore: 60, stopBefore: 5 });
  m.poll();
  const k = m.keyCreated(tempKeyFrom(clock, 300, 1));
  m.keyBound();
  clock.advance(241_000); // within renewBefore
  t.deepEqual(m.poll(), { type: 'create', expiresIn: 300 });
  // The handshake hangs past the old key's stop time.
  clock.t = m.stopAt(k) - 1;
  t.is(m.current(), k);
  clock.t = m.stopAt(k);
  t.is(m.current(), undefined);
  clock.advance(60_000);
  t.is(m.current(), undefined, 'an expired key never comes back');
  t.like(m.poll(), { type: 'wait', at: undefined });
  const next = m.keyCreated(tempKeyFrom(clock, 300, 2));
  const sw = m.keyBound();
  t.is(sw.current, next);
  t.is(sw.previous, undefined, 'nothing to drain from a dead key: its pending requests are resent on the new one');
  t.is(m.current(), next);
});

test('expires_at is server time: with the server 50 s ahead, the local deadlines come 50 s earlier', (t) => {
  const clock = new FakeClock();
  const m = new TempKeyManager({ permAuthKey: PERM, clock, expiresIn: 1000, renewBefore: 100, stopBefore: 10 });
  const local = Math.floor(clock.now() / 1000);
  const expiresAt = local + 1000;
  const same = { authKey: PERM, authKeyId: 1n, serverSalt: 0n, expiresAt };
  t.is(m.renewAt({ ...same, timeOffset: 0 }), (local + 900) * 1000);
  t.is(m.renewAt({ ...same, timeOffset: 50 }), (local + 850) * 1000);
  t.is(m.stopAt({ ...same, timeOffset: 50 }), (local + 940) * 1000);
  // A key made against that server: its deadlines, in local time, keep their distance from now.
  m.poll();
  const k = m.keyCreated(tempKeyFrom(clock, 1000, 1, 50));
  m.keyBound();
  t.is(m.stopAt(k), clock.now() + 990 * 1000);
});

test('failures back off, doubling up to the cap; the current key stays in use meanwhile', (t) => {
  const clock = new FakeClock();
  const m = new TempKeyManager({ permAuthKey: PERM, clock, expiresIn: 3600, renewBefore: 600, retryDelayMs: 1000, maxRetryDelayMs: 4000 });
  m.poll();
  const k = m.keyCreated(tempKeyFrom(clock, 3600, 1));
  m.keyBound();
  clock.t = m.renewAt(k);
  const delays: number[] = [];
  for (let i = 0; i < 5; i++) {
    t.like(m.poll(), { type: 'create' });
    if (i % 2 === 1) m.keyCreated(tempKeyFrom(clock, 3600, 10 + i)); // half fail while binding
    m.failed();
    const a = m.poll();
    if (a.type !== 'wait' || a.at === undefined) return t.fail('expected a timed wait');
    delays.push(a.at - clock.now());
    t.is(m.current(), k);
    clock.t = a.at;
  }
  t.deepEqual(delays, [1000, 2000, 4000, 4000, 4000]);
  t.like(m.poll(), { type: 'create' });
  m.keyCreated(tempKeyFrom(clock, 3600, 50));
  m.keyBound();
  m.poll();
  t.is(m.state, 'idle');
});

test('a permanent key from the handshake, or reports out of order, are refused', (t) => {
  const clock = new FakeClock();
  const m = new TempKeyManager({ permAuthKey: PERM, clock });
  t.throws(() => m.keyBound(), { message: /keyBound while idle/ });
  m.poll();
  const perm = tempKeyFrom(clock, 1, 1);
  delete perm.expiresAt;
  t.throws(() => m.keyCreated(perm), { instanceOf: TypeError });
  t.throws(() => m.binder(1n), { message: /binder while creating/ });
  t.throws(() => new TempKeyManager({ permAuthKey: PERM, expiresIn: 100, renewBefore: 100 }), { instanceOf: RangeError });
  t.throws(() => new TempKeyManager({ permAuthKey: PERM, expiresIn: 1.5 }), { instanceOf: RangeError });
});

test('switching PFS off drops the temp keys; on again starts over', (t) => {
  const clock = new FakeClock();
  const m = new TempKeyManager({ permAuthKey: PERM, clock });
  m.poll();
  m.keyCreated(tempKeyFrom(clock, 86400, 1));
  m.keyBound();
  t.truthy(m.current());
  m.setEnabled(false);
  t.is(m.current(), undefined);
  t.deepEqual(m.poll(), { type: 'use-permanent' });
  m.setEnabled(true);
  t.deepEqual(m.poll(), { type: 'create', expiresIn: 86400 });
});

test('a temp key the server forgot (-404) is dropped and replaced at once', (t) => {
  const clock = new FakeClock();
  const m = new TempKeyManager({ permAuthKey: PERM, clock });
  m.poll();
  const k = m.keyCreated(tempKeyFrom(clock, 86400, 1));
  m.keyBound();
  clock.advance(60_000);
  t.false(m.keyLost(k.authKeyId + 1n), 'another key: nothing happens');
  t.is(m.current(), k);
  t.true(m.keyLost(k.authKeyId));
  t.is(m.current(), undefined);
  t.deepEqual(m.poll(), { type: 'create', expiresIn: 86400 });
  const k2 = m.keyCreated(tempKeyFrom(clock, 86400, 2));
  t.true(m.keyLost(k2.authKeyId), 'lost while being bound');
  t.is(m.state, 'idle');
  t.deepEqual(m.poll(), { type: 'create', expiresIn: 86400 });
});
