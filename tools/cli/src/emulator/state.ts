// The state file of a running `tgmt emulator`: where its DCs listen, the RSA
// key to trust, and its control endpoint (login codes, new users). Other
// commands read it to attach, so a login in one command serves the next.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError, EXIT } from '../exit-codes.js';
import type { DemoUser } from './demo-users.js';

export const STATE_FORMAT = 'tgmt-emulator';

export interface EmulatorState {
  format: typeof STATE_FORMAT;
  version: 1;
  /** The emulator's process; a state file whose process is gone is stale. */
  pid: number;
  /** Random per start: sessions made against one run are useless in the next. */
  instance: string;
  dcs: { id: number; host: string; port: number }[];
  rsaPublicKeys: string[];
  control: { url: string; token: string };
  users: DemoUser[];
}

export function tgmtHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.TGMT_HOME || join(homedir(), '.tgmt');
}

export function defaultStatePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(tgmtHome(env), 'emulator.json');
}

export const newInstanceId = (): string => randomBytes(6).toString('hex');

/** Writes atomically (temp file, rename), readable by this user only: it holds the control token. */
export async function writeState(path: string, state: EmulatorState): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(state, null, 2) + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

/** Removes the file if it still describes `instance` (a newer emulator may have replaced it). */
export async function removeState(path: string, instance: string): Promise<void> {
  try {
    const now = JSON.parse(await readFile(path, 'utf8')) as Partial<EmulatorState>;
    if (now.instance === instance) await unlink(path);
  } catch {
    // already gone or replaced by something unreadable: not ours to remove
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads and checks a state file; a missing file, a bad one or a dead emulator is a clear error. */
export async function readState(path: string): Promise<EmulatorState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT' ? `no emulator state at ${path}: start one with \`tgmt emulator\`` : `cannot read ${path}: ${(e as Error).message}`,
      EXIT.network,
    );
  }
  let s: Partial<EmulatorState>;
  try {
    s = JSON.parse(text) as Partial<EmulatorState>;
  } catch {
    throw new CliError(`${path} is not an emulator state file (not JSON)`, EXIT.error);
  }
  const dcsOk =
    Array.isArray(s.dcs) &&
    s.dcs.length > 0 &&
    s.dcs.every((d) => Number.isInteger(d?.id) && typeof d.host === 'string' && Number.isInteger(d.port) && d.port > 0 && d.port < 65536);
  if (
    s.format !== STATE_FORMAT ||
    s.version !== 1 ||
    !Number.isInteger(s.pid) ||
    typeof s.instance !== 'string' ||
    !dcsOk ||
    !Array.isArray(s.rsaPublicKeys) ||
    !s.rsaPublicKeys.every((k) => typeof k === 'string') ||
    typeof s.control?.url !== 'string' ||
    typeof s.control.token !== 'string'
  ) {
    throw new CliError(`${path} is not a tgmt-emulator state file of version 1`, EXIT.error);
  }
  if (!processAlive(s.pid!)) throw new CliError(`the emulator of ${path} (pid ${s.pid}) is not running: start one with \`tgmt emulator\``, EXIT.network);
  if (!Array.isArray(s.users)) s.users = [];
  return s as EmulatorState;
}
