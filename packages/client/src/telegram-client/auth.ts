// Logins: phone code (+ 2FA by SRP), bot token, QR code. Each ends in
// `client.completeLogin(authorization)`, which records who and where.
import type { tl } from '@telegram-mt/tl';
import { computeSrpCheck, type SrpAlgo } from '../auth/srp.js';
import { RpcError } from '../errors.js';
import { TelegramClientError } from './errors.js';
import type { TelegramClient } from './client.js';

export interface StartParams {
  /** A bot's token from @BotFather; with it, nothing else is asked. */
  botToken?: string;
  phone?: string | (() => Promise<string>);
  /** Asked once the code is sent; asked again (up to `maxAttempts`) after PHONE_CODE_INVALID. */
  code?: (info: SentCode) => Promise<string>;
  /** Asked when the account has 2FA (SESSION_PASSWORD_NEEDED), again after PASSWORD_HASH_INVALID. */
  password?: (hint: string | undefined) => Promise<string>;
  /** For a number without an account (sign-up). */
  firstName?: string;
  lastName?: string;
  /** Tries of the code and of the password. Default 3. */
  maxAttempts?: number;
}

export interface SentCode {
  phone: string;
  phoneCodeHash: string;
  /** How the code travels: `app`, `sms`, `call`, … (the auth.SentCodeType without its prefix). */
  type: string;
  length?: number;
}

export interface QrLoginParams {
  /** Show this `tg://login?token=…` URL as a QR code; called again with a new one when it expires. */
  onUrl(url: string, expires: Date): void;
  password?: (hint: string | undefined) => Promise<string>;
  signal?: AbortSignal;
  /** Users already logged in elsewhere that the token must not log in again. */
  exceptIds?: bigint[];
}

export async function start(client: TelegramClient, p: StartParams): Promise<tl.user> {
  if (await client.isAuthorized()) return client.getMe();
  if (p.botToken !== undefined) return signInBot(client, p.botToken);
  if (p.phone === undefined) throw new TelegramClientError('MISSING_PARAMETER', 'start() needs a phone (or a botToken) to log in');
  if (!p.code) throw new TelegramClientError('MISSING_PARAMETER', 'start() needs a code callback to log in by phone');
  const phone = typeof p.phone === 'function' ? await p.phone() : p.phone;
  const sent = await sendCode(client, phone);
  const attempts = Math.max(1, p.maxAttempts ?? 3);
  for (let i = 1; ; i++) {
    const code = (await p.code(sent)).trim();
    try {
      const signInParams: Parameters<typeof signIn>[1] = { phone, phoneCodeHash: sent.phoneCodeHash, code };
      if (p.firstName !== undefined) signInParams.firstName = p.firstName;
      if (p.lastName !== undefined) signInParams.lastName = p.lastName;
      return await signIn(client, signInParams);
    } catch (e) {
      if (!(e instanceof RpcError)) throw e;
      if (e.text === 'PHONE_CODE_INVALID' && i < attempts) continue;
      if (e.text !== 'SESSION_PASSWORD_NEEDED') throw e;
    }
    break;
  }
  if (!p.password) throw new TelegramClientError('MISSING_PARAMETER', 'the account has 2FA: start() needs a password callback');
  return passwordLoop(client, p.password, attempts);
}

async function passwordLoop(client: TelegramClient, ask: (hint: string | undefined) => Promise<string>, attempts: number): Promise<tl.user> {
  for (let i = 1; ; i++) {
    const pw = await client.invoke({ _: 'account.getPassword' });
    try {
      return await checkPasswordWith(client, pw, await ask(pw.hint));
    } catch (e) {
      if (e instanceof RpcError && e.text === 'PASSWORD_HASH_INVALID' && i < attempts) continue;
      throw e;
    }
  }
}

export async function sendCode(client: TelegramClient, phone: string): Promise<SentCode> {
  const digits = phone.replace(/[^\d]/g, '');
  if (digits.length < 5) throw new TelegramClientError('MISSING_PARAMETER', `${JSON.stringify(phone)} is not a phone number`);
  const r = await client.invoke({
    _: 'auth.sendCode',
    phoneNumber: digits,
    apiId: client.apiId,
    apiHash: client.apiHash,
    settings: { _: 'codeSettings' },
  });
  if (r._ === 'auth.sentCodeSuccess') {
    await client.completeLogin(r.authorization);
    return { phone: digits, phoneCodeHash: '', type: 'success' };
  }
  if (r._ !== 'auth.sentCode') throw new TelegramClientError('UNEXPECTED_RESULT', `auth.sendCode answered ${r._}`);
  const type = r.type._.replace(/^auth\.sentCodeType/, '');
  const out: SentCode = { phone: digits, phoneCodeHash: r.phoneCodeHash, type: type.charAt(0).toLowerCase() + type.slice(1) };
  if ('length' in r.type && typeof r.type.length === 'number') out.length = r.type.length;
  return out;
}

