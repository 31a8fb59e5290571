// The TL dialect line by line: each tricky construction, its AST, its
// canonical line and its id (real ids from Telegram's schemas).
import test from 'ava';
import {
  canonicalText,
  computeCombinatorId,
  crc32,
  formatCombinator,
  parseSchema,
  readDeclarations,
  type TlCombinator,
} from '../src/schema/index.js';

/** Parses one declaration (in the functions section when `method`). */
function one(line: string, method = false): TlCombinator {
  const s = parseSchema(method ? `---functions---\n${line}` : line);
  const all = [...s.constructors, ...s.methods];
  if (all.length !== 1) throw new Error(`expected one combinator in ${line}`);
  return all[0]!;
}

const cases: { line: string; method?: boolean; id: number; canonical: string }[] = [
  {
    // flags.N?true arguments do not count towards the id
    line: 'inputPeerPhotoFileLocation#37257e99 flags:# big:flags.0?true peer:InputPeer photo_id:long = InputFileLocation;',
    id: 0x37257e99,
    canonical: 'inputPeerPhotoFileLocation flags:# peer:InputPeer photo_id:long = InputFileLocation',
  },
  {
    // bytes counts as string …
    line: 'resPQ#05162463 nonce:int128 server_nonce:int128 pq:bytes server_public_key_fingerprints:Vector<long> = ResPQ;',
    id: 0x05162463,
    canonical: 'resPQ nonce:int128 server_nonce:int128 pq:string server_public_key_fingerprints:Vector long = ResPQ',
  },
  {
    // … but not inside Vector<bytes>
    line: 'updateMessagePollVote#7699f014 poll_id:long peer:Peer options:Vector<bytes> positions:Vector<int> qts:int = Update;',
    id: 0x7699f014,
    canonical: 'updateMessagePollVote poll_id:long peer:Peer options:Vector bytes positions:Vector int qts:int = Update',
  },
  {
    line: 'future_salts#ae500895 req_msg_id:long now:int salts:vector<future_salt> = FutureSalts;',
    id: 0xae500895,
    canonical: 'future_salts req_msg_id:long now:int salts:vector future_salt = FutureSalts',
  },
  {
    line: 'msg_container#73f1f8dc messages:vector<message> = MessageContainer;',
    id: 0x73f1f8dc,
    canonical: 'msg_container messages:vector message = MessageContainer',
  },
  {
    line: 'invokeWithLayer#da9b0d0d {X:Type} layer:int query:!X = X;',
    method: true,
    id: 0xda9b0d0d,
    canonical: 'invokeWithLayer X:Type layer:int query:!X = X',
  },
  {
    line: 'invokeAfterMsgs#3dc4b4f0 {X:Type} msg_ids:Vector<long> query:!X = X;',
    method: true,
    id: 0x3dc4b4f0,
    canonical: 'invokeAfterMsgs X:Type msg_ids:Vector long query:!X = X',
  },
  {
    line:
      'initConnection#c1cd5ea9 {X:Type} flags:# api_id:int device_model:string system_version:string app_version:string ' +
      'system_lang_code:string lang_pack:string lang_code:string proxy:flags.0?InputClientProxy params:flags.1?JSONValue query:!X = X;',
    method: true,
    id: 0xc1cd5ea9,
    canonical:
      'initConnection X:Type flags:# api_id:int device_model:string system_version:string app_version:string ' +
      'system_lang_code:string lang_pack:string lang_code:string proxy:flags.0?InputClientProxy params:flags.1?JSONValue query:!X = X',
  },
  {
    line: 'auth.logOut#3e72ba19 = auth.LoggedOut;',
    method: true,
    id: 0x3e72ba19,
    canonical: 'auth.logOut = auth.LoggedOut',
  },
  {
    line: 'contacts.getContactIDs#7adc669d hash:long = Vector<int>;',
    method: true,
    id: 0x7adc669d,
    canonical: 'contacts.getContactIDs hash:long = Vector int',
  },
  {
    line: 'gzip_packed#3072cfa1 packed_data:bytes = Object;',
    id: 0x3072cfa1,
    canonical: 'gzip_packed packed_data:string = Object',
  },
  {
    line: 'inputMediaPoll#883a4108 flags:# poll:Poll correct_answers:flags.0?Vector<int> attached_media:flags.3?InputMedia solution:flags.1?string solution_entities:flags.1?Vector<MessageEntity> solution_media:flags.2?InputMedia = InputMedia;',
    id: 0x883a4108,
    canonical: 'inputMediaPoll flags:# poll:Poll correct_answers:flags.0?Vector int attached_media:flags.3?InputMedia solution:flags.1?string solution_entities:flags.1?Vector MessageEntity solution_media:flags.2?InputMedia = InputMedia',
  },
];

