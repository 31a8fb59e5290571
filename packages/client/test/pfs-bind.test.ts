// auth.bindTempAuthKey, both ends, sans-IO: the client's request verified by
// the server's checks, and each check failing on its own.
import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { authKeyIdOf } from '../src/mtproto/session/cipher.js';
import { writeLong, writeU32 } from '../src/mtproto/session/wire.js';
import {
  acceptBindTempAuthKey,
  checkCallOnKey,
  isTempKeyExpired,
  aesKeyIvV1,
  createBindTempAuthKeyRequest,
  decodeBindAuthKeyInner,
  encodeBindAuthKeyInner,
  ENCRYPTED_BIND_MESSAGE_SIZE,
  openBindMessage,
  sealBindPlaintext,
  TempKeyBinder,
  TempKeyBindings,
  verifyBindTempAuthKey,
  type BindCheckContext,
  type BindKeyInfo,
  type BindRefusal,
} from '../src/mtproto/pfs/index.js';
import { bytesOf, seededRandom } from './support/fixtures.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const NOW = 1_764_000_000;
const PERM = bytesOf(11, 256);
const PERM_ID = authKeyIdOf(PERM);
const TEMP = bytesOf(22, 256);
const TEMP_ID = authKeyIdOf(TEMP);
const OTHER_PERM = bytesOf(33, 256);
const OTHER_PERM_ID = authKeyIdOf(OTHER_PERM);
const TEMP_SESSION = 0x0123456789abcdefn;
const MSG_ID = (BigInt(NOW) << 32n) | 0x1000n;
const EXPIRES_AT = NOW + 86400;

function world() {
  const keys = new Map<bigint, BindKeyInfo>([
    [PERM_ID, { authKey: PERM, temp: false }],
    [OTHER_PERM_ID, { authKey: OTHER_PERM, temp: false }],
    [TEMP_ID, { authKey: TEMP, temp: true, expiresAt: EXPIRES_AT }],
  ]);
  const bindings = new TempKeyBindings();
  const ctx: BindCheckContext = {
    authKeyId: TEMP_ID,
    sessionId: TEMP_SESSION,
    msgId: MSG_ID,
    now: NOW,
    keys: (id) => keys.get(id),
    bindings,
  };
  return { keys, bindings, ctx };
}

function request(over: Partial<{ permAuthKey: Uint8Array; tempAuthKeyId: bigint; tempSessionId: bigint; expiresAt: number; msgId: bigint }> = {}) {
  return createBindTempAuthKeyRequest({
    permAuthKey: PERM,
    tempAuthKeyId: TEMP_ID,
    tempSessionId: TEMP_SESSION,
    expiresAt: EXPIRES_AT,
    msgId: MSG_ID,
    nonce: 0x5555_6666_7777_8888n,
    random: seededRandom(7),
    ...over,
  });
}

test('MTProto 1.0 key derivation matches an independent implementation (x = 0 and 8)', (t) => {
  // Vector computed with mtcute's createAesIgeForMessageOld for the same inputs.
  const authKey = new Uint8Array(256).map((_, i) => (i * 7 + 3) & 255);
  const msgKey = new Uint8Array(16).map((_, i) => (i * 13 + 1) & 255);
  const a = aesKeyIvV1(authKey, msgKey, 0);
  t.is(hex(a.key), 'bb87c713107fa1b074c28e9990772ad1457c333f4c45b16129c3a39a36af9007');
  t.is(hex(a.iv), '629333793a29f489683e2cc4e425995b6287e1d998264e00afd220ba17813bfb');
  const b = aesKeyIvV1(authKey, msgKey, 8);
  t.is(hex(b.key), 'e775caf337c8edde048bfda54de29508cad71f90e522d12272ea4535f46d4f41');
  t.is(hex(b.iv), '1111f4b61e61301844c101acd9297870290bb8b5b623f456ae68f188c6e9f91a');
});

