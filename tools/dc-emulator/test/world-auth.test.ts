import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { computeSrpCheck } from '@telegram-mt/client';
import { Harness, inputUserOf, ITERATIONS } from './helpers/world-harness.js';

const sendCode = (phone: string): tl.auth.sendCode => ({ _: 'auth.sendCode', phoneNumber: phone, apiId: 1, apiHash: 'x', settings: { _: 'codeSettings' } });

test('sendCode puts a 5-digit code in the inbox and the log; signIn with it signs in', async (t) => {
  const lines: string[] = [];
  const h = new Harness({ log: (l) => lines.push(l) });
  const alice = h.world.createUser({ phone: '+31 600 000 001', firstName: 'Alice', dc: 2 });
  const dev = h.device(2);
  const sent = (await h.call(dev, sendCode('31600000001'))) as tl.auth.sentCode;
  t.is(sent.type._, 'auth.sentCodeTypeApp');
  const code = h.world.inbox('+31600000001').at(-1)!;
  t.regex(code, /^\d{5}$/);
  t.true(lines.some((l) => l.includes(code)));
  t.is(await h.error(dev, { _: 'auth.signIn', phoneNumber: '31600000001', phoneCodeHash: sent.phoneCodeHash, phoneCode: code === '00000' ? '11111' : '00000' }), 'PHONE_CODE_INVALID');
  t.is(await h.error(dev, { _: 'auth.signIn', phoneNumber: '31600000001', phoneCodeHash: sent.phoneCodeHash }), 'PHONE_CODE_EMPTY');
  t.is(await h.error(dev, { _: 'auth.signIn', phoneNumber: '31600000001', phoneCodeHash: 'nope', phoneCode: code }), 'PHONE_CODE_EXPIRED');
  t.is(await h.error(dev, { _: 'users.getUsers', id: [{ _: 'inputUserSelf' }] }), 'AUTH_KEY_UNREGISTERED');
  const auth = (await h.call(dev, { _: 'auth.signIn', phoneNumber: '31600000001', phoneCodeHash: sent.phoneCodeHash, phoneCode: code })) as tl.auth.authorization;
  const me = auth.user as tl.user;
  t.is(me.id, alice.id);
  t.true(me.self);
  t.is(me.phone, '31600000001');
  // The code is used up.
  t.is(await h.error(h.device(2), { _: 'auth.signIn', phoneNumber: '31600000001', phoneCodeHash: sent.phoneCodeHash, phoneCode: code }), 'PHONE_CODE_EXPIRED');
  const [self] = await h.call(dev, { _: 'users.getUsers', id: [{ _: 'inputUserSelf' }] });
  t.is((self as tl.user).firstName, 'Alice');
});

test('codes expire and bad numbers are refused', async (t) => {
  const h = new Harness({ codeTtlSeconds: 60 });
  const dev = h.device(2);
  t.is(await h.error(dev, sendCode('12')), 'PHONE_NUMBER_INVALID');
  t.is(await h.error(dev, { ...sendCode('31611111111'), apiId: 0 }), 'API_ID_INVALID');
  const sent = (await h.call(dev, sendCode('31611111111'))) as tl.auth.sentCode;
  h.clock += 61_000;
  t.is(await h.error(dev, { _: 'auth.signIn', phoneNumber: '31611111111', phoneCodeHash: sent.phoneCodeHash, phoneCode: h.world.inbox('31611111111')[0]! }), 'PHONE_CODE_EXPIRED');
});

test('a new number signs up after signIn answers authorizationSignUpRequired', async (t) => {
  const h = new Harness();
  const dev = h.device(2);
  const sent = (await h.call(dev, sendCode('31622222222'))) as tl.auth.sentCode;
  const code = h.world.inbox('31622222222').at(-1)!;
  t.is(await h.error(dev, { _: 'auth.signUp', phoneNumber: '31622222222', phoneCodeHash: sent.phoneCodeHash, firstName: 'Bob', lastName: '' }), 'PHONE_CODE_EXPIRED');
  const r = await h.call(dev, { _: 'auth.signIn', phoneNumber: '31622222222', phoneCodeHash: sent.phoneCodeHash, phoneCode: code });
  t.is(r._, 'auth.authorizationSignUpRequired');
  t.is(await h.error(dev, { _: 'auth.signUp', phoneNumber: '31622222222', phoneCodeHash: sent.phoneCodeHash, firstName: ' ', lastName: '' }), 'FIRSTNAME_INVALID');
  const auth = (await h.call(dev, { _: 'auth.signUp', phoneNumber: '31622222222', phoneCodeHash: sent.phoneCodeHash, firstName: 'Bob', lastName: 'B' })) as tl.auth.authorization;
  t.is((auth.user as tl.user).firstName, 'Bob');
  t.is(h.world.userByPhone('31622222222')?.homeDc, 2);
  t.is(await h.error(dev, { _: 'auth.signUp', phoneNumber: '31622222222', phoneCodeHash: sent.phoneCodeHash, firstName: 'Bob', lastName: '' }), 'PHONE_NUMBER_OCCUPIED');
});

