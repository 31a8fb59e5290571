/** How many answered calls a session remembers (for invokeAfterMsg and msgs_state_req). */
const FINISHED_KEPT = 4096;
const EVICT_BATCH = 1024;

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
