// auth.*: login by code (with 2FA), sign-up, bots, QR login, log-out and
// moving a login between DCs.
import { randomBytes } from 'node:crypto';
import type { tl } from '@telegram-mt/tl';
import { KNOWN_DH_PRIME } from '@telegram-mt/client/mtproto';
import { srpServerB, srpServerVerify, type SrpServerChallenge } from '@telegram-mt/client';
import type { UserRecord } from '../world/records.js';
import { renderUser } from '../world/render.js';
import { isValidPhone, keyOf, normalizePhone, type World } from '../world/world.js';
import type { MethodRegistry, RpcContext } from './registry.js';
import { RpcError } from './rpc-error.js';
import { caller } from './world-common.js';

/** Per auth key: the SRP challenge of the last account.getPassword (auth.checkPassword answers it). */
export type SrpChallenges = Map<string, SrpServerChallenge>;

function signedIn(world: World, ctx: RpcContext, user: UserRecord): tl.auth.authorization {
  world.authorize(ctx.dcId, ctx.authKeyId, user.id);
  return { _: 'auth.authorization' as const, user: renderUser(user, user, world.options.now()) };
}

/** A good code or QR token: signed in, or SESSION_PASSWORD_NEEDED when the account has a cloud password. */
function afterFirstFactor(world: World, ctx: RpcContext, user: UserRecord): tl.auth.authorization {
  if (user.password !== undefined) {
    world.passwordPending.set(keyOf(ctx.dcId, ctx.authKeyId), user.id);
    throw new RpcError(401, 'SESSION_PASSWORD_NEEDED');
  }
  return signedIn(world, ctx, user);
}

function phoneOf(raw: string): string {
  const phone = normalizePhone(raw);
  if (!isValidPhone(phone)) throw new RpcError(400, 'PHONE_NUMBER_INVALID');
  return phone;
}

