// Questions on a terminal (phone, code, 2FA password) through node:readline.
// The question goes to stderr so stdout holds only results; a secret is read
// with echo off. Without a TTY there is nobody to ask: the caller must use flags.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CliError, EXIT } from '../exit-codes.js';

export interface PromptIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean };
}

export function canPrompt(io: PromptIo = { input: process.stdin, output: process.stderr }): boolean {
  return io.input.isTTY === true;
}

/**
 * Asks one question. `flag` names the option that answers it without a
 * terminal, for the error when there is none. An aborted `signal` (Ctrl-C)
 * rejects with the signal's reason.
 */
export async function ask(
  question: string,
  o: { secret?: boolean; flag: string; signal?: AbortSignal; io?: PromptIo },
): Promise<string> {
  const io = o.io ?? { input: process.stdin, output: process.stderr };
  if (!canPrompt(io)) throw new CliError(`${question.replace(/:\s*$/, '')} is needed: pass ${o.flag} (stdin is not a terminal)`, EXIT.usage);
  let muted = false;
  // Echo goes through this stream so a secret can be hidden while typed.
  const echo = new Writable({
    write(chunk, _enc, done) {
      if (!muted) io.output.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: io.input, output: echo, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      const onAbort = () => reject(new CliError('interrupted', EXIT.interrupted));
      o.signal?.addEventListener('abort', onAbort, { once: true });
      rl.on('SIGINT', onAbort); // in raw mode Ctrl-C reaches readline, not the process
      rl.question(question, (answer) => {
        o.signal?.removeEventListener('abort', onAbort);
        if (o.secret) io.output.write('\n');
        resolve(answer.trim());
      });
      muted = o.secret === true;
    });
  } finally {
    rl.close();
  }
}
