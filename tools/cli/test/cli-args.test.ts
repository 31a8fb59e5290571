// Usage errors, exit codes and the small terminal helpers, without a server.
import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { RpcError, TelegramClientError } from '@telegram-mt/client';
import { parse } from '../src/args.js';
import { openTarget } from '../src/target.js';
import { EXIT, UsageError } from '../src/exit-codes.js';
import { describeError } from '../src/format.js';
import { colourWanted, toJson } from '../src/terminal/out.js';
import { createProgress, renderBar } from '../src/terminal/progress.js';
import { jsonLines, sandbox, tgmt } from './support/cli.js';

test('usage errors exit 2 and name the problem', async (t) => {
  const { env } = await sandbox(t);
  const cases: [string[], RegExp][] = [
    [['me', '--bogus'], /Unknown option '--bogus'/],
    [['history'], /missing <peer>/],
    [['me', 'extra'], /unexpected argument 'extra'/],
    [['history', '@ben', '--limit', '0'], /--limit must be a whole number from 1 to 1000/],
    [['listen', '--timeout', 'soon'], /--timeout must be a number of seconds/],
    [['download', '@ben', 'x'], /<msgId> must be a message id/],
    [['emulator', '--dcs', '101'], /--dcs must be a whole number from 1 to 100/],
    [['me', '--session', '/tmp/x.json'], /--session needs a server that outlives the command/],
  ];
  for (const [args, message] of cases) {
    const r = await tgmt(t, args, env);
    t.is(r.code, EXIT.usage, args.join(' '));
    t.regex(r.stderr, message);
    t.is(r.stdout, '');
  }
});

test('--json errors are one JSON line on stderr with the exit code', async (t) => {
  const { env } = await sandbox(t);
  const r = await tgmt(t, ['history', '--json'], env);
  t.is(r.code, EXIT.usage);
  t.deepEqual(jsonLines(r.stderr), [{ error: 'usage', message: 'missing <peer>', exitCode: 2 }]);
});

test('bad TG_API_ID / TG_API_HASH are usage errors before anything is sent', async (t) => {
  const { env } = await sandbox(t);
  const r = await tgmt(t, ['me'], { ...env, TG_API_ID: 'abc', TG_API_HASH: 'x' });
  t.is(r.code, EXIT.usage);
  t.regex(r.stderr, /TG_API_ID must be a positive whole number/);
  const h = await tgmt(t, ['me'], { ...env, TG_API_ID: '12345', TG_API_HASH: 'short' });
  t.is(h.code, EXIT.usage);
  t.regex(h.stderr, /TG_API_HASH must be the 32 hex digits/);
});

test('a missing, foreign or stale emulator state file exits 5 or 1 with a clear message', async (t) => {
  const { env, home } = await sandbox(t);
  const missing = await tgmt(t, ['me', '--emulator', `${home}/none.json`], env);
  t.is(missing.code, EXIT.network);
  t.regex(missing.stderr, /no emulator state at .*none\.json: start one with `tgmt emulator`/);

  await writeFile(`${home}/foreign.json`, '{"hello":1}');
  const foreign = await tgmt(t, ['me', '--emulator', `${home}/foreign.json`], env);
  t.is(foreign.code, EXIT.error);
  t.regex(foreign.stderr, /is not a tgmt-emulator state file/);

  const stale = {
    format: 'tgmt-emulator', version: 1, pid: 2 ** 22 + 12345, instance: 'x',
    dcs: [{ id: 1, host: '127.0.0.1', port: 1 }], rsaPublicKeys: [], control: { url: 'http://127.0.0.1:1', token: 't' }, users: [],
  };
  await writeFile(`${home}/stale.json`, JSON.stringify(stale));
  const dead = await tgmt(t, ['me'], { ...env, TGMT_EMULATOR: `${home}/stale.json` });
  t.is(dead.code, EXIT.network);
  t.regex(dead.stderr, /\(pid \d+\) is not running/);
});

test('help, per-command help and unknown commands', async (t) => {
  const { env } = await sandbox(t);
  const help = await tgmt(t, ['help'], env);
  t.is(help.code, 0);
  for (const c of ['login', 'me', 'send', 'listen', 'history', 'contacts', 'upload', 'download', 'emulator', 'demo']) t.regex(help.stdout, new RegExp(`^  ${c} `, 'm'));
  t.regex(help.stdout, /exit codes: 0 ok · 1 error · 2 usage · 3 not logged in/);
  const send = await tgmt(t, ['send', '--help'], env);
  t.regex(send.stdout, /usage: tgmt send <peer> <text…>/);
  t.regex(send.stdout, /--emulator <file>/);
  const nope = await tgmt(t, ['nope'], env);
  t.is(nope.code, EXIT.usage);
  t.regex(nope.stderr, /unknown command 'nope'/);
});

