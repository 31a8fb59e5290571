// What every client measured by the file transfer benchmark provides, and the
// emulator it runs against (emulator-child.ts in its own process, which tells
// the login codes it sends).
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../emulator.js';

export interface FilesEmulator {
  dcs: { id: number; host: string; port: number }[];
  rsaPublicKeys: string[];
  /** The next login code sent to `phone` after `after` codes (codes are counted per phone). */
  code(phone: string, after: number): Promise<string>;
  /** Codes sent to `phone` so far. */
  codesSent(phone: string): number;
  stop(): Promise<void>;
}

export interface TransferTarget {
  emulator: FilesEmulator;
  /** A user on DC 2, made by the emulator at start. */
  phone: string;
  /** Parts in flight the client is asked to keep (its own knobs set as near as it has them). */
  parallel: number;
}

/** A document uploaded and turned into media, ready to download. */
export interface Uploaded {
  size: number;
  /** Whatever the client needs to download it again. */
  handle: unknown;
}

export interface TransferSession {
  upload(data: Uint8Array): Promise<Uploaded>;
  download(file: Uploaded): Promise<Uint8Array>;
  /** How this session keeps `parallel` parts in flight (or why it cannot). */
  readonly notes: string[];
  close(): Promise<void>;
}

export interface TransferPeer {
  readonly name: string;
  /** Logs in as `target.phone` and gets ready to move files with `target.parallel` parts in flight. */
  open(target: TransferTarget): Promise<TransferSession>;
}

const START_TIMEOUT_MS = 30_000;

export function startFilesEmulator(users: string[]): Promise<FilesEmulator> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'emulator-child.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--users', users.join(',')], {
    cwd: dirname(script),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const codes = new Map<string, string[]>();
  const waiters = new Set<() => void>();
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (err.length < 10_000) err += d.toString();
  });
  return new Promise<FilesEmulator>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the emulator did not start within ${START_TIMEOUT_MS} ms: ${err}`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with ${code}: ${err}`));
    });
    let buffered = '';
    let started = false;
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const msg = JSON.parse(line) as { dcs?: FilesEmulator['dcs']; rsaPublicKeys?: string[]; phone?: string; code?: string };
        if (msg.phone !== undefined && msg.code !== undefined) {
          let list = codes.get(msg.phone);
          if (list === undefined) codes.set(msg.phone, (list = []));
          list.push(msg.code);
          for (const w of waiters) w();
          continue;
        }
        if (started || msg.dcs === undefined) continue;
        started = true;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({
          dcs: msg.dcs,
          rsaPublicKeys: msg.rsaPublicKeys!,
          codesSent: (phone) => codes.get(phone)?.length ?? 0,
          code: (phone, after) =>
            new Promise<string>((ok, fail) => {
              const check = (): void => {
                const list = codes.get(phone) ?? [];
                if (list.length > after) {
                  waiters.delete(check);
                  clearTimeout(limit);
                  ok(list.at(-1)!);
                }
              };
              const limit = setTimeout(() => {
                waiters.delete(check);
                fail(new Error(`no login code for ${phone} within 20 s`));
              }, 20_000);
              waiters.add(check);
              check();
            }),
          stop: () => stopChild(child),
        });
      }
    });
  });
}

/** Rejects after `ms` with `what` in the message; the timer never outlives the race. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}