test('bind_auth_key_inner is 40 bytes with constructor 0x75a3f765 and round-trips', (t) => {
  const inner = { nonce: -5n, tempAuthKeyId: TEMP_ID, permAuthKeyId: PERM_ID, tempSessionId: TEMP_SESSION, expiresAt: EXPIRES_AT };
  const b = encodeBindAuthKeyInner(inner);
  t.is(b.length, 40);
  t.is(hex(b.subarray(0, 4)), '65f7a375');
  t.deepEqual(decodeBindAuthKeyInner(b), inner);
  b[0] ^= 1;
  t.is(decodeBindAuthKeyInner(b), undefined);
});

test('the request carries perm_auth_key_id, nonce, expires_at and a 104-byte encrypted_message that opens with the permanent key', (t) => {
  const req = request();
  t.is(req._, 'auth.bindTempAuthKey');
  t.is(req.permAuthKeyId, PERM_ID);
  t.is(req.nonce, 0x5555_6666_7777_8888n);
  t.is(req.expiresAt, EXPIRES_AT);
  t.is(req.encryptedMessage.length, ENCRYPTED_BIND_MESSAGE_SIZE);
  t.is(Buffer.from(req.encryptedMessage).readBigInt64LE(0), PERM_ID);
  const opened = openBindMessage(PERM, req.encryptedMessage);
  if (typeof opened === 'string') return t.fail(opened);
  t.is(opened.msgId, MSG_ID);
  t.is(opened.seqNo, 0);
  t.deepEqual(opened.inner, {
    nonce: req.nonce,
    tempAuthKeyId: TEMP_ID,
    permAuthKeyId: PERM_ID,
    tempSessionId: TEMP_SESSION,
    expiresAt: EXPIRES_AT,
  });
  // The wrong permanent key does not open it.
  t.is(openBindMessage(OTHER_PERM, req.encryptedMessage), 'msg-key');
});

test('client builds, server verifies, the binding is recorded', (t) => {
  const { ctx, bindings } = world();
  const verdict = acceptBindTempAuthKey(request(), ctx);
  t.true(verdict.ok);
  if (!verdict.ok) return;
  t.deepEqual(verdict.binding, {
    tempAuthKeyId: TEMP_ID,
    permAuthKeyId: PERM_ID,
    expiresAt: EXPIRES_AT,
    tempSessionId: TEMP_SESSION,
    nonce: 0x5555_6666_7777_8888n,
  });
  t.is(verdict.replaced, undefined);
  t.is(bindings.ofTemp(TEMP_ID, NOW)?.permAuthKeyId, PERM_ID);
  t.is(bindings.ofPerm(PERM_ID, NOW)?.tempAuthKeyId, TEMP_ID);
  // Sent again (a resend in the same session): still accepted, still one binding.
  t.true(acceptBindTempAuthKey(request(), ctx).ok);
  t.is(bindings.size, 1);
});

test('a binder makes a fresh encrypted_message per msg_id, each valid only for its own msg_id', (t) => {
  const { ctx } = world();
  const binder = new TempKeyBinder({ permAuthKey: PERM, tempAuthKeyId: TEMP_ID, tempSessionId: TEMP_SESSION, expiresAt: EXPIRES_AT });
  const first = binder.requestFor(MSG_ID);
  const second = binder.requestFor(MSG_ID + 4n);
  t.is(first.nonce, second.nonce);
  t.notDeepEqual(first.encryptedMessage, second.encryptedMessage);
  t.true(verifyBindTempAuthKey(second, { ...ctx, msgId: MSG_ID + 4n }).ok);
  t.like(verifyBindTempAuthKey(first, { ...ctx, msgId: MSG_ID + 4n }), { ok: false, refusal: 'msg-id' });
  t.throws(() => binder.requestFor(MSG_ID + 1n), { instanceOf: RangeError });
});

