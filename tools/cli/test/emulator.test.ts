// `tgmt emulator` standalone: for people in a terminal, for scripts as JSON,
// the state file other commands attach to, and a clean stop on Ctrl-C.
import test from 'ava';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { jsonLines, sandbox, spawnTgmt, spawnTgmtPty, startEmulatorProcess, tgmt } from './support/cli.js';

test.serial('in a terminal: a coloured summary with the demo users; Ctrl-C stops it, exit 0, state file removed', async (t) => {
  const { env, home } = await sandbox(t);
  const emu = spawnTgmtPty(t, ['emulator'], env);
  const shown = await emu.waitFor(/Ctrl-C stops it/);
  t.regex(shown, /A loopback Telegram is running/);
  t.regex(shown, /DC 3 on 127\.0\.0\.1:\d+/);
  t.regex(shown, /\+31611110002 {2}Ben \(@ben_demo\), DC 2, 2FA password hunter2/);
  t.regex(shown, /Try, in another terminal: {2}tgmt login --phone \+31611110001/, 'the default state file needs no --emulator');
  t.true(emu.output().includes('\x1b[32m✓\x1b[0m'), 'green ticks on a TTY');
  const statePath = `${home}/emulator.json`;
  t.true(existsSync(statePath));
  t.is((await stat(statePath)).mode & 0o777, 0o600, 'the state file holds the control token: owner only');
  emu.write('\x03'); // Ctrl-C through the terminal's line discipline
  t.is(await emu.exit(), 0);
  t.regex(emu.output(), /emulator stopped/);
  t.false(existsSync(statePath));
});

test.serial('NO_COLOR turns colour off even on a terminal', async (t) => {
  const { env } = await sandbox(t);
  const emu = spawnTgmtPty(t, ['emulator'], { ...env, NO_COLOR: '1' });
  const shown = await emu.waitFor(/Ctrl-C stops it/);
  t.false(shown.includes('\x1b['));
  emu.write('\x03');
  t.is(await emu.exit(), 0);
});

test.serial('through pipes: no colour; --json gives one line with the DCs, RSA key and state path, not the token', async (t) => {
  const { env, home } = await sandbox(t);
  const plain = spawnTgmt(t, ['emulator', '--state', `${home}/plain.json`], env);
  await plain.waitFor(/Ctrl-C stops it/);
  t.false(plain.output().includes('\x1b['), 'no escapes when stdout is not a TTY');
  plain.child.kill('SIGTERM');
  t.is(await plain.exit(), 0);

  const { state, running } = await startEmulatorProcess(t, env, home);
  const second = await tgmt(t, ['emulator', '--state', state], env);
  t.is(second.code, 1, 'a second emulator does not take over a live one\'s state file');
  t.regex(second.stderr, /an emulator is already running with .* \(pid \d+\)/);
  const [line] = jsonLines(running.output());
  t.is(line!.statePath, state);
  t.is((line!.dcs as unknown[]).length, 3);
  t.regex(String((line!.rsaPublicKeys as string[])[0]), /BEGIN RSA PUBLIC KEY/);
  t.false(JSON.stringify(line).includes((JSON.parse(await readFile(state, 'utf8')) as { control: { token: string } }).control.token));
  running.child.kill('SIGINT');
  t.is(await running.exit(), 0);
  t.false(existsSync(state));
});

test.serial('the control endpoint wants the token and serves login codes, new users and faults', async (t) => {
  const { env, home } = await sandbox(t);
  const { state } = await startEmulatorProcess(t, env, home);
  const { control } = JSON.parse(await readFile(state, 'utf8')) as { control: { url: string; token: string } };
  const auth = { authorization: `Bearer ${control.token}` };
  t.is((await fetch(`${control.url}/inbox?phone=%2B31611110001`)).status, 401);
  t.deepEqual(await (await fetch(`${control.url}/inbox?phone=%2B31611110001`, { headers: auth })).json(), { codes: [] });
  const made = (await (await fetch(`${control.url}/users`, { method: 'POST', headers: auth, body: JSON.stringify({ firstName: 'Dee', phone: '+31611119999', dc: 3 }) })).json()) as { id: string };
  t.regex(made.id, /^\d+$/);
  const again = await fetch(`${control.url}/users`, { method: 'POST', headers: auth, body: JSON.stringify({ firstName: 'Dee', phone: '+31611119999' }) });
  t.is(again.status, 400, 'a taken phone is refused, not a crash');
  const fault = (body: unknown, method = 'POST') => fetch(`${control.url}/faults`, { method, headers: auth, body: method === 'POST' ? JSON.stringify(body) : undefined });
  t.deepEqual(await (await fault({ dc: 2, fault: { kind: 'delay', ms: 10 } })).json(), { faults: 1 });
  t.is((await fault({ fault: { kind: 'no-such-fault' } })).status, 400, 'the injector refuses what it does not know');
  t.is((await fault({ dc: 2 })).status, 400);
  t.deepEqual(await (await fault(undefined, 'DELETE')).json(), { faults: 0 });
  const huge = await fetch(`${control.url}/users`, { method: 'POST', headers: auth, body: 'x'.repeat(10_000) }).catch(() => undefined);
  t.true(huge === undefined || huge.status === 400, 'an oversized body is refused');
});
