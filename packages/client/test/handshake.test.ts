// ClientHandshake ↔ ServerHandshake in memory: the happy paths (permanent and
// temporary keys, dh_gen_retry), every misbehaving-server mode, every
// client-side check, and the server's checks of what a client sends.
import test from 'ava';
import { createHash } from 'node:crypto';
import { bigIntFromBytes, bigIntToBytes, modPow } from '../src/mtproto/handshake/bigint.js';
import { ClientHandshake, type ClientHandshakeOptions } from '../src/mtproto/handshake/client.js';
import { ServerHandshake, makeDhExponent, type DhExponent, type ServerHandshakeOptions } from '../src/mtproto/handshake/server.js';
import { HandshakeError } from '../src/mtproto/handshake/errors.js';
import { authKeyIdOf, encryptWithHash, newNonceHash, tmpAesKeyIv } from '../src/mtproto/handshake/kdf.js';
import {
  readReqDHParams,
  readResPQ,
  readServerDHParams,
  writeClientDHInnerData,
  writeReqDHParams,
  writeServerDHParams,
  writeSetClientDHParams,
  writeSetClientDHParamsAnswer,
  writeResPQ,
} from '../src/mtproto/handshake/messages.js';
import { decodeUnencrypted, encodeUnencrypted, msgIdFromTime } from '../src/mtproto/unencrypted.js';
import { generateRsaKeyPair, parseRsaPublicKey, rsaPadDecrypt, type RsaKeyPair } from '../src/mtproto/rsa.js';
import { prepareDhPrime } from '../src/mtproto/dh.js';
import { isPrime64 } from '../src/mtproto/handshake/pq.js';
import { PRODUCTION_RSA_KEYS } from '../src/mtproto/production.js';
import { fakeClock, seeded } from './handshake-helpers.js';

// One key pair for the whole file: generating one costs ~100 ms.
const pair: RsaKeyPair = generateRsaKeyPair();
prepareDhPrime(); // pay the one-time DH_check of the known prime up front

const T0 = 1_760_000_000_000;

function pairOf(
  clientOpts: Partial<ClientHandshakeOptions> = {},
  serverOpts: Partial<ServerHandshakeOptions> = {},
  seed = 'pair',
) {
  const serverClock = fakeClock(T0);
  const clientClock = fakeClock(T0 - 5_000); // client 5 s behind
  const client = new ClientHandshake({
    dcId: 2,
    publicKeys: [pair.publicKey],
    random: seeded(`${seed}:client`),
    now: clientClock.now,
    ...clientOpts,
  });
  const server = new ServerHandshake({
    dcId: 2,
    keys: [pair],
    random: seeded(`${seed}:server`),
    now: serverClock.now,
    ...serverOpts,
  });
  return { client, server, serverClock, clientClock };
}

/** Runs the exchange to the end; returns both results. */
function run(client: ClientHandshake, server: ServerHandshake) {
  let toServer: Uint8Array | undefined = client.start();
  let serverDone;
  let rounds = 0;
  while (toServer !== undefined) {
    if (++rounds > 20) throw new Error('handshake does not end');
    const s = server.receive(toServer);
    serverDone ??= s.done;
    const c = client.receive(s.send!);
    if (c.done) return { client: c.done, server: serverDone ?? s.done, rounds };
    toServer = c.send;
  }
  throw new Error('client stopped without a key');
}

function codeOf(t: { throws: (fn: () => unknown) => unknown }, fn: () => unknown): string | undefined {
  const err = t.throws(fn) as HandshakeError | undefined;
  return err?.code;
}

test('client and server agree on a permanent key', (t) => {
  const { client, server } = pairOf();
  const r = run(client, server);
  t.is(r.client.authKey.length, 256);
  t.deepEqual(r.client.authKey, r.server!.authKey);
  t.is(r.client.authKeyId, authKeyIdOf(r.client.authKey));
  t.is(r.client.authKeyId, r.server!.authKeyId);
  t.is(r.client.serverSalt, r.server!.serverSalt);
  t.is(r.client.timeOffset, 5);
  t.is(r.client.expiresAt, undefined);
  t.false(r.server!.temp);
  t.is(r.server!.dcId, 2);
  t.is(r.rounds, 3);
  t.true(client.finished);
  t.true(server.finished);
});

