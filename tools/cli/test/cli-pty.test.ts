// The commands as people use them: in a real pseudo-terminal, with prompts
// typed at, colour, a hidden password, Ctrl-C; and the same commands piped,
// without colour.
import test from 'ava';
import { EXIT } from '../src/exit-codes.js';
import { loggedInPair, plain, sandbox, spawnTgmtPty, startEmulatorProcess, tgmt } from './support/cli.js';

const ESC = '\x1b[';

test.serial('interactive login: phone and code asked (again when wrong), PHONE_MIGRATE followed, a coloured result', async (t) => {
  const { env, home } = await sandbox(t);
  const { state } = await startEmulatorProcess(t, env, home);
  const login = spawnTgmtPty(t, ['login', '--emulator', state], env);
  await login.waitFor(/Phone number \(international, e\.g\. \+31611110001\): $/);
  login.write('+31611110001\r');
  await login.waitFor(/Login code \(the emulator sent (\d{5}); Enter takes it\): $/);
  login.write('00000\r'); // wrong: asked again
  await login.waitFor(/Enter takes it\): 00000\nLogin code \(the emulator sent \d{5}; Enter takes it\): $/);
  login.write('\r');
  await login.waitFor(/Logged in as/);
  t.is(await login.exit(), 0);
  const shown = login.output();
  t.regex(plain(shown), /\+31611110001\n/, 'the phone is echoed as typed');
  t.regex(plain(shown), /Logged in as Ann \(@ann_demo, id \d+, \+31611110001\) on DC 1/);
  t.true(shown.includes(`${ESC}32m✓${ESC}0m`) && shown.includes(`${ESC}1mAnn${ESC}0m`), 'colour on a terminal');
});

test.serial('interactive 2FA: the password is asked with echo off, asked again when wrong', async (t) => {
  const { env, home } = await sandbox(t);
  const { state } = await startEmulatorProcess(t, env, home);
  const login = spawnTgmtPty(t, ['login', '--emulator', state, '--phone', '+31611110002'], env);
  const shownCode = /the emulator sent (\d{5})/.exec(await login.waitFor(/Enter takes it\): $/))![1]!;
  login.write(`${shownCode}\r`);
  await login.waitFor(/Two-step verification password: $/);
  login.write('wrong-guess\r');
  await login.waitFor(/Two-step verification password: \n+Two-step verification password: $/);
  login.write('hunter2\r');
  await login.waitFor(/Logged in as/);
  t.is(await login.exit(), 0);
  const shown = login.output();
  t.false(shown.includes('wrong-guess'), 'typed secrets are not echoed');
  t.false(shown.includes('hunter2'));
  t.regex(plain(shown), /Logged in as Ben \(@ben_demo, id \d+, \+31611110002\) on DC 2/);
  const me = await tgmt(t, ['me', '--emulator', state], env);
  t.is(me.code, 0, 'the login is kept for the next command');
  t.regex(me.stdout, /^Ben \(@ben_demo, id \d+, \+31611110002\) home DC 2\n$/);
});

test.serial('Ctrl-C at a prompt exits 130', async (t) => {
  const { env, home } = await sandbox(t);
  const { state } = await startEmulatorProcess(t, env, home);
  const login = spawnTgmtPty(t, ['login', '--emulator', state], env);
  await login.waitFor(/Phone number/);
  login.write('\x03');
  t.is(await login.exit(), EXIT.interrupted);
  t.regex(login.output(), /tgmt login: interrupted/);
});

test.serial('me: coloured in a terminal, plain through a pipe and with NO_COLOR', async (t) => {
  const { env } = await loggedInPair(t);
  const tty = spawnTgmtPty(t, ['me'], env);
  t.is(await tty.exit(), 0);
  t.regex(tty.output(), /\x1b\[1mAnn\x1b\[0m \x1b\[2m\(@ann_demo, id \d+, \+31611110001\)\x1b\[0m \x1b\[2mhome DC 1\x1b\[0m/);
  const noColour = spawnTgmtPty(t, ['me'], { ...env, NO_COLOR: '1' });
  t.is(await noColour.exit(), 0);
  t.regex(noColour.output(), /^Ann \(@ann_demo, id \d+, \+31611110001\) home DC 1\n$/);
  const piped = await tgmt(t, ['me'], env);
  t.is(piped.code, 0);
  t.regex(piped.stdout, /^Ann \(@ann_demo, id \d+, \+31611110001\) home DC 1\n$/);
  t.false(piped.stderr.includes(ESC));
});

test.serial('listen in a terminal: a message from Ann appears as it arrives; Ctrl-C stops with exit 0', async (t) => {
  const { env, ben } = await loggedInPair(t);
  const listening = spawnTgmtPty(t, ['listen', ...ben], env);
  await listening.waitFor(/listening for new messages \(Ctrl-C stops\)/);
  t.is((await tgmt(t, ['send', '@ben_demo', 'are', 'you', 'there?'], env)).code, 0);
  await listening.waitFor(/are you there\?/);
  t.regex(plain(listening.output()), /#1 \d\d:\d\d:\d\d Ann \(@ann_demo\): are you there\?/);
  listening.write('\x03');
  t.is(await listening.exit(), 0);
});

test.serial('history for people: oldest first, names, "you"', async (t) => {
  const { env, ben } = await loggedInPair(t);
  await tgmt(t, ['send', '@ben_demo', 'ping'], env);
  await tgmt(t, ['send', '@ann_demo', 'pong', ...ben], env);
  const h = await tgmt(t, ['history', '@ann_demo', ...ben], env);
  t.is(h.code, 0, h.stderr);
  t.regex(h.stdout, /^#1 \d\d:\d\d:\d\d Ann \(@ann_demo\): ping\n#2 \d\d:\d\d:\d\d you → Ann \(@ann_demo\): pong\n$/);
});
