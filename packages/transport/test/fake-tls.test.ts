import test from 'ava';
import { randomBytes } from 'node:crypto';
import { ClientCodec, ReplayCache, ServerCodec, TransportError } from '../src/index.js';
import { buildClientHello, clientHelloServerName, verifyClientHello, wrapApplicationData } from '../src/mtproxy/fake-tls.js';

const keyHex = 'a1a2a3a4a5a6a7a8a9aaabacadaeafb0';
const key = Buffer.from(keyHex, 'hex');
const secret = `ee${keyHex}${Buffer.from('www.example.org').toString('hex')}`;

function clientBytes(options: { secret: string }) {
  const out: Uint8Array[] = [];
  const client = new ClientCodec(options, { write: (b) => out.push(b), packet() {} });
  client.start();
  return { client, out };
}

test('the ClientHello looks like a browser hello: 517 bytes, TLS 1.0 record, SNI', (t) => {
  const hello = buildClientHello(key, 'www.example.org', 1_700_000_000);
  t.is(hello.length, 517);
  t.is(Buffer.from(hello.subarray(0, 11)).toString('hex'), '1603010200010001fc0303');
  t.true(Buffer.from(hello).includes(Buffer.from('www.example.org')));
  const verified = verifyClientHello(hello, [key], 1_700_000_000, 0);
  t.is(verified.timestamp, 1_700_000_000);
  t.is(verified.sessionId.length, 32);
});

test('a ClientHello signed with another secret is BAD_TLS', (t) => {
  const hello = buildClientHello(randomBytes(16), 'www.example.org');
  const error = t.throws(() => verifyClientHello(hello, [key], Math.floor(Date.now() / 1000), 600), { instanceOf: TransportError });
  t.is(error?.code, 'BAD_TLS');
});

test('a tampered ClientHello (one bit in the SNI) is BAD_TLS at the acceptor', (t) => {
  const { out } = clientBytes({ secret });
  const hello = Buffer.from(out[0]!);
  hello[hello.indexOf('example')] ^= 0x20;
  const server = new ServerCodec({ secrets: [secret] }, { write() {}, packet() {} });
  t.throws(() => server.feed(hello), { code: 'BAD_TLS' });
  t.throws(() => server.feed(Uint8Array.of(1)), { code: 'BAD_TLS' }, 'stays failed');
});

test('a ClientHello from too far in the past is BAD_TLS', (t) => {
  const { out } = clientBytes({ secret });
  const server = new ServerCodec({ secrets: [secret], now: () => Math.floor(Date.now() / 1000) + 3600 }, { write() {}, packet() {} });
  t.throws(() => server.feed(out[0]!), { code: 'BAD_TLS', message: /more than 600s/ });
});

test('the client rejects a server hello with a wrong digest', (t) => {
  const { client, out } = clientBytes({ secret });
  const answers: Uint8Array[] = [];
  const server = new ServerCodec({ secrets: [secret] }, { write: (b) => answers.push(b), packet() {} });
  server.feed(out[0]!);
  const answer = Buffer.from(answers[0]!);
  answer[20] ^= 1; // inside the server random
  t.throws(() => client.feed(answer), { code: 'BAD_TLS', message: /digest/ });
});

test('the client holds packets until the server hello checks out, then sends CCS + records', (t) => {
  const { client, out } = clientBytes({ secret });
  const big = randomBytes(40_000);
  client.send(big);
  t.is(out.length, 1, 'only the ClientHello went out');
  const answers: Uint8Array[] = [];
  const got: Uint8Array[] = [];
  const server = new ServerCodec({ secrets: [secret] }, { write: (b) => answers.push(b), packet: (p) => got.push(p) });
  server.feed(out[0]!);
  client.feed(answers[0]!);
  t.is(out.length, 2);
  const flight = Buffer.from(out[1]!);
  t.is(flight.subarray(0, 6).toString('hex'), '140303000101');
  // Walk the records: all application data, none over 16 KiB.
  let at = 6;
  let records = 0;
  while (at < flight.length) {
    t.is(flight[at], 0x17);
    const len = flight.readUInt16BE(at + 3);
    t.true(len <= 16384);
    at += 5 + len;
    records++;
  }
  t.is(at, flight.length);
  t.true(records >= 3);
  server.feed(flight);
  t.is(got.length, 1);
  t.true(Buffer.from(got[0]!.subarray(0, big.length)).equals(big));
});