test('a temporary key carries expires_in to both sides', (t) => {
  const { client, server } = pairOf({ temp: { expiresIn: 3600 }, dcId: -10002 }, {}, 'temp');
  const r = run(client, server);
  t.deepEqual(r.client.authKey, r.server!.authKey);
  t.true(r.server!.temp);
  t.is(r.server!.dcId, -10002);
  t.is(r.client.expiresAt, Math.floor(T0 / 1000) + 3600);
  t.is(r.server!.expiresAt, Math.floor(T0 / 1000) + 3600);
});

test('dh_gen_retry: a colliding key id makes the client retry with retry_id = auth_key_aux_hash', (t) => {
  let collisions = 2;
  const seen: bigint[] = [];
  const { client, server } = pairOf({}, {
    isKeyIdTaken: (id) => {
      seen.push(id);
      return collisions-- > 0;
    },
  }, 'retry');
  const r = run(client, server);
  t.is(seen.length, 3);
  t.is(new Set(seen.map(String)).size, 3, 'each retry draws a new b and so a new key');
  t.is(r.client.authKeyId, seen[2]);
  t.is(r.rounds, 5);
});

test('the client gives up after maxRetries dh_gen_retry answers', (t) => {
  const { client, server } = pairOf({ maxRetries: 2 }, { isKeyIdTaken: () => true, maxRetries: 10 }, 'retrylimit');
  t.is(codeOf(t, () => run(client, server)), 'RETRY_LIMIT');
  t.true(client.finished);
});

test('the server answers dh_gen_fail after its own retry limit, and the client reports DH_GEN_FAIL', (t) => {
  const { client, server } = pairOf({ maxRetries: 10 }, { isKeyIdTaken: () => true, maxRetries: 1 }, 'genfail');
  t.is(codeOf(t, () => run(client, server)), 'DH_GEN_FAIL');
});

for (const [mode, code] of [
  ['bad_dh_prime', 'BAD_DH_PRIME'],
  ['g_a_range', 'G_A_RANGE'],
  ['wrong_nonce', 'NONCE_MISMATCH'],
  ['wrong_answer_hash', 'ANSWER_HASH'],
] as const) {
  test(`misbehaving server '${mode}' is refused with ${code} and no key`, (t) => {
    const { client, server } = pairOf({}, { misbehave: mode }, mode);
    t.is(codeOf(t, () => run(client, server)), code);
    t.true(client.finished);
    // Nothing more comes out of a failed handshake.
    t.is(codeOf(t, () => client.receive(new Uint8Array(20))), 'BAD_STATE');
  });
}

// ---- client-side checks against a scripted server -----------------------------

/** Drives client and server to the point where the server's next packet is `step` (1, 2 or 3), lets `tamper` rewrite it. */
function tamperServer(step: 1 | 2 | 3, tamper: (body: Uint8Array, ctx: { server: ServerHandshake }) => Uint8Array, opts: Partial<ClientHandshakeOptions> = {}) {
  const { client, server } = pairOf(opts, {}, `tamper${step}`);
  let out: Uint8Array | undefined = client.start();
  for (let i = 1; ; i++) {
    const s = server.receive(out!);
    let packet = s.send!;
    if (i === step) {
      const { msgId, body } = decodeUnencrypted(packet);
      packet = encodeUnencrypted(msgId, tamper(body, { server }));
    }
    const c = client.receive(packet);
    if (c.done) return c.done;
    out = c.send;
  }
}

test('client: server_nonce changed between resPQ and server_DH_params', (t) => {
  t.is(
    codeOf(t, () =>
      tamperServer(2, (body) => {
        const m = readServerDHParams(body);
        const serverNonce = m.serverNonce.slice();
        serverNonce[3]! ^= 1;
        return writeServerDHParams({ ...m, serverNonce });
      }),
    ),
    'SERVER_NONCE_MISMATCH',
  );
});

test('client: server_DH_params_fail', (t) => {
  t.is(
    codeOf(t, () =>
      tamperServer(2, (body) => {
        const m = readServerDHParams(body);
        return writeServerDHParams({ _: 'server_DH_params_fail', nonce: m.nonce, serverNonce: m.serverNonce, newNonceHash: new Uint8Array(16) });
      }),
    ),
    'DH_PARAMS_FAIL',
  );
});

test('client: no fingerprint it knows', (t) => {
  t.is(
    codeOf(t, () =>
      tamperServer(1, (body) => writeResPQ({ ...readResPQ(body), serverPublicKeyFingerprints: [1n, 2n] })),
    ),
    'NO_KNOWN_KEY',
  );
});