for (const c of cases) {
  test(`id and canonical form: ${c.line.slice(0, 60)}`, (t) => {
    const parsed = one(c.line, c.method);
    t.is(parsed.kind, c.method ? 'method' : 'constructor');
    t.is(canonicalText(parsed), c.canonical);
    t.is(computeCombinatorId(parsed), c.id);
    t.is(parsed.id, c.id);
    t.is(formatCombinator(parsed), c.line);
  });
}

test('a line without an id gets the computed one', (t) => {
  const c = one('pong msg_id:long ping_id:long = Pong;');
  t.is(c.id, 0x347773c5);
  t.is(formatCombinator(c), 'pong#347773c5 msg_id:long ping_id:long = Pong;');
  t.is(formatCombinator(c, { withId: false }), 'pong msg_id:long ping_id:long = Pong;');
  const d = readDeclarations('pong msg_id:long ping_id:long = Pong;').declarations[0]!;
  t.is(d.kind === 'combinator' ? d.explicitId : -1, undefined);
  // Ids with leading zeros are written with all 8 digits.
  t.is(formatCombinator(one('future_salt#949d9dc valid_since:int valid_until:int salt:long = FutureSalt;')).split(' ')[0], 'future_salt#0949d9dc');
});

test('flags and flags2: several # fields, each flag pointing at its own', (t) => {
  const c = one('user#1 flags:# self:flags.10?true flags2:# close_friend:flags2.2?true id:long usernames:flags2.0?Vector<Username> color:flags2.8?PeerColor = User;');
  t.deepEqual(
    c.args.map((a) => [a.name, a.type.name, a.flag?.field, a.flag?.bit]),
    [
      ['flags', '#', undefined, undefined],
      ['self', 'true', 'flags', 10],
      ['flags2', '#', undefined, undefined],
      ['close_friend', 'true', 'flags2', 2],
      ['id', 'long', undefined, undefined],
      ['usernames', 'Vector', 'flags2', 0],
      ['color', 'PeerColor', 'flags2', 8],
    ],
  );
  t.deepEqual(c.args[1]!.type, { name: 'true', bare: true });
  t.deepEqual(c.args[0]!.type, { name: '#', bare: true });
  t.deepEqual(c.args[5]!.type, { name: 'Vector', bare: false, param: { name: 'Username', bare: false } });
  t.is(canonicalText(c), 'user flags:# flags2:# id:long usernames:flags2.0?Vector Username color:flags2.8?PeerColor = User');
});

test('Vector<%T>, %Vector<T> and bare vector<T> in the AST', (t) => {
  const c = one('x#1 a:Vector<%Message> b:%Vector<long> c:vector<int> d:%Message e:Vector<Vector<long>> = X;');
  t.deepEqual(c.args.map((a) => a.type), [
    { name: 'Vector', bare: false, param: { name: 'Message', bare: true } },
    { name: 'Vector', bare: true, param: { name: 'long', bare: true } },
    { name: 'vector', bare: true, param: { name: 'int', bare: true } },
    { name: 'Message', bare: true },
    { name: 'Vector', bare: false, param: { name: 'Vector', bare: false, param: { name: 'long', bare: true } } },
  ]);
  t.is(formatCombinator(c), 'x#00000001 a:Vector<%Message> b:%Vector<long> c:vector<int> d:%Message e:Vector<Vector<long>> = X;');
});

