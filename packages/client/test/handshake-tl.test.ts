// The handshake writes its dozen constructors by hand (see handshake/wire.ts);
// this pins those layouts to the generated TL layer, both ways.
import test from 'ava';
import { deserializeObject, serializeObject, type tl } from '@telegram-mt/tl';
import * as m from '../src/mtproto/handshake/messages.js';
import { seeded } from './handshake-helpers.js';

const r = seeded('tl');
const nonce = r(16);
const serverNonce = r(16);
const newNonce = r(32);

function same(t: { deepEqual: (a: unknown, b: unknown, msg?: string) => void }, ours: Uint8Array, obj: object, name: string) {
  t.deepEqual(Buffer.from(ours).toString('hex'), Buffer.from(serializeObject(obj as tl.TlAny)).toString('hex'), name);
}

test('client → server messages match the generated layer', (t) => {
  same(t, m.writeReqPqMulti(nonce), { _: 'req_pq_multi', nonce }, 'req_pq_multi');
  const inner = { pq: r(8), p: r(4), q: r(4), nonce, serverNonce, newNonce };
  same(t, m.writePQInnerData({ _: 'p_q_inner_data_dc', ...inner, dc: -10002 }), { _: 'p_q_inner_data_dc', ...inner, dc: -10002 }, 'p_q_inner_data_dc');
  same(
    t,
    m.writePQInnerData({ _: 'p_q_inner_data_temp_dc', ...inner, dc: 2, expiresIn: 86400 }),
    { _: 'p_q_inner_data_temp_dc', ...inner, dc: 2, expiresIn: 86400 },
    'p_q_inner_data_temp_dc',
  );
  same(t, m.writePQInnerData({ _: 'p_q_inner_data', ...inner }), { _: 'p_q_inner_data', ...inner }, 'p_q_inner_data');
  const req = { nonce, serverNonce, p: r(4), q: r(4), publicKeyFingerprint: -3414540481677951611n, encryptedData: r(256) };
  same(t, m.writeReqDHParams(req), { _: 'req_DH_params', ...req }, 'req_DH_params');
  const cdh = { nonce, serverNonce, retryId: -5n, gB: r(256) };
  same(t, m.writeClientDHInnerData(cdh), { _: 'client_DH_inner_data', ...cdh }, 'client_DH_inner_data');
  const set = { nonce, serverNonce, encryptedData: r(336) };
  same(t, m.writeSetClientDHParams(set), { _: 'set_client_DH_params', ...set }, 'set_client_DH_params');
});

test('server → client messages match the generated layer', (t) => {
  const res = { nonce, serverNonce, pq: r(8), serverPublicKeyFingerprints: [1n, -2n, 0x7fffffffffffffffn] };
  same(t, m.writeResPQ(res), { _: 'resPQ', ...res }, 'resPQ');
  t.deepEqual(m.readResPQ(serializeObject({ _: 'resPQ', ...res } as tl.TlAny)), { _: 'resPQ', ...res });

  const ok = { nonce, serverNonce, encryptedAnswer: r(592) };
  same(t, m.writeServerDHParams({ _: 'server_DH_params_ok', ...ok }), { _: 'server_DH_params_ok', ...ok }, 'server_DH_params_ok');
  const fail = { nonce, serverNonce, newNonceHash: r(16) };
  same(t, m.writeServerDHParams({ _: 'server_DH_params_fail', ...fail }), { _: 'server_DH_params_fail', ...fail }, 'server_DH_params_fail');

  const inner = { nonce, serverNonce, g: 3, dhPrime: r(256), gA: r(256), serverTime: 1_760_000_000 };
  same(t, m.writeServerDHInnerData(inner), { _: 'server_DH_inner_data', ...inner }, 'server_DH_inner_data');
  t.deepEqual(m.readServerDHInnerData(serializeObject({ _: 'server_DH_inner_data', ...inner } as tl.TlAny)).value, {
    _: 'server_DH_inner_data',
    ...inner,
  });

  for (const [name, field] of [
    ['dh_gen_ok', 'newNonceHash1'],
    ['dh_gen_retry', 'newNonceHash2'],
    ['dh_gen_fail', 'newNonceHash3'],
  ] as const) {
    const h = r(16);
    same(t, m.writeSetClientDHParamsAnswer({ _: name, nonce, serverNonce, newNonceHash: h }), { _: name, nonce, serverNonce, [field]: h }, name);
  }
});

test('the generated layer reads what the handshake writes', (t) => {
  const req = { nonce, serverNonce, p: r(4), q: r(4), publicKeyFingerprint: 42n, encryptedData: r(256) };
  const obj = deserializeObject(m.writeReqDHParams(req)) as unknown as Record<string, unknown>;
  t.is(obj._, 'req_DH_params');
  t.is(obj.publicKeyFingerprint, 42n);
  t.deepEqual(new Uint8Array(obj.encryptedData as Uint8Array), req.encryptedData);
});
