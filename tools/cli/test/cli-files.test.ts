// upload and download between two people through a running emulator, with
// the progress bar in a terminal. Runs where the client has file transfer
// (sendFile/downloadFile); skipped, visibly, before.
import test from 'ava';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { TelegramClient } from '@telegram-mt/client';
import { jsonLines, loggedInPair, plain, spawnTgmtPty, tgmt } from './support/cli.js';

const hasFiles = typeof (TelegramClient.prototype as { sendFile?: unknown }).sendFile === 'function';
const maybe = hasFiles ? test.serial : test.skip;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

maybe('Ann uploads a file to Ben, Ben downloads it by message id: same bytes', async (t) => {
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
  const noFile = await tgmt(t, ['download', '@ben_demo', '99999'], env);
  t.is(noFile.code, 1);
});

maybe('in a terminal the transfer draws a progress bar on stderr', async (t) => {
  const { env, home } = await loggedInPair(t);
  await writeFile(`${home}/big.bin`, randomBytes(4 * 1024 * 1024));
  const up = spawnTgmtPty(t, ['upload', '@ben_demo', `${home}/big.bin`], env);
  t.is(await up.exit(60_000), 0);
  t.regex(plain(up.output()), /upload big\.bin \[#{24}\] 100% 4\.0 MiB\/4\.0 MiB/);
  t.regex(plain(up.output()), /sent big\.bin \(4\.0 MiB\) to @ben_demo as #\d+/);
});
