// The auth-key handshake, sans IO (no sockets): the client's own time per
// handshake next to the cost of its arithmetic measured alone in the same run
// (pq factorization + one RSA with e = 65537 + two 2048-bit exponentiations).
// The ratio is what the state machine, TL and hashing add (target ≤ 1.5×).
// The server's own time is measured too, with its (a, g^a) made ahead as the
// emulator's DCs have it: what is left (RSA decryption, g_ab, the rest) is
// what a client waits for on top of its own work over loopback.
// The package is measured as built (dist), as users get it.
import { ClientHandshake, ServerHandshake, generateRsaKeyPair, makeDhExponent, KNOWN_DH_PRIME } from '@telegram-mt/client/mtproto';
import { createCrypto } from '@telegram-mt/crypto-native';
import { createDiffieHellman, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const RUNS = 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

const big = (u: Uint8Array) => BigInt('0x' + Buffer.from(u).toString('hex'));

export function handshakeBench() {
  const pair = generateRsaKeyPair();
  const crypto = createCrypto();
  const dh = createDiffieHellman(Buffer.from(KNOWN_DH_PRIME), 2); // built once, as the library does
  const three = Buffer.alloc(256);
  three[255] = 3;

  const clientMs: number[] = [];
  const serverMs: number[] = [];
  const bothMs: number[] = [];
  const arithmeticMs: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const client = new ClientHandshake({ dcId: 2, publicKeys: [pair.publicKey] });
    const ready = makeDhExponent();
    const server = new ServerHandshake({ dcId: 2, keys: [pair], readyDhExponent: () => ready });
    let own = 0;
    let serverOwn = 0;
    const start = performance.now();
    let t = performance.now();
    let packet: Uint8Array | undefined = client.start();
    own += performance.now() - t;
    let pq = 0n;
    let gA: Uint8Array | undefined;
    for (let step = 0; packet; step++) {
      t = performance.now();
      const answer = server.receive(packet).send!;
      serverOwn += performance.now() - t;
      if (step === 0) pq = big(answer.subarray(20 + 4 + 32 + 1, 20 + 4 + 32 + 1 + 8)); // resPQ.pq
      t = performance.now();
      const r = client.receive(answer);
      own += performance.now() - t;
      packet = r.send;
      if (r.done) break;
    }
    const both = performance.now() - start;

    // The same arithmetic alone: factorize pq, RSA-encrypt one block, g^b and g_a^b.
    dh.setPrivateKey(randomBytes(256));
    gA = new Uint8Array(dh.generateKeys());
    const block = big(randomBytes(255));
    const b = randomBytes(256);
    t = performance.now();
    crypto.factorizePQ(pq);
    modPow(block, pair.publicKey.e, pair.publicKey.n);
    dh.setPrivateKey(b);
    dh.computeSecret(three); // g^b with g = 3
    dh.computeSecret(gA); // g_a^b
    const arithmetic = performance.now() - t;

    if (i >= 2) {
      // the first two warm up (JIT, and the one-time DH_check of the prime)
      clientMs.push(own);
      serverMs.push(serverOwn);
      bothMs.push(both);
      arithmeticMs.push(arithmetic);
    }
  }
  const client = median(clientMs);
  const arithmetic = median(arithmeticMs);
  return {
    'handshake, client side (ms, median of 20)': +client.toFixed(2),
    'its arithmetic alone (ms, median of 20)': +arithmetic.toFixed(2),
    'ratio client / arithmetic': +(client / arithmetic).toFixed(2),
    'server side, (a, g^a) made ahead (ms, median of 20)': +median(serverMs).toFixed(2),
    'handshake, both sides in memory (ms, median of 20)': +median(bothMs).toFixed(2),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(handshakeBench());
}
