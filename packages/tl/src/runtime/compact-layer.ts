// A layer's codec table built from compact rows, with each reader and writer
// generated on its first use. Loading a layer then costs its rows and a few
// small objects per constructor, not thousands of functions and a megabyte of
// source; a client touches a few hundred of the ~2,500 combinators, and those
// run the same straight-line code an ahead-of-time generator would emit.
//
// Rows (one per line, constructors first, then methods):
//   <hex id> <name> <arg>* [=<result spec>]
//   arg: `#` (a flags field) | `<key>:<spec>` | `<key>:[<k>.]<bit>?<spec>` (bit of the k-th # field, k = 0 omitted)
//   spec: i int · l long · d double · s string · b bytes · x int128 · y int256 · B Bool · t true
//         · O any boxed object · V<spec> Vector · v<spec> bare vector · T<n> boxed type n · C<k> bare row k
// Types (one per line): `<name> <row>,<row>,…`, the constructors of type n on line n.
import * as helpers from './helpers.js';
import {
  dispatchSource,
  parseRow,
  readerSource,
  resultReaderSource,
  resultWriterSource,
  writerSource,
  type Row,
} from './compile.js';
import type { TlReader } from './reader.js';
import type { TlBoxedWriter, TlCodecTable, TlObjectReader, TlObjectWriter } from './table.js';

/** The codec table of the rows; `constructors` is how many rows are constructors. */
export function compactLayer(constructors: number, rows: string, types: string): TlCodecTable {
  return new CompactLayer(constructors, rows, types).table;
}

/** A boxed writer whose body writer is generated the first time it writes. */
class LazyBoxedWriter implements TlBoxedWriter {
  write: TlObjectWriter = writeFirst;
  constructor(
    readonly id: number,
    readonly row: number,
    readonly layer: CompactLayer,
  ) {}
}

function writeFirst(this: LazyBoxedWriter, w: Parameters<TlObjectWriter>[0], v: unknown): void {
  const write = this.layer.bodyWriter(this.row);
  this.write = write;
  write(w, v);
}

/**
 * The same string, as V8's one shared copy: writers are looked up by `_`, usually a string literal,
 * and Map compares two internalized strings by pointer instead of by content.
 */
function internalized(s: string): string {
  return Object.keys({ [s]: 0 })[0]!;
}

// What the bound placeholders in B and T run: generate the reader, then read. A placeholder can
// still be called after that (a result reader keeps the type's first one), so it looks again.
function readLazyBody(this: CompactLayer, k: number, r: TlReader): unknown {
  return this.body(k)(r);
}

function readLazyType(this: CompactLayer, n: number, r: TlReader): unknown {
  return this.type(n)(r);
}

class CompactLayer {
  readonly table: TlCodecTable;
  /** Where each row starts in `rows` (one more entry: the end). */
  private readonly starts: Int32Array;
  /** Boxed reader per abstract type; body reader and boxed writer per row. */
  private readonly T: TlObjectReader[];
  private readonly B: TlObjectReader[];
  private readonly E: LazyBoxedWriter[];
  private readonly typeLines: string[];
  /** Which rows' body readers and which types' readers have been generated. */
  private readonly bodyDone: Uint8Array;
  private readonly typeDone: Uint8Array;

  constructor(
    constructors: number,
    private readonly rows: string,
    types: string,
  ) {
    const writers = new Map<string, TlBoxedWriter>();
    let names: Map<number, string> | undefined;
    const t: TlCodecTable = (this.table = {
      readers: new Map(),
      writers,
      resultReaders: new Map(),
      resultWriters: new Map(),
      // Only errors and tools ask for names: made on first use, from the writers.
      get names() {
        return (names ??= new Map([...writers].map(([name, e]) => [e.id, name])));
      },
    });
    this.typeLines = types.split('\n');
    this.typeDone = new Uint8Array(this.typeLines.length);
    this.T = this.typeLines.map((_, n) => readLazyType.bind(this, n));
    const starts: number[] = [];
    for (let p = 0; p < rows.length; ) {
      starts.push(p);
      const end = rows.indexOf('\n', p);
      p = end < 0 ? rows.length : end + 1;
    }
    starts.push(rows.length + 1);
    this.starts = Int32Array.from(starts);
    const n = starts.length - 1;
    this.B = new Array(n);
    this.E = new Array(n);
    this.bodyDone = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const at = starts[k]!;
      const sp = rows.indexOf(' ', at);
      const end = starts[k + 1]! - 1;
      let sp2 = rows.indexOf(' ', sp + 1);
      if (sp2 < 0 || sp2 > end) sp2 = end;
      const id = parseInt(rows.slice(at, sp), 16);
      const name = internalized(rows.slice(sp + 1, sp2));
      // A bound function is the smallest callable that knows its row (no closure context).
      const read: TlObjectReader = readLazyBody.bind(this, k);
      this.B[k] = read;
      this.E[k] = new LazyBoxedWriter(id, k, this);
      t.readers.set(id, read);
      writers.set(name, this.E[k]!);
      if (k >= constructors) this.result(name, rows.slice(rows.lastIndexOf(' =', end) + 2, end));
    }
  }

  /** A method's result reader and writer: boxed results share the type's reader and one writer. */
  private result(method: string, spec: string): void {
    const t = this.table;
    if (spec === 'O' || spec[0] === 'T') {
      t.resultReaders.set(method, spec === 'O' ? helpers.rObject : this.T[Number(spec.slice(1))]!);
      t.resultWriters.set(method, helpers.wResult);
      return;
    }
    t.resultReaders.set(method, (r) => {
      const read = this.build<TlObjectReader>(resultReaderSource(method, spec));
      t.resultReaders.set(method, read);
      return read(r);
    });
    t.resultWriters.set(method, (w, v) => {
      const write = this.build<TlObjectWriter>(resultWriterSource(method, spec));
      t.resultWriters.set(method, write);
      write(w, v);
    });
  }

  private line(k: number): Row {
    const line = this.rows.slice(this.starts[k]!, this.starts[k + 1]! - 1);
    for (const [ref, kind, n] of line.matchAll(/([TC])(\d+)/g)) {
      if (Number(n) >= (kind === 'T' ? this.T : this.B).length) throw new Error(`row ${k}: ${ref} is out of range`);
    }
    return parseRow(line);
  }

  /** Body reader k, generated now if it was not yet. */
  body(k: number): TlObjectReader {
    return this.bodyDone[k] ? this.B[k]! : this.bodyReader(k);
  }

  type(n: number): TlObjectReader {
    return this.typeDone[n] ? this.T[n]! : this.typeReader(n);
  }

  private bodyReader(k: number): TlObjectReader {
    const row = this.line(k);
    const read = this.build<TlObjectReader>(readerSource(row));
    this.B[k] = read;
    this.bodyDone[k] = 1;
    this.table.readers.set(row.id, read);
    return read;
  }

  bodyWriter(k: number): TlObjectWriter {
    return this.build<TlObjectWriter>(writerSource(this.line(k)));
  }

  private typeReader(n: number): TlObjectReader {
    const line = this.typeLines[n]!;
    const sp = line.indexOf(' ');
    const rows = line.slice(sp + 1).split(',').map((s) => {
      const row = Number(s);
      return { row, id: this.E[row]!.id };
    });
    const read = this.build<TlObjectReader>(dispatchSource(n, line.slice(0, sp), rows));
    this.T[n] = read;
    this.typeDone[n] = 1;
    return read;
  }

  private build<F>(source: string): F {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return new Function('h', 'T', 'B', 'E', source)(helpers, this.T, this.B, this.E) as F;
  }
}
