import test from 'ava';
import { randomBytes } from 'node:crypto';
import { ClientCodec, ServerCodec, createTransport, nodeAesCtr, serveTransports, type AesCtrFactory, type CodecName } from '../src/index.js';
import { within } from './helpers.js';

/**
 * An AES-CTR backend that honours `out` (as crypto-native's does), counting
 * the calls that wrote in place, i.e. with `out === data`.
 */
function inPlaceBackend() {
  const stats = { inPlace: 0, allocated: 0 };
  const aesCtr: AesCtrFactory = (key, iv) => {
    const inner = nodeAesCtr(key, iv);
    return {
      update(data, out) {
        const result = inner.update(data);
        if (!out) {
          stats.allocated++;
          return result;
        }
        if (out === data) stats.inPlace++;
        out.set(result);
        return out;
      },
    };
  };
  return { aesCtr, stats };
}

const obfuscatedCodecs: CodecName[] = ['abridged', 'intermediate', 'padded'];
const ee = `ee${'5'.repeat(32)}${Buffer.from('in-place.example.com').toString('hex')}`;

/** Client → server through codecs sharing `aesCtr`; `send` is given the client. */
function pipe(options: { codec?: CodecName; secret?: string }, aesCtr: AesCtrFactory) {
  const wire: Uint8Array[] = [];
  const back: Uint8Array[] = [];
  const got: Uint8Array[] = [];
  const client = new ClientCodec({ ...options, obfuscated: true, aesCtr }, { write: (b) => wire.push(b), packet: (p) => got.push(p) });
  const server = new ServerCodec({ secrets: options.secret ? [options.secret] : [], aesCtr }, { write: (b) => back.push(b), packet: (p) => got.push(p) });
  client.start();
  const deliver = (owned: boolean) => {
    for (const chunk of wire.splice(0)) server.feed(chunk, { owned });
    if (options.secret) for (const chunk of back.splice(0)) client.feed(chunk, { owned });
  };
  // Fake-TLS: the server's hello must reach the client before it lets packets out.
  if (options.secret) deliver(true);
  return { client, server, got, deliver, back };
}

const cases: Array<[string, { codec?: CodecName; secret?: string }]> = [...obfuscatedCodecs.map((codec): [string, { codec: CodecName }] => [codec, { codec }]), ['fake-TLS', { secret: ee }]];

for (const [name, options] of cases) {
  test(`${name}: send() without owned never modifies the caller's packet, small or large, corked or not`, (t) => {
    const { aesCtr, stats } = inPlaceBackend();
    const { client, got, deliver } = pipe(options, aesCtr);
    const packets = [randomBytes(1024), randomBytes(300_000), randomBytes(64 * 1024), randomBytes(40)];
    const copies = packets.map((p) => Buffer.from(p));
    client.send(packets[0]!);
    client.send(packets[1]!);
    client.cork();
    client.send(packets[2]!);
    client.send(packets[3]!);
    client.uncork();
    packets.forEach((p, i) => t.true(Buffer.from(p).equals(copies[i]!), `packet ${i} changed`));
    deliver(true);
    t.is(got.length, 4);
    got.forEach((p, i) => t.true(Buffer.from(p.subarray(0, copies[i]!.length)).equals(copies[i]!)));
    t.true(stats.inPlace > 0, 'the frames the codec built were encrypted in place');
  });

  test(`${name}: send() with owned encrypts a large packet in place and it still arrives intact`, (t) => {
    const { aesCtr, stats } = inPlaceBackend();
    const { client, got, deliver } = pipe(options, aesCtr);
    const packet = randomBytes(200_000);
    const copy = Buffer.from(packet);
    const before = stats.allocated;
    client.send(packet, { owned: true });
    t.false(Buffer.from(packet).equals(copy), 'the handed-over packet now holds ciphertext');
    deliver(true);
    t.is(got.length, 1);
    t.true(Buffer.from(got[0]!.subarray(0, copy.length)).equals(copy));
    // Nothing allocated on the way but the server's decryption of the 64-byte init.
    t.is(stats.allocated, before + 1);
  });
}

