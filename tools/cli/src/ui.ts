// Output for people: colour only on a TTY (and never with NO_COLOR), plain text otherwise.
export interface Out {
  line(text?: string): void;
  step(title: string): void;
  ok(text: string): void;
  note(text: string): void;
  fail(text: string): void;
}

export function createOut(stream: NodeJS.WriteStream = process.stdout): Out {
  const colour = stream.isTTY === true && !process.env.NO_COLOR;
  const paint = (code: string, s: string) => (colour ? `\x1b[${code}m${s}\x1b[0m` : s);
  const write = (s: string) => void stream.write(s + '\n');
  return {
    line: (text = '') => write(text),
    step: (title) => write('\n' + paint('1', `▸ ${title}`)),
    ok: (text) => write(`  ${paint('32', '✓')} ${text}`),
    note: (text) => write(`  ${paint('2', text)}`),
    fail: (text) => write(`  ${paint('31', '✗')} ${text}`),
  };
}
