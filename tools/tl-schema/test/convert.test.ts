// The conversion from the JSON source and the read-back check, offline.
import test from 'ava';
import { formatCombinator } from '../../../packages/tl/src/schema/index.js';
import { convertEntry } from '../src/convert.js';
import { verifySchemaText } from '../src/render.js';
import { MTPROTO_METHODS } from '../src/spec-lines.js';

test('JSON entries become canonical TL lines', (t) => {
  const line = (e: Parameters<typeof convertEntry>[0], opts?: Parameters<typeof convertEntry>[1]) => formatCombinator(convertEntry(e, opts));
  t.is(
    line({ kind: 'class', name: 'inputPeerUser', id: 0xdde8a54c, type: 'InputPeer', arguments: [{ name: 'user_id', type: 'int53' }, { name: 'access_hash', type: 'long' }] }),
    'inputPeerUser#dde8a54c user_id:long access_hash:long = InputPeer;',
  );
  t.is(
    line(
      {
        kind: 'class', name: 'mt_future_salts', id: 0xae500895, type: 'FutureSalts',
        arguments: [
          { name: 'req_msg_id', type: 'long' },
          { name: 'now', type: 'int' },
          { name: 'salts', type: 'mt_future_salt', typeModifiers: { isBareVector: true, isBareType: true, constructorId: 0x0949d9dc } },
        ],
      },
      { stripPrefix: 'mt_' },
    ),
    'future_salts#ae500895 req_msg_id:long now:int salts:vector<future_salt> = FutureSalts;',
  );
  const ping = convertEntry({ kind: 'class', name: 'mt_ping', id: 0x7abe77ec, type: 'Pong', arguments: [{ name: 'ping_id', type: 'long' }] }, { stripPrefix: 'mt_', methods: MTPROTO_METHODS });
  t.is(ping.kind, 'method');
  t.is(
    line({
      kind: 'method', name: 'invokeAfterMsgs', id: 0x3dc4b4f0, type: 'X', generics: [{ name: 'X', type: 'Type' }],
      arguments: [{ name: 'msg_ids', type: 'long', typeModifiers: { isVector: true } }, { name: 'query', type: '!X' }],
    }),
    'invokeAfterMsgs#3dc4b4f0 {X:Type} msg_ids:Vector<long> query:!X = X;',
  );
  t.is(
    line({ kind: 'method', name: 'contacts.getContactIDs', id: 0x7adc669d, type: 'int', typeModifiers: { isVector: true }, arguments: [{ name: 'hash', type: 'long' }] }),
    'contacts.getContactIDs#7adc669d hash:long = Vector<int>;',
  );
  t.is(
    line({
      kind: 'class', name: 'x', id: 1, type: 'X',
      arguments: [{ name: 'flags', type: '#' }, { name: 'a', type: 'true', typeModifiers: { predicate: 'flags.0' } }, { name: 'b', type: 'Peer', typeModifiers: { predicate: 'flags.3', isVector: true } }],
    }),
    'x#00000001 flags:# a:flags.0?true b:flags.3?Vector<Peer> = X;',
  );
  t.throws(() => convertEntry({ kind: 'class', name: 'x', id: 1, type: 'X', arguments: [{ name: 'a', type: 'int', typeModifiers: { isWeird: true } as never }] }), { message: /unknown type modifier/ });
});

test('the read-back check catches a wrong id, a non-canonical line and a missing id', (t) => {
  const good = 'pong#347773c5 msg_id:long ping_id:long = Pong;\n';
  const errors: string[] = [];
  t.deepEqual(verifySchemaText(good, 'x.tl', errors), { constructors: 1, methods: 0 });
  t.deepEqual(errors, []);
  verifySchemaText('pong#347773c6 msg_id:long ping_id:long = Pong;\n', 'x.tl', errors);
  verifySchemaText('pong#347773c5  msg_id:long ping_id:long = Pong;\n', 'x.tl', errors);
  verifySchemaText('pong msg_id:long ping_id:long = Pong;\n', 'x.tl', errors);
  verifySchemaText('vector#1cb5c416 {t:Type} # [ t ] = Vector t;\n', 'x.tl', errors);
  verifySchemaText('pong#347773c5 msg_id:long = ;\n', 'x.tl', errors);
  t.is(errors.length, 5);
  t.regex(errors[0]!, /x\.tl:1: pong has id 347773c6, its line gives 347773c5/);
  t.regex(errors[1]!, /not in canonical form/);
  t.regex(errors[2]!, /has no explicit id/);
  t.regex(errors[3]!, /builtin vector/);
  t.regex(errors[4]!, /TlSchemaError: x\.tl:1:/);
});
