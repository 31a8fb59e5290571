// Random valid values of any combinator, generated from the schema itself, so
// the round-trip test covers every constructor and method without a hand list.
import type { TlCombinator, TlTypeRef } from '../../src/schema/ast.js';
import { bareConstructor, camelCase, isBareRef, type LayerModel } from '../../src/codegen/model.js';

/** A small seeded PRNG (xorshift32): failures replay from the seed. */
export function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return {
    u32: next,
    int: (n: number) => next() % n,
    bytes(n: number) {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = next() & 0xff;
      return b;
    },
  };
}
export type Rng = ReturnType<typeof rng>;

const STRING_LENGTHS = [0, 1, 5, 20, 253, 254, 255, 300];
const PIECES = ['a', 'Z', ' ', 'é', 'ж', '中', '😀', '\n', '0'];

export class RandomValues {
  constructor(
    readonly model: LayerModel,
    readonly r: Rng,
  ) {}

  combinator(c: TlCombinator, depth = 0): Record<string, unknown> {
    const o: Record<string, unknown> = { _: c.name };
    // Decide each flag bit once: fields sharing a bit are present together.
    const bits = new Map<string, boolean>();
    for (const a of c.args) {
      if (a.type.name === '#') continue;
      const key = camelCase(a.name);
      if (a.flag) {
        const id = `${a.flag.field}.${a.flag.bit}`;
        let set = bits.get(id);
        if (set === undefined) {
          set = depth < 3 && this.r.int(2) === 1;
          bits.set(id, set);
        }
        o[key] = a.type.name === 'true' ? set : set ? this.value(a.type, depth + 1) : undefined;
      } else {
        o[key] = this.value(a.type, depth + 1);
      }
    }
    return o;
  }

  value(ref: TlTypeRef, depth: number): unknown {
    const r = this.r;
    switch (ref.name) {
      case 'int':
        return r.u32() | 0;
      case 'long':
        return BigInt.asIntN(64, (BigInt(r.u32()) << 32n) | BigInt(r.u32()));
      case 'double':
        return (r.u32() - 0x80000000) / 7;
      case 'string': {
        const len = STRING_LENGTHS[r.int(STRING_LENGTHS.length)]!;
        let s = '';
        while (s.length < len) s += PIECES[r.int(PIECES.length)];
        return s;
      }
      case 'bytes':
        return r.bytes(STRING_LENGTHS[r.int(STRING_LENGTHS.length)]!);
      case 'int128':
        return r.bytes(16);
      case 'int256':
        return r.bytes(32);
      case 'Bool':
        return r.int(2) === 1;
      case 'true':
        return true;
    }
    if (ref.generic) return { _: 'help.getConfig' };
    if (ref.name === 'Object') return { _: 'inputPeerEmpty' };
    if (ref.name === 'Vector' || ref.name === 'vector') {
      const n = depth > 4 ? 0 : r.int(3);
      return Array.from({ length: n }, () => this.value(ref.param!, depth + 1));
    }
    if (isBareRef(ref, this.model)) return this.combinator(bareConstructor(ref, this.model), depth);
    const ctors = this.model.types.get(ref.name)!;
    // Deep down, prefer the constructor with the fewest arguments so recursion ends.
    const c =
      depth > 4
        ? ctors.reduce((a, b) => (b.args.length < a.args.length ? b : a))
        : ctors[r.int(ctors.length)]!;
    return this.combinator(c, depth);
  }
}
