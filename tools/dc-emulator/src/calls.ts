/** How many answered calls a session remembers (for invokeAfterMsg, msgs_state_req and msg_resend_req). */
export const FINISHED_KEPT = 4096;
/** Forgotten at once past FINISHED_KEPT (so up to FINISHED_KEPT + EVICT_BATCH are kept). */
export const EVICT_BATCH = 1024;
/** Bytes of kept answers per session (for msg_resend_req); past it the oldest answers go first. */
export const ANSWER_BYTES_KEPT = 4 << 20;

/** A call's answer as sent, kept to send again when the client asks (msg_resend_req). */
export type KeptAnswer = { result: Uint8Array } | { code: number; text: string };

const sizeOf = (a: KeptAnswer): number => ('result' in a ? a.result.length : a.text.length + 8);

/**
 * The calls of one session: those still running and those answered. It
 * lives with the session, not the connection, so invokeAfterMsg,
 * rpc_drop_answer and msgs_state_req see calls made over an earlier
 * connection of the same session.
 */
export class CallBook {
  /** Calls whose handler has not finished, by msg_id; the promise says whether it succeeded. */
  readonly running = new Map<bigint, Promise<boolean>>();
  /**
   * Answered calls by msg_id, oldest first: the answer as sent while the
   * byte budget keeps it, else whether the call succeeded. One map for
   * both, so a call costs one entry.
   */
  readonly finished = new Map<bigint, KeptAnswer | boolean>();
  /** Running calls whose answer the client dropped with rpc_drop_answer. */
  readonly dropped = new Set<bigint>();
  private answerBytes = 0;
  /**
   * Kept answers in the order kept, from `keptHead` on: the byte budget
   * frees the oldest without walking the map past the calls whose answers
   * are gone already. An entry whose map value is no longer that answer
   * (forgotten, or its msg_id answered again) is skipped.
   */
  private keptIds: bigint[] = [];
  private keptAnswers: (KeptAnswer | undefined)[] = [];
  private keptHead = 0;

  /** Bytes of the answers kept now. */
  get keptBytes(): number {
    return this.answerBytes;
  }

  /**
   * Call `msgId` is over. `answer` is what went out (a result means it
   * succeeded); without one (its answer was dropped) `ok` says whether it
   * succeeded.
   */
  finish(msgId: bigint, ok: boolean, answer?: KeptAnswer): void {
    if (this.running.size > 0) this.running.delete(msgId);
    if (this.dropped.size > 0) this.dropped.delete(msgId);
    const finished = this.finished;
    const old = finished.get(msgId);
    if (typeof old === 'object') this.answerBytes -= sizeOf(old);
    const size = answer === undefined ? 0 : sizeOf(answer);
    if (answer !== undefined && size <= ANSWER_BYTES_KEPT) {
      finished.set(msgId, answer);
      this.answerBytes += size;
      this.keptIds.push(msgId);
      this.keptAnswers.push(answer);
      if (this.answerBytes > ANSWER_BYTES_KEPT) this.forgetAnswers();
    } else {
      finished.set(msgId, answer === undefined ? ok : 'result' in answer);
    }
    if (finished.size > FINISHED_KEPT + EVICT_BATCH) this.forgetOldest();
  }

  /** What call `msgId` was answered with, while that is kept. */
  answerOf(msgId: bigint): KeptAnswer | undefined {
    const v = this.finished.get(msgId);
    return typeof v === 'object' ? v : undefined;
  }

  /** Resolves when call `id` has been answered (true unless it failed); unknown ids resolve at once. */
  waitFor(id: bigint): Promise<boolean> {
    const done = this.finished.get(id);
    if (done !== undefined) return Promise.resolve(typeof done === 'boolean' ? done : 'result' in done);
    return this.running.get(id) ?? Promise.resolve(true);
  }

  /**
   * Forgets the oldest calls, a batch in one pass: a fresh iterator per call
   * would step over every entry deleted before (V8 compacts a map only now
   * and then).
   */
  private forgetOldest(): void {
    const finished = this.finished;
    let n = EVICT_BATCH;
    let answers = 0;
    for (const [id, v] of finished) {
      finished.delete(id);
      if (typeof v === 'object') {
        this.answerBytes -= sizeOf(v);
        answers++;
      }
      if (--n === 0) break;
    }
    // Those answers were the oldest kept: the head of the order (when a msg_id was answered
    // twice the order is off, which forgetAnswers tolerates).
    const end = Math.min(this.keptHead + answers, this.keptIds.length);
    this.keptAnswers.fill(undefined, this.keptHead, end);
    this.keptHead = end;
    this.compactOrder();
  }

  /** Over the byte budget: the oldest answers are dropped; whether their calls succeeded stays. */
  private forgetAnswers(): void {
    const finished = this.finished;
    const ids = this.keptIds;
    const answers = this.keptAnswers;
    while (this.answerBytes > ANSWER_BYTES_KEPT && this.keptHead < ids.length) {
      const i = this.keptHead++;
      const a = answers[i];
      answers[i] = undefined;
      if (a === undefined || finished.get(ids[i]!) !== a) continue;
      finished.set(ids[i]!, 'result' in a);
      this.answerBytes -= sizeOf(a);
    }
    if (this.answerBytes > ANSWER_BYTES_KEPT) {
      // Only after a msg_id was answered twice can the order miss an answer: walk the map.
      for (const [id, v] of finished) {
        if (this.answerBytes <= ANSWER_BYTES_KEPT) break;
        if (typeof v !== 'object') continue;
        finished.set(id, 'result' in v);
        this.answerBytes -= sizeOf(v);
      }
    }
    this.compactOrder();
  }

  /** Drops the passed part of the order once it is most of it. */
  private compactOrder(): void {
    if (this.keptHead < EVICT_BATCH || this.keptHead * 2 < this.keptIds.length) return;
    this.keptIds.splice(0, this.keptHead);
    this.keptAnswers.splice(0, this.keptHead);
    this.keptHead = 0;
  }
}
