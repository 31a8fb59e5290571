/** How many answered calls a session remembers (for invokeAfterMsg and msgs_state_req), and answers it keeps. */
const FINISHED_KEPT = 4096;
/** Forgotten at once past FINISHED_KEPT (so up to FINISHED_KEPT + EVICT_BATCH are kept). */
const EVICT_BATCH = 1024;
/** Bytes of kept answers per session (for msg_resend_req); past it the oldest go first. */
const ANSWER_BYTES_KEPT = 4 << 20;

/** A call's answer as sent, kept to send again when the client asks (msg_resend_req). */
export type KeptAnswer = { result: Uint8Array } | { code: number; text: string };

/**
 * The calls of one session: those still running and those answered. It
 * lives with the session, not the connection, so invokeAfterMsg,
 * rpc_drop_answer and msgs_state_req see calls made over an earlier
 * connection of the same session.
 */
export class CallBook {
  /** Calls whose handler has not finished, by msg_id; the promise says whether it succeeded. */
  readonly running = new Map<bigint, Promise<boolean>>();
  /** Answered calls by msg_id: true when the answer was not an error. */
  readonly finished = new Map<bigint, boolean>();
  /** Running calls whose answer the client dropped with rpc_drop_answer. */
  readonly dropped = new Set<bigint>();
  /** Answers sent, by the request's msg_id (bounded by count and bytes). */
  readonly answers = new Map<bigint, KeptAnswer>();
  private answerBytes = 0;

  /** Keeps what call `msgId` was answered with, for msg_resend_req. */
  keepAnswer(msgId: bigint, answer: KeptAnswer): void {
    const size = 'result' in answer ? answer.result.length : answer.text.length + 8;
    if (size > ANSWER_BYTES_KEPT) return;
    const old = this.answers.get(msgId);
    if (old !== undefined) this.answerBytes -= 'result' in old ? old.result.length : old.text.length + 8;
    const answers = this.answers;
    answers.set(msgId, answer);
    this.answerBytes += size;
    // Past the count the oldest go a batch at a time, past the bytes as many as needed: a fresh
    // iterator per call would step over every entry deleted before (V8 compacts a map only now and then).
    if (answers.size <= FINISHED_KEPT + EVICT_BATCH && this.answerBytes <= ANSWER_BYTES_KEPT) return;
    let n = answers.size > FINISHED_KEPT + EVICT_BATCH ? EVICT_BATCH : 0;
    for (const [id, a] of answers) {
      if (n <= 0 && this.answerBytes <= ANSWER_BYTES_KEPT) break;
      answers.delete(id);
      this.answerBytes -= 'result' in a ? a.result.length : a.text.length + 8;
      n--;
    }
  }

  finish(msgId: bigint, ok: boolean): void {
    if (this.running.size > 0) this.running.delete(msgId);
    if (this.dropped.size > 0) this.dropped.delete(msgId);
    const finished = this.finished;
    finished.set(msgId, ok);
    if (finished.size > FINISHED_KEPT + EVICT_BATCH) {
      // Forget the oldest in one pass rather than one iterator per call.
      let n = EVICT_BATCH;
      for (const id of finished.keys()) {
        finished.delete(id);
        if (--n === 0) break;
      }
    }
  }

  /** Resolves when call `id` has been answered (true unless it failed); unknown ids resolve at once. */
  waitFor(id: bigint): Promise<boolean> {
    const done = this.finished.get(id);
    if (done !== undefined) return Promise.resolve(done);
    return this.running.get(id) ?? Promise.resolve(true);
  }
}
