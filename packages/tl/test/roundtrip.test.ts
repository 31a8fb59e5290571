// Every constructor and method of the layer: random valid values generated
// from the schema, serialize → deserialize → deep-equal → same bytes again;
// and the schema-driven codec (old layers) must write the very same bytes.
import test from 'ava';
import { isDeepStrictEqual } from 'node:util';
import { deserializeObject, serializeObject } from '../src/index.js';
import { createSchemaCodec } from '../src/dynamic/codec.js';
import { RandomValues, rng } from './support/random.js';
import { apiTl, model, mtprotoTl } from './support/layer.js';

const dynamic = createSchemaCodec([mtprotoTl, apiTl]);
const SAMPLES = 4;
const all = [...model.constructors, ...model.methods];

test('every constructor and method round-trips through the generated codec', (t) => {
  const gen = new RandomValues(model, rng(0x5eed));
  let checked = 0;
  for (const c of all) {
    for (let i = 0; i < SAMPLES; i++) {
      const value = gen.combinator(c) as any;
      const bytes = serializeObject(value);
      const back = deserializeObject(bytes);
      // One cheap comparison per value; ava's diff only for the first failure.
      if (!isDeepStrictEqual(back, value)) return void t.deepEqual(back, value, c.name);
      if (!isDeepStrictEqual(serializeObject(back), bytes)) return void t.fail(`${c.name}: bytes differ after the round trip`);
      checked++;
    }
  }
  t.is(checked, SAMPLES * all.length);
  t.true(all.length > 2000, `the layer has only ${all.length} combinators`);
});

test('the schema-driven codec writes and reads the same bytes as the generated one', (t) => {
  const gen = new RandomValues(model, rng(0xbeef));
  for (const c of all) {
    const value = gen.combinator(c) as any;
    const bytes = serializeObject(value);
    if (!isDeepStrictEqual(dynamic.serializeObject(value), bytes)) return void t.fail(`${c.name}: dynamic bytes differ`);
    const a = dynamic.deserializeObject(bytes);
    if (!isDeepStrictEqual(a, deserializeObject(bytes))) return void t.deepEqual(a, deserializeObject(bytes), c.name);
  }
  t.is(dynamic.layer, model.layer);
});
