// The DC emulator in a child process: its CPU work runs on the other core, so
// every client measured here gets the same server and the whole of this
// process's thread. It prints one JSON line with where it listens.
import { spawn, type ChildProcess } from 'node:child_process';
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
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

export function emulatorCliPath(): string {
  const pkg = fileURLToPath(import.meta.resolve('@telegram-mt/dc-emulator/package.json'));
  return join(dirname(pkg), 'dist', 'cli.js');
}

export function startChildEmulator(dcCount = 2): Promise<ChildEmulator> {
  const child = spawn(process.execPath, [emulatorCliPath(), '--dcs', String(dcCount), '--host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
        resolve({ ...info, pid: child.pid!, stop: () => stopChild(child) });
      } catch (e) {
        child.kill('SIGKILL');
        reject(new Error(`the emulator printed something that is not its JSON line: ${out.slice(0, 200)}`));
      }
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
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
