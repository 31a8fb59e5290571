import test from 'ava';
import { randomBytes } from 'node:crypto';
import { ClientCodec, ServerCodec, TransportError, type CodecName, type DetectedTransport } from '../src/index.js';
import { chunkers, randomPackets } from './helpers.js';

const key = '0123456789abcdef0123456789abcdef';
const secrets = {
  none: undefined,
  plain: key,
  dd: `dd${'1'.repeat(32)}`,
  ee: `ee${'2'.repeat(32)}${Buffer.from('example.com').toString('hex')}`,
} as const;
type SecretKind = keyof typeof secrets;

interface Pair {
  client: ClientCodec;
  server: ServerCodec;
  toServer: Uint8Array[];
  toClient: Uint8Array[];
  atServer: Array<{ packet: Uint8Array; quickAck: boolean }>;
  atClient: Uint8Array[];
  quickAcks: number[];
  detected: DetectedTransport[];
}

function pair(codec: CodecName, obfuscated: boolean, secret: SecretKind, serverSecrets: string[] = Object.values(secrets).filter((s) => s !== undefined)): Pair {
  const p = { toServer: [], toClient: [], atServer: [], atClient: [], quickAcks: [], detected: [] } as unknown as Pair;
  p.client = new ClientCodec(
    { codec, obfuscated, dcId: 3, secret: secrets[secret] },
    { write: (b) => p.toServer.push(b), packet: (b) => p.atClient.push(b), quickAck: (t) => p.quickAcks.push(t) },
  );
  p.server = new ServerCodec(
    { secrets: serverSecrets },
    { write: (b) => p.toClient.push(b), packet: (b, meta) => p.atServer.push({ packet: b, ...meta }), detected: (i) => p.detected.push(i) },
  );
  return p;
}

/** Move everything written so far across, cut by `chunker`. */
function pump(p: Pair, chunker: (b: Uint8Array) => Uint8Array[]) {
  for (let guard = 0; guard < 10 && (p.toServer.length || p.toClient.length); guard++) {
    const up = Buffer.concat(p.toServer.splice(0));
    for (const c of chunker(up)) p.server.feed(c);
    const down = Buffer.concat(p.toClient.splice(0));
    for (const c of chunker(down)) p.client.feed(c);
  }
}

function matches(t: import('ava').ExecutionContext, got: Uint8Array, sent: Uint8Array, codec: CodecName) {
  if (codec === 'padded') {
    t.true(got.length >= sent.length && got.length <= sent.length + 15);
    t.true(Buffer.from(got.subarray(0, sent.length)).equals(sent));
  } else t.true(Buffer.from(got).equals(sent));
}

const combos: Array<{ codec: CodecName; obfuscated: boolean; secret: SecretKind }> = [];
for (const codec of ['abridged', 'intermediate', 'padded', 'full'] as CodecName[]) combos.push({ codec, obfuscated: false, secret: 'none' });
for (const codec of ['abridged', 'intermediate', 'padded'] as CodecName[]) {
  for (const secret of ['none', 'plain', 'ee'] as SecretKind[]) combos.push({ codec, obfuscated: true, secret });
}
combos.push({ codec: 'padded', obfuscated: true, secret: 'dd' });

for (const { codec, obfuscated, secret } of combos) {
  for (const [cut, chunker] of Object.entries(chunkers)) {
    const name = `${codec}${obfuscated ? ' obfuscated' : ''}${secret !== 'none' ? ` secret=${secret}` : ''}`;
    test(`client ⇄ server: ${name}, cut ${cut}`, (t) => {
      const p = pair(codec, obfuscated, secret);
      p.client.start();
      const up = randomPackets(cut === 'oneByte' ? 10 : 60, 2048);
      const down = randomPackets(cut === 'oneByte' ? 10 : 60, 2048, 24);
      up.forEach((packet, i) => p.client.send(packet, { quickAck: i % 2 === 0 }));
      pump(p, chunker);
      t.is(p.detected.length, 1);
      t.like(p.detected[0], { codec, obfuscated, fakeTls: secret === 'ee', dcId: obfuscated ? 3 : null });
      if (secret !== 'none') t.is(p.detected[0]!.secret?.kind, secret);
      t.is(p.atServer.length, up.length);
      p.atServer.forEach((got, i) => {
        matches(t, got.packet, up[i]!, codec);
        t.is(got.quickAck, codec !== 'full' && i % 2 === 0);
      });
      down.forEach((packet, i) => {
        p.server.send(packet);
        if (codec !== 'full') p.server.sendQuickAck(0x1000 + i);
      });
      pump(p, chunker);
      t.is(p.atClient.length, down.length);
      p.atClient.forEach((got, i) => matches(t, got, down[i]!, codec));
      t.deepEqual(p.quickAcks, codec === 'full' ? [] : down.map((_, i) => (0x80001000 + i) >>> 0));
      t.notThrows(() => p.client.end());
      t.notThrows(() => p.server.end());
    });
  }
}

