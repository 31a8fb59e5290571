// Bounded mutation tests: whatever a peer sends, both state machines answer
// with a HandshakeError (never a RangeError, TypeError or crash) or carry on.
import test from 'ava';
import { ClientHandshake } from '../src/mtproto/handshake/client.js';
import { ServerHandshake } from '../src/mtproto/handshake/server.js';
import { HandshakeError } from '../src/mtproto/handshake/errors.js';
import { decodeUnencrypted, encodeUnencrypted } from '../src/mtproto/unencrypted.js';
import { generateRsaKeyPair } from '../src/mtproto/rsa.js';
import { prepareDhPrime } from '../src/mtproto/dh.js';
import { seeded } from './handshake-helpers.js';

const pair = generateRsaKeyPair();
prepareDhPrime();

/** The packets of one honest exchange, and a way to rebuild both sides up to step `n`. */
function recorded(seed: string) {
  const make = () => ({
    client: new ClientHandshake({ dcId: 2, publicKeys: [pair.publicKey], random: seeded(`${seed}:c`), now: () => 1_760_000_000_000 }),
    server: new ServerHandshake({ dcId: 2, keys: [pair], random: seeded(`${seed}:s`), now: () => 1_760_000_000_000 }),
  });
  const toServer: Uint8Array[] = [];
  const toClient: Uint8Array[] = [];
  const { client, server } = make();
  let out: Uint8Array | undefined = client.start();
  while (out) {
    toServer.push(out);
    const s: Uint8Array = server.receive(out).send!;
    toClient.push(s);
    out = client.receive(s).send;
  }
  /** Both machines, fed the first `n` packets each way (so the next expected is step n). */
  const at = (n: number) => {
    const m = make();
    m.client.start();
    for (let i = 0; i < n; i++) {
      m.server.receive(toServer[i]!);
      m.client.receive(toClient[i]!);
    }
    return m;
  };
  return { toServer, toClient, at };
}

function mutations(packet: Uint8Array, rnd: (n: number) => Uint8Array): Uint8Array[] {
  const { msgId, body } = decodeUnencrypted(packet);
  const out: Uint8Array[] = [];
  // every truncation of the body (with a consistent header), a few extensions
  for (let n = 0; n < body.length; n += Math.max(1, Math.floor(body.length / 31))) out.push(encodeUnencrypted(msgId, body.subarray(0, n)));
  for (const extra of [1, 4, 16, 300]) out.push(encodeUnencrypted(msgId, new Uint8Array(Buffer.concat([body, rnd(extra)]))));
  // single byte flips spread over the body, and random bodies of the same length
  for (let i = 0; i < 24; i++) {
    const b = body.slice();
    const at = rnd(2);
    b[((at[0]! << 8) | at[1]!) % b.length]! ^= 1 << (at[0]! & 7);
    out.push(encodeUnencrypted(msgId, b));
  }
  for (let i = 0; i < 3; i++) out.push(encodeUnencrypted(msgId, rnd(body.length)));
  // raw garbage and broken headers
  out.push(new Uint8Array(0), rnd(19), packet.subarray(0, packet.length - 1));
  return out;
}

function expectTyped(t: { fail: (m: string) => void; pass: () => void }, fn: () => unknown, what: string) {
  try {
    fn();
    t.pass();
  } catch (err) {
    if (err instanceof HandshakeError) t.pass();
    else t.fail(`${what}: ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
  }
}

test('client: mutated server packets give HandshakeError or nothing', (t) => {
  const rec = recorded('fuzz-client');
  const rnd = seeded('mut-c');
  for (let step = 0; step < rec.toClient.length; step++) {
    for (const [i, bad] of mutations(rec.toClient[step]!, rnd).entries()) {
      const { client, server } = rec.at(step);
      server.receive(rec.toServer[step]!);
      expectTyped(t, () => client.receive(bad), `step ${step} mutation ${i}`);
    }
  }
});

test('server: mutated client packets give HandshakeError or nothing', (t) => {
  const rec = recorded('fuzz-server');
  const rnd = seeded('mut-s');
  for (let step = 0; step < rec.toServer.length; step++) {
    for (const [i, bad] of mutations(rec.toServer[step]!, rnd).entries()) {
      const { server } = rec.at(step);
      expectTyped(t, () => server.receive(bad), `step ${step} mutation ${i}`);
    }
  }
});
