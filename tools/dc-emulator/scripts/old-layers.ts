// npx tsx scripts/old-layers.ts [--check] [--tarball-dir DIR]
//
// Writes schema/layer-198.tl and schema/layer-227.tl: the API schemas of the
// two independent clients the emulator is tested against, so that it can
// answer them in the layer they announce. Each comes from a pinned npm
// tarball (checked against its sha512 before anything is read):
//   layer 198: telegram@2.26.22 (GramJS) tl/apiTl.js, raw TL text; its layer
//              number is the LAYER of tl/AllTLObjects.js.
//   layer 227: @mtcute/core@0.30.3 tl/api-schema.json, mtcute's JSON form,
//              turned back into TL lines by tools/tl-schema's converter.
// Every line is rewritten in canonical form and every explicit id is checked
// against the CRC-32 of its line; any mismatch stops the run. MTProto is not
// layered: the emulator pairs each file with @telegram-mt/tl's mtproto.tl, and
// this script checks GramJS's tl/schemaTl.js agrees with it on every id.
// --check compares with the committed files instead of writing them.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeCombinatorId, formatCombinator, parseSchema, type TlCombinator } from '@telegram-mt/tl/schema';
import { convertEntry, type JsonEntry } from '../../tl-schema/src/convert.js';
import { extractFiles } from '../../tl-schema/src/source.js';
import { verifySchemaText } from '../../tl-schema/src/render.js';
import { API_NOT_TELEGRAM, API_SPEC_TYPES } from '../../tl-schema/src/spec-lines.js';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'schema');

interface Pinned {
  spec: string;
  integrity: string;
}
const GRAMJS: Pinned = {
  spec: 'telegram@2.26.22',
  integrity: 'sha512-EIj7Yrjiu0Yosa3FZ/7EyPg9s6UiTi/zDQrFmR/2Mg7pIUU+XjAit1n1u9OU9h2oRnRM5M+67/fxzQluZpaJJg==',
};
const MTCUTE: Pinned = {
  spec: '@mtcute/core@0.30.3',
  integrity: 'sha512-helxt1D38PoL/srtoXye654Q9m5/tBJczAKdnLQo7XQpIL6MsbKBvO646bEF7dlyDMG5F87Z6euOEqvxfTOm7w==',
};

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** `npm pack` of the pinned version (or the file of that name in --tarball-dir), checked against its sha512. */
function tarball(p: Pinned): Buffer {
  const local = argValue('--tarball-dir');
  let data: Buffer;
  if (local !== undefined) {
    const file = p.spec.replace(/^@/, '').replace('/', '-').replace(/@/, '-') + '.tgz';
    data = readFileSync(join(local, file));
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'old-layers-'));
    try {
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_workspace/i.test(k)));
      const out = execFileSync('npm', ['pack', p.spec, '--pack-destination', dir, '--json'], {
        cwd: dir,
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const [info] = JSON.parse(out) as { filename: string }[];
      if (!info) throw new Error(`npm pack ${p.spec} reported no file`);
      data = readFileSync(join(dir, info.filename));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const got = 'sha512-' + createHash('sha512').update(data).digest('base64');
  if (got !== p.integrity) throw new Error(`${p.spec}: integrity ${got} is not the pinned ${p.integrity}`);
  return data;
}

/** The text of a GramJS `module.exports = \`…\`` file, refusing anything a template literal would change. */
function templateText(js: string, file: string): string {
  const m = /module\.exports\s*=\s*`([^`]*)`;?\s*$/.exec(js);
  if (!m) throw new Error(`${file}: not a single template literal`);
  if (m[1]!.includes('\\') || m[1]!.includes('${')) throw new Error(`${file}: escapes or substitutions in the literal`);
  return m[1]!;
}

function checkIds(cs: TlCombinator[], what: string, errors: string[]): void {
  for (const c of cs) {
    const computed = computeCombinatorId(c);
    if (computed !== c.id) errors.push(`${what}: ${formatCombinator(c)}: its line gives ${hex(computed)}`);
  }
}

const hex = (id: number): string => id.toString(16).padStart(8, '0');
const specNames = new Set(parseSchema(API_SPEC_TYPES).constructors.map((c) => c.name));

function render(layer: number, source: string, cs: TlCombinator[]): string {
  const lines = (kind: TlCombinator['kind']) =>
    cs
      .filter((c) => c.kind === kind && !specNames.has(c.name))
      .map((c) => formatCombinator(c))
      .join('\n');
  return [
    `// Telegram API, layer ${layer}, as an independent client of that layer speaks it.`,
    `// From ${source}; written by tools/dc-emulator/scripts/old-layers.ts.`,
    '// Do not edit by hand: every explicit id is checked against the CRC-32 of its line.',
    `// LAYER ${layer}`,
    '',
    API_SPEC_TYPES,
    lines('constructor'),
    '',
    '---functions---',
    '',
    lines('method'),
    '',
  ].join('\n');
}

