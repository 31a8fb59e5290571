// Argument parsing: node:util parseArgs with the options every command shares,
// and a few checks that turn strings into numbers with a usage error.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './exit-codes.js';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;

/** Options of every command that talks to Telegram or the emulator. */
export const CLIENT_OPTIONS: OptionSpecs = {
  json: { type: 'boolean' },
  session: { type: 'string' },
  emulator: { type: 'string' },
  phone: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  'connect-timeout': { type: 'string' },
};

export const CLIENT_OPTIONS_HELP = `common options:
  --json             one JSON object per line on stdout, for scripts
  --session <path>   the session file (default: under $TGMT_HOME, ~/.tgmt)
  --emulator <file>  attach to a running \`tgmt emulator\` (its state file; or $TGMT_EMULATOR)
  --phone <number>   the account (embedded emulator: which demo user; default Ann)
  --connect-timeout S  give up connecting after S seconds (default 30; exit 5)
  -v, --verbose      the client's log on stderr`;

export interface Parsed {
  values: Values;
  positionals: string[];
}

export function parse(argv: string[], options: OptionSpecs, positionals: { min: number; max: number; names: string }): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }) as Parsed;
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const n = parsed.positionals.length;
  if (parsed.values.help !== true && (n < positionals.min || n > positionals.max)) {
    throw new UsageError(n < positionals.min ? `missing ${positionals.names}` : `unexpected argument '${parsed.positionals[positionals.max]}'`);
  }
  return parsed;
}

/** A whole number in [min, max] from an option, or `fallback` when absent. */
export function intOption(values: Values, name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got '${String(raw)}'`);
  }
  return n;
}

/** A number of seconds (fractions allowed) in (0, max]. */
export function secondsOption(values: Values, name: string, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) {
    throw new UsageError(`--${name} must be a number of seconds from 0 to ${max}, got '${String(raw)}'`);
  }
  return n;
}

export const str = (values: Values, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};
