// One-shot commands against the emulator embedded in the command: a demo
// user is logged in automatically (code from the emulator's inbox, the demo
// 2FA password), and everything is gone when the command ends.
import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { EXIT } from '../src/exit-codes.js';
import { jsonLines, sandbox, tgmt } from './support/cli.js';

test.serial('me, contacts and send work in one command each, as Ann (PHONE_MIGRATE) or Ben (2FA)', async (t) => {
  const { env } = await sandbox(t);
  const [ann, ben, contacts, sent] = await Promise.all([
    tgmt(t, ['me', '--json'], env),
    tgmt(t, ['me', '--json', '--phone', '+31611110002'], env),
    tgmt(t, ['contacts', '--json'], env),
    tgmt(t, ['send', '--json', '@cas_demo', 'hi', 'Cas'], env),
  ]);
  t.is(ann.code, 0, ann.stderr);
  t.like(jsonLines(ann.stdout)[0], { dc: 1, user: { username: 'ann_demo' } });
  t.like(jsonLines(ben.stdout)[0], { dc: 2, user: { username: 'ben_demo' } });
  t.deepEqual(jsonLines(contacts.stdout).map((u) => u.username), ['ben_demo', 'cas_demo']);
  t.like(jsonLines(sent.stdout)[0], { out: true, text: 'hi Cas' });
  t.is(ann.stderr, '', 'nothing on stderr when it is not a terminal');
});

test.serial('login on the embedded emulator says the login ends with the command', async (t) => {
  const { env } = await sandbox(t);
  const r = await tgmt(t, ['login'], env);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /Logged in as Ann \(@ann_demo, id \d+, \+31611110001\) on DC 1/);
  t.regex(r.stdout, /this emulator stops with the command/);
});

test.serial('upload: a file to Saved Messages; a missing file is a clear error', async (t) => {
  const { env, home } = await sandbox(t);
  const file = `${home}/hello.txt`;
  await writeFile(file, 'hello, file\n');
  const missing = await tgmt(t, ['upload', '@ben_demo', `${home}/absent.bin`], env);
  t.is(missing.code, EXIT.error);
  t.regex(missing.stderr, /cannot read .*absent\.bin: no such file/);
  const up = await tgmt(t, ['upload', '--json', 'me', file, '--caption', 'a note'], env);
  t.is(up.code, 0, up.stderr);
  t.like(jsonLines(up.stdout)[0], { size: 12, text: 'a note' });
});