test('client: picks the key the server lists even when it holds several', (t) => {
  const prod = parseRsaPublicKey(PRODUCTION_RSA_KEYS[0]!);
  const done = tamperServer(1, (b) => b, { publicKeys: [prod, pair.publicKey] });
  t.is(done.authKey.length, 256);
});

test('client: pq that is prime, too long or empty', (t) => {
  for (const pq of [Uint8Array.of(0x7f, 0xff, 0xff, 0xff), new Uint8Array(9).fill(1), new Uint8Array(0)]) {
    t.is(codeOf(t, () => tamperServer(1, (body) => writeResPQ({ ...readResPQ(body), pq }))), 'BAD_PQ');
  }
});

test('client: dh_gen_ok whose new_nonce_hash1 is wrong', (t) => {
  t.is(
    codeOf(t, () =>
      tamperServer(3, (body) => {
        const b = body.slice();
        b[b.length - 1]! ^= 1;
        return b;
      }),
    ),
    'NEW_NONCE_HASH',
  );
});

test('client: a dh_gen_ok answer forged as dh_gen_retry fails its hash', (t) => {
  t.is(
    codeOf(t, () =>
      tamperServer(3, (body) => {
        const b = body.slice();
        b.set([0xb9, 0x1f, 0xdc, 0x46], 0); // dh_gen_retry id, hash still hash1
        return b;
      }),
    ),
    'NEW_NONCE_HASH',
  );
});

test('client: truncated, oversized and foreign packets are BAD_MESSAGE', (t) => {
  t.is(codeOf(t, () => tamperServer(1, (body) => body.subarray(0, body.length - 3))), 'BAD_MESSAGE');
  t.is(codeOf(t, () => tamperServer(1, (body) => new Uint8Array(Buffer.concat([body, Buffer.alloc(4)])))), 'BAD_MESSAGE');
  t.is(codeOf(t, () => tamperServer(2, () => Uint8Array.of(1, 2, 3, 4))), 'BAD_MESSAGE');
  // a vector count far beyond the packet does not allocate
  t.is(
    codeOf(t, () =>
      tamperServer(1, (body) => {
        const b = body.slice();
        b.set([0xff, 0xff, 0xff, 0x7f], b.length - 4 - 8 * 1 - 0); // count field
        return b;
      }),
    ),
    'BAD_MESSAGE',
  );
  const { client } = pairOf();
  client.start();
  // non-zero auth_key_id
  const p = encodeUnencrypted(1n, Uint8Array.of(1, 2, 3, 4));
  p[0] = 1;
  t.is(codeOf(t, () => client.receive(p)), 'BAD_MESSAGE');
});

test('client: a server msg_id that is even is BAD_MESSAGE', (t) => {
  const { client, server } = pairOf();
  const resPQ = decodeUnencrypted(server.receive(client.start()).send!);
  t.is(codeOf(t, () => client.receive(encodeUnencrypted(resPQ.msgId - 1n, resPQ.body))), 'BAD_MESSAGE');
});

test('client: lifecycle errors', (t) => {
  const { client } = pairOf();
  t.is(codeOf(t, () => client.receive(new Uint8Array(24))), 'BAD_STATE');
  client.start();
  t.is(codeOf(t, () => client.start()), 'BAD_STATE');
  t.throws(() => new ClientHandshake({ dcId: 2, publicKeys: [] }), { instanceOf: TypeError });
  t.throws(() => new ClientHandshake({ dcId: 2, publicKeys: [pair.publicKey], temp: { expiresIn: 0 } }), { instanceOf: TypeError });
});

// ---- server-side checks against a tampering client ----------------------------

function serverAtReqDH(seed: string) {
  const { client, server } = pairOf({}, {}, seed);
  const resPQ = client.receive(server.receive(client.start()).send!);
  return { client, server, reqDH: decodeUnencrypted(resPQ.send!) };
}

function resend(server: ServerHandshake, msgId: bigint, body: Uint8Array) {
  return () => server.receive(encodeUnencrypted(msgId, body));
}

