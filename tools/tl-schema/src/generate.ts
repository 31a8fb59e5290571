// npm run generate -w @telegram-mt/tl-schema-tool [-- --tarball file.tgz] [-- --check]
//
// Rebuilds packages/tl/schema/api.tl and mtproto.tl from the pinned source,
// recomputes every constructor id from its line and fails on any mismatch.
// The output depends only on the source bytes, so a re-run gives the same
// files; --check compares instead of writing.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertEntry, type JsonEntry } from './convert.js';
import { API_JSON, MTP_JSON, SOURCE_PACKAGE, extractFiles, loadTarball } from './source.js';
import {
  API_NOT_TELEGRAM,
  API_SPEC_TYPES,
  MTPROTO_BUILTINS,
  MTPROTO_METHODS,
  MTPROTO_SPEC_FUNCTIONS,
  MTPROTO_SPEC_TYPES,
} from './spec-lines.js';
import { collisions, linesOf, renderSchema, verifySchemaText } from './render.js';
import { computeCombinatorId, formatCombinator, parseSchema, type TlCombinator } from '../../../packages/tl/src/schema/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const outDir = join(root, 'packages', 'tl', 'schema');

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Converts JSON entries, collecting every id that is not the CRC of its line. */
function convertAll(entries: JsonEntry[], what: string, errors: string[], opts: Parameters<typeof convertEntry>[1]): TlCombinator[] {
  const out: TlCombinator[] = [];
  for (const e of entries) {
    const c = convertEntry(e, opts);
    const computed = computeCombinatorId(c);
    if (computed !== c.id) {
      errors.push(`${what}: ${formatCombinator(c)} — the line's CRC-32 is ${computed.toString(16).padStart(8, '0')}`);
    }
    out.push(c);
  }
  return out;
}

function main(): void {
  const tarball = loadTarball(argValue('--tarball'));
  const files = extractFiles(tarball, [API_JSON, MTP_JSON]);
  const api = JSON.parse(files.get(API_JSON)!) as { l: number; e: JsonEntry[] };
  const mtp = JSON.parse(files.get(MTP_JSON)!) as JsonEntry[];
  const layer = api.l;
  if (!Number.isInteger(layer)) throw new Error(`${API_JSON}: no layer number`);

  const errors: string[] = [];
  const dropped: string[] = [];
  const apiEntries = api.e.filter((e) => {
    if (e.name.startsWith('mtcute.')) return false; // the library's own, not Telegram's
    const notOurs = API_NOT_TELEGRAM.get(e.name);
    if (notOurs !== undefined) {
      if (notOurs !== e.id >>> 0) errors.push(`${e.name}: expected the mtcute-only id ${notOurs.toString(16)}, found ${e.id.toString(16)}`);
      dropped.push(e.name);
      return false;
    }
    return true;
  });
  for (const name of API_NOT_TELEGRAM.keys()) {
    if (!dropped.includes(name)) errors.push(`${name}: listed as mtcute-only but absent from the source; update spec-lines.ts`);
  }
  const apiCombs = convertAll(apiEntries, 'api', errors, {});
  const mtpCombs = convertAll(mtp, 'mtproto', errors, { stripPrefix: 'mt_', methods: MTPROTO_METHODS });
  for (const m of MTPROTO_METHODS) {
    if (!mtpCombs.some((c) => c.name === m && c.kind === 'method')) errors.push(`mtproto: method '${m}' missing from the source`);
  }
  if (errors.length) fail(errors);

  const apiText = renderSchema({
    title: `Telegram API, layer ${layer}.`,
    source: `${SOURCE_PACKAGE} tl/api-schema.json`,
    layer,
    types: [API_SPEC_TYPES, linesOf(apiCombs.filter((c) => c.kind === 'constructor'))],
    functions: [linesOf(apiCombs.filter((c) => c.kind === 'method'))],
  });
  const mtpText = renderSchema({
    title: 'MTProto: the auth key handshake, the session and its service messages.',
    source: `${SOURCE_PACKAGE} tl/mtp-schema.json and the spec pages`,
    types: [MTPROTO_BUILTINS, linesOf(mtpCombs.filter((c) => c.kind === 'constructor')), MTPROTO_SPEC_TYPES],
    functions: [linesOf(mtpCombs.filter((c) => c.kind === 'method')), MTPROTO_SPEC_FUNCTIONS],
  });

  const apiCheck = verifySchemaText(apiText, 'api.tl', errors);
  const mtpCheck = verifySchemaText(mtpText, 'mtproto.tl', errors);
  const apiExpected = apiCombs.length + parseSchema(API_SPEC_TYPES).constructors.length;
  if (apiCheck.constructors + apiCheck.methods !== apiExpected) {
    errors.push(`api.tl: ${apiCheck.constructors + apiCheck.methods} combinators parsed back, expected ${apiExpected}`);
  }
  const mtpExpected =
    mtpCombs.length + parseSchema(MTPROTO_SPEC_TYPES).constructors.length + parseSchema(`---functions---\n${MTPROTO_SPEC_FUNCTIONS}`).methods.length;
  if (mtpCheck.constructors + mtpCheck.methods !== mtpExpected) {
    errors.push(`mtproto.tl: ${mtpCheck.constructors + mtpCheck.methods} combinators parsed back, expected ${mtpExpected}`);
  }
  if (apiCheck.layer !== layer) errors.push(`api.tl: parsed layer ${apiCheck.layer}, expected ${layer}`);
  if (errors.length) fail(errors);

  const shared = collisions(apiText, mtpText);

  const outputs: [string, string][] = [
    ['api.tl', apiText],
    ['mtproto.tl', mtpText],
  ];
  if (process.argv.includes('--check')) {
    const stale = outputs.filter(([f, text]) => {
      try {
        return readFileSync(join(outDir, f), 'utf8') !== text;
      } catch {
        return true;
      }
    });
    if (stale.length) fail(stale.map(([f]) => `${f} differs from what ${SOURCE_PACKAGE} gives; run npm run generate -w @telegram-mt/tl-schema-tool`));
    console.log('tl-schema: api.tl and mtproto.tl are up to date');
  } else {
    for (const [f, text] of outputs) writeFileSync(join(outDir, f), text);
  }
  console.log(
    `tl-schema: layer ${layer} from ${SOURCE_PACKAGE}: api.tl ${apiCheck.constructors} constructors + ${apiCheck.methods} methods, ` +
      `mtproto.tl ${mtpCheck.constructors} constructors + ${mtpCheck.methods} methods; every explicit id matches its line` +
      (dropped.length ? `; dropped mtcute-only ${dropped.join(', ')}` : ''),
  );
  if (shared.length) console.log(`tl-schema: names in both files: ${shared.join('; ')}`);
}

function fail(errors: string[]): never {
  for (const e of errors) console.error(`tl-schema: ${e}`);
  console.error(`tl-schema: ${errors.length} error(s); nothing written`);
  process.exit(1);
}

main();
