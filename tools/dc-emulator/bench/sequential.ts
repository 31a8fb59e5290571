// One call at a time, as the cross-client benchmark's sequential row makes
// them: the server side's CPU per call, the emulator's (DcConnection: the
// session, the call book, dispatch, the handler, the answer, its flush)
// against the server session core alone answering with fixed bytes. The
// client's work is outside both clocks.
import { ServerSession } from '@telegram-mt/client/mtproto';
import { serializeObject, serializeResult, type tl } from '@telegram-mt/tl';
import { handshake, MemoryLink, memoryDc, newSession } from '../test/helpers/memory.js';

const request = serializeObject({ _: 'help.getNearestDc' } as tl.TlAny);

/** Whether `packets` answer the session's help.getNearestDc. */
function answers(session: ReturnType<typeof newSession>, packets: Uint8Array[]): boolean {
  let answered = false;
  for (const p of packets) for (const e of session.receive(p)) if (e.type === 'result') answered = true;
  return answered;
}

/** µs of server work per call through the emulator (`calls` one at a time, best of `rounds`). */
export async function emulatorPerCall(calls: number, rounds: number): Promise<number> {
  const dc = memoryDc();
  const link = new MemoryLink();
  const conn = dc.accept(link);
  const session = newSession(handshake(dc, conn, link));
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    let server = 0;
    for (let i = 0; i < calls; i++) {
      session.send('help.getNearestDc', request);
      const packets = session.flush(true);
      const t0 = performance.now();
      for (const p of packets) conn.onPacket(p);
      // The answer is flushed in a microtask once the packet is handled.
      await null;
      while (link.sent.length === 0) await new Promise((r) => setImmediate(r));
      server += performance.now() - t0;
      if (!answers(session, link.take())) throw new Error('the emulator did not answer');
    }
    best = Math.min(best, (server * 1000) / calls);
  }
  conn.close();
  return best;
}

/** The same with the server session core alone: receive, a fixed answer, flush. */
export function coresPerCall(calls: number, rounds: number): number {
  const dc = memoryDc();
  const link = new MemoryLink();
  const key = handshake(dc, dc.accept(link), link);
  const client = newSession(key);
  const server = new ServerSession({ authKey: key.authKey, serverSalt: key.serverSalt });
  const answer = serializeResult('help.getNearestDc', { _: 'nearestDc', country: 'NL', thisDc: 2, nearestDc: 2 });
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    let spent = 0;
    for (let i = 0; i < calls; i++) {
      client.send('help.getNearestDc', request);
      const packets = client.flush(true);
      const t0 = performance.now();
      for (const p of packets) for (const e of server.receive(p)) if (e.type === 'request') server.sendResult(e.msgId, answer);
      const out = server.flush();
      spent += performance.now() - t0;
      if (!answers(client, out)) throw new Error('the core did not answer');
    }
    best = Math.min(best, (spent * 1000) / calls);
  }
  return best;
}
