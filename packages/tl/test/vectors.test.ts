// Hand-checked bytes for the encodings that are easy to get wrong.
import test from 'ava';
import { gzipSync } from 'node:zlib';
import { createReader, createWriter, defaultReadLimits, deserializeObject, serializeObject } from '../src/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

test('string and bytes lengths 0, 253, 254, 255, 1000', (t) => {
  const cases: [number, string, number][] = [
    // length, expected prefix, expected total size (prefix + data + padding)
    [0, '00', 4],
    [1, '01', 4],
    [3, '03', 4],
    [253, 'fd', 256],
    [254, 'fefe0000', 260],
    [255, 'feff0000', 260],
    [1000, 'fee80300', 1004],
  ];
  for (const [n, prefix, total] of cases) {
    const data = new Uint8Array(n).fill(0x61);
    const w = createWriter();
    w.bytes(data);
    const out = w.result();
    t.is(out.length, total, `bytes(${n}) size`);
    t.is(hex(out.subarray(0, prefix.length / 2)), prefix, `bytes(${n}) prefix`);
    t.true(out.subarray(prefix.length / 2 + n).every((b) => b === 0), `bytes(${n}) zero padding`);
    t.deepEqual(createReader(out).bytes(), data);

    const ws = createWriter();
    ws.string('a'.repeat(n));
    t.deepEqual(ws.result(), out, `string(${n}) matches bytes(${n})`);
    t.is(createReader(out).string(), 'a'.repeat(n));
  }
});

test('viewBytesFrom: bytes at or past the threshold are views into the input, shorter ones copies', (t) => {
  const w = createWriter();
  w.bytes(new Uint8Array(100).fill(1));
  w.bytes(new Uint8Array(5000).fill(2));
  const input = w.result();
  const r = createReader(input, { ...defaultReadLimits, viewBytesFrom: 1000 });
  const small = r.bytes();
  const large = r.bytes();
  t.deepEqual(small, new Uint8Array(100).fill(1));
  t.deepEqual(large, new Uint8Array(5000).fill(2));
  t.is(r.pos, input.length);
  t.not(small.buffer, input.buffer, 'a short field is copied');
  t.is(large.buffer, input.buffer, 'a long field is a view');
  t.is(large.byteOffset, input.byteOffset + 104 + 4);
  // Without the option, never a view.
  t.not(createReader(input).bytes().buffer, input.buffer);
  const r2 = createReader(input);
  r2.bytes();
  t.not(r2.bytes().buffer, input.buffer);
});

test('short strings of every length up to 20, ASCII and with a non-ASCII character anywhere', (t) => {
  for (let n = 0; n <= 20; n++) {
    const ascii = 'abcdefghijklmnopqrst'.slice(0, n);
    const variants = [ascii, ...Array.from({ length: n }, (_, i) => ascii.slice(0, i) + 'é' + ascii.slice(i + 1))];
    for (const s of variants) {
      const w = createWriter();
      w.string(s);
      t.is(createReader(w.result()).string(), s, JSON.stringify(s));
    }
  }
});

test('a UTF-8 string whose bound needs the long prefix but whose bytes do not', (t) => {
  // 90 units × 3 ≥ 254 reserves 4 bytes; 'é' is 2 bytes: 180 bytes → short prefix.
  const s = 'é'.repeat(90);
  const w = createWriter();
  w.string(s);
  const out = w.result();
  t.is(out[0], 180);
  t.is(out.length, 184);
  t.is(createReader(out).string(), s);
  const emoji = '😀'.repeat(100); // 400 bytes
  const w2 = createWriter();
  w2.string(emoji);
  t.is(hex(w2.result().subarray(0, 4)), 'fe900100');
  t.is(createReader(w2.result()).string(), emoji);
});

