// The committed schemas of the bundled layers are facts, checked offline here
// (scripts/old-layers.ts checks them against their npm tarballs): each says
// its layer, every line is in canonical form, and every id is the CRC-32 of
// its line — a hand edit that changes a line without its id fails.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeCombinatorId, formatCombinator, parseSchema, readDeclarations } from '@telegram-mt/tl/schema';
import { BUNDLED_LAYERS } from '../src/layers/shelf.js';

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema');

for (const layer of BUNDLED_LAYERS) {
  test(`schema/layer-${layer}.tl: layer ${layer}, canonical lines, every id its line's CRC-32`, (t) => {
    const text = readFileSync(join(schemaDir, `layer-${layer}.tl`), 'utf8');
    const lines = text.split('\n');
    const wrong: string[] = [];
    let combinators = 0;
    for (const d of readDeclarations(text, `layer-${layer}.tl`).declarations) {
      if (d.kind === 'builtin') continue;
      combinators++;
      const c = d.combinator;
      if (d.explicitId === undefined || computeCombinatorId(c) !== d.explicitId) wrong.push(`${c.name}: id`);
      if (lines[c.line - 1]!.trim() !== formatCombinator(c)) wrong.push(`${c.name}: not canonical`);
    }
    t.deepEqual(wrong, []);
    t.true(combinators > 2000, `${combinators} combinators`);
    t.is(parseSchema(text).layer, layer);
  });
}
