// demo: what `npm start` runs.
import type { Command } from '../context.js';
import { EXIT } from '../exit-codes.js';

export const demo: Command = {
  name: 'demo',
  summary: 'the demo against an embedded emulator (what `npm start` runs); stops by itself',
  synopsis: 'demo',
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  client: false,
  run: async (ctx) => {
    const { runDemo } = await import('../demo/index.js');
    await runDemo(ctx.out);
    return EXIT.ok;
  },
};