test('non-application-data records after the handshake are BAD_TLS', (t) => {
  const { client, out } = clientBytes({ secret });
  const answers: Uint8Array[] = [];
  const server = new ServerCodec({ secrets: [secret] }, { write: (b) => answers.push(b), packet() {} });
  server.feed(out[0]!);
  client.feed(answers[0]!);
  client.send(randomBytes(64));
  server.feed(out[1]!);
  t.throws(() => server.feed(Uint8Array.of(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28)), { code: 'BAD_TLS' }); // an alert
  const server2 = new ServerCodec({ secrets: [secret] }, { write() {}, packet() {} });
  server2.feed(out[0]!);
  t.throws(() => server2.feed(Uint8Array.of(0x17, 0x03, 0x03, 0xff, 0xff)), { code: 'BAD_TLS' }); // 64 KiB record
});

test('the longest domain a secret can carry still makes a 16 03 01 02 hello', (t) => {
  const domain = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`; // 253 chars
  const hello = buildClientHello(key, domain);
  t.is(Buffer.from(hello.subarray(0, 4)).toString('hex'), '16030102');
  t.is(verifyClientHello(hello, [key], Math.floor(Date.now() / 1000), 60).index, 0);
});

test('with ee secrets configured, obfuscated clients whose init starts with 0x16 are still served', (t) => {
  let served = 0;
  for (let i = 0; i < 40; i++) {
    const out: Uint8Array[] = [];
    const client = new ClientCodec({ codec: 'intermediate', obfuscated: true }, { write: (b) => out.push(b), packet() {} });
    client.start();
    const init = Buffer.concat(out);
    if (init[0] !== 0x16) {
      i--;
      continue;
    }
    const server = new ServerCodec({ secrets: [secret] }, { write() {}, packet() {}, detected: () => served++ });
    server.feed(init);
  }
  t.is(served, 40);
});

test('the server checks the SNI against the secret\'s domain', (t) => {
  const hello = buildClientHello(key, 'other.example.org');
  t.is(clientHelloServerName(hello), 'other.example.org');
  const now = Math.floor(Date.now() / 1000);
  t.is(verifyClientHello(hello, [key], now, 60).index, 0, 'no domain given: digest alone');
  t.throws(() => verifyClientHello(hello, [key], now, 60, ['www.example.org']), { code: 'BAD_TLS', message: /does not name/ });
  const server = new ServerCodec({ secrets: [secret] }, { write() {}, packet() {} });
  t.throws(() => server.feed(hello), { code: 'BAD_TLS' });
  t.is(clientHelloServerName(Uint8Array.of(0x16, 3, 1, 0, 5, 1, 0, 0, 1, 3, 3)), null, 'truncated hello: no name, no crash');
});

test('a replayed ClientHello is refused when servers share a replay cache', (t) => {
  const { out } = clientBytes({ secret });
  const cache = new ReplayCache(2);
  const first = new ServerCodec({ secrets: [secret], tlsReplayCache: cache }, { write() {}, packet() {} });
  t.notThrows(() => first.feed(out[0]!));
  const replay = new ServerCodec({ secrets: [secret], tlsReplayCache: cache }, { write() {}, packet() {} });
  t.throws(() => replay.feed(out[0]!), { code: 'BAD_TLS', message: /replayed/ });
  // Bounded: the oldest entries make way.
  for (let i = 0; i < 3; i++) cache.add(randomBytes(32));
  t.is(cache.size, 2);
});

test('an obfuscated init split across several TLS records, fed one record at a time', (t) => {
  const { client, out } = clientBytes({ secret });
  const answers: Uint8Array[] = [];
  const got: Uint8Array[] = [];
  const server = new ServerCodec({ secrets: [secret] }, { write: (b) => answers.push(b), packet: (p) => got.push(p) });
  server.feed(out[0]!);
  client.send(new Uint8Array(48).fill(9));
  client.feed(answers[0]!);
  // Unwrap the client's flight (CCS + records) into its obfuscated byte stream …
  const flight = Buffer.from(out[1]!);
  const stream: Buffer[] = [];
  for (let at = 6; at < flight.length; ) {
    const len = flight.readUInt16BE(at + 3);
    stream.push(flight.subarray(at + 5, at + 5 + len));
    at += 5 + len;
  }
  const bytes = Buffer.concat(stream);
  // … and send it again as CCS + records of 30, 20 and the rest, one feed each.
  server.feed(wrapApplicationData(bytes.subarray(0, 30), true));
  server.feed(wrapApplicationData(bytes.subarray(30, 50)));
  t.is(got.length, 0);
  server.feed(wrapApplicationData(bytes.subarray(50)));
  t.is(got.length, 1);
  t.true(Buffer.from(got[0]!.subarray(0, 48)).equals(Buffer.alloc(48, 9)));
});
