import type { tl } from '@telegram-mt/tl';
import { sequenceOf } from './classify.js';
import { UpdatesError } from './errors.js';
import { expandShortMessage } from './short.js';
import { parseUpdatesState, type UpdatesState } from './state.js';
import type { UpdatesBoxOptions, UpdatesOutput, UpdatesRequest, UpdatesStats } from './types.js';

/** One pts (or qts) step waiting for its turn; `update` is absent for bare pts moves (affectedMessages, updateShortSentMessage). */
interface Held {
  pts: number;
  ptsCount: number;
  update: tl.Update | undefined;
  users: tl.User[];
  chats: tl.Chat[];
}

/** A sequence of pts (the common box, a channel) or qts (the secret box). */
interface PtsBox {
  pts: number;
  pending: Held[];
  /** When the gap wait ends and the difference must be asked. */
  gapDeadline: number | undefined;
  /** A difference for this box is being fetched (or retried): hold, don't time. */
  fetching: boolean;
  /** Held updates were dropped while fetching: fetch once more when done. */
  refetch: boolean;
}

/** An `updates`/`updatesCombined` waiting for its seq turn. */
interface HeldContainer {
  seqStart: number;
  seq: number;
  date: number;
  updates: tl.Update[];
  users: tl.User[];
  chats: tl.Chat[];
}

type InFlight = { kind: 'state' } | { kind: 'difference' } | { kind: 'channel'; key: string };

const EMPTY_USERS: tl.User[] = [];
const EMPTY_CHATS: tl.Chat[] = [];

