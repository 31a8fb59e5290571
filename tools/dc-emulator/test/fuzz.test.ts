// Garbage in every layer the emulator parses: never a throw, never an
// internal error, and a connection that gets nonsense is closed or answered.
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { handshake, MemoryLink, memoryDc, newSession } from './helpers/memory.js';

/** A small deterministic generator, so a failure replays. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('random packets (plain, under a known key, unknown keys) never throw', (t) => {
  const dc = memoryDc();
  const setupLink = new MemoryLink();
  const key = handshake(dc, dc.accept(setupLink), setupLink);
  const keyId = new Uint8Array(8);
  new DataView(keyId.buffer).setBigInt64(0, key.authKeyId, true);
  const r = rng(1);
  for (let i = 0; i < 3000; i++) {
    const len = Math.floor(r() * 300);
    const p = new Uint8Array(randomBytes(len));
    const kind = r();
    if (len >= 8 && kind < 0.4) p.fill(0, 0, 8); // plain: a handshake message
    else if (len >= 8 && kind < 0.8) p.set(keyId); // encrypted under a real key
    const link = new MemoryLink();
    const conn = dc.accept(link);
    t.notThrows(() => conn.onPacket(p));
  }
  t.is(dc.stats.internalErrors, 0);
  t.true(dc.stats.refused > 0);
  t.true(dc.stats.undecryptable > 0);
});

test('well-encrypted messages with random bodies get rpc_error or are dropped, never an internal error', async (t) => {
  const dc = memoryDc();
  const link = new MemoryLink();
  const conn = dc.accept(link);
  const session = newSession(handshake(dc, conn, link));
  const r = rng(2);
  let errors = 0;
  for (let i = 0; i < 1000; i++) {
    const words = 1 + Math.floor(r() * 40);
    const body = new Uint8Array(randomBytes(words * 4));
    if (r() < 0.3) body.set([0xda, 0x9b, 0x0d, 0x0d]); // invokeWithLayer followed by garbage
    session.send('help.getConfig', body, { gzip: false });
    if (i % 50 === 49) {
      for (const p of session.flush(true)) t.notThrows(() => conn.onPacket(p));
      await new Promise((r) => setImmediate(r));
      for (const p of link.take()) for (const e of session.receive(p)) if (e.type === 'error') errors++;
    }
  }
  t.is(dc.stats.internalErrors, 0);
  t.true(errors >= 950, `${errors} of 1000 answered with rpc_error`);
  t.false(link.closed, 'bad calls are answered, the connection stays');
});
