// invokeAfterMsg / invokeAfterMsgs: a call runs once the calls it names are
// answered, and fails with MSG_WAIT_FAILED when one of them failed.
import test from 'ava';
import type { tl } from '@telegram-mt/tl';
import { RpcError } from '../src/rpc/rpc-error.js';
import { exchange, handshake, MemoryLink, memoryDc, newSession } from './helpers/memory.js';

type Events = Awaited<ReturnType<typeof exchange>>;
const answered = (id: number) => (events: Events) => events.some((e) => (e.type === 'result' || e.type === 'error') && e.requestId === id);
function outcome(events: Events, id: number): { result?: unknown; error?: { message?: string } } {
  for (const e of events) {
    if (e.type === 'result' && e.requestId === id) return { result: e.result };
    if (e.type === 'error' && e.requestId === id) return { error: e.error as { message?: string } };
  }
  throw new Error(`no answer to request ${id}`);
}

function setup() {
  const dc = memoryDc();
  const link = new MemoryLink();
  const conn = dc.accept(link);
  const session = newSession(handshake(dc, conn, link));
  const calls = () => dc.callsOf(dc.sessions.ofKey(session.core.authKeyId)[0]!);
  return { dc, link, conn, session, calls };
}

const near = { _: 'help.getNearestDc' } as tl.TlMethod;

test('after a call that failed: MSG_WAIT_FAILED, and the call does not run', async (t) => {
  const s = setup();
  s.dc.registry.register('help.getSupport', () => new RpcError(400, 'NOPE'));
  const failing = s.session.invoke({ _: 'help.getSupport' } as tl.TlMethod);
  await exchange(s.session, s.conn, s.link, answered(failing));
  const failedId = s.calls().finishedIds.at(-1)!;
  const runsBefore = s.dc.stats.executions.get('help.getNearestDc') ?? 0;
  const after = s.session.invoke({ _: 'invokeAfterMsg', msgId: failedId, query: near } as tl.TlMethod);
  const o = outcome(await exchange(s.session, s.conn, s.link, answered(after)), after);
  t.regex(String(o.error?.message ?? o.error), /MSG_WAIT_FAILED/);
  t.is(s.dc.stats.executions.get('help.getNearestDc') ?? 0, runsBefore);
});

test('after calls that succeeded (and one never seen): the call runs', async (t) => {
  const s = setup();
  const ids: bigint[] = [];
  for (let i = 0; i < 12; i++) {
    const r = s.session.invoke(near);
    await exchange(s.session, s.conn, s.link, answered(r));
    ids.push(s.calls().finishedIds.at(-1)!);
  }
  const one = s.session.invoke({ _: 'invokeAfterMsg', msgId: ids[0]!, query: near } as tl.TlMethod);
  t.like(outcome(await exchange(s.session, s.conn, s.link, answered(one)), one).result, { _: 'nearestDc' });
  const many = s.session.invoke({ _: 'invokeAfterMsgs', msgIds: [...ids, 4n], query: near } as tl.TlMethod);
  t.like(outcome(await exchange(s.session, s.conn, s.link, answered(many)), many).result, { _: 'nearestDc' });
});

test('after a call still running: answered only once that call is', async (t) => {
  const s = setup();
  let release!: () => void;
  s.dc.registry.register('help.getSupportName', () => new Promise((r) => (release = () => r({ _: 'help.supportName', name: 'late' }))));
  const slow = s.session.invoke({ _: 'help.getSupportName' } as tl.TlMethod);
  for (const p of s.session.flush(true)) s.conn.onPacket(p);
  await new Promise((r) => setImmediate(r));
  const [runningId] = [...s.calls().running.keys()];
  t.truthy(runningId);
  const after = s.session.invoke({ _: 'invokeAfterMsg', msgId: runningId!, query: near } as tl.TlMethod);
  const early = await exchange(s.session, s.conn, s.link, () => true, 1);
  t.false(answered(after)(early), 'not before the call it waits for');
  release();
  const events = await exchange(s.session, s.conn, s.link, (e) => answered(after)(e) && answered(slow)(e));
  t.like(outcome(events, after).result, { _: 'nearestDc' });
  t.like(outcome(events, slow).result, { _: 'help.supportName', name: 'late' });
});
