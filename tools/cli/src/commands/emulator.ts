// emulator: a loopback Telegram in its own process, with the demo users, a
// state file other commands attach to (--emulator / $TGMT_EMULATOR), and a
// control endpoint that serves them the login codes.
import { intOption, str } from '../args.js';
import type { Command } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { startControl } from '../emulator/control.js';
import { seedDemoUsers } from '../emulator/demo-users.js';
import { defaultStatePath, newInstanceId, readState, removeState, writeState, STATE_FORMAT, type EmulatorState } from '../emulator/state.js';

export const emulator: Command = {
  name: 'emulator',
  summary: 'run the DC emulator standalone (other commands attach with --emulator)',
  synopsis: 'emulator [--dcs N] [--port P] [--state FILE] [--json]',
  details: `Writes its DCs, RSA key and control endpoint to the state file (default
$TGMT_HOME/emulator.json, ~/.tgmt/emulator.json), which other commands read
when given --emulator FILE or $TGMT_EMULATOR (the default file is used by
itself while its emulator runs). Stops on Ctrl-C / SIGTERM and removes the file.
  --dcs N      DCs with ids 1…N (default 3)
  --port P     DC i listens on P+i-1 (default: ports the OS picks)
  --json       print the state as one JSON line instead of a summary`,
  options: { dcs: { type: 'string' }, port: { type: 'string' }, state: { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 0, max: 0, names: '' },
  client: false,
  run: async (ctx) => {
    const dcCount = intOption(ctx.values, 'dcs', 3, 1, 100)!;
    const port = intOption(ctx.values, 'port', 0, 0, 65535 - dcCount)!;
    const statePath = str(ctx.values, 'state') ?? defaultStatePath(ctx.env);
    const running = await readState(statePath).catch(() => undefined);
    if (running !== undefined) {
      throw new CliError(`an emulator is already running with ${statePath} (pid ${running.pid}): stop it, or pass --state for another file`);
    }
    const { startEmulator } = await import('@telegram-mt/dc-emulator');
    const emu = await startEmulator({ dcs: Array.from({ length: dcCount }, (_, i) => ({ id: i + 1, port: port === 0 ? 0 : port + i })) });
    const control = await startControl(emu).catch(async (e: unknown) => {
      await emu.stop();
      throw e;
    });
    const users = seedDemoUsers(emu.world, dcCount);
    const state: EmulatorState = {
      format: STATE_FORMAT,
      version: 1,
      pid: process.pid,
      instance: newInstanceId(),
      dcs: emu.dcs,
      rsaPublicKeys: emu.rsaPublicKeys,
      control: { url: control.url, token: control.token },
      users,
    };
    try {
      await writeState(statePath, state);
      if (ctx.json) ctx.out.json({ statePath, ...state, control: { url: control.url } });
      else {
        const p = ctx.out.paint;
        ctx.out.line(p.bold('A loopback Telegram is running.'));
        for (const dc of emu.dcs) ctx.out.ok(`DC ${dc.id} on ${dc.host}:${dc.port}`);
        ctx.out.ok(`state: ${statePath}`);
        ctx.out.line('Demo users (the login code is read from the emulator for you):');
        for (const u of users) {
          ctx.out.note(`${u.phone}  ${u.firstName} (@${u.username}), DC ${u.dc}${u.password ? `, 2FA password ${u.password}` : ''}`);
        }
        const attach = str(ctx.values, 'state') === undefined ? '' : ` --emulator ${statePath}`;
        ctx.out.line(`Try, in another terminal:  tgmt login${attach} --phone ${users[0]!.phone}`);
        ctx.out.line(p.dim('Ctrl-C stops it.'));
      }
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      await removeState(statePath, state.instance);
      await control.close();
      await emu.stop();
    }
    if (!ctx.json) ctx.out.line('emulator stopped');
    return EXIT.ok;
  },
};
