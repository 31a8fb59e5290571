// The commands as scripts use them: --json through pipes, against a running
// `tgmt emulator` that each command attaches to, so a login in one command
// serves the next ones.
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { EXIT } from '../src/exit-codes.js';
import { jsonLines, loggedInPair, sandbox, spawnTgmt, startEmulatorProcess, tgmt } from './support/cli.js';

test.serial('login by flags: PHONE_MIGRATE to DC 1, 2FA password, kept for the next commands', async (t) => {
  const { env, home } = await sandbox(t);
  const { state } = await startEmulatorProcess(t, env, home);
  const attached = { ...env, TGMT_EMULATOR: state };
  const ann = await tgmt(t, ['login', '--json', '--phone', '+31611110001'], attached);
  t.is(ann.code, 0, ann.stderr);
  const [login] = jsonLines(ann.stdout);
  t.like(login, { event: 'login', already: false, dc: 1, target: 'attached', user: { username: 'ann_demo', firstName: 'Ann' } });

  const again = await tgmt(t, ['login', '--json'], attached);
  t.like(jsonLines(again.stdout)[0], { already: true, dc: 1 });
  const me = await tgmt(t, ['me', '--json'], attached);
  t.like(jsonLines(me.stdout)[0], { dc: 1, user: { username: 'ann_demo', phone: '31611110001' } });

  const ben = ['--session', `${home}/ben.json`];
  const noPassword = await tgmt(t, ['login', '--phone', '+31611110002', ...ben], attached);
  t.is(noPassword.code, EXIT.usage, 'without a terminal the 2FA password must come by flag');
  t.regex(noPassword.stderr, /Two-step verification password is needed: pass --password \(stdin is not a terminal\)/);
  const wrong = await tgmt(t, ['login', '--json', '--phone', '+31611110002', '--password', 'nope', ...ben], attached);
  t.is(wrong.code, EXIT.rpc);
  t.like(jsonLines(wrong.stderr)[0], { error: 'rpc', code: 400, text: 'PASSWORD_HASH_INVALID', exitCode: EXIT.rpc });
  const right = await tgmt(t, ['login', '--json', '--phone', '+31611110002', '--password', 'hunter2', ...ben], attached);
  t.is(right.code, 0, right.stderr);
  t.like(jsonLines(right.stdout)[0], { dc: 2, user: { username: 'ben_demo' } });
  const benMe = await tgmt(t, ['me', '--json', ...ben], attached);
  t.like(jsonLines(benMe.stdout)[0], { dc: 2, user: { username: 'ben_demo' } });

  const out = await tgmt(t, ['logout', '--json', ...ben], attached);
  t.is(out.code, 0, out.stderr);
  t.deepEqual(jsonLines(out.stdout), [{ event: 'logout' }]);
  t.is((await tgmt(t, ['me', ...ben], attached)).code, EXIT.auth, 'logged out: exit 3');

  const badCode = await tgmt(t, ['login', '--phone', '+31611110003', '--code', '00000', '--session', `${home}/cas.json`], attached);
  t.is(badCode.code, EXIT.rpc);
  t.regex(badCode.stderr, /Telegram said 400 PHONE_CODE_INVALID/);
});

test.serial('login with a bot token (USER_MIGRATE to the bot\'s DC)', async (t) => {
  const { env, home } = await sandbox(t);
  const { state } = await startEmulatorProcess(t, env, home);
  const { control } = JSON.parse(await readFile(state, 'utf8')) as { control: { url: string; token: string } };
  const made = await fetch(`${control.url}/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${control.token}` },
    body: JSON.stringify({ firstName: 'Relay', username: 'relay_bot', bot: true, dc: 3 }),
  });
  const { botToken } = (await made.json()) as { botToken: string };
  const bot = await tgmt(t, ['login', '--json', '--bot-token', botToken, '--emulator', state, '--session', `${home}/bot.json`], env);
  t.is(bot.code, 0, bot.stderr);
  t.like(jsonLines(bot.stdout)[0], { dc: 3, user: { username: 'relay_bot', bot: true } });
  const bad = await tgmt(t, ['login', '--bot-token', '1:nope', '--emulator', state, '--session', `${home}/bad.json`], env);
  t.is(bad.code, EXIT.rpc);
  t.regex(bad.stderr, /Telegram said 400 ACCESS_TOKEN_INVALID/);
});

