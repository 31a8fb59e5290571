import type { tl } from '@telegram-mt/tl';
import { ChannelBoxes } from './channels.js';
import { isUpdates, sequenceOf } from './classify.js';
import { updatesOfDifference } from './difference.js';
import { UpdatesError } from './errors.js';
import { PtsSequence, type Held } from './pts-sequence.js';
import { SeqQueue, type HeldContainer } from './seq-queue.js';
import { expandShortMessage } from './short.js';
import { parseUpdatesState, type UpdatesState } from './state.js';
import type { UpdatesBoxOptions, UpdatesOutput, UpdatesRequest, UpdatesStats } from './types.js';

type InFlight = { kind: 'state' } | { kind: 'difference' } | { kind: 'channel'; key: string };

const COMMON = 'common';
const SECRET = 'secret';
const EMPTY_USERS: tl.User[] = [];
const EMPTY_CHATS: tl.Chat[] = [];

/**
 * The updates state machine of core.telegram.org/api/updates, sans-IO: it
 * takes `Updates` objects, request answers and the time, and gives out
 * updates to deliver, requests to make and (through `nextDeadline`) when to
 * call `tick` next. It never reads a clock or touches a socket.
 *
 * The common message box (pts, seq, date), the secret/bot box (qts) and one
 * box per channel (pts) are checked apart: an update is applied when
 * `local + count == its pts`, dropped as already seen when less, and held
 * when more (a gap) — for `gapWaitMs` (0.5 s by the spec) in case the missing
 * ones are only late, then filled by getDifference / getChannelDifference.
 */
export class UpdatesBox {
  private now: number;
  /** Whether the common state is known (from a stored state or updates.getState). */
  private known: boolean;
  private readonly common: PtsSequence;
  private readonly secret: PtsSequence;
  private readonly seq: SeqQueue;
  /** The common difference: none, a request out, or waiting `retryAt` after a failure. */
  private diff: 'idle' | 'inflight' | 'retry' = 'idle';
  private retryAt = 0;
  private retryDelay: number;
  private tooLongInARow = 0;
  /** updatePtsChanged came: the next fetch is updates.getState. */
  private stateStale = false;
  private lastActivity: number;
  private readonly channels: ChannelBoxes;
  private readonly inFlight = new Map<number, InFlight>();
  private nextRequestId = 1;
  private outputs: UpdatesOutput[] = [];
  private batch: { updates: tl.Update[]; users: tl.User[]; chats: tl.Chat[]; seen: Set<unknown> } | undefined;
  private readonly counters = { duplicates: 0, gaps: 0, gapsClosedByWait: 0, differences: 0, channelDifferences: 0 };
  /**
   * pts and qts updates that came before the first updates.getState answer,
   * in arrival order. They wait for it: the answer can describe a moment
   * before some of them (it may be handled after an update that the server
   * sent later), and a difference from that state would bring those again.
   */
  private beforeState: { key: typeof COMMON | typeof SECRET; item: Held }[] = [];

  private readonly gapWaitMs: number;
  private readonly idleMs: number;
  private readonly ptsTotalLimit: number | undefined;
  private readonly maxPending: number;
  private readonly minRetryMs: number;
  private readonly maxRetryMs: number;
  private readonly selfId: bigint | undefined;

  constructor(options: UpdatesBoxOptions) {
    this.now = options.now;
    this.lastActivity = options.now;
    this.gapWaitMs = options.gapWaitMs ?? 500;
    this.idleMs = options.idleMs ?? 15 * 60_000;
    this.ptsTotalLimit = options.ptsTotalLimit;
    this.maxPending = Math.max(1, options.maxPendingPerBox ?? 1000);
    this.minRetryMs = options.retryMs ?? 1000;
    this.maxRetryMs = options.maxRetryMs ?? 60_000;
    this.retryDelay = this.minRetryMs;
    this.selfId = options.selfId;
    const maxChannels = Math.max(1, options.maxChannels ?? 10_000);
    const limits = {
      maxChannels,
      limit: options.channelDifferenceLimit ?? (options.isBot ? 100_000 : 100),
      maxRequests: Math.max(1, options.maxConcurrentChannelDifferences ?? 8),
      accessHashOf: options.accessHashOf,
    };
    this.channels = new ChannelBoxes(limits, {
      deliver: (update, users, chats) => this.deliver(update, users, chats),
      notice: (out) => {
        this.flush();
        this.outputs.push(out);
      },
      request: (key, request) => {
        this.counters.channelDifferences++;
        this.send({ kind: 'channel', key }, request);
      },
      drain: (key, box) => this.drainBox(key, box, false),
    });
    const state = options.state ? parseUpdatesState(options.state, maxChannels) : undefined;
    this.known = state !== undefined;
    this.common = new PtsSequence(state?.pts ?? 0);
    this.secret = new PtsSequence(state?.qts ?? 0);
    this.seq = new SeqQueue(state?.seq ?? 0, state?.date ?? 0);
    for (const [id, pts] of Object.entries(state?.channels ?? {})) this.channels.track(id, pts);
    // Fresh: updates.getState. Resumed: whatever happened while we were away is only in the difference.
    this.startDifference();
  }

