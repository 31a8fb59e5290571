// A client that announces an older layer is read and answered in that layer's
// schema, loaded at run time. The "layer 100" here is made up for the test:
// help.getNearestDc has another id in it, and its nearestDc lists the two
// ints in the other order, so a client reading with layer 228 sees them
// swapped exactly when the emulator wrote with layer 100.
import test from 'ava';
import { RpcError as ClientRpcError } from '@telegram-mt/client';
import { createSchemaCodec, type tl } from '@telegram-mt/tl';
import { Dc } from '../src/dc.js';
import { layerFromSchema } from '../src/layers.js';
import type { LayerShelf } from '../src/layers/shelf.js';
import { loadOrCreateRsaKeyPair } from '../src/rsa-store.js';
import { defaultHelpOptions, registerHelpMethods } from '../src/rpc/help.js';
import { MethodRegistry } from '../src/rpc/registry.js';
import { exchange, handshake, keyPath, MemoryLink, newSession } from './helpers/memory.js';

const LAYER_100 = `// LAYER 100
boolFalse#bc799737 = Bool;
boolTrue#997275b5 = Bool;
vector#1cb5c415 {t:Type} # [ t ] = Vector t;
nearestDc#8e1a1775 country:string nearest_dc:int this_dc:int = NearestDc;
---functions---
invokeWithLayer#da9b0d0d {X:Type} layer:int query:!X = X;
help.getNearestDc#0badf00d = NearestDc;
`;

const old = createSchemaCodec([LAYER_100]);

function setup() {
  const registry = new MethodRegistry();
  registerHelpMethods(registry, { ...defaultHelpOptions, nearestDc: 1 });
  const dc = new Dc({
    id: 2,
    rsaKey: loadOrCreateRsaKeyPair(keyPath),
    registry,
    now: Date.now,
    layers: new Map([[100, layerFromSchema(old)]]),
    emulatorDcs: () => [],
  });
  const link = new MemoryLink();
  const conn = dc.accept(link);
  return { dc, link, conn, session: newSession(handshake(dc, conn, link)) };
}

const answered = (id: number) => (events: Awaited<ReturnType<typeof exchange>>) =>
  events.some((e) => (e.type === 'result' || e.type === 'error') && e.requestId === id);
function outcome(events: Awaited<ReturnType<typeof exchange>>, id: number): unknown {
  const e = events.find((x) => (x.type === 'result' || x.type === 'error') && x.requestId === id)!;
  return e.type === 'result' ? e.result : e.type === 'error' ? e.error : undefined;
}

test('a call in an announced older layer is decoded and answered in that layer', async (t) => {
  const { conn, link, session } = setup();
  const wrapped = old.serializeObject({ _: 'invokeWithLayer', layer: 100, query: { _: 'help.getNearestDc' } } as never);
  const id = session.send('help.getNearestDc', wrapped);
  const near = outcome(await exchange(session, conn, link, answered(id)), id) as tl.nearestDc;
  // Written by layer 100 (nearest_dc, then this_dc), read here as layer 228 (this_dc, then nearest_dc).
  t.like(near, { thisDc: 1, nearestDc: 2 });
  t.is(conn.layer, 100);

  // The connection keeps the layer: the old id alone is understood now.
  const bare = session.send('help.getNearestDc', Uint8Array.of(0x0d, 0xf0, 0xad, 0x0b));
  t.like(outcome(await exchange(session, conn, link, answered(bare)), bare), { thisDc: 1, nearestDc: 2 });
});

test('without the announcement the same id is unknown, and a layer the emulator lacks gets the generated one', async (t) => {
  const { conn, link, session } = setup();
  const bare = session.send('help.getNearestDc', Uint8Array.of(0x0d, 0xf0, 0xad, 0x0b));
  const err = outcome(await exchange(session, conn, link, answered(bare)), bare) as ClientRpcError;
  t.is(err.text, `INPUT_METHOD_INVALID_${0x0badf00d}_4`);

  const id = session.invoke({ _: 'invokeWithLayer', layer: 150, query: { _: 'help.getNearestDc' } } as tl.TlMethod);
  t.like(outcome(await exchange(session, conn, link, answered(id)), id), { thisDc: 2, nearestDc: 1 });
  t.is(conn.layer, 150);
});

test('startEmulator takes older layers as schema codecs', async (t) => {
  const { startEmulator } = await import('../src/index.js');
  const emu = await startEmulator({ dcCount: 1, rsaKeyPath: keyPath, layers: [old] });
  t.teardown(() => emu.stop());
  t.deepEqual([...emu.dc(1).layers.keys()], [100, 198, 227]);
  // The bundled layers are built on first use, not at start.
  const shelf = emu.dc(1).layers as LayerShelf;
  t.true(shelf.isLoaded(100));
  t.false(shelf.isLoaded(198));
  t.is(shelf.get(198)?.layer, 198);
  t.true(shelf.isLoaded(198));
  const bare = await startEmulator({ dcCount: 1, rsaKeyPath: keyPath, layers: [old], bundledLayers: false });
  t.teardown(() => bare.stop());
  t.deepEqual([...bare.dc(1).layers.keys()], [100]);
  await t.throwsAsync(startEmulator({ dcCount: 1, rsaKeyPath: keyPath, layers: [createSchemaCodec([LAYER_100.replace('// LAYER 100\n', '')])] }), {
    message: /no `\/\/ LAYER N` line/,
  });
});

test('a bundled layer that cannot be built is logged once and then absent; an unknown one is refused', async (t) => {
  const { LayerShelf, loadBundledLayer } = await import('../src/layers/shelf.js');
  const lines: string[] = [];
  const shelf = new LayerShelf((l) => lines.push(l));
  let calls = 0;
  shelf.addLazy(300, () => {
    calls++;
    throw new Error('no such file');
  });
  t.true(shelf.has(300));
  t.is(shelf.get(300), undefined);
  t.is(shelf.get(300), undefined);
  t.is(calls, 1);
  t.false(shelf.has(300));
  t.deepEqual([...shelf.keys()], []);
  t.deepEqual(lines, ['layer 300 could not be loaded (clients announcing it get the generated layer): no such file']);
  t.throws(() => loadBundledLayer(150), { message: /layer 150 does not ship with the emulator/ });
});
