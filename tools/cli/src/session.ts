// Opening a logged-in client for a command: the target, the stored session,
// the TelegramClient, and the login itself (interactive, by flags, or — on an
// embedded emulator — automatically as a demo user).
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FileStorage, MemoryStorage, type Storage } from '@telegram-mt/client';
import type { tl } from '@telegram-mt/tl';
import { secondsOption, str } from './args.js';
import { createClient, type CliClient } from './client-api.js';
import type { Context } from './context.js';
import { DEMO_USERS } from './emulator/demo-users.js';
import { CliError, EXIT } from './exit-codes.js';
import { ask, canPrompt } from './terminal/prompt.js';
import { demoUser, openTarget, type Target } from './target.js';

export const CLI_VERSION = '0.1.0';

export interface Session {
  client: CliClient;
  target: Target;
}

export interface OpenOptions {
  /** 'required': exit 3 when not logged in; 'none': just connect (login does the rest). */
  login: 'required' | 'none';
  /** Run the updates engine (listen). */
  updates?: boolean;
}

async function openStorage(path: string | undefined): Promise<Storage> {
  if (path === undefined) return new MemoryStorage();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  return new FileStorage(path).load();
}

/** Rejects when `signal` aborts, so a hung connect still answers Ctrl-C. */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Rejects with `error()` when `p` has not settled within `ms` (the client retries a refused connection for minutes). */
export function deadline<T>(p: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(error()), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export async function withSession<T>(ctx: Context, o: OpenOptions, fn: (s: Session) => Promise<T>): Promise<T> {
  const target = await openTarget(ctx.values, ctx.env);
  let client: CliClient | undefined;
  try {
    const storage = await openStorage(target.sessionPath);
    client = await createClient({
      ...target.clientOptions,
      storage,
      updates: o.updates ?? false,
      device: { deviceModel: 'tgmt', appVersion: CLI_VERSION },
      log: ctx.values.verbose === true ? (line) => process.stderr.write(ctx.err.paint.dim(line) + '\n') : undefined,
    });
    if (ctx.values.verbose === true) ctx.err.note(`connecting to ${target.describe}`);
    const seconds = secondsOption(ctx.values, 'connect-timeout', 3600) ?? 30;
    await deadline(abortable(client.connect(), ctx.signal), seconds * 1000, () => {
      const where = target.clientOptions.dcs?.map((d) => `${d.host}:${d.port}`).join(', ');
      return new CliError(`could not connect to ${target.describe}${where ? ` (${where})` : ''} within ${seconds} s`, EXIT.network);
    });
    const session = { client, target };
    if (target.kind === 'embedded' && o.login === 'required') {
      const user = await signIn(ctx, session);
      if (!ctx.json && process.stderr.isTTY) ctx.err.note(`(an embedded emulator, signed in as the demo user ${user.firstName}; it stops with this command)`);
    } else if (o.login === 'required' && !(await abortable(client.isAuthorized(), ctx.signal))) {
      throw new CliError(`not logged in to ${target.describe}: run \`tgmt login\` first`, EXIT.auth);
    }
    return await fn(session);
  } finally {
    await client?.disconnect().catch(() => {});
    await target.close();
  }
}

/** Logs in by bot token, or by phone, code and (when asked) the 2FA password. */
export async function signIn(ctx: Context, { client, target }: Session): Promise<tl.user> {
  const v = ctx.values;
  const botToken = str(v, 'bot-token');
  if (botToken !== undefined) return abortable(client.start({ botToken }), ctx.signal);
  const phone =
    str(v, 'phone') ??
    (target.kind === 'embedded' ? DEMO_USERS[0]!.phone : await ask('Phone number (international, e.g. +31611110001): ', { flag: '--phone', signal: ctx.signal }));
  const demo = demoUser(target, phone);
  return abortable(
    client.start({
      phone,
      code: async () => {
        const given = str(v, 'code');
        if (given !== undefined) return given;
        if (target.readCode) {
          const code = await target.readCode(phone);
          if (ctx.values.verbose === true) ctx.err.note(`login code ${code}, read from the emulator's inbox`);
          // A person at a terminal types it, as with Telegram; Enter takes the emulator's.
          if (target.kind === 'attached' && canPrompt()) {
            return (await ask(`Login code (the emulator sent ${code}; Enter takes it): `, { flag: '--code', signal: ctx.signal })) || code;
          }
          return code;
        }
        return ask('Login code (sent to your Telegram app): ', { flag: '--code', signal: ctx.signal });
      },
      password: async () => {
        const given = str(v, 'password') ?? (ctx.env.TG_PASSWORD || undefined);
        if (given !== undefined) return given;
        if (target.kind === 'embedded' && demo?.password !== undefined) return demo.password;
        return ask('Two-step verification password: ', { secret: true, flag: '--password', signal: ctx.signal });
      },
      firstName: str(v, 'first-name') ?? 'tgmt',
      lastName: str(v, 'last-name'),
    }),
    ctx.signal,
  );
}