  // ---- what the edge calls ------------------------------------------------

  /** An `Updates` object from the connection or inside an RPC result. */
  feed(updates: tl.Updates, now: number): void {
    if (!isUpdates(updates)) throw new UpdatesError('BAD_UPDATES', `not an Updates constructor: ${String((updates as { _?: unknown } | null)?._)}`);
    if ((updates._ === 'updates' || updates._ === 'updatesCombined') && !(Array.isArray(updates.updates) && Array.isArray(updates.users) && Array.isArray(updates.chats))) {
      throw new UpdatesError('BAD_UPDATES', `${updates._} without its updates, users and chats vectors`);
    }
    this.now = now;
    this.lastActivity = now;
    switch (updates._) {
      case 'updatesTooLong':
        this.startDifference();
        break;
      case 'updateShort':
        this.route(updates.update, EMPTY_USERS, EMPTY_CHATS);
        if (this.diff === 'idle' && updates.date > this.seq.date) this.seq.date = updates.date;
        break;
      case 'updateShortMessage':
      case 'updateShortChatMessage':
        this.route(expandShortMessage(updates, this.selfId), EMPTY_USERS, EMPTY_CHATS);
        break;
      case 'updateShortSentMessage':
        // The message itself is built by whoever sent it; here only its pts counts.
        if (this.known) this.offer(COMMON, this.common, bare(updates.pts, updates.ptsCount));
        break;
      case 'updates':
      case 'updatesCombined':
        this.container({
          seqStart: updates._ === 'updatesCombined' ? updates.seqStart : updates.seq,
          seq: updates.seq,
          date: updates.date,
          updates: updates.updates,
          users: updates.users,
          chats: updates.chats,
        });
        break;
    }
    this.flush();
  }

  /**
   * The pts move of a result that is not `Updates` (messages.affectedMessages,
   * affectedHistory, affectedFoundMessages): the common box's, or a channel's.
   */
  feedAffected(affected: { pts: number; ptsCount: number }, now: number, channelId?: bigint): void {
    this.now = now;
    const item = bare(affected.pts, affected.ptsCount);
    if (channelId !== undefined) this.offerChannel(String(channelId), item);
    else if (this.known) this.offer(COMMON, this.common, item);
    this.flush();
  }

  /**
   * The answer to request `id`. A result of the wrong type raises
   * `UpdatesError('BAD_RESULT')` after the request is treated as failed.
   */
  answer(id: number, result: unknown, now: number): void {
    const req = this.inFlight.get(id);
    if (!req) throw new UpdatesError('UNKNOWN_REQUEST', `no updates request ${id} is waiting for an answer`);
    const kind = typeof result === 'object' && result !== null ? (result as { _?: unknown })._ : undefined;
    const ok =
      req.kind === 'state'
        ? kind === 'updates.state'
        : req.kind === 'difference'
          ? kind === 'updates.differenceEmpty' || kind === 'updates.difference' || kind === 'updates.differenceSlice' || kind === 'updates.differenceTooLong'
          : kind === 'updates.channelDifferenceEmpty' || kind === 'updates.channelDifference' || kind === 'updates.channelDifferenceTooLong';
    if (!ok) {
      this.fail(id, `unexpected result ${String(kind)}`, now);
      throw new UpdatesError('BAD_RESULT', `updates request ${id} (${req.kind}) answered with ${String(kind)}`);
    }
    this.now = now;
    this.inFlight.delete(id);
    if (req.kind === 'state') this.applyState(result as tl.updates.State);
    else if (req.kind === 'difference') this.applyDifference(result as tl.updates.Difference);
    else this.channels.applyDifference(req.key, result as tl.updates.ChannelDifference);
    this.flush();
  }

