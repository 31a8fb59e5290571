import test from 'ava';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { Envelope } from '../src/mtproto/session/envelope.js';
import { MsgIdGenerator } from '../src/mtproto/session/msg-id.js';
import { ReplayWindow } from '../src/mtproto/session/replay-window.js';
import { packContainer, unpackContainer, maybeGzip, unpackGzip } from '../src/mtproto/session/container.js';
import { FramingError } from '../src/mtproto/session/wire.js';
import { AUTH_KEY, FakeClock, bytesOf, seededRandom } from './support/fixtures.js';
import { referenceCipher } from './support/reference-cipher.js';
import { defaultCipher } from '../src/mtproto/session/native-cipher.js';

test('sealed by one role, opened by the other, for every body size; padding 12…1024 to whole blocks', (t) => {
  const client = new Envelope(AUTH_KEY, 'client', referenceCipher, seededRandom(5));
  const server = new Envelope(AUTH_KEY, 'server', referenceCipher, seededRandom(6));
  for (let len = 4; len <= 2100; len += 4) {
    const body = bytesOf(len, len);
    const up = client.seal(7n, 8n, BigInt(len) << 2n, len | 1, body);
    t.is((up.length - 24) % 16, 0);
    const pad = up.length - 24 - 32 - len;
    t.true(pad >= 12 && pad <= 1024 && pad < 28, `padding ${pad}`);
    const got = server.open(up);
    if (typeof got === 'string') return t.fail(got);
    t.deepEqual([got.salt, got.sessionId, got.msgId, got.seqNo], [7n, 8n, BigInt(len) << 2n, len | 1]);
    t.deepEqual(got.body, body);
    const down = server.seal(7n, 8n, 1n, 2, body);
    const back = client.open(down);
    if (typeof back === 'string') return t.fail(back);
    t.deepEqual(back.body, body);
    // A role cannot open its own direction: x differs.
    t.is(client.open(up), 'msg-key');
  }
});

test('an owned packet is opened in place (the body is a view into it), with the native cipher and the reference one alike', (t) => {
  for (const cipher of [referenceCipher, defaultCipher()]) {
    const client = new Envelope(AUTH_KEY, 'client', cipher, seededRandom(5));
    const server = new Envelope(AUTH_KEY, 'server', cipher, seededRandom(6));
    for (const len of [4, 1000, 600 * 1024]) {
      const body = bytesOf(len + 1, len);
      const packet = server.seal(7n, 8n, 12n, 3, body);
      const borrowed = client.open(packet.slice());
      const owned = client.open(packet, true);
      if (typeof borrowed === 'string' || typeof owned === 'string') return t.fail('not opened');
      t.deepEqual(owned.body, body);
      t.deepEqual([owned.salt, owned.sessionId, owned.msgId, owned.seqNo], [7n, 8n, 12n, 3]);
      const inPacket = (b: Uint8Array) => b.buffer === packet.buffer && b.byteOffset >= packet.byteOffset && b.byteOffset < packet.byteOffset + packet.length;
      t.true(inPacket(owned.body), 'the body lies in the packet');
      t.is(owned.body.byteOffset, packet.byteOffset + 24 + 32);
      t.false(inPacket(borrowed.body));
      t.deepEqual(borrowed.body, body);
    }
    // A tampered owned packet is still refused.
    const bad = server.seal(7n, 8n, 12n, 3, bytesOf(1, 64));
    bad[40]! ^= 1;
    t.is(client.open(bad, true), 'msg-key');
  }
});

test('extra random padding stays within 1024 bytes and whole blocks', (t) => {
  const env = new Envelope(AUTH_KEY, 'client', referenceCipher, seededRandom(9), 63);
  const server = new Envelope(AUTH_KEY, 'server', referenceCipher, seededRandom(6));
  const sizes = new Set<number>();
  for (let i = 0; i < 200; i++) {
    const p = env.seal(1n, 2n, 4n, 1, new Uint8Array(16));
    const pad = p.length - 24 - 32 - 16;
    t.true(pad >= 12 && pad <= 1024);
    sizes.add(pad);
    t.not(typeof server.open(p), 'string');
  }
  t.true(sizes.size > 10);
});

test('msg_ids grow strictly with the right low bits even when the clock goes backwards', (t) => {
  const clock = new FakeClock();
  const gen = new MsgIdGenerator(clock);
  let last = 0n;
  for (let i = 0; i < 3000; i++) {
    if (i % 100 === 50) clock.advance(-5000);
    else if (i % 7 === 0) clock.advance(1);
    const kind = (['client', 'response', 'server'] as const)[i % 3]!;
    const id = gen.next(kind);
    t.true(id > last, `msg_id ${i} did not grow`);
    t.is(Number(id & 3n), kind === 'client' ? 0 : kind === 'response' ? 1 : 3);
    last = id;
  }
  // With a 1 s step the ids still carry the corrected time.
  const at = new MsgIdGenerator(new FakeClock(1_000_000_000_500), 10).next('client');
  t.is(Number(at >> 32n), 1_000_000_010);
  t.is(Number(at & 0xffffffffn), (Math.floor(0.5 * 2 ** 32) & ~3) >>> 0);
});

