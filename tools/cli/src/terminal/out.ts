// Output for people and for scripts. People get colour only on a TTY (never
// with NO_COLOR); scripts ask for --json and get one JSON object per line.
export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

export interface Out {
  /** Whether escapes are written (a TTY without NO_COLOR). */
  readonly colour: boolean;
  readonly paint: Paint;
  line(text?: string): void;
  step(title: string): void;
  ok(text: string): void;
  note(text: string): void;
  fail(text: string): void;
  /** One JSON object on one line; bigints become decimal strings, bytes base64. */
  json(value: unknown): void;
}

export interface OutStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

export function colourWanted(stream: OutStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb';
}

export function makePaint(colour: boolean): Paint {
  const sgr = (code: string) => (s: string) => (colour ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { bold: sgr('1'), dim: sgr('2'), green: sgr('32'), red: sgr('31'), yellow: sgr('33'), cyan: sgr('36') };
}

export function createOut(stream: OutStream = process.stdout, env: NodeJS.ProcessEnv = process.env): Out {
  const colour = colourWanted(stream, env);
  const paint = makePaint(colour);
  const write = (s: string) => void stream.write(s + '\n');
  return {
    colour,
    paint,
    line: (text = '') => write(text),
    step: (title) => write('\n' + paint.bold(`▸ ${title}`)),
    ok: (text) => write(`  ${paint.green('✓')} ${text}`),
    note: (text) => write(`  ${paint.dim(text)}`),
    fail: (text) => write(`  ${paint.red('✗')} ${text}`),
    json: (value) => write(toJson(value)),
  };
}

/** JSON for values that hold TL objects: bigint → string, bytes → base64, Date → ISO. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
    return v;
  });
}
