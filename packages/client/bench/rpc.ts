// RPC over 127.0.0.1, through the transport package (TCP, intermediate):
// sequential round trips and 10,000 pipelined pings, against the small DC of
// the tests (this package's own server handshake + server session), next to
// the same traffic shapes on the bare transport (an echo server) in the same
// run. The ratio is what the whole session + RPC layer costs on top of the
// transport. Bounded: fixed counts, and every phase has a deadline.
import { createTransport, serveTransports } from '@telegram-mt/transport';
import { Connection, transportWire } from '@telegram-mt/client';
import { MiniDc, testKeys } from '../test/support/mini-dc.js';

const SEQUENTIAL = 2000;
const PIPELINED = 10_000;
const DEADLINE_MS = 60_000;

function withDeadline<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${DEADLINE_MS} ms`)), DEADLINE_MS);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

async function rate(n: number, what: string, run: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await withDeadline(run(), what);
  return (n * 1000) / (performance.now() - t0);
}

export async function rpcBench(): Promise<string[]> {
  // Bare transport: an echo server, and a client awaiting each echo.
  const echo = await serveTransports({ host: '127.0.0.1', port: 0 }, (conn) => {
    conn.on('packet', (p) => conn.send(p));
  });
  const t = createTransport({ host: '127.0.0.1', port: echo.port, dcId: 2 }, { codec: 'intermediate' });
  let onEcho: (() => void) | undefined;
  t.on('packet', () => onEcho?.());
  await t.connect(AbortSignal.timeout(5000));
  const packet = new Uint8Array(160);
  const roundTrip = () =>
    new Promise<void>((resolve) => {
      onEcho = resolve;
      void t.send(packet);
    });
  // Sequential: best of three runs (the JIT needs a few thousand round trips to settle).
  const best = async (what: string, n: number, run: () => Promise<void>) => {
    let top = 0;
    for (let round = 0; round < 3; round++) top = Math.max(top, await rate(n, what, run));
    return top;
  };
  const echoSeq = await best('echo sequential', SEQUENTIAL, async () => {
    for (let i = 0; i < SEQUENTIAL; i++) await roundTrip();
  });
  const echoPipe = await best('echo pipelined', PIPELINED, async () => {
    let left = PIPELINED;
    const done = new Promise<void>((resolve) => {
      onEcho = () => {
        if (--left === 0) resolve();
      };
    });
    for (let i = 0; i < PIPELINED; i++) void t.send(packet);
    await done;
  });
  await t.close();
  await echo.close();

  // The session: handshake once, then RPCs and pings.
  const dc = new MiniDc();
  testKeys();
  const server = await serveTransports({ host: '127.0.0.1', port: 0 }, (conn) => {
    const onPacket = dc.accept(
      (p) => conn.send(p),
      () => conn.close(),
    );
    conn.on('packet', (p) => onPacket(p));
  });
  const c = new Connection({
    dc: { id: 2, host: '127.0.0.1', port: server.port },
    wire: transportWire({ codec: 'intermediate' }),
    apiId: 1,
    rsaPublicKeys: [testKeys().publicKey.pem],
    pingInterval: 0,
    pfs: false, // the mini DC has no auth.bindTempAuthKey
  });
  await c.connect();
  const rpcSeq = await best('rpc sequential', SEQUENTIAL, async () => {
    for (let i = 0; i < SEQUENTIAL; i++) await c.invoke({ _: 'help.getNearestDc' });
  });
  const pingSeq = await best('ping sequential', SEQUENTIAL, async () => {
    for (let i = 0; i < SEQUENTIAL; i++) await c.ping();
  });
  const pingPipe = await best('ping pipelined', PIPELINED, async () => {
    await Promise.all(Array.from({ length: PIPELINED }, () => c.ping({ timeout: DEADLINE_MS })));
  });
  c.close();
  await server.close();

  const f = (n: number) => `${(n / 1000).toFixed(1)}k/s`;
  return [
    `loopback TCP, intermediate codec (best of 3; sequential: ${SEQUENTIAL} round trips; pipelined: ${PIPELINED} in flight)`,
    `  bare transport echo, 160 B   sequential ${f(echoSeq)}   pipelined ${f(echoPipe)}`,
    `  help.getNearestDc RPC        sequential ${f(rpcSeq)}   (${(rpcSeq / echoSeq).toFixed(2)}× the echo)`,
    `  ping / pong                  sequential ${f(pingSeq)}   (${(pingSeq / echoSeq).toFixed(2)}× the echo)   pipelined ${f(pingPipe)}   (${(pingPipe / echoPipe).toFixed(2)}× the echo)`,
  ];
}
