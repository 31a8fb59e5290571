// A client and a server session wired to each other in memory, on a fake
// clock and seeded randomness: the sans-IO tests drive both by hand.
import type { Clock } from '../../src/mtproto/session/clock.js';
import { AUTH_KEY, FakeClock, SALT, seededRandom } from './fixtures.js';
export * from './fixtures.js';
import { ClientSession, type ClientSessionOptions } from '../../src/mtproto/session/client/session.js';
import { ServerSession, type ServerSessionOptions } from '../../src/mtproto/session/server/session.js';
import type { MessageCipher } from '../../src/mtproto/session/cipher.js';
import { writeLong, writeU32 } from '../../src/mtproto/session/wire.js';
import { authKeyIdOf } from '../../src/mtproto/session/cipher.js';
import { defaultCipher } from '../../src/mtproto/session/native-cipher.js';

export interface Pair {
  clock: FakeClock;
  client: ClientSession;
  server: ServerSession;
  cipher: MessageCipher;
}

export function makePair(
  opts: { client?: Partial<ClientSessionOptions>; server?: Partial<ServerSessionOptions>; cipher?: MessageCipher } = {},
): Pair {
  const clock = new FakeClock();
  // The production cipher; test/session-envelope checks it against a plain node:crypto reference.
  const cipher = opts.cipher ?? defaultCipher();
  const client = new ClientSession({
    authKey: AUTH_KEY,
    serverSalt: SALT,
    sessionId: 0x0badc0ffeen,
    cipher,
    clock,
    random: seededRandom(2),
    ...opts.client,
  });
  const server = new ServerSession({
    authKey: AUTH_KEY,
    serverSalt: SALT,
    cipher,
    clock,
    random: seededRandom(3),
    ...opts.server,
  });
  return { clock, client, server, cipher };
}

/**
 * Encrypts a hand-made plaintext as a server would (x = 8), for packets the
 * server session would never produce: wrong lengths, ids, sessions.
 */
export function forgeServerPacket(
  cipher: MessageCipher,
  fields: { salt?: bigint; sessionId: bigint; msgId: bigint; seqNo: number; body: Uint8Array; length?: number; padding?: number },
  authKey = AUTH_KEY,
  x: 0 | 8 = 8,
): Uint8Array {
  const pad = fields.padding ?? 12 + ((16 - ((32 + fields.body.length + 12) & 15)) & 15);
  const pt = new Uint8Array(32 + fields.body.length + pad);
  writeLong(pt, 0, fields.salt ?? SALT);
  writeLong(pt, 8, fields.sessionId);
  writeLong(pt, 16, fields.msgId);
  writeU32(pt, 24, fields.seqNo);
  writeU32(pt, 28, fields.length ?? fields.body.length);
  pt.set(fields.body, 32);
  const out = new Uint8Array(24 + pt.length);
  writeLong(out, 0, authKeyIdOf(authKey));
  cipher.encrypt(authKey, x, pt, out.subarray(8));
  return out;
}

/** A msg_id for `clock` shifted by `seconds`, with the low bits given. */
export function msgIdAt(clock: Clock, seconds: number, low: 0 | 1 | 2 | 3, n = 0): bigint {
  const sec = Math.floor(clock.now() / 1000) + seconds;
  return (BigInt(sec) << 32n) | BigInt(0x1000 + n * 4 + low);
}