  /** Request `id` failed (an RPC error, a lost connection). The common box retries with backoff; a channel is given up. */
  fail(id: number, error: unknown, now: number): void {
    const req = this.inFlight.get(id);
    if (!req) throw new UpdatesError('UNKNOWN_REQUEST', `no updates request ${id} is waiting for an answer`);
    this.inFlight.delete(id);
    this.now = now;
    if (req.kind === 'channel') {
      this.channels.failed(req.key, error);
    } else {
      this.diff = 'retry';
      this.retryAt = now + this.retryDelay;
      this.retryDelay = Math.min(this.retryDelay * 2, this.maxRetryMs);
    }
    this.flush();
  }

  /** Lets time pass: expired gap waits turn into difference requests. */
  tick(now: number): void {
    this.now = now;
    if (this.diff === 'retry' && now >= this.retryAt) {
      this.diff = 'idle';
      this.startDifference();
    }
    if (this.diff === 'idle' && this.known) {
      const expired = (d: number | undefined) => d !== undefined && d <= now;
      if (expired(this.common.gapDeadline) || expired(this.secret.gapDeadline) || expired(this.seq.gapDeadline) || now >= this.lastActivity + this.idleMs) {
        this.startDifference();
      }
    }
    for (const key of [...this.channels.timed]) {
      const deadline = this.channels.get(key)?.gapDeadline;
      if (deadline !== undefined && deadline <= now) this.channels.fetch(key);
    }
    this.flush();
  }

  /** When `tick` must next be called, or undefined when nothing is timed. */
  nextDeadline(): number | undefined {
    let next = Infinity;
    const take = (d: number | undefined) => {
      if (d !== undefined && d < next) next = d;
    };
    if (this.diff === 'retry') take(this.retryAt);
    if (this.diff === 'idle' && this.known) {
      take(this.common.gapDeadline);
      take(this.secret.gapDeadline);
      take(this.seq.gapDeadline);
      if (Number.isFinite(this.idleMs)) take(this.lastActivity + this.idleMs);
    }
    for (const key of this.channels.timed) take(this.channels.get(key)?.gapDeadline);
    return next === Infinity ? undefined : next;
  }

  /** Everything given out since the last call, in order. */
  drain(): UpdatesOutput[] {
    const out = this.outputs;
    this.outputs = [];
    return out;
  }

  /** The state to persist (after handling a drained batch), or undefined before the first updates.getState answer. */
  getState(): UpdatesState | undefined {
    if (!this.known) return undefined;
    const channels: Record<string, number> = {};
    for (const [id, box] of this.channels.entries()) channels[id] = box.pts;
    return { pts: this.common.pts, qts: this.secret.pts, date: this.seq.date, seq: this.seq.seq, channels };
  }

  stats(): UpdatesStats {
    let pending = this.common.pending.length + this.secret.pending.length + this.beforeState.length;
    for (const c of this.seq.pending) pending += c.updates.length;
    for (const [, box] of this.channels.entries()) pending += box.pending.length;
    return { ...this.counters, pending, channels: this.channels.size };
  }

  // ---- seq: the order of updates/updatesCombined ----------------------------

  private container(c: HeldContainer): void {
    this.channels.learn(c.chats);
    if (c.seq === 0 || !this.known) {
      // seq 0: "order does not matter" — only the pts inside are checked.
      this.applyContainer(c);
      return;
    }
    switch (this.seq.offer(c, this.diff !== 'idle', this.now, this.gapWaitMs, this.maxPending)) {
      case 'apply':
        this.seq.advance(c);
        this.applyContainer(c);
        this.drainSeq(false);
        break;
      case 'duplicate':
        this.counters.duplicates += c.updates.length;
        break;
      case 'gap':
        this.counters.gaps++;
        break;
      case 'held':
        break;
      case 'overflow':
        // The difference brings back every pts update in them: fetch it now.
        this.startDifference();
        break;
    }
  }

