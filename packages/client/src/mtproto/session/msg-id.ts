import type { Clock } from './clock.js';

/** What the two low bits of a msg_id say (core.telegram.org/mtproto/description). */
export type MsgIdKind =
  /** Client → server: divisible by 4. */
  | 'client'
  /** Server → client in answer to a client message: ≡ 1 mod 4. */
  | 'response'
  /** Server → client on its own (updates, containers, notices): ≡ 3 mod 4. */
  | 'server';

/** The Unix time (seconds) a msg_id carries in its high 32 bits. */
export function msgIdSeconds(msgId: bigint): number {
  return Number(msgId >> 32n);
}

/**
 * msg_ids from the corrected clock: about unixtime · 2³², strictly increasing
 * within one generator even when the wall clock steps backwards, with the low
 * two bits set for the sender's role.
 */
export class MsgIdGenerator {
  /** Seconds to add to the local clock to get the peer's (server's) time. */
  timeOffset: number;
  private last = 0n;

  constructor(
    private readonly clock: Clock,
    timeOffset = 0,
  ) {
    this.timeOffset = timeOffset;
  }

  /** Corrected time in seconds (fractional). */
  nowSeconds(): number {
    return this.clock.now() / 1000 + this.timeOffset;
  }

  next(kind: MsgIdKind): bigint {
    const ms = this.clock.now() + this.timeOffset * 1000;
    const sec = Math.floor(ms / 1000);
    // Sub-second part scaled to 32 bits, with the two role bits cleared.
    const frac = Math.floor(((ms - sec * 1000) / 1000) * 0x100000000) & ~3;
    let id = (BigInt(sec) << 32n) | BigInt(frac >>> 0);
    const floor = (this.last & ~3n) + 4n;
    if (id < floor) id = floor;
    if (kind === 'response') id |= 1n;
    else if (kind === 'server') id |= 3n;
    this.last = id;
    return id;
  }

  /** The last id handed out (0n before the first). */
  get lastId(): bigint {
    return this.last;
  }

  /** Forgets the last id (a new session starts a new msg_id sequence). */
  reset(): void {
    this.last = 0n;
  }

  /** Sets the offset from a msg_id the server sent just now (bad_msg_notification 16/17). */
  syncFrom(serverMsgId: bigint): void {
    this.timeOffset = msgIdSeconds(serverMsgId) - Math.floor(this.clock.now() / 1000);
  }
}
