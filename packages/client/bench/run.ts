// Session hot paths, per message, for a 160-byte body (most real packets
// are 112–192 bytes) and a 1 KiB one:
//   seal  = ClientSession.send + flush: msg_id, seq_no, header, padding, fused encrypt
//   open  = ServerSession.receive: fused decrypt, every check, request event
//   parse = ClientSession.receive of an rpc_result: decrypt, checks, routing, deserializeResult
// next to the bare fused cipher call on the same sizes, measured in the same
// run: the ratios say what the session adds on top of the crypto.
// The package is measured as built (dist), as users get it.
import { serializeResult } from '@telegram-mt/tl';
import { ClientSession, ServerSession, defaultCipher } from '@telegram-mt/client/mtproto';
import { randomBytes } from 'node:crypto';
import { rpcBench } from './rpc.js';
import { resilienceBench } from './resilience.js';
import { filesBench } from './files.js';

const N = 50_000;
const ROUNDS = 5;
const cipher = defaultCipher();
const authKey = new Uint8Array(randomBytes(256));
const salt = 0x0102030405060708n;
const noBatching = { maxContainerMessages: 1, ackThreshold: 1 << 30, maxPendingAcks: 1 << 30, gzipThreshold: 1 << 30 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** One measured case: fresh state per round from `setup`, then `work` over N messages. */
interface Case {
  name: string;
  setup: () => unknown;
  work: (state: never) => void;
}

/**
 * ops/s per case, the median of ROUNDS. Rounds are interleaved across the
 * cases, so a slow spell of the (shared, noisy) machine hits them all alike.
 */
function runCases(cases: Case[]): Map<string, number> {
  const rates = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let r = 0; r < ROUNDS + 2; r++) {
    for (const c of cases) {
      const state = c.setup();
      const t0 = performance.now();
      c.work(state as never);
      const dt = performance.now() - t0;
      if (r > 1) rates.get(c.name)!.push((N * 1000) / dt); // rounds 0 and 1 warm up
    }
  }
  return new Map([...rates].map(([k, v]) => [k, median(v)]));
}

function measure<T>(setup: () => T, work: (state: T) => void): Case {
  return { name: '', setup, work: work as (state: never) => void };
}

function pair() {
  const client = new ClientSession({ authKey, serverSalt: salt, cipher, limits: noBatching });
  const server = new ServerSession({ authKey, serverSalt: salt, cipher, limits: noBatching });
  return { client, server };
}

/** A nearestDc result whose rpc_result body is `size` bytes. */
function resultOfSize(size: number): Uint8Array {
  // rpc_result header 12 + nearestDc id 4 + two ints 8 + string prefix 1 or 4, padded to 4.
  const len = size - 12 - 12 - (size > 280 ? 4 : 1);
  const r = serializeResult('help.getNearestDc', { _: 'nearestDc', country: 'x'.repeat(len), thisDc: 2, nearestDc: 2 });
  if (12 + r.length !== size) throw new Error(`result of ${12 + r.length} bytes, wanted ${size}`);
  return r;
}

const rows: string[][] = [];
for (const size of [160, 1024]) {
  const body = new Uint8Array(size);
  body.set([0x31, 0x9c, 0xd9, 0x1f]); // help.getNearestDc's id; the rest is payload
  const plaintext = new Uint8Array(32 + size + 16);
  const sealedOut = new Uint8Array(16 + plaintext.length);

  const encryptCase = measure(
    () => null,
    () => {
      for (let i = 0; i < N; i++) cipher.encrypt(authKey, 0, plaintext, sealedOut);
    },
  );
  cipher.encrypt(authKey, 0, plaintext, sealedOut);
  const msgKey = sealedOut.subarray(0, 16);
  const ct = sealedOut.slice(16);
  const ptOut = new Uint8Array(ct.length);
  const decryptCase = measure(
    () => null,
    () => {
      for (let i = 0; i < N; i++) if (!cipher.decrypt(authKey, 0, msgKey, ct, ptOut)) throw new Error('msg_key');
    },
  );

  const sealCase = measure(
    () => pair().client,
    (client) => {
      for (let i = 0; i < N; i++) {
        client.send('help.getNearestDc', body, { gzip: false });
        client.flush();
      }
    },
  );

  const openCase = measure(
    () => {
      const { client, server } = pair();
      const packets: Uint8Array[] = [];
      for (let i = 0; i < N; i++) {
        client.send('help.getNearestDc', body, { gzip: false });
        packets.push(...client.flush());
      }
      return { server, packets };
    },
    ({ server, packets }) => {
      for (const p of packets) if (server.receive(p).length === 0) throw new Error('refused');
    },
  );

  const result = resultOfSize(size);
  const parseCase = measure(
    () => {
      const { client, server } = pair();
      for (let i = 0; i < N; i++) client.send('help.getNearestDc', body, { gzip: false });
      for (const p of client.flush()) {
        for (const e of server.receive(p)) if (e.type === 'request') server.sendResult(e.msgId, result);
      }
      // N answers, plus new_session_created and the server's acks (a handful of packets).
      const packets = server.flush(false);
      return { client, packets };
    },
    ({ client, packets }) => {
      let results = 0;
      for (const p of packets) for (const e of client.receive(p)) if (e.type === 'result') results++;
      if (results !== N) throw new Error(`${results} results`);
    },
  );

  const named = { encrypt: encryptCase, decrypt: decryptCase, seal: sealCase, open: openCase, parse: parseCase };
  const rates = runCases(Object.entries(named).map(([name, c]) => ({ ...c, name })));
  const encryptRate = rates.get('encrypt')!;
  const decryptRate = rates.get('decrypt')!;
  const sealRate = rates.get('seal')!;
  const openRate = rates.get('open')!;
  const parseRate = rates.get('parse')!;
  const f = (n: number) => `${(n / 1000).toFixed(0)}k/s`;
  rows.push([
    `${size} B`,
    f(encryptRate),
    f(sealRate),
    `${(encryptRate / sealRate).toFixed(2)}×`,
    f(decryptRate),
    f(openRate),
    `${(decryptRate / openRate).toFixed(2)}×`,
    f(parseRate),
    `${(decryptRate / parseRate).toFixed(2)}×`,
  ]);
}

const { defaultCrypto } = await import('@telegram-mt/crypto-native');
console.log(`session hot paths (${N} messages × ${ROUNDS} rounds, median; cipher: crypto-native ${defaultCrypto.backend})`);
const head = ['body', 'encrypt', 'seal', 'seal cost ×', 'decrypt', 'open', 'open cost ×', 'parse', 'parse cost ×'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => c.padStart(widths[i]!)).join('  ');
console.log(line(head));
for (const r of rows) console.log(line(r));
console.log('cost × = time per message on the session path ÷ time of the bare fused cipher call alone');

console.log();
for (const line of await rpcBench()) console.log(line);
for (const line of await resilienceBench()) console.log(line);
console.log();
for (const line of await filesBench()) console.log(line);
