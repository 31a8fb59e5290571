// upload and download between two people through a running emulator, with
// the progress bar in a terminal.
import test from 'ava';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { jsonLines, loggedInPair, plain, spawnTgmtPty, tgmt } from './support/cli.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test.serial('Ann uploads a file to Ben, Ben downloads it by message id: same bytes', async (t) => {
  const { env, home, ben } = await loggedInPair(t);
  const bytes = randomBytes(1024 * 1024 + 7);
  await writeFile(`${home}/report.bin`, bytes);
  const up = await tgmt(t, ['upload', '--json', '@ben_demo', `${home}/report.bin`, '--caption', 'the report'], env, 60_000);
  t.is(up.code, 0, up.stderr);
  const hist = await tgmt(t, ['history', '--json', '@ann_demo', ...ben], env);
  const m = jsonLines(hist.stdout).find((l) => l.media === 'messageMediaDocument');
  t.truthy(m, hist.stdout);
  const down = await tgmt(t, ['download', '--json', '@ann_demo', String(m!.id), `${home}/got.bin`, ...ben], env, 60_000);
  t.is(down.code, 0, down.stderr);
  t.like(jsonLines(down.stdout)[0], { id: m!.id, size: bytes.length });
  t.is(sha256(await readFile(`${home}/got.bin`)), sha256(bytes));
  await mkdir(`${home}/dl`);
  const byName = await tgmt(t, ['download', '@ann_demo', String(m!.id), ...ben], env, 60_000, `${home}/dl`);
  t.is(byName.code, 0, byName.stderr);
  t.regex(byName.stdout, /saved #\d+ to .*\/dl\/report\.bin \(1\.0 MiB\)/, "the sender's file name, in the current directory");
  t.is(sha256(await readFile(`${home}/dl/report.bin`)), sha256(bytes));

  const text = jsonLines((await tgmt(t, ['send', '--json', '@ben_demo', 'no file here'], env)).stdout)[0]!;
  const noMedia = await tgmt(t, ['download', '@ben_demo', String(text.id)], env);
  t.is(noMedia.code, 1);
  t.regex(noMedia.stderr, /message #\d+ has no file/);
  const noMessage = await tgmt(t, ['download', '@ben_demo', '99999'], env);
  t.is(noMessage.code, 1);
  t.regex(noMessage.stderr, /no message #99999 with @ben_demo/);
});

test.serial('in a terminal the transfer draws a progress bar on stderr', async (t) => {
  const { env, home } = await loggedInPair(t);
  await writeFile(`${home}/big.bin`, randomBytes(4 * 1024 * 1024));
  const up = spawnTgmtPty(t, ['upload', '@ben_demo', `${home}/big.bin`], env);
  t.is(await up.exit(60_000), 0);
  t.regex(plain(up.output()), /upload big\.bin \[#{24}\] 100% 4\.0 MiB\/4\.0 MiB/);
  t.regex(plain(up.output()), /sent big\.bin \(4\.0 MiB\) to @ben_demo as #\d+/);
});

test.serial('Ctrl-C during an upload stops it: exit 130, nothing left running', async (t) => {
  const { env, home, state } = await loggedInPair(t);
  // Every answer of Ann's DC waits 400 ms, so the upload is still running when Ctrl-C comes.
  const { control } = JSON.parse(await readFile(state, 'utf8')) as { control: { url: string; token: string } };
  const set = await fetch(`${control.url}/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${control.token}` },
    body: JSON.stringify({ dc: 1, fault: { kind: 'delay', ms: 400 } }),
  });
  t.deepEqual(await set.json(), { faults: 1 });
  await writeFile(`${home}/huge.bin`, randomBytes(16 * 1024 * 1024));
  const up = spawnTgmtPty(t, ['upload', '@ben_demo', `${home}/huge.bin`], env);
  await up.waitFor(/upload huge\.bin \[/);
  up.write('\x03');
  t.is(await up.exit(), 130);
  t.regex(plain(up.output()), /tgmt upload: interrupted/);
  t.notRegex(plain(up.output()), /sent huge\.bin/);
});
