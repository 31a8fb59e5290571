// Bad input on read and write: always a TlError that says what and where.
import test from 'ava';
import { gzipSync } from 'node:zlib';
import { createWriter, deserializeObject, deserializeResult, serializeObject, TlError } from '../src/index.js';

const u32 = (...ids: number[]) => {
  const b = new Uint8Array(ids.length * 4);
  const v = new DataView(b.buffer);
  ids.forEach((id, i) => v.setUint32(i * 4, id >>> 0, true));
  return b;
};
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
};
const tlBytes = (data: Uint8Array) => {
  const w = createWriter();
  w.bytes(data);
  return w.result();
};

test('truncated input names the offset', (t) => {
  const bytes = serializeObject({ _: 'inputPeerUser', userId: 5n, accessHash: 7n });
  for (let cut = 0; cut < bytes.length; cut++) {
    const e = t.throws(() => deserializeObject(bytes.subarray(0, cut)), { instanceOf: TlError });
    t.is(typeof e?.offset, 'number');
  }
});

test('a length prefix longer than what remains', (t) => {
  // account.checkUsername#2714d86c username:string
  const bytes = serializeObject({ _: 'account.checkUsername', username: 'durov' }).slice();
  // The string's length byte is right after the 4-byte id.
  bytes[4] = 200;
  t.throws(() => deserializeObject(bytes), { instanceOf: TlError, message: /length prefix 200/ });
  bytes[4] = 254;
  bytes[5] = 0xff;
  bytes[6] = 0xff;
  bytes[7] = 0x7f;
  t.throws(() => deserializeObject(bytes), { instanceOf: TlError, message: /longer than/ });
});

test('an unknown constructor id is named in hex', (t) => {
  t.throws(() => deserializeObject(u32(0xdeadbeef)), { instanceOf: TlError, message: /0xdeadbeef/ });
});

test('a wrong vector id', (t) => {
  const bytes = serializeObject({ _: 'msgs_ack', msgIds: [1n, 2n] });
  bytes.set(u32(0x12345678), 4);
  t.throws(() => deserializeObject(bytes), { instanceOf: TlError, message: /0x12345678.*Vector/ });
});

test('a vector count the input cannot hold allocates nothing', (t) => {
  const bytes = concat(u32(0x62d6b459, 0x1cb5c415, 0x7fffffff));
  t.throws(() => deserializeObject(bytes), { instanceOf: TlError, message: /cannot fit/ });
  t.throws(() => deserializeObject(concat(u32(0x62d6b459, 0x1cb5c415, 0xffffffff))), { instanceOf: TlError });
});

test('gzip_packed above the limit is refused', (t) => {
  const inner = serializeObject({ _: 'msgs_ack', msgIds: new Array(200_000).fill(1n) });
  const packed = concat(u32(0x3072cfa1), tlBytes(gzipSync(inner)));
  t.throws(() => deserializeObject(packed, { maxInflated: 1024 * 1024, maxDepth: 64 }), {
    instanceOf: TlError,
    message: /limit/,
  });
  const ok = deserializeObject(packed) as any;
  t.is(ok.msgIds.length, 200_000);
});

test('gzip_packed that does not inflate', (t) => {
  const packed = concat(u32(0x3072cfa1), tlBytes(new Uint8Array([0x1f, 0x8b, 1, 2, 3, 4, 5, 6])));
  t.throws(() => deserializeObject(packed), { instanceOf: TlError, message: /does not inflate/ });
});

test('nesting deeper than the limit', (t) => {
  // textBold text:RichText, nested 100,000 times: 4 bytes a level.
  const depth = 100_000;
  const bytes = new Uint8Array(depth * 4 + 4);
  const v = new DataView(bytes.buffer);
  for (let i = 0; i < depth; i++) v.setUint32(i * 4, 0x6724abc4, true);
  v.setUint32(depth * 4, 0xdc3d824f, true); // textEmpty
  t.throws(() => deserializeObject(bytes), { instanceOf: TlError, message: /nest deeper/ });
});

test('bytes left over after the object', (t) => {
  const bytes = concat(serializeObject({ _: 'inputPeerEmpty' }), u32(0));
  t.throws(() => deserializeObject(bytes), { instanceOf: TlError, message: /4 bytes left/ });
});

test('a result reader checks its type', (t) => {
  t.throws(() => deserializeResult('help.getConfig', serializeObject({ _: 'inputPeerEmpty' })), {
    instanceOf: TlError,
    message: /inputPeerEmpty.*Config/,
  });
});

test('writing a missing required field names it', (t) => {
  t.throws(() => serializeObject({ _: 'inputPeerUser', userId: 1n } as any), {
    instanceOf: TlError,
    message: /inputPeerUser\.accessHash: expected a bigint, got nothing/,
  });
});

test('writing a wrong type names the field', (t) => {
  t.throws(() => serializeObject({ _: 'inputPeerUser', userId: 1, accessHash: 2n } as any), {
    instanceOf: TlError,
    message: /inputPeerUser\.userId: expected a bigint, got number 1/,
  });
  t.throws(() => serializeObject({ _: 'msgs_ack', msgIds: 'x' } as any), { instanceOf: TlError, message: /msgs_ack\.msgIds/ });
  t.throws(() => serializeObject({ _: 'nope' } as any), { instanceOf: TlError, message: /known `_`/ });
  t.throws(() => serializeObject(null as any), { instanceOf: TlError });
  t.throws(() => serializeObject({ _: 'inputPeerUser', userId: 1n << 70n, accessHash: 2n } as any), {
    instanceOf: TlError,
    message: /64-bit/,
  });
});
