// The session's hook for auth.bindTempAuthKey (core.telegram.org/api/pfs):
// the request is built for the msg_id it goes out with, and built again for
// each resend, so the server's checks pass every time.
import test from 'ava';
import { deserializeObject, serializeObject, type tl } from '@telegram-mt/tl';
import { authKeyIdOf } from '../src/mtproto/session/cipher.js';
import { badServerSalt } from '../src/mtproto/session/service-messages.js';
import { TempKeyBinder } from '../src/mtproto/pfs/bind-client.js';
import { verifyBindTempAuthKey } from '../src/mtproto/pfs/bind-server.js';
import { TempKeyBindings } from '../src/mtproto/pfs/bindings.js';
import type { ServerSessionEvent } from '../src/mtproto/session/server/session.js';
import { AUTH_KEY, bytesOf, makePair, type Pair } from './support/session-pair.js';

const PERM = bytesOf(77, 256);

function binds(p: Pair): { msgId: bigint; request: tl.auth.bindTempAuthKey }[] {
  return p.client
    .flush()
    .flatMap((packet) => p.server.receive(packet))
    .flatMap((e: ServerSessionEvent) => (e.type === 'request' ? [{ msgId: e.msgId, request: deserializeObject(e.body) as tl.auth.bindTempAuthKey }] : []))
    .filter((r) => r.request._ === 'auth.bindTempAuthKey');
}

function verify(p: Pair, msgId: bigint, request: tl.auth.bindTempAuthKey, expiresAt: number) {
  return verifyBindTempAuthKey(request, {
    authKeyId: authKeyIdOf(AUTH_KEY),
    sessionId: p.client.sessionId,
    msgId,
    now: Math.floor(p.clock.now() / 1000),
    keys: (id) =>
      id === authKeyIdOf(AUTH_KEY) ? { authKey: AUTH_KEY, temp: true, expiresAt } : id === authKeyIdOf(PERM) ? { authKey: PERM, temp: false } : undefined,
    bindings: new TempKeyBindings(),
  });
}

test('sendBuilt: auth.bindTempAuthKey made for its msg_id, alone or in a container, and again after bad_server_salt', (t) => {
  const p = makePair(); // the pair's key plays the temporary key
  const expiresAt = Math.floor(p.clock.now() / 1000) + 3600;
  const binder = new TempKeyBinder({ permAuthKey: PERM, tempAuthKeyId: authKeyIdOf(AUTH_KEY), tempSessionId: p.client.sessionId, expiresAt });
  const id = p.client.sendBuilt('auth.bindTempAuthKey', (msgId) => serializeObject(binder.requestFor(msgId) as tl.TlAny));
  p.client.invoke({ _: 'help.getNearestDc' }); // the two go out in one container
  const [first] = binds(p);
  t.truthy(first);
  t.like(verify(p, first!.msgId, first!.request, expiresAt), { ok: true });
  // The same request under another msg_id is refused: the hook is what makes resends valid.
  t.like(verify(p, first!.msgId + 4n, first!.request, expiresAt), { ok: false, refusal: 'msg-id' });
  // bad_server_salt: resent with a new msg_id, built for it.
  p.server.sendMessage(badServerSalt(first!.msgId, 1, 0x5a17n), { response: true, contentRelated: false });
  p.server.core.serverSalt = 0x5a17n;
  for (const pk of p.server.flush()) p.client.receive(pk);
  const [again] = binds(p);
  t.truthy(again);
  t.not(again!.msgId, first!.msgId);
  t.like(verify(p, again!.msgId, again!.request, expiresAt), { ok: true });
  t.is(p.client.pending, 2);
  t.true(id > 0);
});
