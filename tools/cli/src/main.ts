// tgmt: the command line. Each command is a function of its parsed arguments
// that returns an exit code (see exit-codes.ts); errors are reported here.
import { CLIENT_OPTIONS, CLIENT_OPTIONS_HELP, parse } from './args.js';
import { contacts } from './commands/contacts.js';
import { demo } from './commands/demo.js';
import { emulator } from './commands/emulator.js';
import { download, upload } from './commands/files.js';
import { listen } from './commands/listen.js';
import { history, send } from './commands/messages.js';
import { login, logout, me } from './commands/account.js';
import type { Command, Context } from './context.js';
import { CliError, EXIT, UsageError } from './exit-codes.js';
import { describeError } from './format.js';
import { createOut } from './terminal/out.js';

export const COMMANDS: readonly Command[] = [login, logout, me, send, listen, history, contacts, upload, download, emulator, demo];

export const USAGE = `usage: tgmt <command> [options]      (tgmt <command> --help for more)

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}
  help       this text

Against the real Telegram when TG_API_ID and TG_API_HASH are set; otherwise
against an emulator: the one of --emulator FILE / $TGMT_EMULATOR / a running
\`tgmt emulator\`, else one embedded in the command (with demo users).

exit codes: 0 ok · 1 error · 2 usage · 3 not logged in · 4 Telegram refused (RPC error)
            5 no connection · 124 listen --timeout before --count · 130 interrupted`;

function commandHelp(c: Command): string {
  return [`usage: tgmt ${c.synopsis}`, '', c.summary, c.details ? `\n${c.details}` : '', c.client ? `\n${CLIENT_OPTIONS_HELP}` : '']
    .filter((s) => s !== '')
    .join('\n');
}

export interface MainIo {
  env?: NodeJS.ProcessEnv;
  /** Aborts the running command (the bin wires SIGINT and SIGTERM here). */
  signal?: AbortSignal;
}

export async function main(argv: string[], io: MainIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const out = createOut(process.stdout, env);
  const err = createOut(process.stderr, env);
  const [name = 'help', ...rest] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    const c = COMMANDS.find((x) => x.name === rest[0]);
    out.line(c ? commandHelp(c) : USAGE);
    return EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    out.line('tgmt 0.1.0');
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    process.stderr.write(`tgmt: unknown command '${name}'\n${USAGE}\n`);
    return EXIT.usage;
  }
  const signal = io.signal ?? new AbortController().signal;
  let json = rest.includes('--json');
  try {
    const { values, positionals } = parse(rest, command.client ? { ...CLIENT_OPTIONS, ...command.options } : command.options, command.positionals);
    if (values.help === true) {
      out.line(commandHelp(command));
      return EXIT.ok;
    }
    json = values.json === true;
    const ctx: Context = { values, positionals, json, out, err, env, signal };
    return await command.run(ctx);
  } catch (e) {
    if (signal.aborted || (e instanceof CliError && e.exitCode === EXIT.interrupted)) {
      if (json) process.stderr.write(JSON.stringify({ error: 'interrupted', exitCode: EXIT.interrupted }) + '\n');
      else process.stderr.write(`\n${err.paint.dim(`tgmt ${name}: interrupted`)}\n`);
      return EXIT.interrupted;
    }
    const d = describeError(e);
    if (json) process.stderr.write(JSON.stringify({ ...d.json, exitCode: d.exitCode }) + '\n');
    else process.stderr.write(`${err.paint.red(`tgmt ${name}:`)} ${d.message}\n`);
    if (e instanceof UsageError && !json) process.stderr.write(`usage: tgmt ${command.synopsis}   (tgmt ${name} --help)\n`);
    if (d.exitCode === EXIT.error && env.TGMT_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return d.exitCode;
  }
}
