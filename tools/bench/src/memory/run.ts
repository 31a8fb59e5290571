// Memory per idle connected client: 1,000 clients of one library in one
// process, a child process per library (heaps never mix), every library
// against the same emulator (its own child process) in the same run.
// Usage: tsx src/memory/run.ts [clients] [library names…]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startChildEmulator } from '../emulator.js';
import type { MemoryResult } from './child.js';
import { LIBRARIES } from './clients.js';

const CLIENTS = 1000;
/**
 * With PFS each client makes a permanent and a temporary key (two handshakes,
 * ~0.1 s each with 50 at once on this machine): fewer of them keep the run short.
 */
const FEWER: Record<string, number> = { 'telegram-mt (PFS)': 250 };
/** Per library: connecting the clients; the child is killed a little after. */
const CHILD_DEADLINE_MS = 90_000;

function runChild(library: string, target: unknown, clients: number): Promise<MemoryResult> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./child.ts', import.meta.url)), library, JSON.stringify(target), String(clients), String(CHILD_DEADLINE_MS)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    const failed = (why: string): MemoryResult => ({ library, clients: 0, heapBefore: 0, heapAfter: 0, rssBefore: 0, rssAfter: 0, seconds: 0, error: why });
    const kill = setTimeout(() => child.kill('SIGKILL'), CHILD_DEADLINE_MS + 60_000);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 4000) err += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(kill);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as MemoryResult);
      else resolve(failed(`exited with ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}

const kb = (bytes: number): number => bytes / 1024;

export async function memoryBench(clients = CLIENTS, names = Object.keys(LIBRARIES)): Promise<MemoryResult[]> {
  const emulator = await startChildEmulator(1);
  const results: MemoryResult[] = [];
  try {
    const target = { dc: emulator.dcs[0]!, rsaPublicKeys: emulator.rsaPublicKeys };
    for (const name of names) {
      const r = await runChild(name, target, Math.min(clients, FEWER[name] ?? clients));
      results.push(r);
      console.error(`bench memory: ${name}: ${r.clients} clients in ${r.seconds.toFixed(1)} s${r.error ? ` (${r.error})` : ''}`);
    }
  } finally {
    await emulator.stop();
  }
  return results;
}

export function printMemory(results: MemoryResult[]): void {
  const ours = results.find((r) => r.library === 'telegram-mt');
  const per = (r: MemoryResult, f: 'heap' | 'rss') =>
    r.clients === 0 ? NaN : kb(f === 'heap' ? r.heapAfter - r.heapBefore : r.rssAfter - r.rssBefore) / r.clients;
  console.log('');
  console.log('Memory per idle connected client: heap + external after gc (RSS for reference: the allocator returns pages unevenly),');
  console.log('a child process per library, all on the same emulator in the same run; clients share one auth key (PFS: a key each)');
  console.log('| library | clients | KB / client (heap + external) | KB / client (RSS, noisy) | ÷ telegram-mt (heap + external) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const heap = per(r, 'heap');
    const ratio = ours && r !== ours ? (heap / per(ours, 'heap')).toFixed(2) + '×' : '';
    const mark = r.error ? ' *' : '';
    console.log(`| ${r.library}${mark} | ${r.clients} | ${heap.toFixed(1)} | ${per(r, 'rss').toFixed(1)} | ${ratio} |`);
  }
  for (const r of results) if (r.error) console.log(`* ${r.library}: ${r.error}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const count = args[0] !== undefined && /^\d+$/.test(args[0]) ? Number(args.shift()) : CLIENTS;
  const names = args.length ? args : Object.keys(LIBRARIES);
  for (const n of names) if (!LIBRARIES[n]) throw new Error(`unknown library ${n}; known: ${Object.keys(LIBRARIES).join(', ')}`);
  printMemory(await memoryBench(count, names));
  process.exit(0);
}