test('server: tampered req_DH_params', (t) => {
  const cases: [string, (m: ReturnType<typeof readReqDHParams>) => Uint8Array][] = [
    ['RSA_PAD', (m) => { const e = m.encryptedData.slice(); e[77]! ^= 1; return writeReqDHParams({ ...m, encryptedData: e }); }],
    ['RSA_PAD', (m) => writeReqDHParams({ ...m, encryptedData: m.encryptedData.subarray(1) })],
    ['RSA_PAD', (m) => writeReqDHParams({ ...m, encryptedData: new Uint8Array(256).fill(0xff) })],
    ['BAD_PQ', (m) => writeReqDHParams({ ...m, p: m.q, q: m.p })],
    ['NO_KNOWN_KEY', (m) => writeReqDHParams({ ...m, publicKeyFingerprint: m.publicKeyFingerprint ^ 1n })],
    ['NONCE_MISMATCH', (m) => { const n = m.nonce.slice(); n[0]! ^= 1; return writeReqDHParams({ ...m, nonce: n }); }],
    ['SERVER_NONCE_MISMATCH', (m) => { const n = m.serverNonce.slice(); n[15]! ^= 1; return writeReqDHParams({ ...m, serverNonce: n }); }],
  ];
  for (const [i, [code, tamper]] of cases.entries()) {
    const { server, reqDH } = serverAtReqDH(`srv${i}`);
    t.is(codeOf(t, resend(server, reqDH.msgId, tamper(readReqDHParams(reqDH.body)))), code, `case ${i}`);
    t.true(server.finished);
  }
});

test('server: p_q_inner_data for another DC', (t) => {
  const { client, server } = pairOf({ dcId: 3 }, {}, 'otherdc');
  const reqDH = client.receive(server.receive(client.start()).send!).send!;
  t.is(codeOf(t, () => server.receive(reqDH)), 'BAD_MESSAGE');
});

test('server: RSA_PAD decrypts what the client encrypted', (t) => {
  const { reqDH } = serverAtReqDH('rsapad');
  const data = rsaPadDecrypt(readReqDHParams(reqDH.body).encryptedData, pair);
  t.is(Buffer.from(data.subarray(0, 4)).readUInt32LE(0), 0xa9f55f95);
});

function serverAtSetDH(seed: string) {
  const { client, server } = pairOf({}, {}, seed);
  const c1 = client.receive(server.receive(client.start()).send!);
  const reqDH = readReqDHParams(decodeUnencrypted(c1.send!).body);
  const c2 = client.receive(server.receive(c1.send!).send!);
  // Recover new_nonce from the RSA-encrypted inner data, as a man in the middle with the key could.
  const inner = rsaPadDecrypt(reqDH.encryptedData, pair);
  const newNonce = inner.slice(4 + 12 + 8 + 8 + 16 + 16, 4 + 12 + 8 + 8 + 16 + 16 + 32);
  return { server, setDH: decodeUnencrypted(c2.send!), nonce: reqDH.nonce, serverNonce: reqDH.serverNonce, newNonce };
}

test('server: tampered set_client_DH_params', (t) => {
  {
    const { server, setDH } = serverAtSetDH('set1');
    const b = setDH.body.slice();
    b[100]! ^= 1;
    t.is(codeOf(t, resend(server, setDH.msgId, b)), 'ANSWER_HASH');
  }
  {
    const { server, setDH } = serverAtSetDH('set2');
    t.is(codeOf(t, resend(server, setDH.msgId, setDH.body.subarray(0, setDH.body.length - 16))), 'BAD_MESSAGE');
  }
  for (const gB of [Uint8Array.of(1), new Uint8Array(256).fill(0xff), Uint8Array.of(1, 0, 0, 0, 0)]) {
    const { server, setDH, nonce, serverNonce, newNonce } = serverAtSetDH('set3');
    const tmp = tmpAesKeyIv(newNonce, serverNonce);
    const inner = writeClientDHInnerData({ nonce, serverNonce, retryId: 0n, gB });
    const encryptedData = encryptWithHash(inner, tmp.key, tmp.iv, seeded('pad'));
    t.is(codeOf(t, resend(server, setDH.msgId, writeSetClientDHParams({ nonce, serverNonce, encryptedData }))), 'G_B_RANGE');
  }
  {
    const { server, setDH, nonce, serverNonce, newNonce } = serverAtSetDH('set4');
    const tmp = tmpAesKeyIv(newNonce, serverNonce);
    const gB = new Uint8Array(256);
    gB[0] = 0x40;
    const inner = writeClientDHInnerData({ nonce, serverNonce, retryId: 99n, gB });
    const encryptedData = encryptWithHash(inner, tmp.key, tmp.iv, seeded('pad'));
    t.is(codeOf(t, resend(server, setDH.msgId, writeSetClientDHParams({ nonce, serverNonce, encryptedData }))), 'BAD_MESSAGE');
  }
});

