// The DC emulator in a child process: its CPU work runs on the other core, so
// every client measured here gets the same server and the whole of this
// process's thread. It prints one JSON line with where it listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface EmulatedDc {
  id: number;
  host: string;
  port: number;
}

export interface ChildEmulator {
  dcs: EmulatedDc[];
  rsaPublicKeys: string[];
  pid: number;
  /** The emulator process's CPU time so far (user + system), ms; NaN where /proc is not there. */
  cpuMs(): number;
  stop(): Promise<void>;
}

const TICKS_PER_SECOND = 100; // Linux USER_HZ

function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: utime is the 12th, stime the 13th.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

const START_TIMEOUT_MS = 30_000;

export function emulatorCliPath(): string {
  // BENCH_EMULATOR_CLI: another build's dist/cli.js, to compare two emulators under the same client.
  if (process.env.BENCH_EMULATOR_CLI) return process.env.BENCH_EMULATOR_CLI;
  const pkg = fileURLToPath(import.meta.resolve('@telegram-mt/dc-emulator/package.json'));
  return join(dirname(pkg), 'dist', 'cli.js');
}

/** `verbose` passes the emulator's line per refused connection through to this process's stderr. */
export function startChildEmulator(dcCount = 2, verbose = false): Promise<ChildEmulator> {
  // BENCH_EMULATOR_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p") reaches the emulator's node: to profile the server side.
  const nodeArgs = process.env.BENCH_EMULATOR_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const args = [...nodeArgs, emulatorCliPath(), '--dcs', String(dcCount), '--host', '127.0.0.1'];
  if (verbose) args.push('--verbose');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (verbose) child.stderr!.on('data', (d: Buffer) => process.stderr.write(`emulator: ${d.toString()}`));
  return new Promise<ChildEmulator>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the emulator did not start within ${START_TIMEOUT_MS} ms: ${err}`));
    }, START_TIMEOUT_MS);
    child.stderr!.on('data', (d: Buffer) => {
      if (err.length < 10_000) err += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with ${code} before it listened: ${err}`));
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      try {
        const info = JSON.parse(out.slice(0, nl)) as { dcs: EmulatedDc[]; rsaPublicKeys: string[] };
        resolve({ ...info, pid: child.pid!, cpuMs: () => processCpuMs(child.pid!), stop: () => stopChild(child) });
      } catch (e) {
        child.kill('SIGKILL');
        reject(new Error(`the emulator printed something that is not its JSON line: ${out.slice(0, 200)}`));
      }
    });
  });
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the child has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
