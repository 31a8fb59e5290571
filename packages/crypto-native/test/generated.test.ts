import { readFileSync } from 'node:fs';

import test from 'ava';

test('src/js/generated/aes-ige-blocks.ts is what scripts/gen-aes-ige.mjs writes', async (t) => {
  // @ts-expect-error: a plain .mjs script without type declarations
  const { generate } = (await import('../scripts/gen-aes-ige.mjs')) as { generate(): string };
  const committed = readFileSync(new URL('../src/js/generated/aes-ige-blocks.ts', import.meta.url), 'utf8');
  t.is(committed, generate(), 'run `node scripts/gen-aes-ige.mjs` and commit the result');
});
