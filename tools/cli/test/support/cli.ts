// Running tgmt as a person or a script would: a child process through a real
// pseudo-terminal (pty-run.py, Python's pty module) or through pipes. Every
// wait is bounded and every process is killed when its test ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';

export const BIN = fileURLToPath(new URL('../../bin/tgmt.js', import.meta.url));
const PTY_RUN = fileURLToPath(new URL('./pty-run.py', import.meta.url));
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Text without terminal escape sequences (colour, cursor moves). */
export function plain(s: string): string {
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

/** A fresh $TGMT_HOME, and an env without the variables that would point tgmt elsewhere. */
export async function sandbox(t: ExecutionContext): Promise<{ home: string; env: NodeJS.ProcessEnv }> {
  const home = await mkdtemp(join(tmpdir(), 'tgmt-test-'));
  t.teardown(() => rm(home, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = { ...process.env, TGMT_HOME: home };
  for (const k of ['TG_API_ID', 'TG_API_HASH', 'TG_PASSWORD', 'TGMT_EMULATOR', 'TGMT_SESSION', 'NO_COLOR', 'FORCE_COLOR']) delete env[k];
  return { home, env };
}

export interface Running {
  readonly child: ChildProcess;
  /** Everything written so far (stdout, and for a PTY everything the terminal showed, \r\n → \n). */
  readonly output: () => string;
  readonly stderr: () => string;
  /** Resolves with the output once it matches (escape sequences removed); rejects on timeout or exit first. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  write(text: string): void;
  /** The exit code, within `ms` or the process is killed and this rejects. */
  exit(ms?: number): Promise<number>;
  kill(): void;
}

function track(t: ExecutionContext, child: ChildProcess, label: string): Running {
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const poke = () => {
    for (const w of waiters) w();
  };
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    out += s.replace(/\r\n/g, '\n');
    poke();
  });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    err += s;
    poke();
  });
  let code: number | undefined;
  const exited = new Promise<number>((resolve) =>
    child.on('close', (c, sig) => {
      code = c ?? 128 + (sig === 'SIGKILL' ? 9 : 15);
      poke();
      resolve(code);
    }),
  );
  const kill = () => {
    if (code === undefined) child.kill('SIGKILL');
  };
  t.teardown(kill);
  const describe = () => `${label}\n--- output ---\n${out}\n--- stderr ---\n${err}`;
  return {
    child,
    output: () => out,
    stderr: () => err,
    waitFor(pattern, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const text = plain(out);
          if (pattern.test(text)) done(() => resolve(text));
          else if (code !== undefined) done(() => reject(new Error(`exited ${code} before ${pattern}: ${describe()}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`no ${pattern} within ${ms} ms: ${describe()}`))), ms);
        const done = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      });
    },
    write(text) {
      child.stdin!.write(text);
    },
    async exit(ms = 60_000) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          kill();
          reject(new Error(`still running after ${ms} ms: ${describe()}`));
        }, ms);
      });
      try {
        return await Promise.race([exited, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    kill,
  };
}

/** tgmt with stdin, stdout and stderr on pipes (not a TTY). */
export function spawnTgmt(t: ExecutionContext, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Running {
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  return track(t, child, `tgmt ${args.join(' ')}`);
}

/** tgmt in a pseudo-terminal: stdin, stdout and stderr are one TTY; its output arrives on `output()`. */
export function spawnTgmtPty(t: ExecutionContext, args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(PYTHON, [PTY_RUN, process.execPath, BIN, ...args], { env: { ...env, TERM: 'xterm-256color' }, stdio: ['pipe', 'pipe', 'pipe'] });
  return track(t, child, `tgmt ${args.join(' ')} (in a pty)`);
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs tgmt to its end through pipes (killed after `ms`). */
export async function tgmt(t: ExecutionContext, args: string[], env: NodeJS.ProcessEnv, ms = 60_000, cwd?: string): Promise<Result> {
  const r = spawnTgmt(t, args, env, cwd);
  r.child.stdin!.end();
  const code = await r.exit(ms);
  return { code, stdout: r.output(), stderr: r.stderr() };
}

/** The JSON lines of an output. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Starts `tgmt emulator` with its state in the sandbox; returns the state file's path once it is written. */
export async function startEmulatorProcess(t: ExecutionContext, env: NodeJS.ProcessEnv, home: string): Promise<{ state: string; running: Running }> {
  const state = join(home, 'emulator.json');
  const running = spawnTgmt(t, ['emulator', '--json', '--state', state], env);
  await running.waitFor(/"statePath"/);
  JSON.parse(await readFile(state, 'utf8'));
  return { state, running };
}

/** A running `tgmt emulator` with Ann (default session) and Ben (`ben`) logged in through --json commands. */
export async function loggedInPair(t: ExecutionContext): Promise<{ env: NodeJS.ProcessEnv; home: string; state: string; ben: string[]; emulator: Running }> {
  const { env, home } = await sandbox(t);
  const { state, running } = await startEmulatorProcess(t, env, home);
  const attached = { ...env, TGMT_EMULATOR: state };
  const ben = ['--session', join(home, 'ben.session.json')];
  const [a, b] = await Promise.all([
    tgmt(t, ['login', '--json', '--phone', '+31611110001'], attached),
    tgmt(t, ['login', '--json', '--phone', '+31611110002', '--password', 'hunter2', ...ben], attached),
  ]);
  if (a.code !== 0 || b.code !== 0) throw new Error(`login failed: ${a.stderr} ${b.stderr}`);
  return { env: attached, home, state, ben, emulator: running };
}