  private drainSeq(afterDifference: boolean): void {
    const d = this.seq.drain(afterDifference, this.now, this.gapWaitMs);
    for (const c of d.ready) this.applyContainer(c);
    this.counters.duplicates += d.duplicates;
    if (d.closed && !afterDifference) this.counters.gapsClosedByWait++;
    if (d.opened) this.counters.gaps++;
  }

  private applyContainer(c: HeldContainer): void {
    for (const u of c.updates) this.route(u, c.users, c.chats);
  }

  // ---- pts and qts ------------------------------------------------------------

  /** Sends one update to the sequence it belongs to. */
  private route(update: tl.Update, users: tl.User[], chats: tl.Chat[]): void {
    if (update._ === 'updateChannelTooLong') {
      this.channels.tooLong(update);
      return;
    }
    if (update._ === 'updatePtsChanged') {
      // The server renumbered the common box: only updates.getState knows where it is now.
      this.stateStale = true;
      this.startDifference();
      return;
    }
    const s = sequenceOf(update);
    if (s.box === 'channel') this.offerChannel(String(s.channelId), { pts: s.pts, ptsCount: s.ptsCount, update, users, chats });
    else if (s.box === 'none') this.deliver(update, users, chats);
    else {
      const common = s.box === 'common';
      const item: Held = common ? { pts: s.pts, ptsCount: s.ptsCount, update, users, chats } : { pts: s.qts, ptsCount: 1, update, users, chats };
      const key = common ? COMMON : SECRET;
      if (!this.known) this.holdForState(key, item);
      else this.offer(key, common ? this.common : this.secret, item);
    }
  }

  private holdForState(key: typeof COMMON | typeof SECRET, item: Held): void {
    // Bounded: past the limit the oldest goes out now (it could then come again in a difference, never be lost).
    if (this.beforeState.length >= this.maxPending) {
      const old = this.beforeState.shift()!;
      if (old.item.update) this.deliver(old.item.update, old.item.users, old.item.chats);
    }
    this.beforeState.push({ key, item });
  }

  private offerChannel(key: string, item: Held): void {
    const box = this.channels.get(key);
    if (box) {
      this.offer(key, box, item);
      return;
    }
    // A channel we have no pts for: this update is its starting point.
    this.channels.track(key, item.pts);
    if (item.update) this.deliver(item.update, item.users, item.chats);
  }

  private offer(key: string, box: PtsSequence, item: Held): void {
    switch (box.offer(item, this.now, this.gapWaitMs, this.maxPending)) {
      case 'applied':
        this.applied(key, box, item);
        this.drainBox(key, box, true);
        break;
      case 'duplicate':
        this.counters.duplicates++;
        break;
      case 'gap':
        this.counters.gaps++;
        if (isChannel(key)) this.channels.timed.add(key);
        break;
      case 'held':
        break;
      case 'overflow':
        // Every pts step held comes back in the difference: nothing is lost.
        if (!box.fetching) this.startFetch(key);
        break;
    }
  }

  private applied(key: string, box: PtsSequence, item: Held): void {
    if (item.update) this.deliver(item.update, item.users, item.chats);
    if (isChannel(key)) this.channels.touch(key, box);
  }

  /** Applies held steps now in turn; `byWait` counts a gap closed without a difference. */
  private drainBox(key: string, box: PtsSequence, byWait: boolean): void {
    const d = box.drain(this.now, this.gapWaitMs);
    for (const item of d.ready) this.applied(key, box, item);
    this.counters.duplicates += d.duplicates;
    if (d.closed && byWait) this.counters.gapsClosedByWait++;
    if (d.opened) this.counters.gaps++;
    if (isChannel(key)) {
      if (box.gapDeadline === undefined) this.channels.timed.delete(key);
      else this.channels.timed.add(key);
    }
  }

  private startFetch(key: string): void {
    if (isChannel(key)) this.channels.fetch(key);
    else this.startDifference();
  }

  private deliver(update: tl.Update, users: tl.User[], chats: tl.Chat[]): void {
    const b = (this.batch ??= { updates: [], users: [], chats: [], seen: new Set() });
    b.updates.push(update);
    if (users.length > 0 && !b.seen.has(users)) {
      b.seen.add(users);
      for (const u of users) b.users.push(u);
    }
    if (chats.length > 0 && !b.seen.has(chats)) {
      b.seen.add(chats);
      for (const c of chats) b.chats.push(c);
    }
  }

