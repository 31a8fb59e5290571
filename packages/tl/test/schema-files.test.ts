// The committed layer-228 schema files: every line parses, every explicit id
// is the CRC-32 of its line, every line is canonical, and the MTProto file
// has everything the handshake and the session use.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  computeCombinatorId,
  formatCombinator,
  parseSchema,
  readDeclarations,
  type TlCombinator,
  type TlTypeRef,
} from '../src/schema/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema');
const read = (f: string) => readFileSync(join(dir, f), 'utf8');
const files = { 'api.tl': read('api.tl'), 'mtproto.tl': read('mtproto.tl') };

for (const [file, text] of Object.entries(files)) {
  test(`${file}: every explicit id is the CRC-32 of its line, and every line is canonical`, (t) => {
    const { declarations } = readDeclarations(text, file);
    const lines = text.split('\n');
    const problems: string[] = [];
    let checked = 0;
    for (const d of declarations) {
      if (d.kind === 'builtin') {
        if (d.explicitId !== undefined && d.explicitId !== d.computedId) problems.push(`${d.line}: builtin ${d.name} id`);
        continue;
      }
      const c = d.combinator;
      if (d.explicitId === undefined) problems.push(`${c.line}: ${c.name} has no explicit id`);
      const computed = computeCombinatorId(c);
      if (computed !== d.explicitId) problems.push(`${c.line}: ${c.name} #${d.explicitId?.toString(16)} but its line gives ${computed.toString(16)}`);
      if (lines[c.line - 1]!.trim() !== formatCombinator(c)) problems.push(`${c.line}: ${c.name} is not canonical`);
      checked++;
    }
    t.deepEqual(problems, []);
    t.true(checked > (file === 'api.tl' ? 2000 : 40), `${checked} combinators checked`);
  });

  test(`${file}: formatting every combinator and parsing it again gives the same AST`, (t) => {
    const s = parseSchema(text, file);
    const again = parseSchema(
      [...s.constructors.map((c) => formatCombinator(c)), '---functions---', ...s.methods.map((c) => formatCombinator(c))].join('\n'),
    );
    const strip = (c: TlCombinator) => ({ ...c, line: 0 });
    t.deepEqual(again.constructors.map(strip), s.constructors.map(strip));
    t.deepEqual(again.methods.map(strip), s.methods.map(strip));
  });
}

test('api.tl is layer 228 and has the head of Telegram’s api.tl', (t) => {
  const s = parseSchema(files['api.tl'], 'api.tl');
  t.is(s.layer, 228);
  const byName = new Map(s.constructors.map((c) => [c.name, c]));
  for (const [name, id] of [['boolFalse', 0xbc799737], ['boolTrue', 0x997275b5], ['true', 0x3fedd339], ['error', 0xc4b9f9bb], ['null', 0x56730bcc]] as const) {
    t.is(byName.get(name)?.id, id, name);
  }
  // The boxed vector is a builtin: declared, but not a constructor.
  t.false(byName.has('vector'));
  const vector = readDeclarations(files['api.tl']).declarations.find((d) => d.kind === 'builtin' && d.name === 'vector');
  t.like(vector, { kind: 'builtin', explicitId: 0x1cb5c415, computedId: 0x1cb5c415 });
  // No mtcute-only entries.
  t.false([...s.constructors, ...s.methods].some((c) => c.name.startsWith('mtcute.') || c.name.endsWith('Legacy')));
  const methods = new Map(s.methods.map((m) => [m.name, m]));
  for (const m of ['invokeWithLayer', 'initConnection', 'invokeAfterMsg', 'invokeAfterMsgs', 'invokeWithoutUpdates']) {
    t.true(methods.get(m)?.type.generic, `${m} returns its generic X`);
  }
});