function newBox(pts: number): PtsBox {
  return { pts, pending: [], gapDeadline: undefined, fetching: false, refetch: false };
}

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
  private known: boolean;
  private readonly common: PtsBox;
  private readonly secret: PtsBox;
  private seq = 0;
  private date = 0;
  private seqPending: HeldContainer[] = [];
  private seqDeadline: number | undefined;
  private seqRefetch = false;
  /** The common difference: none, a request out, or waiting `retryAt` after a failure. */
  private diff: 'idle' | 'inflight' | 'retry' = 'idle';
  private retryAt = 0;
  private retryDelay: number;
  private tooLongInARow = 0;
  private lastActivity: number;
  private readonly channels = new Map<string, PtsBox>();
  /** Channels with a gap deadline, so `tick` does not scan every channel. */
  private readonly channelDeadlines = new Set<string>();
  private readonly accessHashes = new Map<string, bigint>();
  private readonly inFlight = new Map<number, InFlight>();
  private nextRequestId = 1;
  private outputs: UpdatesOutput[] = [];
  private batch: { updates: tl.Update[]; users: tl.User[]; chats: tl.Chat[]; seen: Set<unknown> } | undefined;
  private readonly counters = { duplicates: 0, gaps: 0, gapsClosedByWait: 0, differences: 0, channelDifferences: 0 };

  private readonly gapWaitMs: number;
  private readonly idleMs: number;
  private readonly channelLimit: number;
  private readonly ptsTotalLimit: number | undefined;
  private readonly maxPending: number;
  private readonly maxChannels: number;
  private readonly minRetryMs: number;
  private readonly maxRetryMs: number;
  private readonly selfId: bigint | undefined;
  private readonly accessHashOf: ((channelId: bigint) => bigint | undefined) | undefined;

  constructor(options: UpdatesBoxOptions) {
    this.now = options.now;
    this.lastActivity = options.now;
    this.gapWaitMs = options.gapWaitMs ?? 500;
    this.idleMs = options.idleMs ?? 15 * 60_000;
    this.channelLimit = options.channelDifferenceLimit ?? (options.isBot ? 100_000 : 100);
    this.ptsTotalLimit = options.ptsTotalLimit;
    this.maxPending = Math.max(1, options.maxPendingPerBox ?? 1000);
    this.maxChannels = Math.max(1, options.maxChannels ?? 10_000);
    this.minRetryMs = options.retryMs ?? 1000;
    this.maxRetryMs = options.maxRetryMs ?? 60_000;
    this.retryDelay = this.minRetryMs;
    this.selfId = options.selfId;
    this.accessHashOf = options.accessHashOf;
    if (options.state) {
      const state = parseUpdatesState(options.state, this.maxChannels);
      this.known = true;
      this.common = newBox(state.pts);
      this.secret = newBox(state.qts);
      this.seq = state.seq;
      this.date = state.date;
      for (const [id, pts] of Object.entries(state.channels)) this.channels.set(id, newBox(pts));
      // Whatever happened while we were away is only in the difference.
      this.startDifference();
    } else {
      this.known = false;
      this.common = newBox(0);
      this.secret = newBox(0);
      this.startDifference();
    }
  }

  // ---- what the edge calls ------------------------------------------------

  /** An `Updates` object from the connection or inside an RPC result. */
  feed(updates: tl.Updates, now: number): void {
    switch (updates?._) {
      case 'updatesTooLong':
      case 'updateShort':
      case 'updateShortMessage':
      case 'updateShortChatMessage':
      case 'updateShortSentMessage':
      case 'updates':
      case 'updatesCombined':
        break;
      default:
        throw new UpdatesError('BAD_UPDATES', `not an Updates constructor: ${String((updates as { _?: unknown })?._)}`);
    }
    this.now = now;
    this.lastActivity = now;
    switch (updates._) {
      case 'updatesTooLong':
        this.startDifference();
        break;
      case 'updateShort':
        this.route(updates.update, EMPTY_USERS, EMPTY_CHATS);
        if (this.diff === 'idle' && updates.date > this.date) this.date = updates.date;
        break;
      case 'updateShortMessage':
      case 'updateShortChatMessage':
        this.route(expandShortMessage(updates, this.selfId), EMPTY_USERS, EMPTY_CHATS);
        break;
      case 'updateShortSentMessage':
        // The message itself is built by whoever sent it; here only its pts counts.
        this.checkCommonPts(updates.pts, updates.ptsCount);
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
    if (channelId === undefined) this.checkCommonPts(affected.pts, affected.ptsCount);
    else this.checkChannel(String(channelId), { pts: affected.pts, ptsCount: affected.ptsCount, update: undefined, users: EMPTY_USERS, chats: EMPTY_CHATS });
    this.flush();
  }

  /**
   * The answer to request `id`. A result of the wrong type raises
   * `UpdatesError('BAD_RESULT')` after the request is treated as failed.
   */
  answer(id: number, result: unknown, now: number): void {
    const req = this.inFlight.get(id);
    if (!req) throw new UpdatesError('UNKNOWN_REQUEST', `no updates request ${id} is waiting for an answer`);
    this.now = now;
    const r = result as { _?: unknown } | null;
    const kind = typeof r === 'object' && r !== null ? r._ : undefined;
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
    this.inFlight.delete(id);
    if (req.kind === 'state') this.applyState(result as tl.updates.State);
    else if (req.kind === 'difference') this.applyDifference(result as tl.updates.Difference);
    else this.applyChannelDifference(req.key, result as tl.updates.ChannelDifference);
    this.flush();
  }

  /** Request `id` failed (an RPC error, a lost connection). The common box retries with backoff; a channel is given up. */
  fail(id: number, error: unknown, now: number): void {
    const req = this.inFlight.get(id);
    if (!req) throw new UpdatesError('UNKNOWN_REQUEST', `no updates request ${id} is waiting for an answer`);
    this.inFlight.delete(id);
    this.now = now;
    if (req.kind === 'channel') {
      const box = this.channels.get(req.key);
      if (box) box.fetching = false;
      this.giveUpChannel(req.key, `getChannelDifference failed: ${error instanceof Error ? error.message : String(error)}`);
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
      if (expired(this.common.gapDeadline) || expired(this.secret.gapDeadline) || expired(this.seqDeadline) || now >= this.lastActivity + this.idleMs) {
        this.startDifference();
      }
    }
    for (const key of [...this.channelDeadlines]) {
      const box = this.channels.get(key);
      if (box?.gapDeadline !== undefined && box.gapDeadline <= now) this.startChannelDifference(key);
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
      take(this.seqDeadline);
      if (Number.isFinite(this.idleMs)) take(this.lastActivity + this.idleMs);
    }
    for (const key of this.channelDeadlines) take(this.channels.get(key)?.gapDeadline);
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
    for (const [id, box] of this.channels) channels[id] = box.pts;
    return { pts: this.common.pts, qts: this.secret.pts, date: this.date, seq: this.seq, channels };
  }

  stats(): UpdatesStats {
    let pending = this.common.pending.length + this.secret.pending.length;
    for (const c of this.seqPending) pending += c.updates.length;
    for (const box of this.channels.values()) pending += box.pending.length;
    return { ...this.counters, pending, channels: this.channels.size };
  }

  // ---- routing and the pts/qts/seq checks ---------------------------------

  private container(c: HeldContainer): void {
    this.learn(c.chats);
    if (c.seq === 0 || !this.known) {
      // seq 0: "order does not matter" — only the pts inside are checked.
      this.applyContainer(c);
      return;
    }
    if (this.diff !== 'idle') {
      this.holdContainer(c);
      return;
    }
    if (c.seqStart <= this.seq) {
      this.counters.duplicates += c.updates.length;
      return;
    }
    if (c.seqStart === this.seq + 1) {
      this.applyContainer(c);
      this.seq = c.seq;
      this.date = c.date;
      this.drainSeq();
      return;
    }
    if (this.seqDeadline === undefined) {
      this.seqDeadline = this.now + this.gapWaitMs;
      this.counters.gaps++;
    }
    this.holdContainer(c);
  }

  private holdContainer(c: HeldContainer): void {
    if (this.seqPending.length >= this.maxPending) {
      // The difference brings back every pts update in them; fetch it now.
      this.seqPending = [];
      this.seqDeadline = undefined;
      if (this.diff === 'idle') this.startDifference();
      else this.seqRefetch = true;
      return;
    }
    this.seqPending.push(c);
  }

  private drainSeq(): void {
    if (this.seqPending.length === 0) return;
    this.seqPending.sort((a, b) => a.seqStart - b.seqStart);
    let i = 0;
    for (; i < this.seqPending.length; i++) {
      const c = this.seqPending[i]!;
      if (c.seqStart > this.seq + 1) break;
      if (c.seqStart <= this.seq) {
        this.counters.duplicates += c.updates.length;
        continue;
      }
      this.applyContainer(c);
      this.seq = c.seq;
      this.date = c.date;
    }
    this.seqPending = this.seqPending.slice(i);
    if (this.seqPending.length === 0 && this.seqDeadline !== undefined) {
      this.seqDeadline = undefined;
      this.counters.gapsClosedByWait++;
    }
  }

  private applyContainer(c: HeldContainer): void {
    for (const u of c.updates) this.route(u, c.users, c.chats);
  }

  /** Sends one update to the box its sequence belongs to. */
  private route(update: tl.Update, users: tl.User[], chats: tl.Chat[]): void {
    if (update._ === 'updateChannelTooLong') {
      this.channelTooLong(update);
      return;
    }
    const s = sequenceOf(update);
    if (s.box === 'none' || (!this.known && s.box !== 'channel')) {
      this.deliver(update, users, chats);
    } else if (s.box === 'common') {
      this.checkPts('common', this.common, { pts: s.pts, ptsCount: s.ptsCount, update, users, chats });
    } else if (s.box === 'secret') {
      this.checkPts('secret', this.secret, { pts: s.qts, ptsCount: 1, update, users, chats });
    } else {
      this.checkChannel(String(s.channelId), { pts: s.pts, ptsCount: s.ptsCount, update, users, chats });
    }
  }

  private checkCommonPts(pts: number, ptsCount: number): void {
    if (!this.known) return;
    this.checkPts('common', this.common, { pts, ptsCount, update: undefined, users: EMPTY_USERS, chats: EMPTY_CHATS });
  }

  private checkChannel(key: string, item: Held): void {
    const box = this.channels.get(key);
    if (!box) {
      // A channel we have no pts for: take this update as its starting point.
      this.trackChannel(key, item.pts);
      if (item.update) this.deliver(item.update, item.users, item.chats);
      return;
    }
    this.checkPts(key, box, item);
  }

  private checkPts(key: string, box: PtsBox, item: Held): void {
    if (box.fetching) {
      this.hold(key, box, item);
      return;
    }
    const expected = box.pts + item.ptsCount;
    if (expected === item.pts) {
      this.apply(key, box, item);
      this.drain_(key, box, true);
    } else if (expected > item.pts) {
      this.counters.duplicates++;
    } else {
      this.hold(key, box, item);
      if (box.gapDeadline === undefined && !box.fetching) {
        box.gapDeadline = this.now + this.gapWaitMs;
        this.counters.gaps++;
        if (this.isChannelKey(key)) this.channelDeadlines.add(key);
      }
    }
  }

  private hold(key: string, box: PtsBox, item: Held): void {
    if (box.pending.length >= this.maxPending) {
      // Every held pts update comes back in the difference: drop, then fetch.
      box.pending = [];
      if (box.fetching) box.refetch = true;
      else this.startFetch(key);
      return;
    }
    box.pending.push(item);
  }

  private apply(key: string, box: PtsBox, item: Held): void {
    box.pts = item.pts;
    if (item.update) this.deliver(item.update, item.users, item.chats);
    if (this.isChannelKey(key)) {
      // Most recently updated last: eviction takes the first idle one.
      this.channels.delete(key);
      this.channels.set(key, box);
    }
  }

  /** Applies held updates that are now in turn; `byWait` counts a gap closed without a difference. */
  private drain_(key: string, box: PtsBox, byWait: boolean): void {
    if (box.pending.length > 0) {
      box.pending.sort((a, b) => a.pts - a.ptsCount - (b.pts - b.ptsCount));
      let i = 0;
      for (; i < box.pending.length; i++) {
        const item = box.pending[i]!;
        const expected = box.pts + item.ptsCount;
        if (expected === item.pts) this.apply(key, box, item);
        else if (expected > item.pts) this.counters.duplicates++;
        else break;
      }
      box.pending = box.pending.slice(i);
    }
    if (box.pending.length === 0) {
      if (box.gapDeadline !== undefined && byWait) this.counters.gapsClosedByWait++;
      box.gapDeadline = undefined;
      this.channelDeadlines.delete(key);
    } else if (box.gapDeadline === undefined) {
      // What is left after a difference is a new gap: it gets its own wait.
      box.gapDeadline = this.now + this.gapWaitMs;
      this.counters.gaps++;
      if (this.isChannelKey(key)) this.channelDeadlines.add(key);
    }
  }

  private isChannelKey(key: string): boolean {
    return key !== 'common' && key !== 'secret';
  }

  private startFetch(key: string): void {
    if (this.isChannelKey(key)) this.startChannelDifference(key);
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

  private learn(chats: tl.Chat[]): void {
    for (const c of chats) {
      if ((c._ === 'channel' && !c.min) || c._ === 'channelForbidden') {
        if (c.accessHash === undefined) continue;
        const key = String(c.id);
        this.accessHashes.delete(key);
        this.accessHashes.set(key, c.accessHash);
        if (this.accessHashes.size > this.maxChannels) {
          const oldest = this.accessHashes.keys().next().value as string;
          this.accessHashes.delete(oldest);
        }
      }
    }
  }

  // ---- the common difference ----------------------------------------------

  private startDifference(): void {
    if (this.diff !== 'idle') return;
    if (!this.known) {
      this.send({ kind: 'state' }, { _: 'updates.getState' });
      this.diff = 'inflight';
      return;
    }
    this.diff = 'inflight';
    this.common.fetching = true;
    this.secret.fetching = true;
    this.common.gapDeadline = undefined;
    this.secret.gapDeadline = undefined;
    this.seqDeadline = undefined;
    this.requestDifference();
  }

  private requestDifference(): void {
    this.counters.differences++;
    const request: tl.updates.getDifference = {
      _: 'updates.getDifference',
      pts: this.common.pts,
      date: this.date,
      qts: this.secret.pts,
    };
    if (this.ptsTotalLimit !== undefined) request.ptsTotalLimit = this.ptsTotalLimit;
    this.send({ kind: 'difference' }, request);
  }

  private send(what: InFlight, request: UpdatesRequest): void {
    const id = this.nextRequestId++;
    this.inFlight.set(id, what);
    this.outputs.push({ _: 'request', id, request });
  }

  private applyState(state: tl.updates.State): void {
    this.known = true;
    this.common.pts = state.pts;
    this.secret.pts = state.qts;
    this.date = state.date;
    this.seq = state.seq;
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
      this.date = r.date;
      this.seq = r.seq;
      this.endDifference();
      return;
    }
    const state = r._ === 'updates.difference' ? r.state : r.intermediateState;
    this.learn(r.chats);
    for (const message of r.newMessages) {
      this.deliver({ _: 'updateNewMessage', message, pts: state.pts, ptsCount: 0 }, r.users, r.chats);
    }
    for (const message of r.newEncryptedMessages) {
      this.deliver({ _: 'updateNewEncryptedMessage', message, qts: 0 }, r.users, r.chats);
    }
    for (const u of r.otherUpdates) {
      // Channel updates keep their own sequence; everything else is inside the difference's range.
      if (u._ === 'updateChannelTooLong' || sequenceOf(u).box === 'channel') this.route(u, r.users, r.chats);
      else this.deliver(u, r.users, r.chats);
    }
    this.common.pts = state.pts;
    this.secret.pts = state.qts;
    this.date = state.date;
    this.seq = state.seq;
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
    this.drain_('common', this.common, false);
    this.drain_('secret', this.secret, false);
    // Containers held meanwhile: those at or below seq are inside the
    // difference, but their updates still pass the pts checks one by one
    // (channel updates are never in getDifference).
    const held = this.seqPending.sort((a, b) => a.seqStart - b.seqStart);
    this.seqPending = [];
    for (const c of held) {
      if (c.seqStart <= this.seq + 1) {
        this.applyContainer(c);
        if (c.seq > this.seq) {
          this.seq = c.seq;
          this.date = c.date;
        }
      } else {
        this.seqPending.push(c);
      }
    }
    if (this.seqPending.length > 0) {
      this.seqDeadline = this.now + this.gapWaitMs;
      this.counters.gaps++;
    }
    const again = this.common.refetch || this.secret.refetch || this.seqRefetch;
    this.common.refetch = this.secret.refetch = this.seqRefetch = false;
    if (again) this.startDifference();
  }

  // ---- channels -------------------------------------------------------------

  private trackChannel(key: string, pts: number): PtsBox {
    if (this.channels.size >= this.maxChannels) {
      for (const [oldKey, old] of this.channels) {
        if (old.fetching) continue;
        if (old.pending.length > 0) this.giveUpChannel(oldKey, 'too many channels tracked');
        else this.channels.delete(oldKey);
        this.channelDeadlines.delete(oldKey);
        break;
      }
    }
    const box = newBox(pts);
    this.channels.set(key, box);
    return box;
  }

  private channelTooLong(u: tl.updateChannelTooLong): void {
    const key = String(u.channelId);
    let box = this.channels.get(key);
    if (!box) {
      // Joined elsewhere while away: the update says where to start.
      if (u.pts === undefined) return;
      box = this.trackChannel(key, u.pts);
    }
    if (box.fetching) box.refetch = true;
    else this.startChannelDifference(key);
  }

  private startChannelDifference(key: string): void {
    const box = this.channels.get(key);
    if (!box || box.fetching) return;
    box.gapDeadline = undefined;
    this.channelDeadlines.delete(key);
    const channelId = BigInt(key);
    const accessHash = this.accessHashes.get(key) ?? this.accessHashOf?.(channelId);
    if (accessHash === undefined) {
      this.giveUpChannel(key, 'no access hash is known for the channel');
      return;
    }
    box.fetching = true;
    this.requestChannelDifference(key, box, accessHash);
  }

  private requestChannelDifference(key: string, box: PtsBox, accessHash: bigint): void {
    this.counters.channelDifferences++;
    this.send(
      { kind: 'channel', key },
      {
        _: 'updates.getChannelDifference',
        force: false,
        channel: { _: 'inputChannel', channelId: BigInt(key), accessHash },
        filter: { _: 'channelMessagesFilterEmpty' },
        pts: box.pts,
        limit: this.channelLimit,
      },
    );
  }

  private applyChannelDifference(key: string, r: tl.updates.ChannelDifference): void {
    const box = this.channels.get(key);
    if (!box) return;
    if (r._ === 'updates.channelDifferenceTooLong') {
      if (r.dialog._ === 'dialog' && r.dialog.pts !== undefined) box.pts = r.dialog.pts;
      this.flush();
      this.outputs.push({ _: 'channelDifferenceTooLong', channelId: BigInt(key), dialog: r.dialog, messages: r.messages, users: r.users, chats: r.chats });
      this.learn(r.chats);
      this.endChannelDifference(key, box);
      return;
    }
    if (r._ === 'updates.channelDifference') {
      this.learn(r.chats);
      for (const message of r.newMessages) {
        this.deliver({ _: 'updateNewChannelMessage', message, pts: r.pts, ptsCount: 0 }, r.users, r.chats);
      }
      for (const u of r.otherUpdates) {
        if (u._ !== 'updateChannelTooLong') this.deliver(u, r.users, r.chats);
      }
    }
    box.pts = r.pts;
    if (!r.final) {
      const accessHash = this.accessHashes.get(key) ?? this.accessHashOf?.(BigInt(key));
      if (accessHash !== undefined) {
        this.requestChannelDifference(key, box, accessHash);
        return;
      }
    }
    this.endChannelDifference(key, box);
  }

  private endChannelDifference(key: string, box: PtsBox): void {
    box.fetching = false;
    this.drain_(key, box, false);
    if (box.refetch) {
      box.refetch = false;
      this.startChannelDifference(key);
    }
  }

  /** Delivers what a channel held, in order, and stops tracking it, saying why. */
  private giveUpChannel(key: string, reason: string): void {
    const box = this.channels.get(key);
    if (box) {
      box.pending.sort((a, b) => a.pts - a.ptsCount - (b.pts - b.ptsCount));
      for (const item of box.pending) if (item.update) this.deliver(item.update, item.users, item.chats);
      this.channels.delete(key);
    }
    this.channelDeadlines.delete(key);
    this.flush();
    this.outputs.push({ _: 'channelGapUnresolved', channelId: BigInt(key), reason });
  }
}