test('replay window: duplicates and ids below a full window are refused, memory stays bounded', (t) => {
  const w = new ReplayWindow(8);
  for (let i = 10; i < 30; i++) t.is(w.accept(BigInt(i)), 'new');
  t.is(w.length, 8);
  t.is(w.accept(25n), 'duplicate');
  t.is(w.accept(5n), 'too-old');
  t.is(w.accept(21n), 'too-old');
  t.is(w.accept(100n), 'new');
  t.is(w.accept(50n), 'new'); // out of order but above the floor
  t.is(w.accept(50n), 'duplicate');
  t.is(w.length, 8);
});

test('replay window: agrees with a plain model on ids in and out of order (inserts near the end and deep inside)', (t) => {
  const size = 16;
  const w = new ReplayWindow(size);
  const seen: bigint[] = []; // every id accepted, sorted
  const rnd = seededRandom(7);
  const byte = () => {
    const b = new Uint8Array(1);
    rnd(b);
    return b[0]!;
  };
  let top = 1000n;
  for (let i = 0; i < 3000; i++) {
    const r = byte();
    // Mostly ascending, some just below the top (container messages), some deep inside, some repeats.
    const id = r < 128 ? (top += BigInt(1 + (r & 7))) : r < 200 ? top - BigInt(r & 7) : r < 240 ? top - BigInt(r & 31) : top - BigInt(byte() & 15);
    const window = seen.slice(-size);
    const want = window.includes(id) ? 'duplicate' : seen.length >= size && id < window[0]! ? 'too-old' : 'new';
    t.is(w.check(id), want, `id ${id} after ${i} ids`);
    if (want === 'new') {
      w.add(id);
      seen.push(id);
      seen.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
  }
});

test('containers pack and unpack; bad ones are FramingErrors', (t) => {
  const msgs = [
    { msgId: 4n, seqNo: 1, body: bytesOf(1, 8) },
    { msgId: 8n, seqNo: 2, body: bytesOf(2, 300) },
  ];
  const c = packContainer(msgs);
  t.deepEqual(unpackContainer(c), msgs);
  t.throws(() => unpackContainer(c.subarray(0, c.length - 4)), { instanceOf: FramingError });
  const lying = c.slice();
  lying[4] = 200; // claims 200 messages
  t.throws(() => unpackContainer(lying), { instanceOf: FramingError });
  const nested = packContainer([{ msgId: 4n, seqNo: 0, body: c }]);
  t.throws(() => unpackContainer(nested), { instanceOf: FramingError, message: /inside/ });
  t.throws(() => unpackContainer(c, 1), { instanceOf: FramingError });
});

test('gzip_packed: large compressible bodies shrink and inflate back; limits hold', (t) => {
  const body = new Uint8Array(8192).fill(0x41);
  const packed = maybeGzip(body);
  t.true(packed.length < 200);
  t.deepEqual(unpackGzip(packed, 1 << 20), body);
  t.throws(() => unpackGzip(packed, 4096), { instanceOf: FramingError });
  const random = bytesOf(3, 256);
  t.is(maybeGzip(random), random, 'incompressible bodies go as they are');
  t.is(unpackGzip(random, 100), random, 'non-gzip bodies pass through');
});

test('gzip_packed holding a zlib stream (as mtcute packs) inflates like a gzip one; a raw deflate stream is refused', (t) => {
  const body = new Uint8Array(8192).fill(0x42);
  const wrap = (stream: Uint8Array) => {
    const head = stream.length < 254 ? 1 : 4;
    const out = new Uint8Array(4 + Math.ceil((head + stream.length) / 4) * 4);
    new DataView(out.buffer).setUint32(0, 0x3072cfa1, true);
    if (head === 1) out[4] = stream.length;
    else new DataView(out.buffer).setUint32(4, 254 | (stream.length << 8), true);
    out.set(stream, 4 + head);
    return out;
  };
  t.deepEqual(unpackGzip(wrap(deflateSync(body)), 1 << 20), body);
  t.deepEqual(unpackGzip(wrap(gzipSync(body)), 1 << 20), body);
  t.throws(() => unpackGzip(wrap(deflateSync(body)), 4096), { instanceOf: FramingError });
  t.throws(() => unpackGzip(wrap(deflateRawSync(body)), 1 << 20), { instanceOf: FramingError });
});

test('the default (crypto-native) cipher agrees with the plain node:crypto reference both ways', async (t) => {
  const { defaultCipher } = await import('../src/mtproto/session/native-cipher.js');
  const native = defaultCipher();
  for (const x of [0, 8] as const) {
    for (const n of [48, 160, 1024, 4096]) {
      const pt = bytesOf(n + x, n);
      const a = new Uint8Array(16 + n);
      const b = new Uint8Array(16 + n);
      native.encrypt(AUTH_KEY, x, pt, a);
      referenceCipher.encrypt(AUTH_KEY, x, pt, b);
      t.deepEqual(a, b, `encrypt x=${x} n=${n}`);
      const back = new Uint8Array(n);
      t.true(referenceCipher.decrypt(AUTH_KEY, x, a.subarray(0, 16), a.subarray(16), back));
      t.deepEqual(back, pt);
      t.true(native.decrypt(AUTH_KEY, x, b.subarray(0, 16), b.subarray(16), back));
      t.deepEqual(back, pt);
      b[20]! ^= 0x80;
      t.false(native.decrypt(AUTH_KEY, x, b.subarray(0, 16), b.subarray(16), back));
    }
  }
});
