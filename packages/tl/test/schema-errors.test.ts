// Malformed schemas: each raises TlSchemaError pointing at the line and
// column of the first thing that is wrong.
import test from 'ava';
import { TlSchemaError } from '../src/errors.js';
import { parseSchema } from '../src/schema/index.js';

const cases: [text: string, line: number, column: number, message: RegExp][] = [
  ['a#zz = A;', 1, 3, /hex digits of the id/],
  ['a#123456789 = A;', 1, 3, /hex digits of the id/],
  ['a x:int = A', 1, 12, /not ended by ';'/],
  ['a x:int', 1, 8, /expected '=' and the result type/],
  ['a x:flags.0?true = A;', 1, 5, /'flags' is not a # field/],
  ['a x:flags.0?true flags:# = A;', 1, 5, /'flags' is not a # field/],
  ['a flags:# x:flags.32?int = A;', 1, 13, /out of range/],
  ['a flags:# x:flags.1 = A;', 1, 21, /expected '\?'/],
  ['a x:Vector<int = A;', 1, 16, /expected '>' but found '='/],
  ['a x:Vector = A;', 1, 5, /needs an element type/],
  ['a x:!X = A;', 1, 6, /'!X' names no \{X:Type\}/],
  ['a {X:Type} x:X = X;', 1, 14, /must be written '!X'/],
  ['a {X:Int} = A;', 1, 6, /kind 'Type'/],
  ['a x:Foo<int> = A;', 1, 8, /only Vector and vector/],
  ['a x:%foo = A;', 1, 5, /'%' applies to a type/],
  ['a#1 x:int = A;\nb y = B;', 2, 5, /expected ':' but found '='/],
  ['a x:int x:long = A;', 1, 9, /argument 'x' declared twice/],
  ['a = A;\n  a = A;', 2, 3, /constructor 'a' is already declared on line 1/],
  [';', 1, 1, /stray ';'/],
  ['a = ;', 1, 5, /expected a type but found ';'/],
  ['a = %A;', 1, 5, /cannot start with '%'/],
  ['a = b;', 1, 5, /constructor's result must be a type/],
  ['a x:int = A B;', 1, 13, /expected ';' after the result type/],
  ['---functions--\na = A;', 1, 1, /unterminated section marker/],
  ['---foo---\n', 1, 1, /unknown section '---foo---'/],
  ['a = A;\n/* never closed', 2, 1, /unterminated \/\* comment/],
  ['a = A;\n\n  @b = B;', 3, 3, /unexpected character "@"/],
  ['a x:int\n---functions---\nb = B;', 2, 1, /expected an argument 'name:type' or '='/],
  ['1a = A;', 1, 1, /invalid combinator name '1a'/],
  ['a 9x:int = A;', 1, 3, /invalid argument name '9x'/],
  ['int ? = ;', 1, 9, /expected the result type/],
  ['vector {t:Type} # [ t ] Vector t;', 1, 33, /expected '=' and the result type/],
  [`a x:${'Vector<'.repeat(100)}int${'>'.repeat(100)} = A;`, 1, 124, /nested deeper than 16/],
];

for (const [text, line, column, message] of cases) {
  test(`malformed: ${JSON.stringify(text)}`, (t) => {
    const e = t.throws(() => parseSchema(text, 'bad.tl'), { instanceOf: TlSchemaError });
    t.regex(e.message, message);
    t.is(e.line, line, e.message);
    t.is(e.column, column, e.message);
    t.is(e.file, 'bad.tl');
    t.true(e.message.startsWith(`bad.tl:${line}:${column}: `));
  });
}

test('the same name may be a constructor and a method', (t) => {
  const s = parseSchema('a = A;\n---functions---\na = A;');
  t.is(s.constructors.length, 1);
  t.is(s.methods.length, 1);
});

test('a huge malformed text fails fast with a TlSchemaError, not a RangeError', (t) => {
  const lines = Array.from({ length: 50_000 }, (_, i) => `a${i} x:int = A;`);
  const text = lines.join('\n') + '\nb x:' + '%'.repeat(10) + ' = B;';
  const e = t.throws(() => parseSchema(text), { instanceOf: TlSchemaError });
  t.is(e.line, 50_001);
  t.is(e.column, 6);
});
