// contacts: the account's contact list.
import type { Command } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { userJson, userLine } from '../format.js';
import { withSession } from '../session.js';

export const contacts: Command = {
  name: 'contacts',
  summary: 'list contacts',
  synopsis: 'contacts',
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  client: true,
  run: (ctx) =>
    withSession(ctx, { login: 'required' }, async ({ client }) => {
      const users = await client.getContacts();
      if (ctx.json) for (const u of users) ctx.out.json(userJson(u));
      else if (users.length === 0) ctx.out.note('no contacts');
      else for (const u of users) ctx.out.line(`${userLine(u, ctx.out.paint)}${u.mutualContact ? ctx.out.paint.dim(' mutual') : ''}`);
      return EXIT.ok;
    }),
};
