import test from 'ava';
import { createFrameDecoder, createFrameEncoder, TransportError, type CodecName, type Frame, type Role, type TransportErrorCode } from '../src/index.js';
import { chunkers, concat, randomPackets } from './helpers.js';

const codecs: CodecName[] = ['abridged', 'intermediate', 'padded', 'full'];
const directions: Array<{ from: Role; to: Role }> = [
  { from: 'client', to: 'server' },
  { from: 'server', to: 'client' },
];

function drain(decoder: ReturnType<typeof createFrameDecoder>, chunks: Uint8Array[]): Frame[] {
  const frames: Frame[] = [];
  for (const chunk of chunks) {
    decoder.push(chunk);
    for (let f = decoder.next(); f; f = decoder.next()) frames.push(f);
  }
  return frames;
}

for (const codec of codecs) {
  for (const { from, to } of directions) {
    for (const [cut, chunker] of Object.entries(chunkers)) {
      test(`${codec} ${from}→${to} round-trips random packets, cut ${cut}`, (t) => {
        const packets = randomPackets(cut === 'oneByte' ? 40 : 200);
        const encoder = createFrameEncoder(codec);
        const quickAcks = packets.map((_, i) => from === 'client' && codec !== 'full' && i % 3 === 0);
        const stream = concat(packets.map((p, i) => encoder.encode(p, quickAcks[i])));
        const frames = drain(createFrameDecoder(codec, to), chunker(stream));
        t.is(frames.length, packets.length);
        frames.forEach((frame, i) => {
          if (frame.type !== 'packet') return t.fail('unexpected quick ack');
          const sent = packets[i]!;
          if (codec === 'padded') {
            t.true(frame.packet.length - sent.length >= 0 && frame.packet.length - sent.length <= 15);
            t.deepEqual(Buffer.from(frame.packet.subarray(0, sent.length)), Buffer.from(sent));
          } else t.deepEqual(Buffer.from(frame.packet), Buffer.from(sent));
          t.is(frame.quickAck, quickAcks[i]!);
        });
      });
    }
  }
}

for (const codec of ['abridged', 'intermediate', 'padded'] as const) {
  test(`${codec}: quick-ack tokens from the server interleave with packets`, (t) => {
    const encoder = createFrameEncoder(codec);
    const packets = randomPackets(20);
    const parts: Uint8Array[] = [];
    packets.forEach((p, i) => {
      parts.push(encoder.encode(p));
      parts.push(encoder.encodeQuickAck(0x12345678 + i));
    });
    const frames = drain(createFrameDecoder(codec, 'client'), chunkers.oneByte!(concat(parts)));
    t.is(frames.length, 40);
    frames.forEach((f, i) => {
      if (i % 2 === 1) t.deepEqual(f, { type: 'quickAck', token: (0x92345678 + (i >> 1)) >>> 0 });
      else t.is(f.type, 'packet');
    });
  });
}

test('abridged quick-ack token is sent byte-swapped (big-endian)', (t) => {
  t.deepEqual([...createFrameEncoder('abridged').encodeQuickAck(0x81020304)], [0x81, 0x02, 0x03, 0x04]);
  t.deepEqual([...createFrameEncoder('intermediate').encodeQuickAck(0x81020304)], [0x04, 0x03, 0x02, 0x81]);
});

test('abridged uses the 1-byte length below 127 words and 0x7f + 3 bytes from 127', (t) => {
  const e = createFrameEncoder('abridged');
  t.deepEqual([...e.encode(new Uint8Array(126 * 4)).subarray(0, 1)], [126]);
  t.deepEqual([...e.encode(new Uint8Array(127 * 4)).subarray(0, 4)], [0x7f, 127, 0, 0]);
  t.deepEqual([...e.encode(new Uint8Array(8), true).subarray(0, 1)], [0x82]);
  t.deepEqual([...e.encode(new Uint8Array(127 * 4), true).subarray(0, 1)], [0xff]);
});

test('full: known frame bytes (length, seq, CRC32)', (t) => {
  const e = createFrameEncoder('full');
  const first = e.encode(Uint8Array.of(1, 2, 3, 4));
  const second = e.encode(Uint8Array.of(1, 2, 3, 4));
  t.is(Buffer.from(first).toString('hex').slice(0, 24), '100000000000000001020304');
  t.is(Buffer.from(second).subarray(4, 8).toString('hex'), '01000000');
  // CRC32 of the first 12 bytes, little-endian (zlib's CRC-32 of 10 00 00 00 00 00 00 00 01 02 03 04).
  t.is(Buffer.from(first).readUInt32LE(12), 0xe0b50f42); // zlib.crc32 of those 12 bytes, computed with Python
});