export async function signIn(
  client: TelegramClient,
  p: { phone: string; phoneCodeHash: string; code: string; firstName?: string; lastName?: string },
): Promise<tl.user> {
  const phoneNumber = p.phone.replace(/[^\d]/g, '');
  const r = await client.invoke({ _: 'auth.signIn', phoneNumber, phoneCodeHash: p.phoneCodeHash, phoneCode: p.code });
  if (r._ === 'auth.authorizationSignUpRequired') {
    if (p.firstName === undefined) throw new TelegramClientError('MISSING_PARAMETER', 'this number has no account yet: pass firstName to sign up');
    const up = await client.invoke({ _: 'auth.signUp', phoneNumber, phoneCodeHash: p.phoneCodeHash, firstName: p.firstName, lastName: p.lastName ?? '' });
    return client.completeLogin(up);
  }
  return client.completeLogin(r);
}

export async function checkPassword(client: TelegramClient, password: string): Promise<tl.user> {
  const pw = await client.invoke({ _: 'account.getPassword' });
  return checkPasswordWith(client, pw, password);
}

async function checkPasswordWith(client: TelegramClient, pw: tl.account.Password, password: string): Promise<tl.user> {
  if (!pw.hasPassword || !pw.currentAlgo || !pw.srpB || pw.srpId === undefined) {
    throw new TelegramClientError('UNEXPECTED_RESULT', 'account.getPassword: the account has no password to check');
  }
  if (pw.currentAlgo._ !== 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow') {
    throw new TelegramClientError('UNEXPECTED_RESULT', `unsupported password algorithm ${pw.currentAlgo._}`);
  }
  const check = computeSrpCheck(password, pw.currentAlgo as SrpAlgo, pw.srpB, pw.srpId);
  return client.completeLogin(await client.invoke({ _: 'auth.checkPassword', password: check }));
}

export async function signInBot(client: TelegramClient, token: string): Promise<tl.user> {
  if (!/^\d+:[\w-]+$/.test(token)) throw new TelegramClientError('MISSING_PARAMETER', 'a bot token looks like 123456:ABC-def…');
  const r = await client.invoke({ _: 'auth.importBotAuthorization', flags: 0, apiId: client.apiId, apiHash: client.apiHash, botAuthToken: token });
  return client.completeLogin(r);
}

/**
 * QR login (core.telegram.org/api/qr-login): export a token, show it, wait
 * for another logged-in device to accept it (updateLoginToken), then export
 * again to get the authorization — following loginTokenMigrateTo to the
 * account's DC.
 */
export async function qrLogin(client: TelegramClient, p: QrLoginParams): Promise<tl.user> {
  await client.connect();
  for (;;) {
    p.signal?.throwIfAborted();
    let r: tl.auth.LoginToken;
    try {
      r = await client.invoke({ _: 'auth.exportLoginToken', apiId: client.apiId, apiHash: client.apiHash, exceptIds: p.exceptIds ?? [] });
    } catch (e) {
      if (e instanceof RpcError && e.text === 'SESSION_PASSWORD_NEEDED' && p.password) return passwordLoop(client, p.password, 3);
      throw e;
    }
    if (r._ === 'auth.loginTokenMigrateTo') {
      await client.migrateHome(r.dcId);
      const imported = await client.invoke({ _: 'auth.importLoginToken', token: r.token });
      if (imported._ === 'auth.loginTokenSuccess') return client.completeLogin(imported.authorization);
      continue;
    }
    if (r._ === 'auth.loginTokenSuccess') return client.completeLogin(r.authorization);
    const expires = new Date(r.expires * 1000);
    p.onUrl(`tg://login?token=${Buffer.from(r.token).toString('base64url')}`, expires);
    // Wait for updateLoginToken, the token's expiry, or the signal.
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        client.loginTokenWaiters.delete(done);
        p.signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        done();
        reject(p.signal!.reason);
      };
      const timer = setTimeout(done, Math.max(1000, expires.getTime() - Date.now()));
      client.loginTokenWaiters.add(done);
      // onUrl may have aborted already: a listener added now would never fire.
      if (p.signal?.aborted) return onAbort();
      p.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
