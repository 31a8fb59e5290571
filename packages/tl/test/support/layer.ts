import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSchema } from '../../src/schema/index.js';
import { buildModel } from '../../src/codegen/model.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const mtprotoTl = readFileSync(root + 'schema/mtproto.tl', 'utf8');
export const apiTl = readFileSync(root + 'schema/api.tl', 'utf8');
/** The generated layer's model, rebuilt from the same schema files the build used. */
export const model = buildModel([parseSchema(mtprotoTl, 'mtproto.tl'), parseSchema(apiTl, 'api.tl')]);