  private flush(): void {
    if (!this.batch) return;
    const { updates, users, chats } = this.batch;
    this.batch = undefined;
    this.outputs.push({ _: 'updates', updates, users, chats });
  }

  private send(what: InFlight, request: UpdatesRequest): void {
    const id = this.nextRequestId++;
    this.inFlight.set(id, what);
    this.outputs.push({ _: 'request', id, request });
  }

  // ---- the common difference ----------------------------------------------

  private startDifference(): void {
    if (this.diff !== 'idle') return;
    this.diff = 'inflight';
    if (this.known) {
      this.common.fetching = true;
      this.secret.fetching = true;
      this.common.gapDeadline = undefined;
      this.secret.gapDeadline = undefined;
      this.seq.gapDeadline = undefined;
    }
    if (!this.known || this.stateStale) {
      this.stateStale = false;
      this.send({ kind: 'state' }, { _: 'updates.getState' });
      return;
    }
    this.requestDifference();
  }

  private requestDifference(): void {
    this.counters.differences++;
    const request: tl.updates.getDifference = { _: 'updates.getDifference', pts: this.common.pts, date: this.seq.date, qts: this.secret.pts };
    if (this.ptsTotalLimit !== undefined) request.ptsTotalLimit = this.ptsTotalLimit;
    this.send({ kind: 'difference' }, request);
  }

  private applyState(state: tl.updates.State): void {
    this.known = true;
    this.common.pts = state.pts;
    this.secret.pts = state.qts;
    this.seq.date = state.date;
    this.seq.seq = state.seq;
    // What came before the answer: at or below the state it happened before it (no difference from
    // here brings it again), so it is delivered as it is; above, it takes its turn by the pts rules.
    for (const { key, item } of this.beforeState.splice(0)) {
      const box = key === COMMON ? this.common : this.secret;
      if (item.pts <= box.pts) {
        if (item.update) this.deliver(item.update, item.users, item.chats);
      } else {
        this.offer(key, box, item);
      }
    }
    this.endDifference();
  }

  private applyDifference(r: tl.updates.Difference): void {
    if (r._ === 'updates.differenceTooLong') {
      this.common.pts = r.pts;
      this.flush();
      this.outputs.push({ _: 'differenceTooLong', pts: r.pts });
      // Once more from the new pts for qts, seq and date; never loop on it.
      if (++this.tooLongInARow < 2) this.requestDifference();
      else this.endDifference();
      return;
    }
    this.tooLongInARow = 0;
    if (r._ === 'updates.differenceEmpty') {
      this.seq.date = r.date;
      this.seq.seq = r.seq;
      this.endDifference();
      return;
    }
    this.channels.learn(r.chats);
    for (const u of updatesOfDifference(r)) {
      // Channel updates keep their own sequence; the rest is inside the difference's range.
      if (u._ === 'updateChannelTooLong' || sequenceOf(u).box === 'channel') this.route(u, r.users, r.chats);
      else this.deliver(u, r.users, r.chats);
    }
    const state = r._ === 'updates.difference' ? r.state : r.intermediateState;
    this.common.pts = state.pts;
    this.secret.pts = state.qts;
    this.seq.date = state.date;
    this.seq.seq = state.seq;
    if (r._ === 'updates.differenceSlice') this.requestDifference();
    else this.endDifference();
  }

  private endDifference(): void {
    this.diff = 'idle';
    this.tooLongInARow = 0;
    this.retryDelay = this.minRetryMs;
    this.lastActivity = this.now;
    this.common.fetching = false;
    this.secret.fetching = false;
    this.drainBox(COMMON, this.common, false);
    this.drainBox(SECRET, this.secret, false);
    this.drainSeq(true);
    const again = this.common.refetch || this.secret.refetch || this.seq.refetch || this.stateStale;
    this.common.refetch = this.secret.refetch = this.seq.refetch = false;
    if (again) this.startDifference();
  }
}

function isChannel(key: string): boolean {
  return key !== COMMON && key !== SECRET;
}

/** A pts step with no update to deliver. */
function bare(pts: number, ptsCount: number): Held {
  return { pts, ptsCount, update: undefined, users: EMPTY_USERS, chats: EMPTY_CHATS };
}