for (const codec of ['abridged', 'intermediate', 'padded', 'full'] as CodecName[]) {
  test(`${codec}: the server's -404 reaches the client as TransportError(-404)`, (t) => {
    const p = pair(codec, codec !== 'full', 'none');
    p.client.start();
    p.client.send(randomBytes(64));
    pump(p, chunkers.coalesced!);
    p.server.sendError(-404);
    const error = t.throws(() => pump(p, chunkers.oneByte!), { instanceOf: TransportError });
    t.is(error?.code, -404);
    t.true(error?.fromPeer);
  });
}

test('a stream cut inside a frame is TRUNCATED at end()', (t) => {
  const p = pair('intermediate', true, 'none');
  p.client.start();
  p.client.send(randomBytes(400));
  const bytes = Buffer.concat(p.toServer.splice(0));
  p.server.feed(bytes.subarray(0, bytes.length - 10));
  t.throws(() => p.server.end(), { code: 'TRUNCATED' });
  // … and an init cut short is TRUNCATED too.
  const q = pair('intermediate', true, 'none');
  q.client.start();
  q.server.feed(Buffer.concat(q.toServer).subarray(0, 30));
  t.throws(() => q.server.end(), { code: 'TRUNCATED' });
});

test('the server refuses unobfuscated or secretless clients when told to', (t) => {
  const strict = () => new ServerCodec({ secrets: [key], requireSecret: true }, { write() {}, packet() {} });
  t.throws(() => strict().feed(Uint8Array.of(0xef, 0x01, 0, 0, 0, 0, 0, 0, ...new Array(56).fill(1))), { code: 'BAD_INIT' });
  const p = pair('intermediate', true, 'none');
  p.client.start();
  t.throws(() => strict().feed(Buffer.concat(p.toServer)), { code: 'BAD_INIT' });
  const q = pair('intermediate', true, 'plain');
  q.client.start();
  t.notThrows(() => strict().feed(Buffer.concat(q.toServer)));
});

test('obfuscated full and dd without padding are refused up front', (t) => {
  t.throws(() => new ClientCodec({ codec: 'full', obfuscated: true }, { write() {}, packet() {} }), { code: 'UNSUPPORTED' });
  t.throws(() => new ClientCodec({ codec: 'intermediate', secret: secrets.dd }, { write() {}, packet() {} }), { code: 'UNSUPPORTED' });
  t.throws(() => new ClientCodec({ secret: 'zz' }, { write() {}, packet() {} }), { code: 'BAD_SECRET' });
  t.throws(() => new ClientCodec({ secret: 'aabb' }, { write() {}, packet() {} }), { code: 'BAD_SECRET' });
});

for (const { codec, obfuscated, secret } of [
  { codec: 'intermediate', obfuscated: false, secret: 'none' },
  { codec: 'full', obfuscated: false, secret: 'none' },
  { codec: 'abridged', obfuscated: true, secret: 'plain' },
  { codec: 'padded', obfuscated: true, secret: 'dd' },
  { codec: 'padded', obfuscated: true, secret: 'ee' },
] as const) {
  test(`large packets (written in pieces) round-trip: ${codec}${obfuscated ? ' obfuscated' : ''} ${secret}`, (t) => {
    const p = pair(codec, obfuscated, secret);
    p.client.start();
    const packets = [randomBytes(64 * 1024), randomBytes(300_000), randomBytes(24), randomBytes(1024 * 1024)];
    for (const packet of packets) p.client.send(packet, { quickAck: true });
    pump(p, chunkers.randomSplits!);
    t.is(p.atServer.length, packets.length);
    p.atServer.forEach((got, i) => matches(t, got.packet, packets[i]!, codec));
    for (const packet of packets) p.server.send(packet);
    pump(p, chunkers.randomSplits!);
    t.is(p.atClient.length, packets.length);
    p.atClient.forEach((got, i) => matches(t, got, packets[i]!, codec));
  });
}