export function registerAuthMethods(registry: MethodRegistry, world: World, challenges: SrpChallenges): void {
  registry.register('auth.sendCode', (ctx, req) => {
    const phone = phoneOf(req.phoneNumber);
    const user = world.userByPhone(phone);
    const home = user?.homeDc ?? world.homeDcForNewUser(phone, ctx.dcId);
    if (home !== ctx.dcId) throw new RpcError(303, `PHONE_MIGRATE_${home}`);
    if (req.apiId <= 0 || req.apiHash === '') throw new RpcError(400, 'API_ID_INVALID');
    return { _: 'auth.sentCode' as const, type: { _: 'auth.sentCodeTypeApp' as const, length: 5 }, phoneCodeHash: world.issueCode(phone), timeout: undefined };
  });

  registry.register('auth.signIn', (ctx, req) => {
    const phone = phoneOf(req.phoneNumber);
    const user = world.userByPhone(phone);
    const home = user?.homeDc ?? world.homeDcForNewUser(phone, ctx.dcId);
    if (home !== ctx.dcId) throw new RpcError(303, `USER_MIGRATE_${home}`);
    const bad = world.checkCode(phone, req.phoneCodeHash, req.phoneCode, false);
    if (bad !== undefined) throw new RpcError(400, bad);
    world.codeUsed(phone, user === undefined);
    // Current layers answer an unknown number with authorizationSignUpRequired (older ones: PHONE_NUMBER_UNOCCUPIED).
    if (user === undefined) return { _: 'auth.authorizationSignUpRequired' as const };
    return afterFirstFactor(world, ctx, user);
  });

  registry.register('auth.signUp', (ctx, req) => {
    const phone = phoneOf(req.phoneNumber);
    if (world.userByPhone(phone) !== undefined) throw new RpcError(400, 'PHONE_NUMBER_OCCUPIED');
    const home = world.homeDcForNewUser(phone, ctx.dcId);
    if (home !== ctx.dcId) throw new RpcError(303, `USER_MIGRATE_${home}`);
    const bad = world.checkCode(phone, req.phoneCodeHash, undefined, true);
    if (bad !== undefined) throw new RpcError(400, bad);
    const firstName = req.firstName.trim();
    if (firstName === '' || firstName.length > 64) throw new RpcError(400, 'FIRSTNAME_INVALID');
    if (req.lastName.length > 64) throw new RpcError(400, 'LASTNAME_INVALID');
    world.codeUsed(phone, false);
    const user = world.createUser({ phone, firstName, lastName: req.lastName.trim(), dc: home });
    return signedIn(world, ctx, user);
  });

  registry.register('auth.checkPassword', (ctx, req) => {
    const key = keyOf(ctx.dcId, ctx.authKeyId);
    const pendingId = world.passwordPending.get(key);
    const user = pendingId === undefined ? undefined : world.users.get(pendingId);
    if (user === undefined) throw new RpcError(400, 'PASSWORD_HASH_INVALID');
    if (user.password === undefined) return signedIn(world, ctx, user);
    const check = req.password;
    if (check._ !== 'inputCheckPasswordSRP') throw new RpcError(400, 'PASSWORD_HASH_INVALID');
    const challenge = challenges.get(key);
    if (challenge === undefined || challenge.srpId !== check.srpId) throw new RpcError(400, 'SRP_ID_INVALID');
    challenges.delete(key); // one attempt per srp_B, as Telegram: a retry calls account.getPassword again
    if (!srpServerVerify(user.password, challenge, check)) throw new RpcError(400, 'PASSWORD_HASH_INVALID');
    return signedIn(world, ctx, user);
  });

  registry.register('auth.importBotAuthorization', (ctx, req) => {
    const m = /^(\d+):/.exec(req.botAuthToken);
    const user = m ? world.users.get(BigInt(m[1]!)) : undefined;
    if (user === undefined || !user.bot || user.botToken !== req.botAuthToken) throw new RpcError(400, 'ACCESS_TOKEN_INVALID');
    if (user.homeDc !== ctx.dcId) throw new RpcError(303, `USER_MIGRATE_${user.homeDc}`);
    return signedIn(world, ctx, user);
  });

  registry.register('auth.logOut', (ctx) => {
    if (!world.logOut(ctx.dcId, ctx.authKeyId)) throw new RpcError(401, 'AUTH_KEY_UNREGISTERED');
    return { _: 'auth.loggedOut' as const };
  });

  registry.register('auth.exportAuthorization', (ctx, req) => {
    const me = caller(world, ctx, true);
    if (req.dcId === ctx.dcId || !ctx.dcs.some((d) => d.id === req.dcId)) throw new RpcError(400, 'DC_ID_INVALID');
    const bytes = new Uint8Array(randomBytes(32));
    world.exportedAuthorizations.set(`${me.id}:${Buffer.from(bytes).toString('hex')}`, { userId: me.id, dcId: req.dcId });
    return { _: 'auth.exportedAuthorization' as const, id: me.id, bytes };
  });

  registry.register('auth.importAuthorization', (ctx, req) => {
    const key = `${req.id}:${Buffer.from(req.bytes).toString('hex')}`;
    const exported = world.exportedAuthorizations.get(key);
    const user = exported === undefined ? undefined : world.users.get(exported.userId);
    if (exported === undefined || user === undefined || exported.dcId !== ctx.dcId) throw new RpcError(400, 'AUTH_BYTES_INVALID');
    world.exportedAuthorizations.delete(key);
    return signedIn(world, ctx, user);
  });

  registerQrLogin(registry, world);
}

/**
 * QR login (core.telegram.org/api/qr-login): the new device exports a token,
 * a signed-in device accepts it, the new device is told with updateLoginToken
 * and imports the token (on the account's DC, after loginTokenMigrateTo).
 */