test.serial('send, history and contacts as JSON lines', async (t) => {
  const { env, ben } = await loggedInPair(t);
  const sent = await tgmt(t, ['send', '--json', '@ben_demo', 'hello', '**Ben**', '--markdown'], env);
  t.is(sent.code, 0, sent.stderr);
  const [m] = jsonLines(sent.stdout);
  t.like(m, { out: true, text: 'hello Ben', media: null });
  t.deepEqual(m!.entities, [{ _: 'messageEntityBold', offset: 6, length: 3 }]);
  await tgmt(t, ['send', '@ben_demo', 'second'], env);
  const reply = await tgmt(t, ['send', '--json', '@ann_demo', 'got', 'it', '--reply-to', String(m!.id), ...ben], env);
  t.is(reply.code, 0, reply.stderr);

  const hist = await tgmt(t, ['history', '--json', '@ann_demo', ...ben], env);
  t.is(hist.code, 0, hist.stderr);
  const lines = jsonLines(hist.stdout);
  t.deepEqual(lines.map((l) => [l.text, l.out]), [['hello Ben', false], ['second', false], ['got it', true]], 'oldest first');
  t.is(lines[2]!.chatId, lines[0]!.senderId);
  const limited = await tgmt(t, ['history', '--json', '@ann_demo', '--limit', '1', ...ben], env);
  t.deepEqual(jsonLines(limited.stdout).map((l) => l.text), ['got it']);

  const contacts = await tgmt(t, ['contacts', '--json'], env);
  t.is(contacts.code, 0, contacts.stderr);
  t.deepEqual(jsonLines(contacts.stdout).map((u) => [u.username, u.mutualContact]), [['ben_demo', true], ['cas_demo', true]]);
});

test.serial('listen prints messages from a second user as they arrive and stops after --count', async (t) => {
  const { env, ben } = await loggedInPair(t);
  const listening = spawnTgmt(t, ['listen', '--json', '--count', '2', '--timeout', '40', ...ben], env);
  await listening.waitFor(/"event":"listening"/);
  t.is((await tgmt(t, ['send', '@ben_demo', 'one'], env)).code, 0);
  await listening.waitFor(/"text":"one"/);
  t.is((await tgmt(t, ['send', '@ben_demo', 'two', '__it__', '--markdown'], env)).code, 0);
  t.is(await listening.exit(), 0);
  const events = jsonLines(listening.output()).filter((e) => e.event === 'newMessage');
  t.deepEqual(events.map((e) => [e.text, e.out]), [['one', false], ['two it', false]]);
  t.deepEqual(events[1]!.entities, [{ _: 'messageEntityItalic', offset: 4, length: 2 }]);
});

test.serial('listen --timeout: exit 0 without --count, 124 when --count was not reached', async (t) => {
  const { env, ben } = await loggedInPair(t);
  const [quiet, short] = await Promise.all([
    tgmt(t, ['listen', '--json', '--timeout', '1', ...ben], env),
    tgmt(t, ['listen', '--count', '1', '--timeout', '1', ...ben], env),
  ]);
  t.is(quiet.code, EXIT.ok, quiet.stderr);
  t.deepEqual(jsonLines(quiet.stdout), [{ event: 'listening' }]);
  t.is(short.code, EXIT.timeout);
  t.regex(short.stderr, /0 of 1 messages before the 1 s timeout/);
});

test.serial('errors: not logged in exits 3, an unknown user 1, a stopped or killed emulator 5', async (t) => {
  const { env, home, state, emulator } = await loggedInPair(t);
  const fresh = await tgmt(t, ['me', '--session', `${home}/nobody.json`], env);
  t.is(fresh.code, EXIT.auth);
  t.regex(fresh.stderr, /not logged in to the emulator of .*: run `tgmt login` first/);
  const freshJson = await tgmt(t, ['contacts', '--json', '--session', `${home}/nobody.json`], env);
  t.is(freshJson.code, EXIT.auth);
  t.like(jsonLines(freshJson.stderr)[0], { error: 'cli', exitCode: EXIT.auth });

  const nobody = await tgmt(t, ['send', '@nobody_here', 'hi'], env);
  t.is(nobody.code, EXIT.error);
  t.regex(nobody.stderr, /tgmt send: .*nobody_here/);
  const empty = await tgmt(t, ['send', '@ben_demo', ' '], env);
  t.is(empty.code, EXIT.usage);
  t.regex(empty.stderr, /the message text is empty/);

  emulator.child.kill('SIGKILL'); // no clean-up: the state file stays, its pid is gone
  await emulator.exit();
  const dead = await tgmt(t, ['me'], env);
  t.is(dead.code, EXIT.network);
  t.regex(dead.stderr, /\(pid \d+\) is not running: start one with `tgmt emulator`/);
  t.regex(dead.stderr, new RegExp(state.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});