test('server: msg_id parity, wrong first message, lifecycle', (t) => {
  const { client, server } = pairOf();
  const first = decodeUnencrypted(client.start());
  t.is(codeOf(t, resend(server, first.msgId | 1n, first.body)), 'BAD_MESSAGE');
  const s2 = new ServerHandshake({ dcId: 2, keys: [pair] });
  t.is(codeOf(t, () => s2.receive(encodeUnencrypted(4n, writeSetClientDHParamsAnswer({ _: 'dh_gen_ok', nonce: new Uint8Array(16), serverNonce: new Uint8Array(16), newNonceHash: new Uint8Array(16) })))), 'BAD_MESSAGE');
  t.is(codeOf(t, () => s2.receive(new Uint8Array(4))), 'BAD_STATE');
  t.throws(() => new ServerHandshake({ dcId: 2, keys: [] }), { instanceOf: TypeError });
  t.is(codeOf(t, () => new ServerHandshake({ dcId: 2, keys: [pair], g: 5 })), 'BAD_G'); // 5 is not a residue mod the known prime
  t.throws(() => new ClientHandshake({ dcId: 1.5, publicKeys: [pair.publicKey] }), { instanceOf: TypeError });
});

test('plain messages: framing and msg_id rules', (t) => {
  const body = Uint8Array.of(1, 2, 3, 4);
  const p = encodeUnencrypted(0x1234567800000004n, body);
  t.is(p.length, 24);
  t.deepEqual(decodeUnencrypted(p), { msgId: 0x1234567800000004n, body });
  t.is(codeOf(t, () => decodeUnencrypted(p.subarray(0, 19))), 'BAD_MESSAGE');
  t.is(codeOf(t, () => decodeUnencrypted(p.subarray(0, 23))), 'BAD_MESSAGE');
  const id = msgIdFromTime(1_700_000_000_500, 0n, 0);
  t.is(id >> 32n, 1_700_000_000n);
  t.is(id & 3n, 0n);
  t.is(Number(id & 0xffffffffn) / 2 ** 32, 0.5);
  const next = msgIdFromTime(1_700_000_000_500, id, 0);
  t.true(next > id);
  t.is(next & 3n, 0n);
  t.is(msgIdFromTime(1_700_000_000_500, id, 1) & 3n, 1n);
});

test('new_nonce_hash differs per answer kind', (t) => {
  const nn = seeded('nn')(32);
  const key = seeded('key')(256);
  const hs = [1, 2, 3].map((n) => Buffer.from(newNonceHash(nn, n as 1 | 2 | 3, key)).toString('hex'));
  t.is(new Set(hs).size, 3);
  t.is(hs[0]!.length, 32);
});

// ---- the pre-RSA_PAD encryption older clients (Telethon 1.25) still send -------

function legacyEncrypt(data: Uint8Array, seed: string): Uint8Array {
  const block = new Uint8Array(255);
  block.set(createHash('sha1').update(data).digest());
  block.set(data, 20);
  block.set(seeded(seed)(235 - data.length), 20 + data.length);
  return bigIntToBytes(modPow(bigIntFromBytes(block), pair.publicKey.e, pair.publicKey.n), 256);
}

/** Our client's req_DH_params with its encrypted_data swapped for the legacy form of the same p_q_inner_data. */
function legacyExchange(serverOpts: Partial<ServerHandshakeOptions>, strip?: boolean) {
  const { client, server } = pairOf({}, serverOpts, 'legacy');
  const c1 = client.receive(server.receive(client.start()).send!);
  const req = decodeUnencrypted(c1.send!);
  const m = readReqDHParams(req.body);
  let inner = rsaPadDecrypt(m.encryptedData, pair).subarray(0, 100); // p_q_inner_data_dc is 100 bytes here
  if (strip) {
    // the legacy p_q_inner_data#83c95aec without dc, as Telethon sends it
    inner = new Uint8Array(Buffer.concat([Buffer.from([0xec, 0x5a, 0xc9, 0x83]), inner.subarray(4, 96)]));
  }
  const body = writeReqDHParams({ ...m, encryptedData: legacyEncrypt(inner, 'legacy-pad') });
  return { client, server, packet: encodeUnencrypted(req.msgId, body) };
}

