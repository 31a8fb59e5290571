// upload and download: files with a progress bar on stderr (TTY only).
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { tl } from '@telegram-mt/tl';
import { str } from '../args.js';
import type { Message } from '../client-api.js';
import type { Command } from '../context.js';
import { CliError, EXIT, UsageError } from '../exit-codes.js';
import { messageJson } from '../format.js';
import { createProgress, formatBytes } from '../terminal/progress.js';
import { withSession } from '../session.js';

export const upload: Command = {
  name: 'upload',
  summary: 'send a file as a document',
  synopsis: 'upload <peer> <file> [--caption TEXT]',
  options: { caption: { type: 'string' } },
  positionals: { min: 2, max: 2, names: '<peer> and <file>' },
  client: true,
  run: async (ctx) => {
    const [peer, file] = ctx.positionals as [string, string];
    const info = await stat(file).catch((e: NodeJS.ErrnoException) => {
      throw new CliError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
    });
    if (!info.isFile()) throw new CliError(`${file} is not a file`);
    return withSession(ctx, { login: 'required' }, async ({ client }) => {
      const progress = ctx.json ? undefined : createProgress(`upload ${basename(file)}`);
      const m = await client.sendFile(peer, resolve(file), {
        caption: str(ctx.values, 'caption'),
        fileName: basename(file),
        onProgress: progress && ((done, total) => progress.update(done, total)),
        signal: ctx.signal,
      });
      progress?.done();
      if (ctx.json) ctx.out.json({ ...messageJson(m), size: info.size });
      else ctx.out.ok(`sent ${basename(file)} (${formatBytes(info.size)}) to ${peer} as #${m.id}`);
      return EXIT.ok;
    });
  },
};

function fileNameOf(m: Message): string | undefined {
  const media = m.media;
  if (media?._ !== 'messageMediaDocument' || media.document?._ !== 'document') return undefined;
  const attr = media.document.attributes.find((a): a is tl.documentAttributeFilename => a._ === 'documentAttributeFilename');
  // Only the last path component: a sender must not choose where we write.
  return attr ? basename(attr.fileName) || undefined : undefined;
}

export const download: Command = {
  name: 'download',
  summary: "save a message's file",
  synopsis: 'download <peer> <msgId> [path]',
  details: 'path defaults to the file name the sender gave (in the current directory), else <msgId>.bin',
  options: {},
  positionals: { min: 2, max: 3, names: '<peer> and <msgId>' },
  client: true,
  run: (ctx) => {
    const [peer, idText, path] = ctx.positionals as [string, string, string | undefined];
    const msgId = Number(idText);
    if (!/^\d+$/.test(idText) || msgId < 1 || msgId >= 2 ** 31) throw new UsageError(`<msgId> must be a message id (a positive whole number), got '${idText}'`);
    return withSession(ctx, { login: 'required' }, async ({ client }) => {
      const [m] = await client.getMessages(peer, { ids: [msgId] });
      if (m === undefined) throw new CliError(`no message #${msgId} with ${peer}`);
      if (m.media === undefined || m.media._ === 'messageMediaEmpty') throw new CliError(`message #${msgId} has no file`);
      const to = resolve(path ?? fileNameOf(m) ?? `${msgId}.bin`);
      const progress = ctx.json ? undefined : createProgress(`download ${basename(to)}`);
      const size = await client.downloadFile(m, { to, ...(progress ? { onProgress: (done: number, total: number) => progress.update(done, total) } : {}), signal: ctx.signal });
      progress?.done();
      if (ctx.json) ctx.out.json({ id: msgId, path: to, size });
      else ctx.out.ok(`saved #${msgId} to ${to} (${formatBytes(size)})`);
      return EXIT.ok;
    });
  },
};
