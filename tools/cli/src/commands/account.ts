// login, logout, me: who this session is.
import { EXIT } from '../exit-codes.js';
import type { Command } from '../context.js';
import { userJson, userLine } from '../format.js';
import { signIn, withSession } from '../session.js';

export const login: Command = {
  name: 'login',
  summary: 'log in by phone (code, 2FA password) or bot token; the session is kept',
  synopsis: 'login [--phone +…] [--code N] [--password P] [--bot-token T]',
  details: `Asks on the terminal for what the flags do not give. Against an emulator the
code is read from its inbox (a terminal shows it in the prompt: Enter takes
it). The 2FA password may also come from $TG_PASSWORD.
  --first-name, --last-name   the name for a new account (emulator sign-up)`,
  options: {
    code: { type: 'string' },
    password: { type: 'string' },
    'bot-token': { type: 'string' },
    'first-name': { type: 'string' },
    'last-name': { type: 'string' },
  },
  positionals: { min: 0, max: 0, names: '' },
  client: true,
  run: (ctx) =>
    withSession(ctx, { login: 'none' }, async (s) => {
      const already = await s.client.isAuthorized();
      const user = already ? await s.client.getMe() : await signIn(ctx, s);
      const dc = s.client.homeDcId;
      if (ctx.json) ctx.out.json({ event: 'login', already, user: userJson(user), dc, target: s.target.kind });
      else {
        ctx.out.ok(`${already ? 'Already logged in' : 'Logged in'} as ${userLine(user, ctx.out.paint)} on DC ${dc}`);
        if (s.target.sessionPath) ctx.out.note(`session: ${s.target.sessionPath}`);
        else ctx.out.note('this emulator stops with the command: run `tgmt emulator` elsewhere and pass --emulator to keep a login');
      }
      return EXIT.ok;
    }),
};

export const logout: Command = {
  name: 'logout',
  summary: 'log out and forget the session',
  synopsis: 'logout',
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  client: true,
  run: (ctx) =>
    withSession(ctx, { login: 'required' }, async (s) => {
      await s.client.logOut();
      if (ctx.json) ctx.out.json({ event: 'logout' });
      else ctx.out.ok('Logged out');
      return EXIT.ok;
    }),
};

export const me: Command = {
  name: 'me',
  summary: 'who is logged in',
  synopsis: 'me',
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  client: true,
  run: (ctx) =>
    withSession(ctx, { login: 'required' }, async (s) => {
      const user = await s.client.getMe();
      const dc = s.client.homeDcId;
      if (ctx.json) ctx.out.json({ user: userJson(user), dc });
      else ctx.out.line(`${userLine(user, ctx.out.paint)} ${ctx.out.paint.dim(`home DC ${dc}`)}`);
      return EXIT.ok;
    }),
};
