// The tgmt-emulator command: prints its DCs and keys as JSON, stops on SIGTERM.
import test from 'ava';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { keyPath } from './helpers/memory.js';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

test('tgmt-emulator prints {dcs, rsaPublicKeys} and exits cleanly on SIGTERM', async (t) => {
  const child = spawn(process.execPath, ['--import=tsx', cli, '--dcs', '2', '--rsa-key', keyPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no output in 20 s')), 20_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
  });
  const printed = JSON.parse(firstLine) as { dcs: { id: number; host: string; port: number }[]; rsaPublicKeys: string[] };
  t.deepEqual(
    printed.dcs.map((d) => [d.id, d.host]),
    [
      [1, '127.0.0.1'],
      [2, '127.0.0.1'],
    ],
  );
  t.true(printed.dcs.every((d) => d.port > 0));
  t.regex(printed.rsaPublicKeys[0]!, /^-----BEGIN RSA PUBLIC KEY-----\n/);
  t.false('stop' in printed);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  t.is(await exit, 0);
});

test("the README's example runs", async (t) => {
  const { execFile } = await import('node:child_process');
  const example = fileURLToPath(new URL('../examples/print-dcs.mjs', import.meta.url));
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [example], { timeout: 30_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );
  t.regex(out, /id: 1, host: '127\.0\.0\.1', port: \d+/);
  t.regex(out, /-----BEGIN RSA PUBLIC KEY-----/);
});