test('negative longs, int128 and a boxed vector of longs (msgs_ack)', (t) => {
  const bytes = serializeObject({ _: 'msgs_ack', msgIds: [-1n, 0x0123456789abcdefn, -0x8000000000000000n] });
  t.is(
    hex(bytes),
    '59b4d662' + '15c4b51c' + '03000000' + 'ffffffffffffffff' + 'efcdab8967452301' + '0000000000000080',
  );
  t.deepEqual(deserializeObject(bytes), { _: 'msgs_ack', msgIds: [-1n, 0x0123456789abcdefn, -0x8000000000000000n] });

  const nonce = unhex('3E0549828CCA27E966B301A48FECE2FC');
  const req = serializeObject({ _: 'req_pq_multi', nonce });
  t.is(hex(req), 'f18e7ebe' + '3e0549828cca27e966b301a48fece2fc');
});

test('doubles and Bool', (t) => {
  const geo = { _: 'inputGeoPoint', lat: 55.7558, long: -37.6173, accuracyRadius: undefined } as const;
  const bytes = serializeObject(geo as any);
  const lat = Buffer.alloc(8);
  lat.writeDoubleLE(55.7558);
  const lon = Buffer.alloc(8);
  lon.writeDoubleLE(-37.6173);
  // inputGeoPoint#48222faf flags:# lat:double long:double accuracy_radius:flags.0?int
  t.is(hex(bytes), 'af2f2248' + '00000000' + lat.toString('hex') + lon.toString('hex'));
  t.deepEqual(deserializeObject(bytes), geo as any);

  // account.updateStatus#6628562c offline:Bool
  t.is(hex(serializeObject({ _: 'account.updateStatus', offline: true })), '2c562866' + 'b5757299');
  t.is(hex(serializeObject({ _: 'account.updateStatus', offline: false })), '2c562866' + '379779bc');
});

test('flags and flags2 (user)', (t) => {
  // user: flags bit 0 access_hash, bit 1 first_name, bit 10 self; flags2 bit 2 close_friend (a true flag).
  const bytes = serializeObject({ _: 'user', self: true, closeFriend: true, id: 42n, accessHash: -2n, firstName: 'A' } as any);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  t.is(view.getUint32(4, true), (1 << 0) | (1 << 1) | (1 << 10), 'flags');
  t.is(view.getUint32(8, true), 1 << 2, 'flags2');
  t.is(hex(bytes.subarray(12)), '2a00000000000000' + 'feffffffffffffff' + '01410000');
  const back = deserializeObject(bytes) as any;
  t.is(back.self, true);
  t.is(back.closeFriend, true);
  t.is(back.bot, false);
  t.is(back.lastName, undefined);
  t.is(back.firstName, 'A');
});

test('bare vector of bare constructors (future_salts)', (t) => {
  const v = {
    _: 'future_salts',
    reqMsgId: 5n,
    now: 1000,
    salts: [
      { _: 'future_salt', validSince: 1, validUntil: 2, salt: 3n },
      { _: 'future_salt', validSince: 4, validUntil: 5, salt: -6n },
    ],
  };
  const bytes = serializeObject(v as any);
  t.is(
    hex(bytes),
    '950850ae' +
      '0500000000000000' + 'e8030000' + '02000000' +
      '01000000' + '02000000' + '0300000000000000' +
      '04000000' + '05000000' + 'faffffffffffffff',
  );
  t.deepEqual(deserializeObject(bytes), v as any);
});

test('nested gzip_packed is unpacked wherever an object is read', (t) => {
  const inner = { _: 'msgs_ack', msgIds: [1n, 2n, 3n] } as const;
  const gz = (payload: Uint8Array) => {
    const w = createWriter();
    w.id(0x3072cfa1);
    w.bytes(gzipSync(payload));
    return w.result();
  };
  const once = gz(serializeObject(inner as any));
  const twice = gz(once);
  t.deepEqual(deserializeObject(twice), inner as any);
  // Inside a typed field: rpc_result.result is Object; inside it another gzip layer.
  const w = createWriter();
  w.id(0xf35c6d01);
  w.long(77n);
  w.raw(twice);
  t.deepEqual(deserializeObject(w.result()), { _: 'rpc_result', reqMsgId: 77n, result: inner } as any);
});
