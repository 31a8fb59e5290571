import test from 'ava';
import { randomBytes, randomInt } from 'node:crypto';
import { ClientCodec, nodeAesCtr, ServerCodec, TransportError, type AesCtrFactory, type CodecName } from '../src/index.js';

/** node:crypto's AES-CTR made to write into `out` (as crypto-native does), so lent bytes are decrypted where they lie. */
const inPlaceAesCtr: AesCtrFactory = (key, iv) => {
  const inner = nodeAesCtr(key, iv);
  return {
    update(data, out) {
      const result = inner.update(data);
      if (!out) return result;
      out.set(result);
      return out;
    },
  };
};

/**
 * What a TCP connection does with its reads (see connection/tcp.ts): every
 * read lands in one reused scratch buffer, or in the rest of the large frame
 * the codec names (readTarget), and is fed lent. After each feed the scratch
 * buffer is scribbled over, as the next read would.
 */
function readLikeASocket(client: ClientCodec, stream: Uint8Array, scratchSize: number): { inPlace: number } {
  const scratch = new Uint8Array(scratchSize);
  let inPlace = 0;
  for (let at = 0; at < stream.length; ) {
    const target = client.readTarget();
    const into = target ?? scratch;
    const n = Math.min(into.length, stream.length - at, 1 + randomInt(scratchSize));
    into.set(stream.subarray(at, at + n));
    if (target) inPlace += n;
    client.feed(into.subarray(0, n), { owned: true, lent: true });
    scratch.fill(0xaa);
    at += n;
  }
  return { inPlace };
}

/** A client codec and the bytes a server codec sends it: `packets`, framed (and obfuscated). */
function serverStream(codec: CodecName, obfuscated: boolean, packets: Uint8Array[]) {
  const received: Uint8Array[] = [];
  const toServer: Uint8Array[] = [];
  const toClient: Uint8Array[] = [];
  const client = new ClientCodec({ codec, obfuscated, aesCtr: inPlaceAesCtr }, { write: (b) => toServer.push(b), packet: (p) => received.push(p) });
  const server = new ServerCodec({}, { write: (b) => toClient.push(b), packet() {} });
  client.start();
  client.send(randomBytes(16)); // the full codec has no init: the server tells it by a first frame
  for (const b of toServer.splice(0)) server.feed(b);
  for (const p of packets) server.send(p);
  return { client, received, stream: Buffer.concat(toClient) };
}

const variants: Array<[CodecName, boolean]> = [
  ['abridged', false],
  ['intermediate', false],
  ['padded', false],
  ['full', false],
  ['abridged', true],
  ['intermediate', true],
  ['padded', true],
];

for (const [codec, obfuscated] of variants) {
  test(`${codec}${obfuscated ? ', obfuscated' : ''}: lent reads (scratch reused, big frames read in place) deliver every packet intact`, (t) => {
    const sizes = [24, 1000, 300_000, 40, 70_000, 5000, 600_000, 28, 65_536, 100];
    const packets = sizes.map((n) => randomBytes(n));
    for (const scratchSize of [300, 1500, 64 * 1024]) {
      const { client, received, stream } = serverStream(codec, obfuscated, packets);
      const { inPlace } = readLikeASocket(client, stream, scratchSize);
      t.is(received.length, packets.length);
      received.forEach((p, i) => {
        // Padded intermediate keeps its 0–15 padding bytes.
        t.true(Buffer.from(p.subarray(0, packets[i]!.length)).equals(packets[i]!), `packet ${i} (${sizes[i]} bytes), scratch ${scratchSize}`);
      });
      t.true(inPlace > 500_000, `large frames were mostly read in place (${inPlace} bytes)`);
      t.notThrows(() => client.end());
    }
  });
}

test('a lent feed never leaves the queue holding the lent bytes: a frame split mid-header survives the scribble', (t) => {
  const packet = randomBytes(200);
  const { client, received, stream } = serverStream('intermediate', false, [packet, packet]);
  const scratch = new Uint8Array(stream.length);
  // Cut inside the second frame's length word, then inside its payload.
  for (const [from, to] of [
    [0, 206],
    [206, 300],
    [300, stream.length],
  ] as const) {
    scratch.set(stream.subarray(from, to));
    client.feed(scratch.subarray(0, to - from), { lent: true });
    scratch.fill(0x55);
  }
  t.is(received.length, 2);
  for (const p of received) t.true(Buffer.from(p).equals(packet));
  // Packets cut from a lent chunk are copies: the scribble did not reach them.
  t.false(received[0]!.buffer === scratch.buffer);
});

test('a stream that ends right after a frame header is TRUNCATED, not clean', (t) => {
  for (const codec of ['abridged', 'intermediate', 'full'] as CodecName[]) {
    const { client, stream } = serverStream(codec, false, [randomBytes(100_000)]);
    const header = codec === 'abridged' ? 4 : codec === 'full' ? 8 : 4;
    client.feed(stream.subarray(0, header), { lent: true });
    const error = t.throws(() => client.end(), { instanceOf: TransportError });
    t.is(error?.code, 'TRUNCATED', codec);
  }
});

test('readTarget names nothing under fake-TLS, nor for small frames', (t) => {
  const ee = `ee${'7'.repeat(32)}${Buffer.from('lent.example.com').toString('hex')}`;
  const tls = new ClientCodec({ secret: ee }, { write() {}, packet() {} });
  tls.start();
  t.is(tls.readTarget(), undefined);
  const { client, stream } = serverStream('intermediate', false, [randomBytes(1000)]);
  client.feed(stream.subarray(0, 100), { lent: true });
  t.is(client.readTarget(), undefined, 'a small frame is joined, not read into');
  const big = serverStream('intermediate', false, [randomBytes(200_000)]);
  big.client.feed(big.stream.subarray(0, 20_000), { lent: true });
  t.is(big.client.readTarget()?.length, 200_000 - 19_996);
});

test("a large frame's buffer is allocated once a sixteenth of it is in, not on its header alone", (t) => {
  const asked: number[] = [];
  const received: Uint8Array[] = [];
  const client = new ClientCodec(
    { codec: 'intermediate', allocPacket: (n) => (asked.push(n), new Uint8Array(n)) },
    { write() {}, packet: (p) => received.push(p) },
  );
  client.start();
  const packet = randomBytes(4 * 1024 * 1024);
  const frame = Buffer.concat([Buffer.from(Uint32Array.of(packet.length).buffer), packet]);
  client.feed(frame.subarray(0, 4), { lent: true });
  client.feed(frame.subarray(4, 200_000), { lent: true });
  t.deepEqual(asked, [], 'a header and 200 kB do not buy a 4 MiB buffer');
  t.is(client.readTarget(), undefined);
  client.feed(frame.subarray(200_000, 300_000), { lent: true });
  t.deepEqual(asked, [packet.length]);
  client.feed(frame.subarray(300_000), { lent: true });
  t.is(received.length, 1);
  t.true(Buffer.from(received[0]!).equals(packet));
});