test('feed() without owned leaves the chunks alone; with owned it decrypts them in place', (t) => {
  for (const owned of [false, true]) {
    const { aesCtr, stats } = inPlaceBackend();
    const wire: Uint8Array[] = [];
    const got: Uint8Array[] = [];
    const client = new ClientCodec({ codec: 'intermediate', obfuscated: true, aesCtr }, { write: (b) => wire.push(b), packet() {} });
    const server = new ServerCodec({ aesCtr }, { write() {}, packet: (p) => got.push(p) });
    client.start();
    const packets = [randomBytes(5000), randomBytes(100_000)];
    for (const p of packets) client.send(p);
    const stream = Buffer.concat(wire);
    // Cut so that a frame straddles chunks and the init's leftovers are decrypted with a later feed.
    const chunks = [stream.subarray(0, 70), stream.subarray(70, 3000), stream.subarray(3000)].map((c) => Buffer.from(c));
    const copies = chunks.map((c) => Buffer.from(c));
    const before = { ...stats };
    for (const c of chunks) server.feed(c, { owned });
    t.is(got.length, 2);
    got.forEach((p, i) => t.true(Buffer.from(p).equals(packets[i]!)));
    const unchanged = chunks.every((c, i) => c.equals(copies[i]!));
    if (owned) {
      t.false(unchanged);
      t.is(stats.allocated, before.allocated + 1, "nothing but the init's decryption allocated");
    } else {
      t.true(unchanged, 'borrowed chunks were modified');
      t.is(stats.inPlace, before.inPlace, 'nothing was decrypted in place');
    }
  }
});

test('one borrowed feed rules out in-place decryption for the rest of the stream', (t) => {
  const { aesCtr, stats } = inPlaceBackend();
  const wire: Uint8Array[] = [];
  const got: Uint8Array[] = [];
  const client = new ClientCodec({ codec: 'abridged', obfuscated: true, aesCtr }, { write: (b) => wire.push(b), packet() {} });
  const server = new ServerCodec({ aesCtr }, { write() {}, packet: (p) => got.push(p) });
  client.start();
  const packet = randomBytes(4000);
  client.send(packet);
  const stream = Buffer.concat(wire);
  // The borrowed chunk ends inside the frame: its tail waits in the decoder's queue.
  const borrowed = Buffer.from(stream.subarray(0, 1000));
  const copy = Buffer.from(borrowed);
  const before = stats.inPlace;
  server.feed(borrowed);
  server.feed(Buffer.from(stream.subarray(1000)), { owned: true });
  t.true(borrowed.equals(copy));
  t.is(stats.inPlace, before);
  t.is(got.length, 1);
  t.true(Buffer.from(got[0]!).equals(packet));
});

test('node:crypto backend (no out parameter) still works with owned sends and feeds', (t) => {
  const wire: Uint8Array[] = [];
  const got: Uint8Array[] = [];
  const client = new ClientCodec({ codec: 'intermediate', obfuscated: true }, { write: (b) => wire.push(b), packet() {} });
  const server = new ServerCodec({}, { write() {}, packet: (p) => got.push(p) });
  client.start();
  const packet = randomBytes(150_000);
  const copy = Buffer.from(packet);
  client.send(packet, { owned: true });
  t.true(Buffer.from(packet).equals(copy), 'node:crypto cannot write in place, so nothing was');
  for (const c of wire) server.feed(c, { owned: true });
  t.is(got.length, 1);
  t.true(Buffer.from(got[0]!).equals(copy));
});

test("Transport over loopback: a caller's packet survives send() without owned; server and client decrypt in place", async (t) => {
  const { aesCtr, stats } = inPlaceBackend();
  const server = await serveTransports({ aesCtr }, (conn) => conn.on('packet', (p) => conn.send(p)));
  try {
    const transport = createTransport({ host: '127.0.0.1', port: server.port, dcId: 2 }, { codec: 'intermediate', obfuscated: true, aesCtr });
    const received: Uint8Array[] = [];
    transport.on('packet', (p) => received.push(p));
    await within(5000, transport.connect(AbortSignal.timeout(5000)), 'connect');
    const packets = [randomBytes(2048), randomBytes(400_000)];
    const copies = packets.map((p) => Buffer.from(p));
    await Promise.all(packets.map((p) => transport.send(p)));
    packets.forEach((p, i) => t.true(Buffer.from(p).equals(copies[i]!), `packet ${i} changed`));
    const owned = randomBytes(300_000);
    const ownedCopy = Buffer.from(owned);
    await transport.send(owned, { owned: true });
    await within(5000, (async () => { while (received.length < 3) await new Promise((r) => setTimeout(r, 5)); })(), 'echo');
    received.forEach((p, i) => t.true(Buffer.from(p).equals([...copies, ownedCopy][i]!)));
    t.true(stats.inPlace > 0);
    await within(3000, transport.close(), 'close');
  } finally {
    await server.close();
  }
});
