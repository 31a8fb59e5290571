// How long parsing the whole api.tl takes: once in a fresh process (what a
// build pays) and warm, next to GramJS's TL parser on the same text in the
// same run. Only the ratios mean anything on a shared machine.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { parseSchema } from '../../../packages/tl/src/schema/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const apiPath = join(here, '..', '..', '..', 'packages', 'tl', 'schema', 'api.tl');
const text = readFileSync(apiPath, 'utf8');
const require = createRequire(import.meta.url);
const gramjs = require('telegram/tl/generationHelpers') as {
  parseTl: (content: string, layer: number) => Iterable<unknown>;
};

const ours = () => parseSchema(text).constructors.length;
const theirs = () => [...gramjs.parseTl(text, 228)].length;

// First call in a fresh process, module loading excluded. Median of 5 runs.
function coldMs(which: 'ours' | 'gramjs'): number {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--cold=${which}`], {
      encoding: 'utf8',
    });
    runs.push(Number(out.trim()));
  }
  return runs.sort((a, b) => a - b)[2]!;
}

const coldArg = process.argv.find((a) => a.startsWith('--cold='));
if (coldArg) {
  const fn = coldArg.endsWith('ours') ? ours : theirs;
  const t0 = performance.now();
  fn();
  console.log(performance.now() - t0);
} else {
  const cold = { ours: coldMs('ours'), gramjs: coldMs('gramjs') };
  const bench = new Bench({ time: 1500, iterations: 10 });
  bench.add('telegram-mt parseSchema', ours).add('GramJS parseTl', theirs);
  await bench.run();
  const hz = (name: string) => bench.tasks.find((t) => t.name === name)!.result!.hz;
  const mean = (name: string) => bench.tasks.find((t) => t.name === name)!.result!.mean;
  const kb = (text.length / 1024).toFixed(0);
  console.log(`parse api.tl (${kb} KiB, ${text.split('\n').length} lines)`);
  console.log(`  cold (first call, fresh process, median of 5): ours ${cold.ours.toFixed(1)} ms, GramJS ${cold.gramjs.toFixed(1)} ms → ${(cold.gramjs / cold.ours).toFixed(2)}×`);
  console.log(
    `  warm: ours ${mean('telegram-mt parseSchema').toFixed(2)} ms (${hz('telegram-mt parseSchema').toFixed(0)}/s), ` +
      `GramJS ${mean('GramJS parseTl').toFixed(2)} ms (${hz('GramJS parseTl').toFixed(0)}/s) → ${(hz('telegram-mt parseSchema') / hz('GramJS parseTl')).toFixed(2)}×`,
  );
}