test('PHONE_MIGRATE from sendCode and USER_MIGRATE from calls on the wrong DC', async (t) => {
  const h = new Harness({ homeDcForNewUser: () => 3 });
  h.world.createUser({ phone: '31633333333', firstName: 'Carol', dc: 1 });
  t.is(await h.error(h.device(2), sendCode('31633333333')), 'PHONE_MIGRATE_1');
  t.is(await h.error(h.device(2), sendCode('31699999999')), 'PHONE_MIGRATE_3');
  const d1 = h.device(1);
  await h.login(d1, '31633333333');
  // Move the login to DC 2: user methods there answer USER_MIGRATE_1, profile reads work.
  const exported = await h.call(d1, { _: 'auth.exportAuthorization', dcId: 2 });
  t.is(await h.error(d1, { _: 'auth.exportAuthorization', dcId: 1 }), 'DC_ID_INVALID');
  t.is(await h.error(d1, { _: 'auth.exportAuthorization', dcId: 9 }), 'DC_ID_INVALID');
  const d2 = h.device(2);
  t.is(await h.error(h.device(3), { _: 'auth.importAuthorization', id: exported.id, bytes: exported.bytes }), 'AUTH_BYTES_INVALID');
  const imported = (await h.call(d2, { _: 'auth.importAuthorization', id: exported.id, bytes: exported.bytes })) as tl.auth.authorization;
  t.is((imported.user as tl.user).firstName, 'Carol');
  t.is(await h.error(h.device(2), { _: 'auth.importAuthorization', id: exported.id, bytes: exported.bytes }), 'AUTH_BYTES_INVALID');
  t.is((await h.call(d2, { _: 'users.getUsers', id: [{ _: 'inputUserSelf' }] })).length, 1);
  t.is(await h.error(d2, { _: 'updates.getState' }), 'USER_MIGRATE_1');
  t.is(await h.error(d2, { _: 'contacts.getContacts', hash: 0n }), 'USER_MIGRATE_1');
});

