/** How many answered calls a session remembers (for invokeAfterMsg, msgs_state_req and msg_resend_req). */
export const FINISHED_KEPT = 4096;
/** Bytes of kept answers per session (for msg_resend_req); past it the oldest answers go first. */
export const ANSWER_BYTES_KEPT = 4 << 20;
/** Past this many msg_ids in one question the ring is indexed once rather than searched per id. */
const SEARCHES_BEFORE_INDEX = 8;

/** A call's answer as sent, kept to send again when the client asks (msg_resend_req). */
export type KeptAnswer = { result: Uint8Array } | { code: number; text: string };

/** What is known of an answered call: its answer while kept, else whether it succeeded. */
export type FinishedCall = KeptAnswer | boolean;

const sizeOf = (a: KeptAnswer): number => ('result' in a ? a.result.length : a.text.length + 8);
/** Whether a call did not fail, as far as is known (an unknown one holds nothing up). */
const succeeded = (o: FinishedCall | undefined): boolean => (o === undefined ? true : typeof o === 'boolean' ? o : 'result' in o);

/**
 * The calls of one session: those still running and those answered. It
 * lives with the session, not the connection, so invokeAfterMsg,
 * rpc_drop_answer and msgs_state_req see calls made over an earlier
 * connection of the same session.
 *
 * Answered calls sit in a ring of the last FINISHED_KEPT, in the order
 * answered: recording one is two array stores, with nothing to evict. The
 * questions about them are rare (service requests, invokeAfterMsg, which
 * names a recent call) and search from the newest.
 */
export class CallBook {
  /** Calls whose handler has not finished, by msg_id; the promise says whether it succeeded. */
  readonly running = new Map<bigint, Promise<boolean>>();
  /** Running calls whose answer the client dropped with rpc_drop_answer. */
  readonly dropped = new Set<bigint>();
  private readonly ids: bigint[] = [];
  private readonly outcomes: FinishedCall[] = [];
  /** Calls recorded so far; the ring holds the last FINISHED_KEPT of them. */
  private count = 0;
  /** Calls (counted as `count` is) before this one have no answer kept any more: the byte budget went through them. */
  private trimmed = 0;
  private answerBytes = 0;

  /** Bytes of the answers kept now. */
  get keptBytes(): number {
    return this.answerBytes;
  }

  /** The answered calls remembered, oldest first. */
  get finishedIds(): bigint[] {
    const out: bigint[] = [];
    for (let n = Math.max(0, this.count - FINISHED_KEPT); n < this.count; n++) out.push(this.ids[n % FINISHED_KEPT]!);
    return out;
  }

  /**
   * Call `msgId` is over. `answer` is what went out (a result means it
   * succeeded); without one (its answer was dropped) `ok` says whether it
   * succeeded.
   */
  finish(msgId: bigint, ok: boolean, answer?: KeptAnswer): void {
    if (this.running.size > 0) this.running.delete(msgId);
    if (this.dropped.size > 0) this.dropped.delete(msgId);
    const slot = this.count % FINISHED_KEPT;
    if (this.count >= FINISHED_KEPT) {
      const old = this.outcomes[slot]!;
      if (typeof old === 'object') this.answerBytes -= sizeOf(old);
    }
    const value = answer === undefined ? ok : sizeOf(answer) <= ANSWER_BYTES_KEPT ? answer : 'result' in answer;
    this.ids[slot] = msgId;
    this.outcomes[slot] = value;
    this.count++;
    if (typeof value === 'object') {
      this.answerBytes += sizeOf(value);
      if (this.answerBytes > ANSWER_BYTES_KEPT) this.forgetAnswers();
    }
  }

  /** What is known of call `msgId` once answered (undefined: running, never seen, or forgotten). */
  outcomeOf(msgId: bigint): FinishedCall | undefined {
    const slot = this.search(msgId);
    return slot < 0 ? undefined : this.outcomes[slot];
  }

  /** The same for several msg_ids at once (msgs_state_req, msg_resend_req): many are looked up in one pass. */
  outcomesOf(msgIds: readonly bigint[]): (FinishedCall | undefined)[] {
    if (msgIds.length <= SEARCHES_BEFORE_INDEX) return msgIds.map((id) => this.outcomeOf(id));
    const index = new Map<bigint, FinishedCall>();
    // Oldest first, so a msg_id answered twice ends with its newer outcome.
    for (let n = Math.max(0, this.count - FINISHED_KEPT); n < this.count; n++) index.set(this.ids[n % FINISHED_KEPT]!, this.outcomes[n % FINISHED_KEPT]!);
    return msgIds.map((id) => index.get(id));
  }

  /** Whether call `msgId` is known to have been answered. */
  hasFinished(msgId: bigint): boolean {
    return this.search(msgId) >= 0;
  }

  /** What call `msgId` was answered with, while that is kept. */
  answerOf(msgId: bigint): KeptAnswer | undefined {
    const v = this.outcomeOf(msgId);
    return typeof v === 'object' ? v : undefined;
  }

  /** Resolves when call `id` has been answered (true unless it failed); unknown ids resolve at once. */
  waitFor(id: bigint): Promise<boolean> {
    // Running first: the call waited for is most often the one just before, still going.
    const running = this.running.get(id);
    if (running !== undefined) return running;
    return Promise.resolve(succeeded(this.outcomeOf(id)));
  }

  /** Resolves when every call in `ids` has been answered: true unless one failed (invokeAfterMsgs). */
  waitForAll(ids: readonly bigint[]): Promise<boolean> {
    if (ids.length === 1) return this.waitFor(ids[0]!);
    const outcomes = this.outcomesOf(ids);
    const pending: Promise<boolean>[] = [];
    let ok = true;
    for (let i = 0; i < ids.length; i++) {
      const running = this.running.get(ids[i]!);
      if (running !== undefined) pending.push(running);
      else if (!succeeded(outcomes[i])) ok = false;
    }
    if (pending.length === 0) return Promise.resolve(ok);
    return Promise.all(pending).then((results) => ok && !results.includes(false));
  }

  /** The ring slot of call `msgId`, searching from the newest; −1 when it is not there. */
  private search(msgId: bigint): number {
    const ids = this.ids;
    const n = Math.min(this.count, FINISHED_KEPT);
    let slot = (this.count - 1) % FINISHED_KEPT;
    for (let k = 0; k < n; k++) {
      if (ids[slot] === msgId) return slot;
      slot = slot === 0 ? FINISHED_KEPT - 1 : slot - 1;
    }
    return -1;
  }

  /** Over the byte budget: the oldest answers are dropped; whether their calls succeeded stays. */
  private forgetAnswers(): void {
    let n = Math.max(this.trimmed, this.count - FINISHED_KEPT);
    while (this.answerBytes > ANSWER_BYTES_KEPT && n < this.count) {
      const slot = n % FINISHED_KEPT;
      const v = this.outcomes[slot]!;
      if (typeof v === 'object') {
        this.outcomes[slot] = 'result' in v;
        this.answerBytes -= sizeOf(v);
      }
      n++;
    }
    this.trimmed = n;
  }
}
