// The compact-row layer: a small hand-written layer checked byte for byte,
// readers and writers generated only on first use, and rows that could not
// come from the generator refused before any code is made from them.
import test from 'ava';
import { compactLayer } from '../src/runtime/compact-layer.js';
import { TlReader } from '../src/runtime/reader.js';
import { TlWriter } from '../src/runtime/writer.js';
import { apiTable, deserializeObject, deserializeResult, serializeObject, serializeResult, TlError } from '../src/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// Rows 0–2 are constructors of types Pair, Item and Box; rows 3–4 are methods.
const rows = [
  'a1b2c3d4 pair # x:i y:2?l # z:1.3?t w:1.0?s',
  'b0000001 item v:s',
  'c0000002 box items:vC1 one:T1 more:VVi',
  'd0000003 getLongs n:i =Vl',
  'e0000004 getPair =T0',
].join('\n');
const types = ['Pair 0', 'Item 1', 'Box 2'].join('\n');

const write = (table: ReturnType<typeof compactLayer>, v: any) => {
  const w = new TlWriter(table, 16);
  w.object(v, 'value');
  return w.result();
};

test('a hand-written layer: two flags fields, bare and boxed vectors, bytes as expected', (t) => {
  const table = compactLayer(3, rows, types);
  const pair = { _: 'pair', x: 1, y: 5n, z: true, w: 'hi' };
  const bytes = write(table, pair);
  // id · flags (bit 2: y) · x · y · flags2 (bit 3: z, bit 0: w) · w
  t.is(hex(bytes), 'd4c3b2a1' + '04000000' + '01000000' + '0500000000000000' + '09000000' + '02686900');
  t.deepEqual(new TlReader(bytes, table).object(), pair);

  const bare = { _: 'pair', x: -1, y: undefined, z: false, w: undefined };
  t.is(hex(write(table, bare)), 'd4c3b2a1' + '00000000' + 'ffffffff' + '00000000');
  t.deepEqual(new TlReader(write(table, bare), table).object(), bare);

  const box = { _: 'box', items: [{ _: 'item', v: 'a' }], one: { _: 'item', v: 'b' }, more: [[1, 2], []] };
  const boxBytes = write(table, box);
  t.is(
    hex(boxBytes),
    '020000c0' + '01000000' + '01610000' + '010000b0' + '01620000' +
      '15c4b51c' + '02000000' + '15c4b51c' + '02000000' + '01000000' + '02000000' + '15c4b51c' + '00000000',
  );
  t.deepEqual(new TlReader(boxBytes, table).object(), box);
});

test('method results: a vector result has its own reader and writer; a boxed one reads by its type', (t) => {
  const table = compactLayer(3, rows, types);
  const w = new TlWriter(table);
  table.resultWriters.get('getLongs')!(w, [1n, -2n]);
  const longs = w.result();
  t.is(hex(longs), '15c4b51c' + '02000000' + '0100000000000000' + 'feffffffffffffff');
  t.deepEqual(table.resultReaders.get('getLongs')!(new TlReader(longs, table)), [1n, -2n]);

  // The Pair reader behind getPair is a placeholder until first used; it keeps working after.
  const pair = write(table, { _: 'pair', x: 7, y: undefined, z: false, w: undefined });
  for (let i = 0; i < 2; i++) {
    t.like(table.resultReaders.get('getPair')!(new TlReader(pair, table)), { _: 'pair', x: 7 });
  }
  const item = write(table, { _: 'item', v: 'x' });
  t.throws(() => table.resultReaders.get('getPair')!(new TlReader(item, table)), {
    instanceOf: TlError,
    message: /0xb0000001 \(item\) where Pair was expected/,
  });
});

test('names are there for every id, made on first use', (t) => {
  const table = compactLayer(3, rows, types);
  t.deepEqual([...table.names], [
    [0xa1b2c3d4, 'pair'],
    [0xb0000001, 'item'],
    [0xc0000002, 'box'],
    [0xd0000003, 'getLongs'],
    [0xe0000004, 'getPair'],
  ]);
  t.is(apiTable.names.size, apiTable.writers.size);
  for (const [name, e] of apiTable.writers) t.is(apiTable.names.get(e.id), name);
});

test('the generated layer makes a reader or writer only when it is first used', (t) => {
  const id = apiTable.writers.get('inputPeerChat')!.id;
  const before = apiTable.readers.get(id)!;
  t.regex(before.name, /^bound /);
  t.is(apiTable.writers.get('inputPeerChat')!.write.name, 'writeFirst');
  const obj = { _: 'inputPeerChat', chatId: 5n } as const;
  t.deepEqual(deserializeObject(serializeObject(obj)), obj);
  t.is(apiTable.readers.get(id)!.name, '$inputPeerChat');
  t.is(apiTable.writers.get('inputPeerChat')!.write.name, '$inputPeerChat');
  // The first placeholder still reads (something may have kept it).
  const r = new TlReader(serializeObject(obj), apiTable, undefined, 4);
  t.deepEqual(before(r), obj);
});

test('result readers and writers of the generated layer round-trip vectors and boxed results', (t) => {
  const ids = [1n, -(2n ** 63n), 2n ** 62n];
  t.deepEqual(deserializeResult('messages.getMessagesReactions' as any, serializeResult('messages.getMessagesReactions' as any, { _: 'updates', updates: [], users: [], chats: [], date: 1, seq: 2 } as any)), {
    _: 'updates', updates: [], users: [], chats: [], date: 1, seq: 2,
  });
  t.deepEqual(deserializeResult('contacts.getContactIDs', serializeResult('contacts.getContactIDs', [1, 2, 3])), [1, 2, 3]);
  t.deepEqual(deserializeResult('account.getWallPapers' as any, serializeResult('account.getWallPapers' as any, { _: 'account.wallPapersNotModified' } as any)), { _: 'account.wallPapersNotModified' });
  t.deepEqual(deserializeResult('get_future_salts' as any, serializeResult('get_future_salts' as any, { _: 'future_salts', reqMsgId: ids[0], now: 5, salts: [{ _: 'future_salt', validSince: 1, validUntil: 2, salt: ids[1] }] } as any)), {
    _: 'future_salts', reqMsgId: ids[0], now: 5, salts: [{ _: 'future_salt', validSince: 1, validUntil: 2, salt: ids[1] }],
  });
});

test('rows that the generator cannot have written are refused before any code is made', (t) => {
  const rows = [
    'a1b2c3d4 evil x-1:i',
    'a1b2c3d4 evil x:i);process.exit(1);(',
    'a1b2c3d4 evil x:Q',
    'a1b2c3d4 evil x:T1e3',
    'a1b2c3d4 evil x:T7',
    'a1b2c3d4 evil x:VC1',
  ];
  for (const row of rows) {
    const table = compactLayer(1, row, 'X 0');
    const reader = table.readers.get(0xa1b2c3d4)!;
    const refused = { message: /bad (field name|spec)|out of range/ };
    t.throws(() => reader(new TlReader(new Uint8Array(8), table)), refused, row);
    t.throws(() => table.writers.get('evil')!.write(new TlWriter(table), { _: 'evil', x: 1 }), refused, row);
  }
  // A name with quotes stays a string: it reaches the code through JSON.stringify.
  const odd = compactLayer(1, 'a1b2c3d4 ev"il x:i', 'X 0');
  t.deepEqual(new TlReader(write(odd, { _: 'ev"il', x: 3 }), odd).object(), { _: 'ev"il', x: 3 });
});
