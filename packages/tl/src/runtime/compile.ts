// Generates the JS source of one reader or writer from a compact row (format
// in compact-layer.ts). The code is what a per-constructor generator would
// write by hand: one object literal per reader, straight-line writes per
// writer, a switch per abstract type. Names from rows are checked before they
// reach the source, and strings are emitted through JSON.stringify.
//
// Inside the generated functions: `h` is ./helpers.js, `T[n]` reads abstract
// type n (boxed), `B[k]` reads the body of row k (bare), `E[k].write` writes
// the body of row k.

const KEY = /^[A-Za-z_][\w]*$/;

export interface RowArg {
  /** camelCase field name; '' for a `#` field. */
  key: string;
  /** What the field holds (see compact-layer.ts); '#' for a flags field. */
  spec: string;
  /** Which `#` field of the row its bit is in (0 = the first), or -1 when the field is always there. */
  flags: number;
  bit: number;
}

export interface Row {
  id: number;
  name: string;
  args: RowArg[];
  /** A method's result spec. */
  result?: string;
}

/** Parses one row: `<hex id> <name> <arg>* [=<result spec>]`, arg `#` or `key:[[k.]bit?]spec`. */
export function parseRow(line: string): Row {
  const parts = line.split(' ');
  const id = parseInt(parts[0]!, 16);
  const name = parts[1]!;
  const args: RowArg[] = [];
  let result: string | undefined;
  for (let i = 2; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '#') {
      args.push({ key: '', spec: '#', flags: -1, bit: 0 });
      continue;
    }
    if (p[0] === '=') {
      result = p.slice(1);
      continue;
    }
    const colon = p.indexOf(':');
    const key = p.slice(0, colon);
    if (!KEY.test(key)) throw new Error(`row ${name}: bad field name '${key}'`);
    const q = p.indexOf('?', colon);
    if (q < 0) {
      args.push({ key, spec: p.slice(colon + 1), flags: -1, bit: 0 });
      continue;
    }
    const cond = p.slice(colon + 1, q);
    const dot = cond.indexOf('.');
    const flags = dot < 0 ? 0 : Number(cond.slice(0, dot));
    const bit = Number(cond.slice(dot + 1));
    if (!(bit >= 0 && bit < 32) || !(flags >= 0)) throw new Error(`row ${name}: bad flag '${cond}'`);
    args.push({ key, spec: p.slice(q + 1), flags, bit });
  }
  if (!(id >= 0 && id <= 0xffffffff)) throw new Error(`row ${name}: bad id`);
  return { id, name, args, result };
}

const READ: Record<string, string> = {
  i: 'r.int()', l: 'r.long()', d: 'r.double()', s: 'r.string()', b: 'r.bytes()',
  x: 'r.int128()', y: 'r.int256()', B: 'r.bool()', t: 'true', O: 'r.object()',
};
const WRITE: Record<string, string> = {
  i: 'int', l: 'long', d: 'double', s: 'string', b: 'bytes', x: 'int128', y: 'int256', B: 'bool', O: 'object',
};

/** The row number or type index after `T`/`C`, checked. */
function index(spec: string): number {
  if (!/^[TC]\d{1,6}$/.test(spec)) throw new Error(`bad spec '${spec}'`);
  return Number(spec.slice(1));
}

/**
 * An expression reading one value. A vector becomes a call of its own small loop function, pushed
 * onto `loops`: a loop per field keeps the element read monomorphic, so V8 inlines it.
 */
export function readExpr(spec: string, loops: string[]): string {
  const simple = READ[spec];
  if (simple !== undefined) return simple;
  switch (spec[0]) {
    case 'V': case 'v': {
      const k = loops.length;
      loops.push('');
      const count = spec[0] === 'V' ? 'r.vector()' : 'r.count()';
      const elem = readExpr(spec.slice(1), loops);
      loops[k] = `function v${k}(r) { const n = ${count}; const a = new Array(n); for (let i = 0; i < n; i++) a[i] = ${elem}; return a; }`;
      return `v${k}(r)`;
    }
    case 'T': return `T[${index(spec)}](r)`;
    case 'C': return `B[${index(spec)}](r)`;
  }
  throw new Error(`bad spec '${spec}'`);
}

