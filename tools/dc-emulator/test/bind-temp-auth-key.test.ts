// auth.bindTempAuthKey on an emulator DC, in memory: our client's temp-key
// handshake, then the binding request as the first message of a session on
// the temp key, checked by the handler over the real wire format.
import test from 'ava';
import { RpcError as ClientRpcError } from '@telegram-mt/client';
import type { tl } from '@telegram-mt/tl';
import { acceptBindTempAuthKey } from '../src/pfs.js';
import { bindTempAuthKeyHandler } from '../src/rpc/bind-temp-auth-key.js';
import { exchange, handshake, MemoryLink, memoryDc, newSession } from './helpers/memory.js';
import { binderFor, queueBind } from './helpers/pfs.js';

function setup() {
  const dc = memoryDc();
  // The DC's own table: the call gate before dispatch reads it too.
  const bindings = dc.tempKeyBindings;
  const refusals: string[] = [];
  dc.registry.register(
    'auth.bindTempAuthKey',
    bindTempAuthKeyHandler({
      accept: acceptBindTempAuthKey,
      keysOf: () => (id) => dc.authKeys.get(id),
      bindingsOf: () => bindings,
      onRefused: (_dc, _text, refusal) => refusals.push(refusal),
    }),
  );
  const link = new MemoryLink();
  const conn = dc.accept(link);
  const perm = handshake(dc, conn, link);
  const temp = handshake(dc, conn, link, { expiresIn: 3600 });
  return { dc, link, conn, perm, temp, bindings, refusals };
}

const answered = (id: number) => (events: Awaited<ReturnType<typeof exchange>>) =>
  events.some((e) => (e.type === 'result' || e.type === 'error') && e.requestId === id);

function answerOf(events: Awaited<ReturnType<typeof exchange>>, id: number): { result?: unknown; error?: Error } {
  for (const e of events) {
    if (e.type === 'result' && e.requestId === id) return { result: e.result };
    if (e.type === 'error' && e.requestId === id) return { error: e.error };
  }
  throw new Error(`no answer to ${id}`);
}

test('a temp key bound as the first request of its session: true, the DC records the binding, calls go on', async (t) => {
  const { dc, link, conn, perm, temp, bindings } = setup();
  t.true(dc.authKeys.get(temp.authKeyId)!.temp);
  t.is(typeof temp.expiresAt, 'number');
  const session = newSession(temp);
  const id = queueBind(session, binderFor(perm, temp, session), conn);
  const events = await exchange(session, conn, link, answered(id));
  t.deepEqual(answerOf(events, id), { result: true });
  const nowSec = Math.floor(Date.now() / 1000);
  t.like(bindings.ofTemp(temp.authKeyId, nowSec), {
    permAuthKeyId: perm.authKeyId,
    tempSessionId: session.sessionId,
    expiresAt: temp.expiresAt,
  });
  const near = session.invoke({ _: 'help.getNearestDc' } as tl.TlMethod);
  const more = await exchange(session, conn, link, answered(near));
  t.like(answerOf(more, near).result, { _: 'nearestDc', thisDc: dc.id });
});

test('a binding message made for another msg_id is refused with ENCRYPTED_MESSAGE_INVALID and binds nothing', async (t) => {
  const { link, conn, perm, temp, bindings, refusals } = setup();
  const session = newSession(temp);
  const id = queueBind(session, binderFor(perm, temp, session), conn, 4n);
  const events = await exchange(session, conn, link, answered(id));
  const { error } = answerOf(events, id);
  t.true(error instanceof ClientRpcError);
  t.like(error, { code: 400, text: 'ENCRYPTED_MESSAGE_INVALID' });
  t.deepEqual(refusals, ['msg-id']);
  t.is(bindings.size, 0);
});

test('a binding made for another session is refused', async (t) => {
  const { link, conn, perm, temp, bindings, refusals } = setup();
  const session = newSession(temp);
  const other = newSession(temp);
  const id = queueBind(session, binderFor(perm, temp, other), conn);
  const events = await exchange(session, conn, link, answered(id));
  t.like(answerOf(events, id).error, { code: 400, text: 'ENCRYPTED_MESSAGE_INVALID' });
  t.deepEqual(refusals, ['temp-session-id']);
  t.is(bindings.size, 0);
});

test('sent on the permanent key: TEMP_AUTH_KEY_EMPTY', async (t) => {
  const { link, conn, perm, temp, refusals } = setup();
  const session = newSession(perm);
  const id = queueBind(session, binderFor(perm, temp, session), conn);
  const events = await exchange(session, conn, link, answered(id));
  t.like(answerOf(events, id).error, { code: 400, text: 'TEMP_AUTH_KEY_EMPTY' });
  t.deepEqual(refusals, ['not-temp-key']);
});

test('a temp key bound to one permanent key cannot be bound to another', async (t) => {
  const { dc, link, conn, perm, temp, refusals } = setup();
  const session = newSession(temp);
  const first = queueBind(session, binderFor(perm, temp, session), conn);
  t.deepEqual(answerOf(await exchange(session, conn, link, answered(first)), first), { result: true });
  const perm2 = handshake(dc, conn, link);
  const again = queueBind(session, binderFor(perm2, temp, session), conn);
  const events = await exchange(session, conn, link, answered(again));
  t.like(answerOf(events, again).error, { code: 400, text: 'TEMP_AUTH_KEY_ALREADY_BOUND' });
  t.deepEqual(refusals, ['already-bound']);
});
