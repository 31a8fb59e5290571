// Another layer's TL text loaded at run time: GramJS's layer-198 schema, read
// and written by the schema-driven codec (what the emulator answers old clients with).
import test from 'ava';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { createSchemaCodec, TlError } from '../src/index.js';
import { RandomValues, rng } from './support/random.js';

const require = createRequire(import.meta.url);
const apiTl198: string = require('telegram/tl/apiTl.js');
const mtprotoTl198: string = require('telegram/tl/schemaTl.js');

test('layer 198 (GramJS text): every constructor and method round-trips', (t) => {
  const codec = createSchemaCodec([mtprotoTl198, apiTl198]);
  const all = [...codec.model.constructors, ...codec.model.methods];
  t.true(all.length > 2000);
  const gen = new RandomValues(codec.model, rng(198));
  for (const c of all) {
    const v = gen.combinator(c);
    const bytes = codec.serializeObject(v as any);
    const back = codec.deserializeObject(bytes);
    if (!isDeepStrictEqual(back, v)) return void t.deepEqual(back, v, c.name);
    if (!isDeepStrictEqual(codec.serializeObject(back), bytes)) return void t.fail(`${c.name}: bytes differ`);
  }
});

test('layer 198: a constructor that changed since is written with its 198 id and fields', (t) => {
  const codec = createSchemaCodec([mtprotoTl198, apiTl198]);
  // user#4b46c37e in layer 198 (layer 228 has another id and more fields).
  const bytes = codec.serializeObject({ _: 'user', id: 5n, firstName: 'Old' } as any);
  t.is(new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true), 0x4b46c37e);
  t.is((codec.deserializeObject(bytes) as any).firstName, 'Old');
  t.throws(() => codec.deserializeObject(bytes.subarray(0, 9)), { instanceOf: TlError });
  t.throws(() => codec.serializeObject({ _: 'user', id: 5 } as any), { instanceOf: TlError, message: /user\.id/ });
});
