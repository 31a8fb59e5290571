// demo: what `npm start` runs.
import type { Command } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { runDemo } from '../demo/index.js';

export const demo: Command = {
  name: 'demo',
  summary: 'the demo against an embedded emulator (what `npm start` runs); stops by itself',
  synopsis: 'demo',
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  client: false,
  run: async (ctx) => {
    await runDemo(ctx.out);
    return EXIT.ok;
  },
};
