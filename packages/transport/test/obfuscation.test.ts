import test from 'ava';
import { Obfuscated2, ClientCodec, ServerCodec, nodeAesCtr, type AesCtrFactory } from '../src/index.js';
import { isReservedStart } from '../src/obfuscation/obfuscated2.js';

// The init the vector is built from: byte i = (7i + 3) mod 256, with the
// intermediate tag at 56–59 and DC 2 at 60–61. The expected bytes were
// computed independently with Python's `cryptography` AES-CTR, following the
// spec's description (keys from bytes 8–55, reversed for the other way,
// SHA-256(key ‖ secret) with a secret).
function vectorInit(): Uint8Array {
  const init = Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + 3) % 256);
  init.set([0xee, 0xee, 0xee, 0xee, 0x02, 0x00], 56);
  return init;
}

const vectors = [
  {
    secret: undefined,
    wire: '030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d8427a3e26acbdb9f1d',
    firstFrame: '80a57ab4dd9f977e6deedd140fddee22261fbcff',
    serverFrame: '2864aaf6fb61b509a4398853',
  },
  {
    secret: Buffer.from('1112131415161718191a1b1c1d1e1f20', 'hex'),
    wire: '030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d84d99af985d2cffd65',
    firstFrame: '705f2dc022ef020daada88facf94863820e626f9',
    serverFrame: '47ca6d55997679d0ceb0bf34',
  },
];

for (const v of vectors) {
  test(`obfuscated2 vector ${v.secret ? 'with' : 'without'} a secret`, (t) => {
    const base = vectorInit();
    // The random source's bytes 56–63 are replaced by tag and DC id (62–63 stay random).
    const { init, obfuscation } = Obfuscated2.client(0xeeeeeeee, 2, { secret: v.secret, random: () => base });
    t.is(Buffer.from(init).toString('hex'), v.wire);
    const frame = Buffer.concat([Buffer.from([16, 0, 0, 0]), Buffer.from(Array.from({ length: 16 }, (_, i) => i))]);
    t.is(Buffer.from(obfuscation.encrypt(frame)).toString('hex'), v.firstFrame);
    const plain = Buffer.from(obfuscation.decrypt(Buffer.from(v.serverFrame, 'hex')));
    t.is(plain.toString('hex'), '08000000a0a1a2a3a4a5a6a7');

    // And the server reads the same init back.
    const server = Obfuscated2.server(init, { secret: v.secret });
    t.is(server.tag, 0xeeeeeeee);
    t.is(server.dcId, 2);
    t.is(Buffer.from(server.obfuscation.decrypt(Buffer.from(v.firstFrame, 'hex'))).toString('hex'), frame.toString('hex'));
    t.is(Buffer.from(server.obfuscation.encrypt(Buffer.from('08000000a0a1a2a3a4a5a6a7', 'hex'))).toString('hex'), v.serverFrame);
  });
}

test('negative DC ids (media DCs) survive the init', (t) => {
  const { init } = Obfuscated2.client(0xdddddddd, -4);
  const server = Obfuscated2.server(init);
  t.is(server.dcId, -4);
  t.is(server.tag, 0xdddddddd);
});

test('the client never starts with a reserved word or a zero second word', (t) => {
  const reserved = [
    [0xef, 1, 2, 3, 1, 1, 1, 1],
    [0x48, 0x45, 0x41, 0x44, 1, 1, 1, 1], // HEAD
    [0x50, 0x4f, 0x53, 0x54, 1, 1, 1, 1], // POST
    [0x47, 0x45, 0x54, 0x20, 1, 1, 1, 1], // GET
    [0x4f, 0x50, 0x54, 0x49, 1, 1, 1, 1], // OPTI
    [0x16, 0x03, 0x01, 0x02, 1, 1, 1, 1], // TLS
    [0xdd, 0xdd, 0xdd, 0xdd, 1, 1, 1, 1],
    [0xee, 0xee, 0xee, 0xee, 1, 1, 1, 1],
    [1, 2, 3, 4, 0, 0, 0, 0],
  ];
  for (const start of reserved) {
    const block = new Uint8Array(64).fill(9);
    block.set(start);
    t.true(isReservedStart(block), Buffer.from(start).toString('hex'));
    let calls = 0;
    const good = new Uint8Array(64).fill(9);
    const { init } = Obfuscated2.client(0xefefefef, 1, { random: () => (calls++ === 0 ? block : good) });
    t.is(calls, 2, 'a reserved start is redrawn');
    t.is(init[0], 9);
  }
  t.false(isReservedStart(new Uint8Array(64).fill(9)));
});

test('a wrong secret gives no known tag: BAD_INIT', (t) => {
  const client = new ClientCodec({ codec: 'intermediate', secret: '00112233445566778899aabbccddeeff' }, { write: (b) => bytes.push(b), packet() {} });
  const bytes: Uint8Array[] = [];
  client.start();
  const server = new ServerCodec({ secrets: ['ffeeddccbbaa99887766554433221100'], requireSecret: true }, { write() {}, packet() {} });
  t.throws(() => server.feed(Buffer.concat(bytes)), { code: 'BAD_INIT' });
});

test('a custom AES-CTR backend is used for both directions on both ends', (t) => {
  let streams = 0;
  let bytes = 0;
  const aesCtr: AesCtrFactory = (key, iv) => {
    streams++;
    const inner = nodeAesCtr(key, iv);
    return { update: (d) => ((bytes += d.length), inner.update(d)) };
  };
  const out: Uint8Array[] = [];
  const got: Uint8Array[] = [];
  const client = new ClientCodec({ codec: 'abridged', obfuscated: true, aesCtr }, { write: (b) => out.push(b), packet() {} });
  const server = new ServerCodec({ aesCtr }, { write() {}, packet: (p) => got.push(p) });
  client.start();
  client.send(new Uint8Array(40).fill(5));
  server.feed(Buffer.concat(out));
  t.is(got.length, 1);
  t.is(streams, 4);
  t.true(bytes >= 2 * (64 + 41));
});