/** One broken rule per case: the rpc_error text and the check that caught it. */
const cases: [string, (w: ReturnType<typeof world>) => { req: tl.auth.bindTempAuthKey; ctx?: Partial<BindCheckContext> }, string, BindRefusal][] = [
  ['sent on the permanent key', () => ({ req: request(), ctx: { authKeyId: PERM_ID } }), 'TEMP_AUTH_KEY_EMPTY', 'not-temp-key'],
  ['sent on an unknown key', () => ({ req: request(), ctx: { authKeyId: 42n } }), 'TEMP_AUTH_KEY_EMPTY', 'not-temp-key'],
  ['sent on an expired temp key', () => ({ req: request(), ctx: { now: EXPIRES_AT } }), 'TEMP_AUTH_KEY_EMPTY', 'temp-key-expired'],
  ['encrypted_message too short', () => ({ req: { ...request(), encryptedMessage: new Uint8Array(7) } }), 'ENCRYPTED_MESSAGE_INVALID', 'malformed'],
  [
    'encrypted_message cut to a non-block length',
    () => ({ req: { ...request(), encryptedMessage: request().encryptedMessage.subarray(0, 100) } }),
    'ENCRYPTED_MESSAGE_INVALID',
    'malformed',
  ],
  [
    'encrypted_message far too long',
    () => {
      const big = new Uint8Array(24 + 16 * 64);
      big.set(request().encryptedMessage.subarray(0, 8));
      return { req: { ...request(), encryptedMessage: big } };
    },
    'ENCRYPTED_MESSAGE_INVALID',
    'malformed',
  ],
  ['perm_auth_key_id differs from the key encrypted_message names', () => ({ req: { ...request(), permAuthKeyId: OTHER_PERM_ID } }), 'ENCRYPTED_MESSAGE_INVALID', 'perm-key-id-mismatch'],
  [
    'the permanent key is unknown',
    (w) => {
      w.keys.delete(PERM_ID);
      return { req: request() };
    },
    'ENCRYPTED_MESSAGE_INVALID',
    'perm-key-unknown',
  ],
  [
    'the "permanent" key is a temp key',
    (w) => {
      w.keys.set(PERM_ID, { authKey: PERM, temp: true, expiresAt: EXPIRES_AT });
      return { req: request() };
    },
    'ENCRYPTED_MESSAGE_INVALID',
    'perm-key-not-permanent',
  ],
  [
    'a ciphertext bit flipped',
    () => {
      const req = request();
      const enc = req.encryptedMessage.slice();
      enc[60] ^= 0x10;
      return { req: { ...req, encryptedMessage: enc } };
    },
    'ENCRYPTED_MESSAGE_INVALID',
    'msg-key',
  ],
  [
    'msg_key flipped',
    () => {
      const req = request();
      const enc = req.encryptedMessage.slice();
      enc[8] ^= 1;
      return { req: { ...req, encryptedMessage: enc } };
    },
    'ENCRYPTED_MESSAGE_INVALID',
    'msg-key',
  ],
  ['sealed with another permanent key', () => ({ req: { ...request(), encryptedMessage: reseal(OTHER_PERM, PERM_ID, {}) } }), 'ENCRYPTED_MESSAGE_INVALID', 'msg-key'],
  ['msg_len is not 40', () => ({ req: { ...request(), encryptedMessage: reseal(PERM, PERM_ID, { msgLen: 44 }) } }), 'ENCRYPTED_MESSAGE_INVALID', 'msg-len'],
  ['seqno is not 0', () => ({ req: { ...request(), encryptedMessage: reseal(PERM, PERM_ID, { seqNo: 1 }) } }), 'ENCRYPTED_MESSAGE_INVALID', 'seq-no'],
  ['the inner constructor is another', () => ({ req: { ...request(), encryptedMessage: reseal(PERM, PERM_ID, { constructorId: 0x12345678 }) } }), 'ENCRYPTED_MESSAGE_INVALID', 'constructor'],
  ['the inner msg_id is not the outer one', () => ({ req: request(), ctx: { msgId: MSG_ID + 4n } }), 'ENCRYPTED_MESSAGE_INVALID', 'msg-id'],
  [
    'inner perm_auth_key_id differs',
    () => ({ req: { ...request(), encryptedMessage: reseal(PERM, PERM_ID, { innerPerm: OTHER_PERM_ID }) } }),
    'ENCRYPTED_MESSAGE_INVALID',
    'inner-perm-key-id',
  ],
  ['the outer nonce differs', () => ({ req: { ...request(), nonce: 1n } }), 'ENCRYPTED_MESSAGE_INVALID', 'nonce'],
  ['the outer expires_at differs', () => ({ req: { ...request(), expiresAt: EXPIRES_AT - 1 } }), 'ENCRYPTED_MESSAGE_INVALID', 'expires-at-mismatch'],
  ['temp_auth_key_id is not the key the request came on', () => ({ req: request({ tempAuthKeyId: TEMP_ID + 1n }) }), 'ENCRYPTED_MESSAGE_INVALID', 'temp-key-id'],
  ['temp_session_id is not the session that carried it', () => ({ req: request(), ctx: { sessionId: TEMP_SESSION + 1n } }), 'ENCRYPTED_MESSAGE_INVALID', 'temp-session-id'],
  ['expires_at in the past', () => ({ req: request({ expiresAt: NOW - 1 }) }), 'EXPIRES_AT_INVALID', 'expires-at-past'],
  ['expires_at now', () => ({ req: request({ expiresAt: NOW }) }), 'EXPIRES_AT_INVALID', 'expires-at-past'],
  ['expires_at beyond the temp key’s own expiry', () => ({ req: request({ expiresAt: EXPIRES_AT + 1 }) }), 'EXPIRES_AT_INVALID', 'expires-at-too-far'],
  [
    'expires_at beyond the allowed lifetime of a key without expiry',
    (w) => {
      w.keys.set(TEMP_ID, { authKey: TEMP, temp: true });
      return { req: request({ expiresAt: NOW + 8 * 86400 }) };
    },
    'EXPIRES_AT_INVALID',
    'expires-at-too-far',
  ],
  [
    'the temp key is already bound to another permanent key',
    (w) => {
      w.bindings.bind({ tempAuthKeyId: TEMP_ID, permAuthKeyId: OTHER_PERM_ID, expiresAt: EXPIRES_AT, tempSessionId: 1n, nonce: 1n });
      return { req: request() };
    },
    'TEMP_AUTH_KEY_ALREADY_BOUND',
    'already-bound',
  ],
];

