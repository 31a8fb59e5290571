// One library's memory per idle connected client, alone in this process (run
// with --expose-gc): the library is loaded and warmed up by a first client,
// the heap measured after gc, then N more clients connect (in batches), make
// one call each and sit idle; the heap is measured again. Prints one JSON line.
// Usage: node --expose-gc --import tsx child.ts <library> <target JSON> <clients> <deadline ms>
import { withDeadline } from '../measure.js';
import type { PeerTarget } from '../peers/peer.js';
import { LIBRARIES } from './clients.js';

export interface MemoryResult {
  library: string;
  clients: number;
  /** heapUsed + external (ArrayBuffers and Buffers included), bytes, after gc. */
  heapBefore: number;
  heapAfter: number;
  rssBefore: number;
  rssAfter: number;
  seconds: number;
  error?: string;
}

const BATCH = 50;
const IDLE_MS = 1000;

const gc = (globalThis as { gc?: () => void }).gc;

async function settle(): Promise<{ heap: number; rss: number }> {
  // A few rounds: finalizers and weak callbacks free more on the next pass.
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external, rss: m.rss };
}

async function main(): Promise<void> {
  const [library, targetJson, countArg, deadlineArg] = process.argv.slice(2);
  if (!gc) throw new Error('run with --expose-gc');
  const make = LIBRARIES[library!];
  if (!make) throw new Error(`unknown library ${library}`);
  const target = JSON.parse(targetJson!) as PeerTarget;
  const count = Number(countArg);
  const deadline = Number(deadlineArg);
  const t0 = performance.now();
  const lib = await make();
  await withDeadline(lib.seed(target), 60_000, `${library}: first client`);
  const before = await settle();
  const closers: (() => Promise<void>)[] = [];
  let error: string | undefined;
  try {
    await withDeadline(
      (async () => {
        while (closers.length < count) {
          const n = Math.min(BATCH, count - closers.length);
          closers.push(...(await Promise.all(Array.from({ length: n }, () => lib.open(target)))));
        }
      })(),
      deadline,
      `${library}: ${count} clients`,
    );
    // Idle: acks flushed, first keep-alives and buffers settled.
    await new Promise((r) => setTimeout(r, IDLE_MS));
  } catch (e) {
    error = (e as Error).message;
  }
  const after = await settle();
  const result: MemoryResult = {
    library: library!,
    clients: closers.length,
    heapBefore: before.heap,
    heapAfter: after.heap,
    rssBefore: before.rss,
    rssAfter: after.rss,
    seconds: (performance.now() - t0) / 1000,
    ...(error ? { error } : {}),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  // Closing 1,000 clients of some libraries takes long and measures nothing: the process just ends.
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`memory child: ${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
