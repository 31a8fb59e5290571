// Build step: schema/*.tl → src/generated/{types,codec}.ts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSchema } from '../schema/index.js';
import { buildModel } from './model.js';
import { generateCodec } from './codec.js';
import { generateTypes } from './types.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const files = ['schema/mtproto.tl', 'schema/api.tl'];
const schemas = files.map((f) => parseSchema(readFileSync(join(root, f), 'utf8'), f));
const model = buildModel(schemas);
const outDir = join(root, 'src', 'generated');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'types.ts'), generateTypes(model));
writeFileSync(join(outDir, 'codec.ts'), generateCodec(model));
console.log(
  `tl: layer ${model.layer}: ${model.constructors.length} constructors, ${model.methods.length} methods → src/generated`,
);
