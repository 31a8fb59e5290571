// The older layers a DC speaks, loaded on first use. Building a codec from a
// schema text takes ~0.1 s per layer, so the emulator starts without paying
// it and only the first connection that announces a layer does.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSchemaCodec } from '@telegram-mt/tl';
import { layerFromSchema, type LayerCodec } from '../layers.js';

/**
 * The layers whose schemas ship with the emulator (schema/layer-N.tl,
 * written by scripts/old-layers.ts): GramJS 2.26.22 speaks 198, mtcute 0.30.3 speaks 227.
 */
export const BUNDLED_LAYERS: readonly number[] = [198, 227];

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema');

let mtprotoText: string | undefined;
/** MTProto does not change with the layer: every older layer is read with @telegram-mt/tl's mtproto.tl. */
function mtproto(): string {
  if (mtprotoText === undefined) {
    const require = createRequire(import.meta.url);
    mtprotoText = readFileSync(join(dirname(require.resolve('@telegram-mt/tl/package.json')), 'schema', 'mtproto.tl'), 'utf8');
  }
  return mtprotoText;
}

/** The codec of a bundled layer, built from its schema file and @telegram-mt/tl's mtproto.tl. */
export function loadBundledLayer(layer: number): LayerCodec {
  if (!BUNDLED_LAYERS.includes(layer)) throw new RangeError(`layer ${layer} does not ship with the emulator (${BUNDLED_LAYERS.join(', ')} do)`);
  const api = readFileSync(join(schemaDir, `layer-${layer}.tl`), 'utf8');
  const codec = layerFromSchema(createSchemaCodec([mtproto(), api]));
  if (codec.layer !== layer) throw new Error(`schema/layer-${layer}.tl says it is layer ${codec.layer}`);
  return codec;
}

type Entry = { codec: LayerCodec } | { load: () => LayerCodec } | { failed: true };

/** A ReadonlyMap of layer → codec whose entries are built when first asked for. */
export class LayerShelf implements ReadonlyMap<number, LayerCodec> {
  private readonly entries_ = new Map<number, Entry>();

  constructor(private readonly log?: (line: string) => void) {}

  /** A codec ready now. */
  add(codec: LayerCodec): void {
    this.entries_.set(codec.layer, { codec });
  }

  /** A codec built on first use; a failure is logged once and the layer is then treated as absent. */
  addLazy(layer: number, load: () => LayerCodec): void {
    if (!this.entries_.has(layer)) this.entries_.set(layer, { load });
  }

  get(layer: number): LayerCodec | undefined {
    const e = this.entries_.get(layer);
    if (e === undefined || 'failed' in e) return undefined;
    if ('codec' in e) return e.codec;
    try {
      const codec = e.load();
      this.entries_.set(layer, { codec });
      return codec;
    } catch (err) {
      this.entries_.set(layer, { failed: true });
      this.log?.(`layer ${layer} could not be loaded (clients announcing it get the generated layer): ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Whether the layer is offered (loaded or not yet). */
  has(layer: number): boolean {
    const e = this.entries_.get(layer);
    return e !== undefined && !('failed' in e);
  }

  /** Whether the layer's codec has been built already. */
  isLoaded(layer: number): boolean {
    const e = this.entries_.get(layer);
    return e !== undefined && 'codec' in e;
  }

  get size(): number {
    return [...this.keys()].length;
  }

  *keys(): MapIterator<number> {
    for (const [layer, e] of this.entries_) if (!('failed' in e)) yield layer;
  }

  *entries(): MapIterator<[number, LayerCodec]> {
    for (const layer of [...this.keys()]) {
      const c = this.get(layer);
      if (c !== undefined) yield [layer, c];
    }
  }

  *values(): MapIterator<LayerCodec> {
    for (const [, c] of this.entries()) yield c;
  }

  [Symbol.iterator](): MapIterator<[number, LayerCodec]> {
    return this.entries();
  }

  forEach(fn: (value: LayerCodec, key: number, map: ReadonlyMap<number, LayerCodec>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}