test('mtproto.tl has everything the handshake and the session need', (t) => {
  const s = parseSchema(files['mtproto.tl'], 'mtproto.tl');
  t.is(s.layer, undefined);
  const constructors = new Set(s.constructors.map((c) => c.name));
  const methods = new Set(s.methods.map((c) => c.name));
  for (const c of [
    'resPQ', 'p_q_inner_data', 'p_q_inner_data_dc', 'p_q_inner_data_temp_dc', 'server_DH_params_ok', 'server_DH_params_fail',
    'server_DH_inner_data', 'client_DH_inner_data', 'dh_gen_ok', 'dh_gen_retry', 'dh_gen_fail', 'bind_auth_key_inner',
    'rpc_result', 'rpc_error', 'rpc_answer_unknown', 'rpc_answer_dropped_running', 'rpc_answer_dropped', 'future_salt',
    'future_salts', 'pong', 'destroy_session_ok', 'destroy_session_none', 'new_session_created', 'msg_container', 'message',
    'msg_copy', 'gzip_packed', 'msgs_ack', 'bad_msg_notification', 'bad_server_salt', 'msg_resend_req', 'msgs_state_req',
    'msgs_state_info', 'msgs_all_info', 'msg_detailed_info', 'msg_new_detailed_info', 'http_wait', 'destroy_auth_key_ok',
    'destroy_auth_key_none', 'destroy_auth_key_fail',
  ]) {
    t.true(constructors.has(c), `constructor ${c}`);
  }
  for (const m of [
    'req_pq_multi', 'req_DH_params', 'set_client_DH_params', 'rpc_drop_answer', 'get_future_salts', 'ping',
    'ping_delay_disconnect', 'destroy_session', 'destroy_auth_key',
  ]) {
    t.true(methods.has(m), `method ${m}`);
  }
  const container = s.constructors.find((c) => c.name === 'msg_container')!;
  t.is(container.id, 0x73f1f8dc);
  t.deepEqual(container.args[0]!.type, { name: 'vector', bare: true, param: { name: 'message', bare: true } });
  const salts = s.constructors.find((c) => c.name === 'future_salts')!;
  t.deepEqual(salts.args[2]!.type, { name: 'vector', bare: true, param: { name: 'future_salt', bare: true } });
});

test('the two files share exactly one name: MTProto’s bare message against the API’s message', (t) => {
  const api = parseSchema(files['api.tl']);
  const mtp = parseSchema(files['mtproto.tl']);
  const apiNames = new Set([...api.constructors, ...api.methods].map((c) => c.name));
  const shared = [...mtp.constructors, ...mtp.methods].filter((c) => apiNames.has(c.name)).map((c) => c.name);
  t.deepEqual(shared, ['message']);
  const apiTypes = new Set(api.constructors.map((c) => c.type.name));
  t.deepEqual([...new Set(mtp.constructors.map((c) => c.type.name))].filter((n) => apiTypes.has(n)), ['Message']);
  const ids = new Map<number, string>();
  for (const c of [...api.constructors, ...api.methods, ...mtp.constructors, ...mtp.methods]) {
    t.is(ids.get(c.id), undefined, `id ${c.id.toString(16)} of ${c.name} is unique`);
    ids.set(c.id, c.name);
  }
});

test('every type an argument or result names is declared (per file, builtins aside)', (t) => {
  const builtin = new Set(['int', 'long', 'double', 'string', 'bytes', 'int128', 'int256', 'true', '#', 'Object']);
  for (const [file, text] of Object.entries(files)) {
    const s = parseSchema(text, file);
    const types = new Set(s.constructors.map((c) => c.type.name));
    const ctors = new Set(s.constructors.map((c) => c.name));
    // Bool is declared in api.tl; mtproto.tl never uses it.
    const missing = new Set<string>();
    const check = (r: TlTypeRef) => {
      if (r.param) return check(r.param);
      if (r.generic || builtin.has(r.name)) return;
      if (!(r.bare && /^[a-z]/.test(r.name.split('.').pop()!) ? ctors : types).has(r.name)) missing.add(r.name);
    };
    for (const c of [...s.constructors, ...s.methods]) {
      for (const a of c.args) check(a.type);
      check(c.type);
    }
    t.deepEqual([...missing], [], file);
  }
});