test('parse keeps positionals and rejects what the command does not take', (t) => {
  const p = parse(['@ben', 'hi', 'there', '--silent'], { silent: { type: 'boolean' } }, { min: 2, max: Infinity, names: 'x' });
  t.deepEqual(p.positionals, ['@ben', 'hi', 'there']);
  t.true(p.values.silent);
  t.throws(() => parse(['--nope'], {}, { min: 0, max: 0, names: '' }), { instanceOf: UsageError });
});

test('errors map to exit codes: RPC 4, auth 3, network 5, client misuse', (t) => {
  const rpc = new RpcError(400, 'PEER_ID_INVALID', 'messages.sendMessage');
  t.is(describeError(rpc).exitCode, EXIT.rpc);
  t.is(describeError(rpc).message, 'Telegram said 400 PEER_ID_INVALID (messages.sendMessage)');
  t.is(describeError(new RpcError(401, 'AUTH_KEY_UNREGISTERED')).exitCode, EXIT.auth);
  t.is(describeError(new RpcError(420, 'FLOOD_WAIT_300')).message, 'Telegram said 420 FLOOD_WAIT_300');
  t.is(describeError(new TelegramClientError('NOT_AUTHORIZED', 'no')).exitCode, EXIT.auth);
  t.is(describeError(new TelegramClientError('BAD_PEER', 'bad')).exitCode, EXIT.usage);
  t.is(describeError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })).exitCode, EXIT.network);
  t.is(describeError(new Error('boom')).exitCode, EXIT.error);
});

test('colour only on a TTY without NO_COLOR; JSON carries bigints and bytes', (t) => {
  t.true(colourWanted({ write() {}, isTTY: true }, {}));
  t.false(colourWanted({ write() {}, isTTY: true }, { NO_COLOR: '1' }));
  t.false(colourWanted({ write() {}, isTTY: true }, { TERM: 'dumb' }));
  t.false(colourWanted({ write() {} }, {}));
  t.is(toJson({ id: 2n ** 63n, b: new Uint8Array([1, 2]) }), '{"id":"9223372036854775808","b":"AQI="}');
});

test('the progress bar draws only on a TTY, at most every 100 ms, and ends its line', (t) => {
  t.is(renderBar('up', 512 * 1024, 1024 * 1024, 2), 'up [############............]  50% 512 KiB/1.0 MiB 256 KiB/s');
  let written = '';
  let now = 0;
  const tty = createProgress('up', { write: (s: string) => (written += s), isTTY: true }, () => now);
  tty.update(1, 10);
  now = 50;
  tty.update(5, 10); // within 100 ms: not drawn
  now = 200;
  tty.update(10, 10);
  tty.done();
  t.is(written.split('\r').length - 1, 3);
  t.true(written.endsWith('\n'));
  t.regex(written, /100% 10 B\/10 B/);
  let piped = '';
  const pipe = createProgress('up', { write: (s: string) => (piped += s) }, () => now);
  pipe.update(1, 10);
  pipe.done();
  t.is(piped, '');
});

test('the target: Telegram with TG_API_ID/TG_API_HASH (production DCs, a session under $TGMT_HOME), else the embedded emulator', async (t) => {
  const env = { TGMT_HOME: '/tmp/tgmt-home-x', TG_API_ID: '12345', TG_API_HASH: '0123456789abcdef0123456789abcdef' };
  const tg = await openTarget({}, env);
  t.is(tg.kind, 'telegram');
  t.deepEqual(tg.clientOptions, { apiId: 12345, apiHash: '0123456789abcdef0123456789abcdef' }, "the client's production DCs and keys");
  t.is(tg.sessionPath, '/tmp/tgmt-home-x/telegram.session.json');
  t.is((await openTarget({ session: '/tmp/s.json' }, env)).sessionPath, '/tmp/s.json');
  const embedded = await openTarget({}, { TGMT_HOME: '/tmp/tgmt-home-none' });
  try {
    t.is(embedded.kind, 'embedded');
    t.is(embedded.sessionPath, undefined);
    t.is(embedded.clientOptions.dcs?.length, 3);
    t.deepEqual(embedded.users.map((u) => [u.firstName, u.dc]), [['Ann', 1], ['Ben', 2], ['Cas', 3]]);
  } finally {
    await embedded.close();
  }
});
