// What a command gets: its parsed arguments, stdout and stderr for people
// or scripts, the environment, and a signal that Ctrl-C aborts.
import type { OptionSpecs, Values } from './args.js';
import type { ExitCode } from './exit-codes.js';
import type { Out } from './terminal/out.js';

export interface Context {
  values: Values;
  positionals: string[];
  /** --json: results as one JSON object per line on stdout. */
  json: boolean;
  out: Out;
  err: Out;
  env: NodeJS.ProcessEnv;
  /** Aborted by SIGINT / SIGTERM. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  /** One line for `tgmt help`. */
  summary: string;
  /** The synopsis after `tgmt `, e.g. `send <peer> <text…>`. */
  synopsis: string;
  /** More lines for `tgmt <command> --help`. */
  details?: string;
  options: OptionSpecs;
  positionals: { min: number; max: number; names: string };
  /** Takes the common client options (--json, --session, --emulator, --phone, -v). */
  client: boolean;
  run(ctx: Context): Promise<ExitCode>;
}