function layer198(errors: string[]): [number, string] {
  const files = extractFiles(tarball(GRAMJS), ['package/tl/apiTl.js', 'package/tl/schemaTl.js', 'package/tl/AllTLObjects.js']);
  const layerMatch = /exports\.LAYER\s*=\s*(\d+)/.exec(files.get('package/tl/AllTLObjects.js')!);
  if (!layerMatch) throw new Error(`${GRAMJS.spec}: no LAYER in tl/AllTLObjects.js`);
  const layer = Number(layerMatch[1]);
  const api = parseSchema(templateText(files.get('package/tl/apiTl.js')!, 'apiTl.js'), 'apiTl.js');
  const cs = [...api.constructors, ...api.methods];
  checkIds(cs, 'apiTl.js', errors);

  // MTProto does not change with the layer: GramJS's must agree with ours, id for id.
  const mtp = parseSchema(templateText(files.get('package/tl/schemaTl.js')!, 'schemaTl.js'), 'schemaTl.js');
  const require = createRequire(import.meta.url);
  const oursPath = join(dirname(require.resolve('@telegram-mt/tl/package.json')), 'schema', 'mtproto.tl');
  const ours = parseSchema(readFileSync(oursPath, 'utf8'), 'mtproto.tl');
  const ourIds = new Map([...ours.constructors, ...ours.methods].map((c) => [c.name, c.id]));
  let shared = 0;
  for (const c of [...mtp.constructors, ...mtp.methods]) {
    const id = ourIds.get(c.name);
    if (id === undefined) continue; // DNS-config helpers and the like, which the session never uses
    shared++;
    if (id !== c.id) errors.push(`schemaTl.js: ${c.name}#${hex(c.id)}, but our mtproto.tl has #${hex(id)}`);
  }
  if (shared < 40) errors.push(`schemaTl.js: only ${shared} MTProto names in common with mtproto.tl`);
  return [layer, render(layer, `${GRAMJS.spec} tl/apiTl.js (layer from tl/AllTLObjects.js)`, cs)];
}

function layer227(errors: string[]): [number, string] {
  const json = 'package/tl/api-schema.json';
  const files = extractFiles(tarball(MTCUTE), [json]);
  const api = JSON.parse(files.get(json)!) as { l: number; e: JsonEntry[] };
  if (!Number.isInteger(api.l)) throw new Error(`${MTCUTE.spec} ${json}: no layer number`);
  const cs: TlCombinator[] = [];
  for (const e of api.e) {
    if (e.name.startsWith('mtcute.')) continue; // the library's own, not Telegram's
    const legacy = API_NOT_TELEGRAM.get(e.name);
    if (legacy !== undefined) {
      // mtcute's renamed copies of old constructors: not lines of Telegram's schema.
      if (legacy !== e.id >>> 0) errors.push(`${e.name}: expected mtcute's id ${hex(legacy)}, found ${hex(e.id >>> 0)}`);
      continue;
    }
    cs.push(convertEntry(e));
  }
  checkIds(cs, json, errors);
  return [api.l, render(api.l, `${MTCUTE.spec} tl/api-schema.json`, cs)];
}

function main(): void {
  const errors: string[] = [];
  const outputs: [string, string, number, number][] = [];
  for (const [expected, make] of [
    [198, layer198],
    [227, layer227],
  ] as const) {
    const [layer, text] = make(errors);
    if (layer !== expected) errors.push(`expected layer ${expected}, the source says ${layer}`);
    const file = `layer-${layer}.tl`;
    const v = verifySchemaText(text, file, errors);
    if (v.layer !== layer) errors.push(`${file}: parsed layer ${v.layer}, expected ${layer}`);
    outputs.push([file, text, v.constructors, v.methods]);
  }
  if (errors.length) {
    for (const e of errors) console.error(`old-layers: ${e}`);
    console.error(`old-layers: ${errors.length} error(s); nothing written`);
    process.exit(1);
  }
  const check = process.argv.includes('--check');
  for (const [file, text, ctors, methods] of outputs) {
    const path = join(outDir, file);
    if (check) {
      let committed = '';
      try {
        committed = readFileSync(path, 'utf8');
      } catch {}
      if (committed !== text) {
        console.error(`old-layers: ${file} differs from its source; run npx tsx scripts/old-layers.ts`);
        process.exit(1);
      }
    } else {
      writeFileSync(path, text);
    }
    console.log(`old-layers: ${file}: ${ctors} constructors + ${methods} methods, ${text.length} bytes; every id is its line's CRC-32`);
  }
}

main();