for (const [name, make, text, refusal] of cases) {
  test(`refused: ${name} → 400 ${text}`, (t) => {
    const w = world();
    const { req, ctx } = make(w);
    const before = w.bindings.size;
    const verdict = acceptBindTempAuthKey(req, { ...w.ctx, ...ctx });
    t.deepEqual(verdict, { ok: false, code: 400, text, refusal });
    t.is(w.bindings.size, before, 'a refused request binds nothing');
  });
}

/** A binding plaintext with one field changed, sealed correctly (so only that field is wrong). */
function reseal(
  key: Uint8Array,
  keyId: bigint,
  o: { msgLen?: number; seqNo?: number; constructorId?: number; innerPerm?: bigint },
): Uint8Array {
  const plain = new Uint8Array(80);
  seededRandom(9)(plain.subarray(0, 16));
  writeLong(plain, 16, MSG_ID);
  writeU32(plain, 24, o.seqNo ?? 0);
  writeU32(plain, 28, o.msgLen ?? 40);
  encodeBindAuthKeyInner(
    { nonce: 0x5555_6666_7777_8888n, tempAuthKeyId: TEMP_ID, permAuthKeyId: o.innerPerm ?? PERM_ID, tempSessionId: TEMP_SESSION, expiresAt: EXPIRES_AT },
    plain,
    32,
  );
  if (o.constructorId !== undefined) writeU32(plain, 32, o.constructorId);
  return sealBindPlaintext(key, keyId, plain);
}

