// listen: prints new messages as they arrive (pushed updates), until Ctrl-C,
// --count messages, or --timeout seconds.
import { intOption, secondsOption } from '../args.js';
import type { Message } from '../client-api.js';
import type { Command } from '../context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { messageJson, messageLine } from '../format.js';
import { learnFromCache, namesFor } from '../names.js';
import { withSession } from '../session.js';

export const listen: Command = {
  name: 'listen',
  summary: 'print incoming messages as they arrive',
  synopsis: 'listen [--count N] [--timeout SECONDS] [--incoming]',
  details: `Stops on Ctrl-C (exit 0), after --count messages (exit 0), or after --timeout
seconds (exit 0 without --count; exit 124 when --count was not reached).
  --incoming   only messages from others (not what this account sends elsewhere)`,
  options: { count: { type: 'string' }, timeout: { type: 'string' }, incoming: { type: 'boolean' } },
  positionals: { min: 0, max: 0, names: '' },
  client: true,
  run: (ctx) => {
    const count = intOption(ctx.values, 'count', undefined, 1, 1_000_000);
    const timeout = secondsOption(ctx.values, 'timeout', 7 * 24 * 3600);
    return withSession(ctx, { login: 'required', updates: true }, async ({ client }) => {
      const names = await namesFor(client);
      let seen = 0;
      let finish!: (code: ExitCode) => void;
      const finished = new Promise<ExitCode>((resolve) => (finish = resolve));
      // Printing is chained so lines keep arrival order while names are looked up.
      let printing = Promise.resolve();
      const onMessage = (m: Message) => {
        if (ctx.values.incoming === true && m.out) return;
        if (count !== undefined && seen >= count) return;
        seen++;
        const last = count !== undefined && seen >= count;
        printing = printing.then(async () => {
          if (ctx.json) ctx.out.json({ event: 'newMessage', ...messageJson(m) });
          else {
            await learnFromCache(client, names, [m]);
            ctx.out.line(messageLine(m, names, ctx.out.paint));
          }
          if (last) finish(EXIT.ok);
        });
      };
      client.on('newMessage', onMessage);
      const timer = timeout === undefined ? undefined : setTimeout(() => finish(count === undefined ? EXIT.ok : EXIT.timeout), timeout * 1000);
      const onAbort = () => finish(EXIT.ok);
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      if (ctx.json) ctx.out.json({ event: 'listening' });
      else if (process.stderr.isTTY) ctx.err.note('listening for new messages (Ctrl-C stops)');
      try {
        const code = await finished;
        await printing;
        if (code === EXIT.timeout) ctx.err.line(`tgmt listen: ${seen} of ${count} messages before the ${timeout} s timeout`);
        return code;
      } finally {
        clearTimeout(timer);
        ctx.signal.removeEventListener('abort', onAbort);
        client.off('newMessage', onMessage);
      }
    });
  },
};
