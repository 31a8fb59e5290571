import test from 'ava';
import { randomBytes, randomInt } from 'node:crypto';
import { ClientCodec, ServerCodec, TransportError, type CodecName } from '../src/index.js';
import { chunkers } from './helpers.js';

const ee = `ee${'3'.repeat(32)}${Buffer.from('fuzz.example').toString('hex')}`;
const dd = `dd${'4'.repeat(32)}`;

/** Feed chunks; the only acceptable failure is a TransportError. */
function feedAll(t: import('ava').ExecutionContext, feed: (b: Uint8Array) => void, chunks: Uint8Array[]): TransportError | null {
  try {
    for (const c of chunks) feed(c);
    return null;
  } catch (error) {
    if (!(error instanceof TransportError)) t.fail(`non-TransportError thrown: ${String(error)}`);
    return error as TransportError;
  }
}

test('random bytes at the acceptor: BAD_INIT by byte 64 unless they spell a plain init', (t) => {
  let refused = 0;
  for (let i = 0; i < 2000; i++) {
    const bytes = randomBytes(64);
    const plain = bytes[0] === 0xef || bytes.readUInt32LE(0) === 0xeeeeeeee || bytes.readUInt32LE(0) === 0xdddddddd || bytes.readUInt32LE(4) === 0;
    if (plain) continue;
    const server = new ServerCodec({ secrets: [dd] }, { write() {}, packet() {} });
    const error = feedAll(t, (b) => server.feed(b), chunkers.randomSplits!(bytes));
    if (error) {
      t.is(error.code, 'BAD_INIT');
      refused++;
    }
  }
  t.true(refused > 1900);
});

test('random bytes after every kind of init: TransportError or packets, never anything else', (t) => {
  const inits: Uint8Array[] = [Uint8Array.of(0xef), Uint8Array.of(0xee, 0xee, 0xee, 0xee), Uint8Array.of(0xdd, 0xdd, 0xdd, 0xdd), new Uint8Array(0)];
  for (let i = 0; i < 800; i++) {
    const server = new ServerCodec({ secrets: [ee, dd], maxPacketSize: 4096 }, { write() {}, packet() {} });
    const init = inits[i % inits.length]!;
    const body = randomBytes(randomInt(1, 600));
    if (init.length === 0 && body.length >= 8) body.writeUInt32LE(0, 4); // look like full's first frame (seq 0)
    feedAll(t, (b) => server.feed(b), chunkers.randomSplits!(Buffer.concat([init, body])));
  }
  t.pass();
});

test('flipped bytes in a valid obfuscated / fake-TLS stream: TransportError or packets, nothing else', (t) => {
  const configs: Array<{ codec: CodecName; secret?: string; obfuscated: boolean }> = [
    { codec: 'intermediate', obfuscated: true },
    { codec: 'abridged', obfuscated: true },
    { codec: 'padded', obfuscated: true, secret: dd },
    { codec: 'padded', obfuscated: true, secret: ee },
    { codec: 'full', obfuscated: false },
  ];
  let errors = 0;
  for (let i = 0; i < 400; i++) {
    const config = configs[i % configs.length]!;
    const up: Uint8Array[] = [];
    const down: Uint8Array[] = [];
    const client = new ClientCodec({ ...config, maxPacketSize: 65536 }, { write: (b) => up.push(b), packet() {} });
    const server = new ServerCodec({ secrets: [ee, dd], maxPacketSize: 65536 }, { write: (b) => down.push(b), packet() {} });
    client.start();
    if (config.secret === ee) {
      server.feed(Buffer.concat(up.splice(0)));
      client.feed(Buffer.concat(down.splice(0)));
    }
    for (let k = 0; k < 5; k++) client.send(randomBytes(4 * randomInt(1, 300)));
    const stream = Buffer.concat(up);
    for (let flips = randomInt(1, 4); flips > 0; flips--) stream[randomInt(stream.length)]! ^= 1 << randomInt(8);
    if (feedAll(t, (b) => server.feed(b), chunkers.randomSplits!(stream))) errors++;
  }
  t.true(errors > 0);
});

test('random bytes from the "server" at a client: TransportError or packets, nothing else', (t) => {
  for (let i = 0; i < 800; i++) {
    const codec = (['abridged', 'intermediate', 'padded', 'full'] as const)[i % 4]!;
    const client = new ClientCodec({ codec, obfuscated: i % 8 >= 4 && codec !== 'full', maxPacketSize: 4096 }, { write() {}, packet() {}, quickAck() {} });
    client.start();
    feedAll(t, (b) => client.feed(b), chunkers.randomSplits!(randomBytes(randomInt(1, 2000))));
  }
  t.pass();
});

test('reading the SNI of random or cut ClientHellos never throws', async (t) => {
  const { buildClientHello, clientHelloServerName } = await import('../src/mtproxy/fake-tls.js');
  const hello = buildClientHello(randomBytes(16), 'sni.example');
  for (let i = 0; i < 2000; i++) {
    const cut = hello.subarray(0, randomInt(hello.length));
    const noisy = Uint8Array.from(hello);
    noisy[randomInt(11, hello.length)] = randomInt(256);
    t.notThrows(() => clientHelloServerName(cut));
    t.notThrows(() => clientHelloServerName(noisy));
    t.notThrows(() => clientHelloServerName(randomBytes(randomInt(600))));
  }
});