test('a permanent key is bound to one temp key at a time: a new binding replaces the old', (t) => {
  const { ctx, keys, bindings } = world();
  t.true(acceptBindTempAuthKey(request(), ctx).ok);
  const TEMP2 = bytesOf(44, 256);
  const TEMP2_ID = authKeyIdOf(TEMP2);
  keys.set(TEMP2_ID, { authKey: TEMP2, temp: true, expiresAt: EXPIRES_AT });
  const verdict = acceptBindTempAuthKey(request({ tempAuthKeyId: TEMP2_ID }), { ...ctx, authKeyId: TEMP2_ID });
  t.like(verdict, { ok: true, replaced: TEMP_ID });
  t.is(bindings.ofPerm(PERM_ID, NOW)?.tempAuthKeyId, TEMP2_ID);
  t.is(bindings.ofTemp(TEMP_ID, NOW), undefined);
  t.is(bindings.size, 1);
});

test('bindings expire with their key and the table stays bounded', (t) => {
  const b = new TempKeyBindings(3);
  for (let i = 1n; i <= 5n; i++) b.bind({ tempAuthKeyId: i, permAuthKeyId: 100n + i, expiresAt: NOW + Number(i), tempSessionId: 0n, nonce: 0n });
  t.is(b.size, 3);
  t.is(b.ofTemp(1n, NOW), undefined);
  t.is(b.ofTemp(3n, NOW)?.permAuthKeyId, 103n);
  t.is(b.ofTemp(3n, NOW + 3), undefined, 'gone at its expires_at');
  t.is(b.sweep(NOW + 10), 2);
  t.is(b.size, 0);
  t.throws(() => new TempKeyBindings(0), { instanceOf: RangeError });
});

test('garbage encrypted_message of every length never throws', (t) => {
  const { ctx } = world();
  const rnd = seededRandom(1234);
  for (let n = 0; n < 400; n += 3) {
    const enc = new Uint8Array(n);
    rnd(enc);
    if (n >= 8) writeLong(enc, 0, PERM_ID);
    const verdict = verifyBindTempAuthKey({ ...request(), encryptedMessage: enc }, ctx);
    t.false(verdict.ok);
  }
});

test('key gate: expired temp keys are gone; unbound temp keys serve only the binding', (t) => {
  const { ctx, bindings } = world();
  const temp: BindKeyInfo = { authKey: TEMP, temp: true, expiresAt: EXPIRES_AT };
  const perm: BindKeyInfo = { authKey: PERM, temp: false };
  t.false(isTempKeyExpired(temp, NOW));
  t.true(isTempKeyExpired(temp, EXPIRES_AT));
  t.false(isTempKeyExpired(perm, EXPIRES_AT * 2));
  t.deepEqual(checkCallOnKey('help.getNearestDc', TEMP_ID, temp, bindings, NOW), { ok: false, code: 401, text: 'AUTH_KEY_PERM_EMPTY' });
  t.deepEqual(checkCallOnKey('auth.bindTempAuthKey', TEMP_ID, temp, bindings, NOW), { ok: true });
  t.deepEqual(checkCallOnKey('help.getConfig', TEMP_ID, temp, bindings, NOW, new Set(['help.getConfig'])), { ok: true });
  t.deepEqual(checkCallOnKey('help.getNearestDc', PERM_ID, perm, bindings, NOW), { ok: true });
  t.true(acceptBindTempAuthKey(request(), ctx).ok);
  t.deepEqual(checkCallOnKey('help.getNearestDc', TEMP_ID, temp, bindings, NOW), { ok: true });
  t.deepEqual(checkCallOnKey('help.getNearestDc', TEMP_ID, temp, bindings, EXPIRES_AT), { ok: false, code: 401, text: 'AUTH_KEY_PERM_EMPTY' }, 'the binding ends with the key');
});