test('2FA: SESSION_PASSWORD_NEEDED, then auth.checkPassword verified by SRP', async (t) => {
  const h = new Harness();
  h.world.createUser({ phone: '31644444444', firstName: 'Dave', password: 'pa55', passwordHint: 'usual' });
  const dev = h.device(2);
  const sent = (await h.call(dev, sendCode('31644444444'))) as tl.auth.sentCode;
  const code = h.world.inbox('31644444444').at(-1)!;
  t.is(await h.error(dev, { _: 'auth.signIn', phoneNumber: '31644444444', phoneCodeHash: sent.phoneCodeHash, phoneCode: code }), 'SESSION_PASSWORD_NEEDED');
  t.is(await h.error(dev, { _: 'updates.getState' }), 'SESSION_PASSWORD_NEEDED');
  const p = await h.call(dev, { _: 'account.getPassword' });
  t.true(p.hasPassword);
  t.is(p.hint, 'usual');
  t.is(p.currentAlgo?._, 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow');
  const algo = p.currentAlgo as tl.passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow;
  t.is(algo.g, 3);
  t.is(algo.p.length, 256);
  const wrong = computeSrpCheck('nope', algo, p.srpB!, p.srpId!, undefined, ITERATIONS);
  t.is(await h.error(dev, { _: 'auth.checkPassword', password: wrong }), 'PASSWORD_HASH_INVALID');
  // One attempt per srp_B: the same challenge is gone.
  const right = computeSrpCheck('pa55', algo, p.srpB!, p.srpId!, undefined, ITERATIONS);
  t.is(await h.error(dev, { _: 'auth.checkPassword', password: right }), 'SRP_ID_INVALID');
  const me = await h.checkPassword(dev, 'pa55');
  t.is(me.firstName, 'Dave');
  t.is((await h.call(dev, { _: 'updates.getState' }))._, 'updates.state');
  t.is(await h.error(h.device(2), { _: 'auth.checkPassword', password: right }), 'PASSWORD_HASH_INVALID');
});

test('account.getPassword without a password offers new_algo only', async (t) => {
  const h = new Harness();
  const dev = h.device(2);
  await h.login(dev, '31655555555', 'Eve');
  const p = await h.call(dev, { _: 'account.getPassword' });
  t.falsy(p.hasPassword);
  t.is(p.srpB, undefined);
  t.is((p.newAlgo as tl.passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow).p.length, 256);
});

test('bots sign in with their token; a bad token or the wrong DC is refused', async (t) => {
  const h = new Harness();
  const bot = h.world.createBot({ username: 'echo_bot', firstName: 'Echo', dc: 2 });
  const req = (token: string): tl.auth.importBotAuthorization => ({ _: 'auth.importBotAuthorization', flags: 0, apiId: 1, apiHash: 'x', botAuthToken: token });
  t.is(await h.error(h.device(2), req(`${bot.id}:wrong`)), 'ACCESS_TOKEN_INVALID');
  t.is(await h.error(h.device(2), req('garbage')), 'ACCESS_TOKEN_INVALID');
  t.is(await h.error(h.device(1), req(bot.botToken!)), 'USER_MIGRATE_2');
  const auth = (await h.call(h.device(2), req(bot.botToken!))) as tl.auth.authorization;
  t.true((auth.user as tl.user).bot);
});

test('QR login: export, accept (updateLoginToken), import; migrate to the home DC; expiry', async (t) => {
  const h = new Harness();
  const phoneDev = h.device(2);
  const me = await h.login(phoneDev, '31666666666', 'Fay');
  const newDev = h.device(2);
  const exp = { _: 'auth.exportLoginToken' as const, apiId: 1, apiHash: 'x', exceptIds: [] };
  const first = await h.call(newDev, exp);
  t.is(first._, 'auth.loginToken');
  const token = (first as tl.auth.loginToken).token;
  t.is(await h.error(phoneDev, { _: 'auth.acceptLoginToken', token: new Uint8Array(32) }), 'AUTH_TOKEN_INVALID');
  const accepted = await h.call(phoneDev, { _: 'auth.acceptLoginToken', token });
  t.is(accepted._, 'authorization');
  t.is(h.keyPushes.length, 1);
  t.is(h.keyPushes[0]!.authKeyId, newDev.authKeyId);
  t.is((h.keyPushes[0]!.updates as tl.updateShort).update._, 'updateLoginToken');
  const done = await h.call(newDev, exp);
  t.is(done._, 'auth.loginTokenSuccess');
  t.is(((done as tl.auth.loginTokenSuccess).authorization as tl.auth.authorization).user.id, me.id);

  // A device on DC 1 for an account on DC 2: loginTokenMigrateTo, then importLoginToken there.
  const far = h.device(1);
  const t1 = (await h.call(far, exp)) as tl.auth.loginToken;
  await h.call(phoneDev, { _: 'auth.acceptLoginToken', token: t1.token });
  const mig = (await h.call(far, exp)) as tl.auth.loginTokenMigrateTo;
  t.is(mig._, 'auth.loginTokenMigrateTo');
  t.is(mig.dcId, 2);
  const onHome = h.device(2);
  const ok = (await h.call(onHome, { _: 'auth.importLoginToken', token: mig.token })) as tl.auth.loginTokenSuccess;
  t.is(ok._, 'auth.loginTokenSuccess');
  t.is(await h.error(onHome, { _: 'auth.importLoginToken', token: mig.token }), 'AUTH_TOKEN_INVALID');

  const late = (await h.call(h.device(2), exp)) as tl.auth.loginToken;
  h.clock += 31_000;
  t.is(await h.error(phoneDev, { _: 'auth.acceptLoginToken', token: late.token }), 'AUTH_TOKEN_EXPIRED');
});

test('logOut ends the authorization', async (t) => {
  const h = new Harness();
  const dev = h.device(2);
  await h.login(dev, '31677777777');
  t.is((await h.call(dev, { _: 'auth.logOut' }))._, 'auth.loggedOut');
  t.is(await h.error(dev, { _: 'updates.getState' }), 'AUTH_KEY_UNREGISTERED');
  t.is(await h.error(dev, { _: 'auth.logOut' }), 'AUTH_KEY_UNREGISTERED');
});

test('users.getUsers and users.getFullUser check access hashes', async (t) => {
  const h = new Harness();
  const dev = h.device(2);
  await h.login(dev, '31688888888', 'Gil');
  const other = h.world.createUser({ phone: '31688888889', firstName: 'Hal', username: 'hal_9000' });
  const good = { _: 'inputUser' as const, userId: other.id, accessHash: other.accessHash };
  const users = await h.call(dev, { _: 'users.getUsers', id: [good, { ...good, accessHash: 1n }] });
  t.is(users.length, 1);
  const u = users[0] as tl.user;
  t.is(u.username, 'hal_9000');
  t.is(u.phone, undefined); // not a contact: the number is hidden
  const full = await h.call(dev, { _: 'users.getFullUser', id: good });
  t.is(full.fullUser.id, other.id);
  t.is(await h.error(dev, { _: 'users.getFullUser', id: { ...good, accessHash: 5n } }), 'USER_ID_INVALID');
  t.is((await h.call(dev, { _: 'users.getFullUser', id: inputUserOf(u) })).users.length, 1);
});
