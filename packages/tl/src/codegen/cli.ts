// Build step: schema/*.tl → src/generated/{types,codec}.ts.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSchema } from '../schema/index.js';
import { buildModel } from './model.js';
import { CODEC_DTS, generateCodec } from './codec.js';
import { generateTypes } from './types.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const files = ['schema/mtproto.tl', 'schema/api.tl'];
const schemas = files.map((f) => parseSchema(readFileSync(join(root, f), 'utf8'), f));
const model = buildModel(schemas);
const outDir = join(root, 'src', 'generated');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'types.ts'), generateTypes(model));
writeFileSync(join(outDir, 'codec.js'), generateCodec(model));
writeFileSync(join(outDir, 'codec.d.ts'), CODEC_DTS);
// tsc does not copy plain JS: put the codec where the compiled package expects it.
mkdirSync(join(root, 'dist', 'generated'), { recursive: true });
copyFileSync(join(outDir, 'codec.js'), join(root, 'dist', 'generated', 'codec.js'));
copyFileSync(join(outDir, 'codec.d.ts'), join(root, 'dist', 'generated', 'codec.d.ts'));
console.log(
  `tl: layer ${model.layer}: ${model.constructors.length} constructors, ${model.methods.length} methods → src/generated`,
);