test('server: accepts the legacy RSA scheme and the dc-less p_q_inner_data (Telethon 1.25)', (t) => {
  for (const strip of [false, true]) {
    const { client, server, packet } = legacyExchange({}, strip);
    let out: Uint8Array | undefined = packet;
    let done;
    let serverDone;
    while (out) {
      const s = server.receive(out);
      serverDone ??= s.done;
      const c = client.receive(s.send!);
      done = c.done;
      out = c.send;
    }
    t.deepEqual(done!.authKey, serverDone!.authKey);
    t.is(serverDone!.dcId, strip ? 0 : 2);
  }
});

test('server: the legacy scheme can be refused, and a legacy block with a wrong hash is RSA_PAD', (t) => {
  {
    const { server, packet } = legacyExchange({ allowLegacyRsa: false });
    t.is(codeOf(t, () => server.receive(packet)), 'RSA_PAD');
  }
  {
    const { client, server } = pairOf({}, {}, 'legacybad');
    const c1 = client.receive(server.receive(client.start()).send!);
    const req = decodeUnencrypted(c1.send!);
    const m = readReqDHParams(req.body);
    const inner = rsaPadDecrypt(m.encryptedData, pair).slice(0, 100);
    const block = new Uint8Array(255);
    block.set(createHash('sha1').update(inner).digest());
    block[0]! ^= 1;
    block.set(inner, 20);
    const enc = bigIntToBytes(modPow(bigIntFromBytes(block), pair.publicKey.e, pair.publicKey.n), 256);
    t.is(codeOf(t, () => server.receive(encodeUnencrypted(req.msgId, writeReqDHParams({ ...m, encryptedData: enc })))), 'RSA_PAD');
  }
});

test('server pq: product of two 31-bit primes, below 2^62 (clients may read it signed)', (t) => {
  for (let i = 0; i < 20; i++) {
    const { client, server } = pairOf({}, {}, `pq${i}`);
    const res = readResPQ(decodeUnencrypted(server.receive(client.start()).send!).body);
    t.is(res.pq.length, 8);
    const pq = bigIntFromBytes(res.pq);
    t.true(pq < 1n << 62n && pq >= 1n << 60n);
    t.false(isPrime64(pq));
  }
});

test('isPrime64 against known primes, composites and strong pseudoprimes', (t) => {
  for (const p of [2n, 3n, 37n, 41n, 2147483647n, 1343866633n, 1825948207n, 0x44095e05n, 0x47a8c84fn, 18446744073709551557n]) {
    t.true(isPrime64(p), String(p));
  }
  // 3215031751 is a strong pseudoprime to bases 2, 3, 5 and 7; 3825123056546413051 to bases up to 23.
  for (const c of [0n, 1n, 4n, 561n, 3215031751n, 3825123056546413051n, 2453830868973477031n, 0x130b7475669feb8bn]) {
    t.false(isPrime64(c), String(c));
  }
});

test('precompute() on both sides changes neither packets nor keys', (t) => {
  const runWith = (pre: boolean, serverOpts: Partial<ServerHandshakeOptions> = {}) => {
    const { client, server } = pairOf({}, serverOpts, 'precompute');
    const packets: string[] = [];
    let out: Uint8Array | undefined = client.start();
    if (pre) client.precompute();
    for (;;) {
      packets.push(Buffer.from(out!).toString('hex'));
      const s = server.receive(out!);
      if (pre) server.precompute();
      packets.push(Buffer.from(s.send!).toString('hex'));
      const c = client.receive(s.send!);
      if (c.done) return { packets, key: c.done.authKey, serverKey: s.done?.authKey };
      out = c.send;
      if (pre) {
        client.precompute();
        client.precompute(); // idempotent
      }
    }
  };
  const plainRun = runWith(false);
  const preRun = runWith(true);
  t.deepEqual(preRun.packets, plainRun.packets);
  t.deepEqual(preRun.key, plainRun.key);
  t.deepEqual(preRun.serverKey, preRun.key);
  // with g = 4 the speculative g^b (for g = 3) is not used, but b is, so nothing changes either
  t.deepEqual(runWith(true, { g: 4 }).packets, runWith(false, { g: 4 }).packets);
});

