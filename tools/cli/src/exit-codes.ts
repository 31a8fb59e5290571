// Exit codes, documented in the README: scripts branch on them.
export const EXIT = {
  /** Done. `listen` stopped by Ctrl-C, `--count` or `--timeout` with its count met. */
  ok: 0,
  /** Anything else that went wrong (a file that cannot be read, a bug). */
  error: 1,
  /** Bad arguments or an unknown command: nothing was sent. */
  usage: 2,
  /** Not logged in (run `tgmt login`), or the login was refused. */
  auth: 3,
  /** Telegram (or the emulator) answered with an RPC error. */
  rpc: 4,
  /** No connection: the DC or the attached emulator cannot be reached, or a request timed out. */
  network: 5,
  /** `listen --timeout` ran out before `--count` messages arrived (as timeout(1)). */
  timeout: 124,
  /** Interrupted by Ctrl-C (SIGINT) before the command finished. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Wrong arguments: exit 2 with the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure the CLI itself detects and explains, with its exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.error,
  ) {
    super(message);
  }
}
