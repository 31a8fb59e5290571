// One suite of behaviour every storage backend must show, run by each driver's test file.
import test, { type ExecutionContext } from 'ava';
import { randomBytes } from 'node:crypto';
import type { tl } from '@telegram-mt/tl';
import {
  authKeyIdOf,
  markedPeerId,
  StorageError,
  toInputPeer,
  type Storage,
  type StoredAuthKey,
  type StoredUpdatesState,
} from '../../src/storage/index.js';

export interface StorageHarness {
  storage: Storage;
  /** The same data as another process would see it after a restart (memory: the same object). */
  reopen(): Promise<Storage>;
  cleanup?(): Promise<void>;
}

export function makeAuthKey(extra: Partial<StoredAuthKey> = {}): StoredAuthKey {
  const authKey = new Uint8Array(randomBytes(256));
  return { authKey, authKeyId: authKeyIdOf(authKey), serverSalt: -0x1234567890abcdefn, timeOffset: -3, ...extra };
}

function tlUser(id: bigint, fields: Partial<tl.user> = {}): tl.user {
  return { _: 'user', id, accessHash: id * 7n, ...fields } as tl.user;
}

export function storageConformance(name: string, make: () => Promise<StorageHarness>): void {
  const run = (title: string, fn: (h: StorageHarness, t: ExecutionContext) => Promise<void>) =>
    test(`${name}: ${title}`, async (t) => {
      const h = await make();
      try {
        await fn(h, t);
      } finally {
        await h.cleanup?.();
      }
    });

  run('a fresh storage knows nothing', async ({ storage: s }, t) => {
    t.is(await s.authKeys.get(2), undefined);
    t.is(await s.session.getHomeDc(), undefined);
    t.is(await s.session.getSelf(), undefined);
    t.is(await s.updates.get(), undefined);
    t.is(await s.peers.resolve('durov'), undefined);
    t.deepEqual(await s.authKeys.list(), []);
  });

  run('auth keys per DC, perm and temp, survive a restart', async (h, t) => {
    const perm2 = makeAuthKey();
    const temp2 = makeAuthKey({ expiresAt: 1_800_000_000 });
    const perm4 = makeAuthKey({ timeOffset: 5 });
    await h.storage.authKeys.set(2, perm2);
    await h.storage.authKeys.set(2, temp2, 'temp');
    await h.storage.authKeys.set(4, perm4, 'perm');
    await h.storage.authKeys.update(2, 'perm', { serverSalt: 42n, timeOffset: 7 });
    const s = await h.reopen();
    t.deepEqual(await s.authKeys.get(2), { ...perm2, serverSalt: 42n, timeOffset: 7 });
    t.deepEqual(await s.authKeys.get(2, 'temp'), temp2);
    t.deepEqual(await s.authKeys.get(4), perm4);
    t.deepEqual((await s.authKeys.list()).map((k) => [k.dcId, k.kind]), [[2, 'perm'], [2, 'temp'], [4, 'perm']]);
    await s.authKeys.delete(2, 'temp');
    t.is(await s.authKeys.get(2, 'temp'), undefined);
    t.truthy(await s.authKeys.get(2));
    await s.authKeys.delete(2);
    t.is(await s.authKeys.get(2), undefined);
    t.false(await s.authKeys.update(2, 'perm', { timeOffset: 1 }));
  });

  run('auth keys are checked where they are stored', async ({ storage: s }, t) => {
    const bad = (k: unknown) => t.throwsAsync(() => s.authKeys.set(2, k as StoredAuthKey), { instanceOf: StorageError });
    const good = makeAuthKey();
    t.is((await bad({ ...good, authKey: good.authKey.subarray(0, 255) }))?.code, 'BAD_VALUE');
    t.is((await bad({ ...good, authKeyId: good.authKeyId + 1n }))?.code, 'BAD_VALUE');
    t.is((await bad({ ...good, timeOffset: 1.5 }))?.code, 'BAD_VALUE');
    await t.throwsAsync(() => s.authKeys.set(0, good), { instanceOf: StorageError });
    t.is(await s.authKeys.get(2), undefined);
  });

  run('stored values are copies', async ({ storage: s }, t) => {
    const k = makeAuthKey();
    await s.authKeys.set(1, k);
    const first = k.authKey[0]!;
    k.authKey[0] = first ^ 0xff;
    const got = (await s.authKeys.get(1))!;
    t.is(got.authKey[0], first);
    got.authKey[0] = first ^ 0xff;
    t.is((await s.authKeys.get(1))!.authKey[0], first);
  });

  run('home DC and self', async (h, t) => {
    await h.storage.session.setHomeDc({ dcId: 2, host: '127.0.0.1', port: 4430 });
    await h.storage.session.setSelf({ userId: 777000n, isBot: false });
    const s = await h.reopen();
    t.deepEqual(await s.session.getHomeDc(), { dcId: 2, host: '127.0.0.1', port: 4430 });
    t.deepEqual(await s.session.getSelf(), { userId: 777000n, isBot: false });
    await s.session.setHomeDc({ dcId: 4 });
    t.deepEqual(await s.session.getHomeDc(), { dcId: 4 });
    await s.session.setSelf(undefined);
    t.is(await s.session.getSelf(), undefined);
    await t.throwsAsync(() => s.session.setHomeDc({ dcId: 0 }), { instanceOf: StorageError });
  });

  run('updates state: counters and every channel pts', async (h, t) => {
    const u = h.storage.updates;
    await u.set({ pts: 10, qts: 2, date: 1_700_000_000, seq: 5, channels: { '100': 7, '200': 9 } });
    await u.setChannelPts(300n, 1);
    await u.setChannelPts(100n, 8);
    await u.setCommon({ pts: 11, qts: 2, date: 1_700_000_001, seq: 6 });
    let s = await h.reopen();
    t.deepEqual(await s.updates.get(), { pts: 11, qts: 2, date: 1_700_000_001, seq: 6, channels: { '100': 8, '200': 9, '300': 1 } });
    t.is(await s.updates.getChannelPts(200n), 9);
    t.is(await s.updates.getChannelPts(201n), undefined);
    // set() replaces: a channel left out is forgotten.
    await s.updates.set({ pts: 12, qts: 3, date: 1_700_000_002, seq: 7, channels: { '300': 4 } });
    await s.updates.deleteChannel(300n);
    s = await h.reopen();
    t.deepEqual(await s.updates.get(), { pts: 12, qts: 3, date: 1_700_000_002, seq: 7, channels: {} });
    const bads: Partial<StoredUpdatesState>[] = [{ pts: -1 }, { seq: 1.5 }, { qts: 2 ** 31 }, { channels: { abc: 1 } }, { channels: { '5': -2 } }];
    for (const bad of bads) {
      const e = await t.throwsAsync(() => s.updates.set({ pts: 1, qts: 1, date: 1, seq: 1, channels: {}, ...bad }), { instanceOf: StorageError });
      t.is(e?.code, 'BAD_VALUE');
    }
    t.is((await s.updates.get())!.pts, 12);
    await s.updates.clear();
    t.is(await s.updates.get(), undefined);
  });

  run('peer cache: by id, username and phone; resolve', async (h, t) => {
    const p = h.storage.peers;
    await p.saveFromTl(
      [
        tlUser(10n, { username: 'Alice', phone: '79001234567' }),
        tlUser(11n, { usernames: [{ _: 'username', username: 'bob_one', active: true }, { _: 'username', username: 'bob_old' }] }),
        { _: 'userEmpty', id: 12n },
      ],
      [
        { _: 'chat', id: 20n } as tl.chat,
        { _: 'channel', id: 30n, accessHash: -5n, username: 'news' } as tl.channel,
        { _: 'channelForbidden', id: 31n, accessHash: 9n, title: 'gone' } as tl.channelForbidden,
      ],
    );
    const s = await h.reopen();
    const alice = await s.peers.getById(10n);
    t.like(alice, { type: 'user', id: 10n, accessHash: 70n, usernames: ['Alice'], phone: '79001234567', min: false });
    t.deepEqual(await s.peers.resolve('@alice'), alice);
    t.deepEqual(await s.peers.resolve('t.me/ALICE'), alice);
    t.deepEqual(await s.peers.resolve('+7 900 123-45-67'), alice);
    t.deepEqual(await s.peers.resolve(10), alice);
    t.deepEqual(await s.peers.resolve('10'), alice);
    t.like(await s.peers.resolve('bob_one'), { id: 11n });
    t.is(await s.peers.resolve('bob_old'), undefined, 'inactive usernames are not indexed');
    t.is(await s.peers.getById(12n), undefined);
    t.like(await s.peers.resolve(-20n), { type: 'chat', id: 20n, accessHash: 0n });
    t.like(await s.peers.getById(20n, 'chat'), { type: 'chat' });
    t.like(await s.peers.resolve('news'), { type: 'channel', id: 30n, accessHash: -5n });
    t.like(await s.peers.resolve(String(markedPeerId('channel', 31n))), { type: 'channel', id: 31n });
    t.deepEqual(toInputPeer((await s.peers.resolve('news'))!), { _: 'inputPeerChannel', channelId: 30n, accessHash: -5n });
    t.is(await s.peers.resolve('nobody'), undefined);
    t.is(await s.peers.resolve('+1'), undefined);
  });

  run('peer cache: usernames move, min never overwrites a full access hash', async (h, t) => {
    const p = h.storage.peers;
    await p.save({ type: 'user', id: 1n, accessHash: 100n, usernames: ['first'], phone: '+1 555', min: false });
    // The user renames; the old name is freed and taken by someone else.
    await p.save({ type: 'user', id: 1n, accessHash: 100n, usernames: ['second'], min: false });
    await p.save({ type: 'user', id: 2n, accessHash: 200n, usernames: ['first'], min: false });
    // A min constructor of user 1 carries an access hash usable only with its message.
    await p.save({ type: 'user', id: 1n, accessHash: 999n, usernames: ['second'], min: true });
    // A min-only peer is stored as such.
    await p.saveFromTl([tlUser(3n, { min: true })], []);
    const s = await h.reopen();
    t.like(await s.peers.resolve('second'), { id: 1n, accessHash: 100n, min: false, phone: '1555' }, 'phone kept when hidden');
    t.like(await s.peers.resolve('first'), { id: 2n });
    t.like(await s.peers.getById(3n), { min: true, accessHash: 21n });
    await s.peers.delete('user', 2n);
    t.is(await s.peers.resolve('first'), undefined);
    t.is(await s.peers.getById(2n), undefined);
    await t.throwsAsync(() => s.peers.save({ type: 'user', id: 0n, accessHash: 1n, min: false }), { instanceOf: StorageError });
    await t.throwsAsync(() => s.peers.save({ type: 'user', id: 5n, accessHash: 1n, usernames: ['no spaces'], min: false }), { instanceOf: StorageError });
  });

  run('transactions apply all or nothing', async (h, t) => {
    const d = h.storage.driver;
    await d.set('x', 1);
    await t.throwsAsync(
      () =>
        d.transaction(async (tx) => {
          tx.set('x', 2);
          tx.set('y', 'new');
          t.is(await tx.get('x'), 2, 'a transaction reads its own writes');
          throw new Error('abort');
        }),
      { message: 'abort' },
    );
    t.is(await d.get('x'), 1);
    t.is(await d.get('y'), undefined);
    const out = await d.transaction((tx) => {
      tx.set('x', 3);
      tx.delete('x');
      tx.set('y', { nested: [1n, new Uint8Array([1, 2]), 'ü', null, true] });
      return 'done';
    });
    t.is(out, 'done');
    const s = await h.reopen();
    t.is(await s.driver.get('x'), undefined);
    t.deepEqual(await s.driver.get('y'), { nested: [1n, new Uint8Array([1, 2]), 'ü', null, true] });
    t.deepEqual((await s.driver.entries('y')).map(([k]) => k), ['y']);
  });

  run('values no backend can keep are refused the same everywhere', async ({ storage: s }, t) => {
    const d = s.driver;
    for (const bad of [() => 1, new Map(), new Date(), NaN, Infinity, { $n: '1' }, Symbol('x'), undefined]) {
      const e = await t.throwsAsync(() => d.set('k', bad as never), { instanceOf: StorageError });
      t.is(e?.code, 'BAD_VALUE');
    }
    await t.throwsAsync(() => d.set('', 1), { instanceOf: StorageError });
    t.is(await d.get('k'), undefined);
  });

  run('two storages are independent', async (h, t) => {
    const other = await make();
    try {
      await h.storage.session.setHomeDc({ dcId: 1 });
      await other.storage.session.setHomeDc({ dcId: 5 });
      await h.storage.peers.save({ type: 'user', id: 1n, accessHash: 1n, usernames: ['same'], min: false });
      await other.storage.peers.save({ type: 'user', id: 1n, accessHash: 2n, usernames: ['same'], min: false });
      t.deepEqual(await (await h.reopen()).session.getHomeDc(), { dcId: 1 });
      t.deepEqual(await (await other.reopen()).session.getHomeDc(), { dcId: 5 });
      t.like(await (await h.reopen()).peers.resolve('same'), { accessHash: 1n });
      t.like(await (await other.reopen()).peers.resolve('same'), { accessHash: 2n });
    } finally {
      await other.cleanup?.();
    }
  });

  run('closed storage refuses work', async ({ storage: s }, t) => {
    await s.session.setHomeDc({ dcId: 2 });
    await s.close();
    const e = await t.throwsAsync(() => s.session.getHomeDc(), { instanceOf: StorageError });
    t.is(e?.code, 'CLOSED');
  });
}
