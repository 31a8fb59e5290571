/**
 * How many answered calls a session remembers (for invokeAfterMsg,
 * msgs_state_req and msg_resend_req): at least this many, at most twice.
 */
export const FINISHED_KEPT = 4096;
/** Bytes of kept answers per session (for msg_resend_req); past it the oldest answers go first. */
export const ANSWER_BYTES_KEPT = 4 << 20;

/** A call's answer as sent, kept to send again when the client asks (msg_resend_req). */
export type KeptAnswer = { result: Uint8Array } | { code: number; text: string };

const sizeOf = (a: KeptAnswer): number => ('result' in a ? a.result.length : a.text.length + 8);

/**
 * One generation of answered calls: by msg_id, the answer as sent while the
 * byte budget keeps it, else whether the call succeeded; and the kept
 * answers in the order kept, so the budget frees the oldest without walking
 * the map past calls whose answers are gone already.
 */
class Generation {
  readonly calls = new Map<bigint, KeptAnswer | boolean>();
  bytes = 0;
  private readonly keptIds: bigint[] = [];
  private readonly keptAnswers: (KeptAnswer | undefined)[] = [];
  private head = 0;

  /** Adds call `msgId`; false when it was there already (the caller then recounts). */
  add(msgId: bigint, value: KeptAnswer | boolean): boolean {
    const calls = this.calls;
    const before = calls.size;
    calls.set(msgId, value);
    if (typeof value === 'object') {
      this.bytes += sizeOf(value);
      this.keptIds.push(msgId);
      this.keptAnswers.push(value);
    }
    return calls.size !== before;
  }

  /** Drops kept answers, oldest first, until `over` bytes are freed or none is left; returns what was freed. */
  forgetAnswers(over: number): number {
    let freed = 0;
    const ids = this.keptIds;
    const answers = this.keptAnswers;
    while (freed < over && this.head < ids.length) {
      const i = this.head++;
      const a = answers[i];
      answers[i] = undefined;
      // Skipped when the msg_id has been answered again since (its newer answer is further on).
      if (a === undefined || this.calls.get(ids[i]!) !== a) continue;
      this.calls.set(ids[i]!, 'result' in a);
      freed += sizeOf(a);
    }
    this.bytes -= freed;
    return freed;
  }

  /** Counts the bytes again from the map (after a msg_id was answered twice). */
  recount(): void {
    let bytes = 0;
    for (const v of this.calls.values()) if (typeof v === 'object') bytes += sizeOf(v);
    this.bytes = bytes;
  }
}

/**
 * The calls of one session: those still running and those answered. It
 * lives with the session, not the connection, so invokeAfterMsg,
 * rpc_drop_answer and msgs_state_req see calls made over an earlier
 * connection of the same session. Answered calls are kept in two
 * generations: once the newer holds FINISHED_KEPT calls it becomes the
 * older, and the older is let go whole, without a delete per call.
 */
export class CallBook {
  /** Calls whose handler has not finished, by msg_id; the promise says whether it succeeded. */
  readonly running = new Map<bigint, Promise<boolean>>();
  /** Running calls whose answer the client dropped with rpc_drop_answer. */
  readonly dropped = new Set<bigint>();
  private recent = new Generation();
  private older = new Generation();

  /** Bytes of the answers kept now. */
  get keptBytes(): number {
    return this.recent.bytes + this.older.bytes;
  }

  /** The answered calls remembered, oldest first. */
  get finishedIds(): bigint[] {
    return [...this.older.calls.keys(), ...this.recent.calls.keys()];
  }

  /**
   * Call `msgId` is over. `answer` is what went out (a result means it
   * succeeded); without one (its answer was dropped) `ok` says whether it
   * succeeded.
   */
  finish(msgId: bigint, ok: boolean, answer?: KeptAnswer): void {
    if (this.running.size > 0) this.running.delete(msgId);
    if (this.dropped.size > 0) this.dropped.delete(msgId);
    if (this.recent.calls.size >= FINISHED_KEPT) {
      this.older = this.recent;
      this.recent = new Generation();
    }
    const recent = this.recent;
    const value = answer === undefined ? ok : sizeOf(answer) <= ANSWER_BYTES_KEPT ? answer : 'result' in answer;
    if (!recent.add(msgId, value)) recent.recount();
    const over = this.keptBytes - ANSWER_BYTES_KEPT;
    if (over > 0) recent.forgetAnswers(over - this.older.forgetAnswers(over));
  }

  /** Whether call `msgId` is known to have been answered. */
  hasFinished(msgId: bigint): boolean {
    return this.recent.calls.has(msgId) || this.older.calls.has(msgId);
  }

  /** What call `msgId` was answered with, while that is kept. */
  answerOf(msgId: bigint): KeptAnswer | undefined {
    const v = this.recent.calls.get(msgId) ?? this.older.calls.get(msgId);
    return typeof v === 'object' ? v : undefined;
  }

  /** Resolves when call `id` has been answered (true unless it failed); unknown ids resolve at once. */
  waitFor(id: bigint): Promise<boolean> {
    const done = this.recent.calls.get(id) ?? this.older.calls.get(id);
    if (done !== undefined) return Promise.resolve(typeof done === 'boolean' ? done : 'result' in done);
    return this.running.get(id) ?? Promise.resolve(true);
  }
}
