// Which Telegram a command talks to:
//  - `--emulator <file>` (or $TGMT_EMULATOR, or a live $TGMT_HOME/emulator.json):
//    a running `tgmt emulator`, its sessions kept in a file so commands chain;
//  - TG_API_ID and TG_API_HASH set: the real Telegram (production DCs and keys);
//  - otherwise an emulator inside this process with the demo users, gone when
//    the command ends, so the login happens inside each command.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '@telegram-mt/dc-emulator';
import { str, type Values } from './args.js';
import type { ClientOptions } from './client-api.js';
import { ControlClient, createUserIn, type CreatedUser, type NewUser } from './emulator/control.js';
import { DEMO_USERS, seedDemoUsers, type DemoUser } from './emulator/demo-users.js';
import { defaultStatePath, processAlive, readState, tgmtHome } from './emulator/state.js';
import { CliError, EXIT, UsageError } from './exit-codes.js';

export type TargetKind = 'telegram' | 'attached' | 'embedded';

export interface Target {
  kind: TargetKind;
  /** For people: "Telegram", "the emulator of <file>", "an embedded emulator". */
  describe: string;
  clientOptions: Pick<ClientOptions, 'apiId' | 'apiHash' | 'dcs' | 'rsaPublicKeys'>;
  /** Where the session lives; undefined: in memory (embedded). */
  sessionPath?: string;
  /** The emulator's demo users (empty for Telegram). */
  users: readonly DemoUser[];
  /** Reads the last login code sent to `phone` (emulators only). */
  readCode?(phone: string): Promise<string>;
  createUser?(u: NewUser): Promise<CreatedUser>;
  /** The embedded emulator, for the demo and tests. */
  emulator?: Emulator;
  close(): Promise<void>;
}

const EMULATOR_API = { apiId: 1, apiHash: 'tgmt-emulator' };

export async function openTarget(values: Values, env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const session = str(values, 'session') ?? (env.TGMT_SESSION || undefined);
  const explicit = str(values, 'emulator');
  if (explicit === undefined && env.TG_API_ID !== undefined && env.TG_API_ID !== '') return telegram(env, session);
  const statePath = explicit ?? (env.TGMT_EMULATOR || undefined);
  if (statePath !== undefined) return attach(statePath, session, env);
  const fallback = defaultStatePath(env);
  if (existsSync(fallback) && (await readState(fallback).then((s) => processAlive(s.pid)).catch(() => false))) return attach(fallback, session, env);
  if (session !== undefined) {
    throw new UsageError('--session needs a server that outlives the command: attach to a running `tgmt emulator` (--emulator) or set TG_API_ID/TG_API_HASH');
  }
  return embedded();
}

function telegram(env: NodeJS.ProcessEnv, session: string | undefined): Target {
  const apiId = Number(env.TG_API_ID);
  const apiHash = env.TG_API_HASH ?? '';
  if (!Number.isInteger(apiId) || apiId <= 0) throw new UsageError(`TG_API_ID must be a positive whole number, got '${env.TG_API_ID}'`);
  if (!/^[0-9a-f]{32}$/i.test(apiHash)) throw new UsageError('TG_API_HASH must be the 32 hex digits from my.telegram.org');
  return {
    kind: 'telegram',
    describe: 'Telegram',
    clientOptions: { apiId, apiHash },
    sessionPath: session ?? join(tgmtHome(env), 'telegram.session.json'),
    users: [],
    close: async () => {},
  };
}

async function attach(path: string, session: string | undefined, env: NodeJS.ProcessEnv): Promise<Target> {
  const state = await readState(path);
  const control = new ControlClient(state.control);
  return {
    kind: 'attached',
    describe: `the emulator of ${path}`,
    clientOptions: { ...EMULATOR_API, dcs: state.dcs, rsaPublicKeys: state.rsaPublicKeys },
    sessionPath: session ?? join(tgmtHome(env), `emulator-${state.instance}.session.json`),
    users: state.users,
    readCode: async (phone) => lastCode(phone, await control.inbox(phone)),
    createUser: (u) => control.createUser(u),
    close: async () => {},
  };
}

async function embedded(): Promise<Target> {
  // Loaded here: most commands never need the emulator's code.
  const { startEmulator } = await import('@telegram-mt/dc-emulator');
  const emulator = await startEmulator({ dcCount: 3 });
  const users = seedDemoUsers(emulator.world, emulator.dcs.length);
  return {
    kind: 'embedded',
    describe: 'an embedded emulator (it stops with this command)',
    clientOptions: { ...EMULATOR_API, dcs: emulator.dcs, rsaPublicKeys: emulator.rsaPublicKeys },
    users,
    readCode: async (phone) => lastCode(phone, emulator.world.inbox(phone)),
    createUser: async (u) => createUserIn(emulator.world, u),
    emulator,
    close: () => emulator.stop(),
  };
}

function lastCode(phone: string, codes: readonly string[]): string {
  const code = codes.at(-1);
  if (code === undefined) throw new CliError(`the emulator sent no login code to ${phone}`, EXIT.auth);
  return code;
}

/** The demo user a phone names (any spelling), for its known 2FA password. */
export function demoUser(target: Target, phone: string): DemoUser | undefined {
  const digits = phone.replace(/\D/g, '');
  return target.users.find((u) => u.phone.replace(/\D/g, '') === digits);
}

export { DEMO_USERS };