function registerQrLogin(registry: MethodRegistry, world: World): void {
  const tokenKey = (t: Uint8Array): string => Buffer.from(t).toString('hex');
  const finish = (ctx: RpcContext, userId: bigint): tl.auth.LoginToken => {
    const user = world.users.get(userId)!;
    if (user.homeDc !== ctx.dcId) {
      const token = new Uint8Array(randomBytes(32));
      world.loginTokens.set(tokenKey(token), { token, dcId: user.homeDc, authKeyId: 0n, expires: world.options.now() + world.options.loginTokenTtlSeconds * 1000, acceptedBy: userId });
      return { _: 'auth.loginTokenMigrateTo' as const, dcId: user.homeDc, token };
    }
    return { _: 'auth.loginTokenSuccess' as const, authorization: afterFirstFactor(world, ctx, user) };
  };

  registry.register('auth.exportLoginToken', (ctx, req) => {
    if (req.apiId <= 0 || req.apiHash === '') throw new RpcError(400, 'API_ID_INVALID');
    for (const [k, t] of world.loginTokens) {
      if (t.dcId !== ctx.dcId || t.authKeyId !== ctx.authKeyId) continue;
      if (t.acceptedBy !== undefined) {
        world.loginTokens.delete(k);
        return finish(ctx, t.acceptedBy);
      }
      world.loginTokens.delete(k); // a new export replaces the pending token
    }
    const token = new Uint8Array(randomBytes(32));
    const expires = world.options.now() + world.options.loginTokenTtlSeconds * 1000;
    world.loginTokens.set(tokenKey(token), { token, dcId: ctx.dcId, authKeyId: ctx.authKeyId, expires, acceptedBy: undefined });
    return { _: 'auth.loginToken' as const, expires: Math.floor(expires / 1000), token };
  });

  registry.register('auth.acceptLoginToken', (ctx, req) => {
    const me = caller(world, ctx, true);
    const t = world.loginTokens.get(tokenKey(req.token));
    if (t === undefined || t.acceptedBy !== undefined) throw new RpcError(400, 'AUTH_TOKEN_INVALID');
    if (t.expires <= world.options.now()) {
      world.loginTokens.delete(tokenKey(req.token));
      throw new RpcError(400, 'AUTH_TOKEN_EXPIRED');
    }
    t.acceptedBy = me.id;
    world.pushToAuthKey(t.dcId, t.authKeyId, { _: 'updateShort' as const, update: { _: 'updateLoginToken' as const }, date: world.date() });
    const c = ctx.client;
    const now = world.date();
    return {
      _: 'authorization' as const,
      hash: randomBytes(8).readBigInt64LE(),
      deviceModel: c?.deviceModel ?? '',
      platform: '',
      systemVersion: c?.systemVersion ?? '',
      apiId: c?.apiId ?? 0,
      appName: '',
      appVersion: c?.appVersion ?? '',
      dateCreated: now,
      dateActive: now,
      ip: '127.0.0.1',
      country: '',
      region: '',
    };
  });

  registry.register('auth.importLoginToken', (ctx, req) => {
    const key = tokenKey(req.token);
    const t = world.loginTokens.get(key);
    if (t === undefined) throw new RpcError(400, 'AUTH_TOKEN_INVALID');
    if (t.expires <= world.options.now()) {
      world.loginTokens.delete(key);
      throw new RpcError(400, 'AUTH_TOKEN_EXPIRED');
    }
    if (t.acceptedBy === undefined) return { _: 'auth.loginToken' as const, expires: Math.floor(t.expires / 1000), token: t.token };
    if (t.dcId !== ctx.dcId) throw new RpcError(400, 'AUTH_TOKEN_INVALID');
    world.loginTokens.delete(key);
    return finish(ctx, t.acceptedBy);
  });
}

/** account.getPassword: the SRP parameters and a fresh srp_B for this auth key. */
export function registerAccountMethods(registry: MethodRegistry, world: World, challenges: SrpChallenges): void {
  registry.register('account.getPassword', (ctx) => {
    const key = keyOf(ctx.dcId, ctx.authKeyId);
    const pendingId = world.passwordPending.get(key);
    const user = pendingId !== undefined ? world.users.get(pendingId) : caller(world, ctx, true);
    const newAlgo: tl.passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow = {
      _: 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow' as const,
      salt1: new Uint8Array(randomBytes(8)),
      salt2: new Uint8Array(randomBytes(16)),
      g: 3,
      p: KNOWN_DH_PRIME,
    };
    const base = {
      _: 'account.password' as const,
      newSecureAlgo: { _: 'securePasswordKdfAlgoPBKDF2HMACSHA512iter100000' as const, salt: new Uint8Array(randomBytes(8)) },
      secureRandom: new Uint8Array(randomBytes(32)),
    };
    const record = user?.password;
    if (record === undefined) return { ...base, hasPassword: undefined, newAlgo };
    const challenge = srpServerB(record);
    challenges.set(key, challenge);
    return {
      ...base,
      hasPassword: true,
      currentAlgo: record.algo,
      srpB: challenge.srpB,
      srpId: challenge.srpId,
      hint: record.hint || undefined,
      newAlgo,
    };
  });
}