test('nextPower()/powered(): exponentiations done outside, in time or late, change neither packets nor keys', (t) => {
  const outside = (need: { base: Uint8Array; exponent: Uint8Array; modulus: Uint8Array }) =>
    bigIntToBytes(modPow(bigIntFromBytes(need.base), bigIntFromBytes(need.exponent), bigIntFromBytes(need.modulus)), need.modulus.length);
  const runWith = (mode: 'plain' | 'outside' | 'stale', serverOpts: Partial<ServerHandshakeOptions> = {}) => {
    const { client, server } = pairOf({}, serverOpts, 'outside');
    const packets: string[] = [];
    const handedOut: string[] = [];
    let out: Uint8Array | undefined = client.start();
    for (;;) {
      // The edge takes what needs computing right after sending, and hands it back before the answer is fed in —
      // or, 'stale', only after the answer was fed in (receive() then did the work itself).
      const need = mode === 'plain' ? undefined : client.nextPower();
      if (need) handedOut.push(need.base.length === 1 ? 'g^b' : 'g_a^b');
      const result = need && outside(need);
      if (mode === 'outside' && need) client.powered(need, result!);
      packets.push(Buffer.from(out!).toString('hex'));
      const s = server.receive(out!);
      packets.push(Buffer.from(s.send!).toString('hex'));
      const c = client.receive(s.send!);
      if (mode === 'stale' && need) client.powered(need, result!); // late: used if still wanted, else ignored
      if (c.done) return { packets, key: c.done.authKey, handedOut };
      out = c.send;
    }
  };
  const plain = runWith('plain');
  const outsideRun = runWith('outside');
  t.deepEqual(outsideRun.packets, plain.packets);
  t.deepEqual(outsideRun.key, plain.key);
  t.deepEqual(outsideRun.handedOut, ['g^b', 'g_a^b']);
  const stale = runWith('stale');
  t.deepEqual(stale.packets, plain.packets);
  t.deepEqual(stale.key, plain.key);
  // g = 4: the g^b made for g = 3 goes unused, b does not
  t.deepEqual(runWith('outside', { g: 4 }).packets, runWith('plain', { g: 4 }).packets);
});

test('readyDhExponent: a pair made ahead is taken once and gives the same key on both sides', (t) => {
  const asked: (DhExponent | undefined)[] = [];
  const ready = (e: DhExponent | undefined) => () => {
    asked.push(e);
    return e;
  };
  const made = makeDhExponent(undefined, 3, seeded('ready'));
  const madeA = made.a.slice();
  const { client, server } = pairOf({}, { readyDhExponent: ready(made) }, 'ready');
  server.precompute(); // before resPQ: nothing to do yet, nothing asked
  const r = run(client, server);
  t.is(asked.length, 1);
  t.deepEqual(r.client.authKey, r.server!.authKey);
  t.deepEqual(made.a, new Uint8Array(256), 'the server wipes a once the key is made');
  t.notDeepEqual(madeA, new Uint8Array(256));
  // Without one the handshake draws its own a: a different key from the same seeds.
  const own = pairOf({}, { readyDhExponent: ready(undefined) }, 'ready');
  const r2 = run(own.client, own.server);
  t.deepEqual(r2.client.authKey, r2.server!.authKey);
  t.notDeepEqual(r2.client.authKey, r.client.authKey);
  // A ready g^a outside the allowed range is not sent: a is drawn again.
  const bad: DhExponent = { a: new Uint8Array(256).fill(1), gA: bigIntToBytes(1n << 1000n, 256) };
  const third = pairOf({}, { readyDhExponent: ready(bad) }, 'ready-bad');
  const r3 = run(third.client, third.server);
  t.deepEqual(r3.client.authKey, r3.server!.authKey);
});

test('plain messages tolerate the padded transport\'s 0–15 trailing bytes, and no more', (t) => {
  const packet = encodeUnencrypted(4n, new Uint8Array([1, 2, 3, 4]));
  for (let extra = 0; extra <= 15; extra++) {
    const padded = new Uint8Array(packet.length + extra);
    padded.set(packet);
    padded.fill(0xaa, packet.length);
    t.deepEqual(decodeUnencrypted(padded).body, new Uint8Array([1, 2, 3, 4]));
  }
  const tooMuch = new Uint8Array(packet.length + 16);
  tooMuch.set(packet);
  t.throws(() => decodeUnencrypted(tooMuch), { instanceOf: HandshakeError, message: /carries 20/ });
  t.throws(() => decodeUnencrypted(packet.subarray(0, packet.length - 1)), { instanceOf: HandshakeError });
});