/** A statement writing value `v`; `f` is the expression for the field's name in errors; `depth` names loop locals. */
export function writeStmt(spec: string, v: string, f: string, depth = 0): string {
  const simple = WRITE[spec];
  if (simple !== undefined) return `w.${simple}(${v}, ${f});`;
  switch (spec[0]) {
    case 't': return ''; // a `true` field carries no data
    case 'V': case 'v': {
      const [a, n, i] = [`a${depth}`, `n${depth}`, `i${depth}`];
      const head = spec[0] === 'V' ? 'vector' : 'bareVector';
      const elem = writeStmt(spec.slice(1), `${a}[${i}]`, f, depth + 1);
      return `{ const ${a} = ${v}; const ${n} = w.${head}(${a}, ${f}); for (let ${i} = 0; ${i} < ${n}; ${i}++) ${elem} }`;
    }
    case 'T': index(spec); return `w.object(${v}, ${f});`;
    case 'C': return `E[${index(spec)}].write(w, h.obj(${v}, ${f}));`;
  }
  throw new Error(`bad spec '${spec}'`);
}

const mask = (a: RowArg) => `(f${a.flags} & ${(1 << a.bit) >>> 0}) !== 0`;

/** A body reader: one object literal in row order, so every object of a constructor shares one shape. */
export function readerSource(row: Row): string {
  const props = [`_: ${JSON.stringify(row.name)}`];
  const locals: string[] = [];
  const loops: string[] = [];
  let pending = ''; // a flags field is read in a comma expression just before the next field
  for (const a of row.args) {
    if (a.spec === '#') {
      pending += `f${locals.length} = r.int(), `;
      locals.push(`f${locals.length}`);
      continue;
    }
    let expr: string;
    if (a.flags < 0) expr = readExpr(a.spec, loops);
    else if (a.spec === 't') expr = mask(a);
    else expr = `${mask(a)} ? ${readExpr(a.spec, loops)} : undefined`;
    props.push(`${a.key}: ${pending ? `(${pending}${expr})` : expr}`);
    pending = '';
  }
  const decl = locals.length ? `let ${locals.join(', ')}; ` : '';
  const tail = pending ? `${pending.slice(0, -2)}; ` : ''; // a flags field with nothing after it
  return `${loops.join(' ')} return function ${ident(row.name)}(r) { ${decl}${tail}return { ${props.join(', ')} }; };`;
}

/** A body writer: each flags field from the optional fields on its bits, then the fields in order. */
export function writerSource(row: Row): string {
  const out: string[] = [];
  let k = 0;
  for (const a of row.args) {
    if (a.spec === '#') {
      const n = k++;
      const bits = row.args
        .filter((b) => b.flags === n)
        .map((b) => `(o.${b.key} ${b.spec === 't' ? '=== true' : '!== undefined'} ? ${(1 << b.bit) >>> 0} : 0)`);
      out.push(`const f${n} = ${bits.length ? bits.join(' | ') : '0'};`, `w.id(f${n});`);
      continue;
    }
    // Field names in errors are the key alone; TlWriter.object adds the constructor's name.
    const stmt = writeStmt(a.spec, `o.${a.key}`, JSON.stringify(a.key));
    if (stmt === '') continue;
    out.push(a.flags < 0 ? stmt : `if (${mask(a)}) ${stmt}`);
  }
  return `return function ${ident(row.name)}(w, o) { ${out.join(' ')} };`;
}

/** The boxed reader of an abstract type: checks the id belongs to the type; gzip_packed and errors in `r.other`. */
export function dispatchSource(index: number, type: string, rows: { id: number; row: number }[]): string {
  const cases = rows.map((c) => `case ${c.id}: return r.leave(B[${c.row}](r));`);
  return `return function ${ident(type)}(r) { switch (r.enter()) { ${cases.join(' ')} } return r.other(T[${index}], ${JSON.stringify(type)}); };`;
}

/** Reader and writer of a method result that is not a boxed object (vectors, bare types, builtins). */
export function resultReaderSource(method: string, spec: string): string {
  const loops: string[] = [];
  const expr = readExpr(spec, loops);
  return `${loops.join(' ')} return function ${ident(method)}(r) { return ${expr}; };`;
}

export function resultWriterSource(method: string, spec: string): string {
  return `return function ${ident(method)}(w, v) { ${writeStmt(spec, 'v', JSON.stringify(method + ' result'))} };`;
}

/** A function name for stack traces and profiles: `messages.sendMessage` → `messages$sendMessage`. */
function ident(name: string): string {
  return '$' + name.replace(/[^\w$]/g, '$');
}
