// send and history: one chat's messages.
import { intOption } from '../args.js';
import type { Command } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { messageJson, messageLine } from '../format.js';
import { namesFor } from '../names.js';
import { withSession } from '../session.js';

const PEER_HELP = `<peer> is @username, a username, +phone, a marked id (users as is, groups
negative, channels -100…) or "me" (Saved Messages).`;

export const send: Command = {
  name: 'send',
  summary: 'send a text message',
  synopsis: 'send <peer> <text…> [--markdown | --html] [--reply-to ID] [--silent]',
  details: PEER_HELP,
  options: {
    markdown: { type: 'boolean' },
    html: { type: 'boolean' },
    'reply-to': { type: 'string' },
    silent: { type: 'boolean' },
  },
  positionals: { min: 2, max: Infinity, names: '<peer> and <text>' },
  client: true,
  run: (ctx) => {
    const [peer, ...words] = ctx.positionals as [string, ...string[]];
    const replyTo = intOption(ctx.values, 'reply-to', undefined, 1, 2 ** 31 - 1);
    const parseMode = ctx.values.markdown ? 'markdown' : ctx.values.html ? 'html' : undefined;
    if (ctx.values.markdown && ctx.values.html) throw new UsageError('--markdown or --html, not both');
    const text = words.join(' ');
    if (text.trim() === '') throw new UsageError('the message text is empty');
    return withSession(ctx, { login: 'required' }, async ({ client }) => {
      const m = await client.sendMessage(peer, text, { parseMode, replyTo, silent: ctx.values.silent === true });
      if (ctx.json) ctx.out.json(messageJson(m));
      else ctx.out.ok(`sent #${m.id} to ${peer}`);
      return EXIT.ok;
    });
  },
};

export const history: Command = {
  name: 'history',
  summary: "a chat's latest messages, oldest first",
  synopsis: 'history <peer> [--limit N] [--offset-id ID]',
  details: `${PEER_HELP}\n  --limit N       how many (1…1000, default 20)\n  --offset-id ID  only messages older than ID`,
  options: { limit: { type: 'string' }, 'offset-id': { type: 'string' } },
  positionals: { min: 1, max: 1, names: '<peer>' },
  client: true,
  run: (ctx) => {
    const limit = intOption(ctx.values, 'limit', 20, 1, 1000)!;
    const offsetId = intOption(ctx.values, 'offset-id', undefined, 1, 2 ** 31 - 1);
    const peer = ctx.positionals[0]!;
    return withSession(ctx, { login: 'required' }, async ({ client }) => {
      const messages = (await client.getMessages(peer, { limit, offsetId })).slice().sort((a, b) => a.id - b.id);
      if (ctx.json) {
        for (const m of messages) ctx.out.json(messageJson(m));
        return EXIT.ok;
      }
      const names = await namesFor(client, messages);
      if (messages.length === 0) ctx.out.note(`no messages with ${peer}`);
      for (const m of messages) ctx.out.line(messageLine(m, names, ctx.out.paint));
      return EXIT.ok;
    });
  },
};