function expectError(t: import('ava').ExecutionContext, codec: CodecName, role: Role, bytes: Uint8Array, code: TransportErrorCode, max?: number) {
  const decoder = createFrameDecoder(codec, role, max);
  decoder.push(bytes);
  const error = t.throws(() => {
    while (decoder.next());
  }, { instanceOf: TransportError });
  t.is(error?.code, code);
}

test('zero lengths are BAD_LENGTH in every codec', (t) => {
  expectError(t, 'abridged', 'server', Uint8Array.of(0), 'BAD_LENGTH');
  expectError(t, 'abridged', 'server', Uint8Array.of(0x7f, 0, 0, 0), 'BAD_LENGTH');
  expectError(t, 'intermediate', 'server', Uint8Array.of(0, 0, 0, 0), 'BAD_LENGTH');
  expectError(t, 'padded', 'client', Uint8Array.of(0, 0, 0, 0), 'BAD_LENGTH');
  expectError(t, 'full', 'client', Uint8Array.of(0, 0, 0, 0), 'BAD_LENGTH');
  expectError(t, 'full', 'client', Uint8Array.of(12, 0, 0, 0), 'BAD_LENGTH');
});

test('negative lengths are BAD_LENGTH (full) and never an allocation', (t) => {
  expectError(t, 'full', 'server', Uint8Array.of(0xfc, 0xff, 0xff, 0xff), 'BAD_LENGTH');
  expectError(t, 'full', 'server', Uint8Array.of(0, 0, 0, 0x80), 'BAD_LENGTH');
  // On the server side, intermediate's top bit is the quick-ack flag: 0x80000000 is a zero length.
  expectError(t, 'intermediate', 'server', Uint8Array.of(0, 0, 0, 0x80), 'BAD_LENGTH');
});

test('lengths above maxPacketSize are refused before the payload arrives', (t) => {
  expectError(t, 'abridged', 'server', Uint8Array.of(0x7f, 0xff, 0xff, 0xff), 'BAD_LENGTH');
  expectError(t, 'intermediate', 'server', Uint8Array.of(0x01, 0x00, 0x40, 0x00), 'BAD_LENGTH'); // 4 MiB + 1
  expectError(t, 'intermediate', 'client', Uint8Array.of(0x00, 0x00, 0x00, 0x7f), 'BAD_LENGTH');
  expectError(t, 'full', 'server', Uint8Array.of(0x00, 0x10, 0x00, 0x00), 'BAD_LENGTH', 1024);
  // exactly the maximum is fine (header only, waiting for the body)
  const decoder = createFrameDecoder('intermediate', 'server', 1024);
  decoder.push(Uint8Array.of(0x00, 0x04, 0, 0));
  t.is(decoder.next(), null);
});

test('full: CRC and sequence mismatches', (t) => {
  const e = createFrameEncoder('full');
  const good = e.encode(new Uint8Array(16).fill(7));
  const badCrc = Uint8Array.from(good);
  badCrc[10]! ^= 1;
  expectError(t, 'full', 'server', badCrc, 'BAD_CRC');
  const skipped = e.encode(new Uint8Array(16)); // seq 1 without seq 0
  expectError(t, 'full', 'server', skipped, 'BAD_SEQ');
  const replay = concat([good, good]);
  expectError(t, 'full', 'server', replay, 'BAD_SEQ');
});

test('encoders refuse what the codec cannot carry', (t) => {
  t.throws(() => createFrameEncoder('abridged').encode(new Uint8Array(5)), { instanceOf: TransportError });
  t.throws(() => createFrameEncoder('intermediate').encode(new Uint8Array(0)), { instanceOf: TransportError });
  t.throws(() => createFrameEncoder('full').encodeQuickAck(0x80000001), { instanceOf: TransportError });
});

for (const codec of ['abridged', 'intermediate', 'full'] as const) {
  test(`${codec}: encodeParts gives the same bytes as encode`, (t) => {
    const a = createFrameEncoder(codec);
    const b = createFrameEncoder(codec);
    for (const size of [4, 508, 512, 100_000]) {
      const packet = Buffer.alloc(size, size & 0xff);
      t.deepEqual(Buffer.concat(b.encodeParts(packet, codec !== 'full')), Buffer.from(a.encode(packet, codec !== 'full')));
    }
  });
}

test('padded: encodeParts frames decode like encode frames', (t) => {
  const e = createFrameEncoder('padded');
  const d = createFrameDecoder('padded', 'server');
  const packet = Buffer.alloc(100_000, 7);
  d.push(Buffer.concat(e.encodeParts(packet, true)));
  const frame = d.next();
  t.is(frame?.type, 'packet');
  if (frame?.type === 'packet') {
    t.true(frame.quickAck);
    t.true(Buffer.from(frame.packet.subarray(0, packet.length)).equals(packet));
  }
});
