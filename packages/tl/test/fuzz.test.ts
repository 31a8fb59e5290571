// A bounded fuzz run: random and mutated inputs, and nothing but TlError escapes.
import test from 'ava';
import { deserializeObject, deserializeResult, serializeObject, TlError } from '../src/index.js';
import { RandomValues, rng } from './support/random.js';
import { model } from './support/layer.js';

const RUNS = 100_000;

test(`${RUNS} random and mutated inputs raise only TlError`, (t) => {
  const r = rng(0xf022);
  const gen = new RandomValues(model, r);
  const all = [...model.constructors, ...model.methods];
  const ids = all.map((c) => c.id);
  const corpus: Uint8Array[] = [];
  for (let i = 0; i < 600; i++) corpus.push(serializeObject(gen.combinator(all[r.int(all.length)]!) as any));
  const methods = model.methods.map((m) => m.name);

  let tlErrors = 0;
  let parsed = 0;
  for (let i = 0; i < RUNS; i++) {
    let input: Uint8Array;
    const kind = i % 5;
    if (kind === 0) {
      // A known id followed by random bytes: gets past the first dispatch.
      input = r.bytes(4 + r.int(64));
      new DataView(input.buffer).setUint32(0, ids[r.int(ids.length)]!, true);
    } else {
      input = corpus[r.int(corpus.length)]!.slice();
      if (kind === 1) input = input.subarray(0, r.int(input.length + 1));
      else if (kind === 2) for (let k = 0; k < 1 + r.int(4); k++) input[r.int(input.length)] = r.u32() & 0xff;
      else if (kind === 3 && input.length >= 8) {
        const at = (r.int(input.length >> 2) << 2) >>> 0;
        new DataView(input.buffer).setUint32(at, r.int(3) === 0 ? r.u32() : ids[r.int(ids.length)]!, true);
      } else input[r.int(input.length)] = [0xfe, 0xff, 0xfd, 0x00][r.int(4)]!;
    }
    try {
      if (i % 7 === 0) deserializeResult(methods[r.int(methods.length)] as any, input);
      else deserializeObject(input);
      parsed++;
    } catch (e) {
      if (!(e instanceof TlError)) {
        t.fail(`input #${i} (${Buffer.from(input).toString('hex').slice(0, 200)}) threw ${String(e)}`);
        return;
      }
      tlErrors++;
    }
  }
  t.is(parsed + tlErrors, RUNS);
  t.true(tlErrors > RUNS / 2);
});
