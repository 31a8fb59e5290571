// A DC that refuses or never answers: the command gives up after
// --connect-timeout with exit 5, or stops at Ctrl-C with exit 130.
import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { EXIT } from '../src/exit-codes.js';
import { sandbox, spawnTgmtPty, tgmt } from './support/cli.js';

/** A TCP server that accepts and never says a word; closed when the test ends. */
async function silentDc(t: { teardown(f: () => void): void }): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return (server.address() as AddressInfo).port;
}

async function stateFile(home: string, name: string, port: number): Promise<string> {
  const path = `${home}/${name}.json`;
  const dcs = [1, 2, 3].map((id) => ({ id, host: '127.0.0.1', port }));
  // This test process stands in for the emulator's: alive, so the file is not stale.
  await writeFile(path, JSON.stringify({ format: 'tgmt-emulator', version: 1, pid: process.pid, instance: name, dcs, rsaPublicKeys: [], control: { url: 'http://127.0.0.1:9', token: 't' }, users: [] }));
  return path;
}

test.serial('a refused or silent DC: exit 5 after --connect-timeout, naming where it tried', async (t) => {
  const { env, home } = await sandbox(t);
  const silent = await stateFile(home, 'silent', await silentDc(t));
  const refused = await stateFile(home, 'refused', 1);
  for (const state of [silent, refused]) {
    const t0 = Date.now();
    const r = await tgmt(t, ['me', '--emulator', state, '--connect-timeout', '2'], env);
    t.is(r.code, EXIT.network, r.stderr);
    t.regex(r.stderr, /could not connect to the emulator of .* \(127\.0\.0\.1:\d+, .*\) within 2 s/);
    t.true(Date.now() - t0 < 30_000, 'it gave up and exited');
  }
});

test.serial('Ctrl-C while connecting: exit 130', async (t) => {
  const { env, home } = await sandbox(t);
  const state = await stateFile(home, 'silent', await silentDc(t));
  const me = spawnTgmtPty(t, ['me', '-v', '--emulator', state], env);
  await me.waitFor(/connecting to the emulator of/);
  me.write('\x03');
  t.is(await me.exit(), EXIT.interrupted);
  t.regex(me.output(), /tgmt me: interrupted/, 'stopped by its own handler, not killed by the signal');
});