test('generics: {X:Type} with !X in the arguments and X as the result', (t) => {
  const c = one('invokeWithLayer#da9b0d0d {X:Type} layer:int query:!X = X;', true);
  t.deepEqual(c.generics, [{ name: 'X', type: 'Type' }]);
  t.deepEqual(c.args[1]!.type, { name: 'X', bare: false, generic: true });
  t.deepEqual(c.type, { name: 'X', bare: false, generic: true });
});

test('namespaced names for combinators and types', (t) => {
  const c = one('messages.getHistory#4423e6c5 peer:InputPeer offset_id:int offset_date:int add_offset:int limit:int max_id:int min_id:int hash:long = messages.Messages;', true);
  t.is(c.name, 'messages.getHistory');
  t.deepEqual(c.type, { name: 'messages.Messages', bare: false });
  t.is(c.id, 0x4423e6c5);
  t.is(computeCombinatorId(c), 0x4423e6c5);
});

test('comments, sections, layer, line numbers, CRLF and a BOM', (t) => {
  const text = [
    '\ufeff// a comment; with = punctuation',
    '/* a block comment',
    '   over two lines */ boolFalse#bc799737 = Bool; // trailing',
    '',
    '---functions---',
    '// LAYER 228',
    'ping#7abe77ec',
    '   ping_id:long',
    '   = Pong;',
    '---types---',
    'boolTrue#997275b5 /* inline */ = Bool;',
  ].join('\r\n');
  const s = parseSchema(text, 'x.tl');
  t.is(s.layer, 228);
  t.deepEqual(s.constructors.map((c) => [c.name, c.line]), [['boolFalse', 3], ['boolTrue', 11]]);
  t.deepEqual(s.methods.map((c) => [c.name, c.line, c.id]), [['ping', 7, 0x7abe77ec]]);
});

test('only an exact // LAYER N comment sets the layer', (t) => {
  t.is(parseSchema('// LAYER 12\n').layer, 12);
  t.is(parseSchema('//LAYER 7\na = A;').layer, 7);
  t.is(parseSchema('// LAYER twelve\n// the LAYER 5 is old\n').layer, undefined);
});

test('builtin declarations are recognised and kept out of the constructors', (t) => {
  const text = [
    'int ? = Int;',
    'long ? = Long;',
    'vector {t:Type} # [ t ] = Vector t;',
    'vector#1cb5c415 {t:Type} # [ t ] = Vector t;',
    'int128 4*[ int ] = Int128;',
    'int256 8*[ int ] = Int256;',
    'true#3fedd339 = True;',
    'boolFalse#bc799737 = Bool;',
  ].join('\n');
  const { declarations } = readDeclarations(text);
  t.deepEqual(
    declarations.map((d) => (d.kind === 'builtin' ? `builtin ${d.name}` : d.combinator.name)),
    ['builtin int', 'builtin long', 'builtin vector', 'builtin vector', 'builtin int128', 'builtin int256', 'true', 'boolFalse'],
  );
  const vectors = declarations.filter((d) => d.kind === 'builtin' && d.name === 'vector');
  for (const v of vectors) t.like(v, { computedId: 0x1cb5c415 });
  t.like(vectors[1], { explicitId: 0x1cb5c415 });
  const s = parseSchema(text);
  t.deepEqual(s.constructors.map((c) => c.name), ['true', 'boolFalse']);
  t.deepEqual(s.constructors[0]!.type, { name: 'True', bare: false });
});

test('an empty schema or one of comments only is fine', (t) => {
  t.deepEqual(parseSchema(''), { constructors: [], methods: [] });
  t.deepEqual(parseSchema('// nothing\n/* here */\n---functions---\n'), { constructors: [], methods: [] });
});

test('crc32 matches the standard check value', (t) => {
  t.is(crc32('123456789'), 0xcbf43926);
  t.is(crc32(''), 0);
});
