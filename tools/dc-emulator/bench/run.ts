// How much the emulator adds to the protocol cores it is built on, so that
// client benchmarks run against it measure the client, not the emulator.
// Everything is in one process and one run; only the ratios mean anything.
import { ClientSession, ServerSession } from '@telegram-mt/client/mtproto';
import { serializeObject, serializeResult, type tl } from '@telegram-mt/tl';
import { Connection, transportWire } from '@telegram-mt/client';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src/index.js';
import { handshakePrecomputeBench } from './handshake.js';
import { coresPerCall, emulatorPerCall } from './sequential.js';
import { handshake, MemoryLink, memoryDc, newSession } from '../test/helpers/memory.js';

const BATCH = 1000;
const BATCHES = 20;
const RUNS = 5;

const request = serializeObject({ _: 'help.getNearestDc' } as tl.TlAny);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Requests per second through ClientSession ↔ DcConnection (decode, dispatch, handler, encode, containers). */
async function emulatorInMemory(): Promise<number> {
  const dc = memoryDc();
  const link = new MemoryLink();
  const conn = dc.accept(link);
  const session = newSession(handshake(dc, conn, link));
  const t0 = performance.now();
  let answered = 0;
  for (let b = 0; b < BATCHES; b++) {
    for (let i = 0; i < BATCH; i++) session.send('help.getNearestDc', request);
    for (const p of session.flush(true)) conn.onPacket(p);
    while (answered < (b + 1) * BATCH) {
      await new Promise((r) => setImmediate(r));
      for (const p of link.take()) for (const e of session.receive(p)) if (e.type === 'result') answered++;
    }
  }
  const rate = (BATCH * BATCHES) / ((performance.now() - t0) / 1000);
  conn.close();
  return rate;
}

/** The same exchange on the session cores alone: the server answers every request with fixed bytes. */
function coresOnly(): number {
  const dc = memoryDc();
  const link = new MemoryLink();
  const key = handshake(dc, dc.accept(link), link);
  const client: ClientSession = newSession(key);
  const server = new ServerSession({ authKey: key.authKey, serverSalt: key.serverSalt });
  const answer = serializeResult('help.getNearestDc', { _: 'nearestDc', country: 'NL', thisDc: 2, nearestDc: 2 });
  const t0 = performance.now();
  let answered = 0;
  for (let b = 0; b < BATCHES; b++) {
    for (let i = 0; i < BATCH; i++) client.send('help.getNearestDc', request);
    for (const p of client.flush(true)) {
      for (const e of server.receive(p)) if (e.type === 'request') server.sendResult(e.msgId, answer);
    }
    for (const p of server.flush()) for (const e of client.receive(p)) if (e.type === 'result') answered++;
  }
  if (answered !== BATCH * BATCHES) throw new Error(`cores answered ${answered}`);
  return (BATCH * BATCHES) / ((performance.now() - t0) / 1000);
}

/** Pipelined help.getNearestDc over loopback TCP with the client's Connection. */
async function overTcp(emulator: Awaited<ReturnType<typeof startEmulator>>): Promise<number> {
  const conn = new Connection({ dc: emulator.dcs[0]!, wire: transportWire({ codec: 'intermediate' }), apiId: 1, rsaPublicKeys: emulator.rsaPublicKeys, pingInterval: 0 });
  await conn.connect();
  const t0 = performance.now();
  for (let b = 0; b < BATCHES; b++) {
    await Promise.all(Array.from({ length: BATCH }, () => conn.invoke({ _: 'help.getNearestDc' } as tl.TlMethod)));
  }
  const rate = (BATCH * BATCHES) / ((performance.now() - t0) / 1000);
  conn.close();
  return rate;
}

const rsaKeyPath = join(mkdtempSync(join(tmpdir(), 'tgmt-bench-')), 'rsa.pem');
const emulator = await startEmulator({ dcCount: 1, rsaKeyPath });
const cores: number[] = [];
const memory: number[] = [];
const tcp: number[] = [];
for (let r = 0; r < RUNS; r++) {
  cores.push(coresOnly());
  memory.push(await emulatorInMemory());
  tcp.push(await overTcp(emulator));
}
await emulator.stop();
const c = median(cores);
const m = median(memory);
const t = median(tcp);
const fmt = (x: number) => `${Math.round(x).toLocaleString('en-US')} req/s`;
console.log(`help.getNearestDc, ${BATCHES} batches of ${BATCH} pipelined, median of ${RUNS} runs`);
console.log(`  session cores alone (client ↔ server, fixed answer):  ${fmt(c)}`);
console.log(`  emulator in memory (decode, dispatch, encode):        ${fmt(m)}   ${(m / c).toFixed(2)}× the cores`);
console.log(`  client Connection ↔ emulator over loopback TCP:       ${fmt(t)}   ${(t / c).toFixed(2)}× the cores`);

// Sequential calls: what the emulator costs per round trip beyond the session core (the cross-client sequential row pays it on every call).
const SEQ_CALLS = 5000;
const seqCores: number[] = [];
const seqEmulator: number[] = [];
for (let r = 0; r < RUNS; r++) {
  seqCores.push(coresPerCall(SEQ_CALLS, 2));
  seqEmulator.push(await emulatorPerCall(SEQ_CALLS, 2));
}
const sc = median(seqCores);
const se = median(seqEmulator);
console.log(`help.getNearestDc one at a time, server side only, µs per call (best of 2 × ${SEQ_CALLS}, median of ${RUNS} runs)`);
console.log(`  server session core alone (fixed answer):             ${sc.toFixed(2)} µs`);
console.log(`  emulator (session, call book, dispatch, flush):       ${se.toFixed(2)} µs   ${(se / sc).toFixed(2)}× the core`);

// The emulators run in their own processes (the CLI from dist/: build first), so the server's early g_a can overlap with the client.
const hs = await handshakePrecomputeBench(rsaKeyPath);
console.log(`handshake over loopback TCP (Connection.connect), median of 20, emulator in its own process`);
console.log(`  without ServerHandshake.precompute():                 ${hs.without.toFixed(2)} ms`);
console.log(`  with it, right after resPQ:                           ${hs.with.toFixed(2)} ms   ${(hs.with / hs.without).toFixed(2)}× without`);
