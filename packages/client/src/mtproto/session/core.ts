import { SessionLimitError } from '../../errors.js';
import type { MessageCipher } from './cipher.js';
import type { Clock, RandomSource } from './clock.js';
import { CONTAINER_HEADER, INNER_HEADER, containerSize, writeContainer, type InnerMessage } from './container.js';
import { Envelope, type Role } from './envelope.js';
import { ID_MSGS_ACK, ID_VECTOR } from './ids.js';
import type { SessionLimits } from './limits.js';
import { MsgIdGenerator, msgIdSeconds, type MsgIdKind } from './msg-id.js';
import { ReplayWindow } from './replay-window.js';
import { emptyStats, type DropReason, type SessionStats } from './stats.js';
import { writeLong, writeU32 } from './wire.js';

/** A message waiting in the send queue; msg_id and seq_no are given when it is packed. */
export interface Outgoing {
  body: Uint8Array;
  contentRelated: boolean;
  kind: MsgIdKind;
  /**
   * Makes the body for the msg_id it goes out with (auth.bindTempAuthKey
   * embeds its own msg_id); must give `body.length` bytes every time.
   */
  bodyFor?: (msgId: bigint) => Uint8Array;
  /** False once the message is no longer wanted (its request cancelled or moved): skipped at flush. */
  alive?: () => boolean;
  /** Told the msg_id (and the container's, if any) the message went out with. */
  sent?: (msgId: bigint, seqNo: number, containerMsgId: bigint | undefined) => void;
}

/** Most ids in one msgs_ack (Telegram's limit for a vector of acks). */
const MAX_ACKS_PER_MESSAGE = 8192;

export interface CoreOptions {
  authKey: Uint8Array;
  role: Role;
  cipher: MessageCipher;
  clock: Clock;
  random: RandomSource;
  timeOffset: number;
  limits: SessionLimits;
}

/**
 * What both roles share: the envelope, msg_id and seq_no counters, the send
 * queue packed into containers, batched acks, the replay window and the drop
 * counters. The roles add what they do with the messages.
 */
export class SessionCore {
  readonly envelope: Envelope;
  readonly msgIds: MsgIdGenerator;
  readonly replay: ReplayWindow;
  readonly stats: SessionStats = emptyStats();
  readonly limits: SessionLimits;
  /** The current server salt: what a client puts in its messages and a server expects. */
  serverSalt = 0n;
  sessionId = 0n;
  /** Content-related messages sent so far in this session (seq_no = 2·n (+1)). */
  private contentSent = 0;
  private queue: Outgoing[] = [];
  /** Body bytes in the queue (a file part waiting shows here). */
  private queuedBodyBytes = 0;
  private acks: bigint[] = [];

  constructor(opts: CoreOptions) {
    this.limits = opts.limits;
    this.envelope = new Envelope(opts.authKey, opts.role, opts.cipher, opts.random, opts.limits.extraPaddingBlocks);
    this.msgIds = new MsgIdGenerator(opts.clock, opts.timeOffset);
    this.replay = new ReplayWindow(opts.limits.replayWindow);
  }

  get authKeyId(): bigint {
    return this.envelope.authKeyId;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Bytes of the message bodies waiting in the send queue. */
  get queuedBytes(): number {
    return this.queuedBodyBytes;
  }

  get pendingAcks(): number {
    return this.acks.length;
  }

  drop(reason: DropReason): void {
    this.stats.dropped[reason]++;
  }

  /** The next seq_no: odd for content-related messages (and the count goes up), even otherwise. */
  nextSeqNo(contentRelated: boolean): number {
    return contentRelated ? this.contentSent++ * 2 + 1 : this.contentSent * 2;
  }

  /** Starts seq_no over (a new session). */
  resetSeqNo(): void {
    this.contentSent = 0;
  }

  enqueue(m: Outgoing): void {
    if (this.queue.length >= this.limits.maxQueued) {
      throw new SessionLimitError(`send queue full (${this.limits.maxQueued} messages)`);
    }
    this.queue.push(m);
    this.queuedBodyBytes += m.body.length;
  }

  /** Puts a message at the head of the queue (resends go before new traffic). */
  enqueueFirst(m: Outgoing): void {
    if (this.queue.length >= this.limits.maxQueued) {
      throw new SessionLimitError(`send queue full (${this.limits.maxQueued} messages)`);
    }
    this.queue.unshift(m);
    this.queuedBodyBytes += m.body.length;
  }

  /** Drops everything queued and every ack waiting (the session is done with). */
  clearQueue(): void {
    this.queue = [];
    this.queuedBodyBytes = 0;
    this.acks = [];
  }

  /** Remembers a received content-related msg_id to acknowledge. */
  ack(msgId: bigint): void {
    if (this.acks.length >= this.limits.maxPendingAcks) {
      this.acks.shift();
      this.drop('ack-overflow');
    }
    this.acks.push(msgId);
  }

  /** Forgets a pending ack (an answer on its way acknowledges the message itself). */
  unack(msgId: bigint): void {
    const acks = this.acks;
    // The message being answered is usually the last one received.
    for (let i = acks.length - 1; i >= 0; i--) {
      if (acks[i] === msgId) {
        acks.splice(i, 1);
        return;
      }
    }
  }

  /** Whether a msg_id's time is within the window around the corrected clock. */
  checkTime(msgId: bigint): DropReason | undefined {
    const now = this.msgIds.nowSeconds();
    const t = msgIdSeconds(msgId);
    if (t < now - this.limits.maxPastSeconds) return 'msg-id-too-old';
    if (t > now + this.limits.maxFutureSeconds) return 'msg-id-too-new';
    return undefined;
  }

  /**
   * Packs the send queue into encrypted packets, at most `maxContainerMessages`
   * per container. Acks ride along with other traffic once `ackRide` of them
   * are waiting; on their own they go out only when `ackThreshold` of them
   * have gathered or `forceAcks` is set (the edge's ack timer).
   */
  flush(forceAcks = false): Uint8Array[] {
    const acks = this.acks;
    if (acks.length > 0 && (forceAcks || acks.length >= this.limits.ackThreshold || (this.queue.length > 0 && acks.length >= this.limits.ackRide))) {
      for (let i = 0; i < acks.length; i += MAX_ACKS_PER_MESSAGE) {
        this.queue.unshift({
          body: msgsAck(acks.slice(i, i + MAX_ACKS_PER_MESSAGE)),
          contentRelated: false,
          kind: this.envelope.role === 'client' ? 'client' : 'server',
        });
      }
      this.acks = [];
    }
    let queue = this.queue;
    if (queue.length === 0) return [];
    this.queue = [];
    this.queuedBodyBytes = 0;
    if (queue.some((m) => m.alive !== undefined && !m.alive())) queue = queue.filter((m) => m.alive === undefined || m.alive());
    if (queue.length === 0) return [];
    const out: Uint8Array[] = [];
    const { maxContainerMessages, maxContainerBytes } = this.limits;
    let batch: Outgoing[] = [];
    let batchBytes = CONTAINER_HEADER;
    for (const m of queue) {
      const size = INNER_HEADER + m.body.length;
      if (batch.length > 0 && (batch.length >= maxContainerMessages || batchBytes + size > maxContainerBytes)) {
        out.push(this.packBatch(batch));
        batch = [];
        batchBytes = CONTAINER_HEADER;
      }
      batch.push(m);
      batchBytes += size;
    }
    if (batch.length > 0) out.push(this.packBatch(batch));
    this.stats.packetsOut += out.length;
    return out;
  }

  private packBatch(batch: Outgoing[]): Uint8Array {
    this.stats.messagesOut += batch.length;
    if (batch.length === 1) {
      const m = batch[0]!;
      const msgId = this.msgIds.next(m.kind);
      const seqNo = this.nextSeqNo(m.contentRelated);
      m.sent?.(msgId, seqNo, undefined);
      return this.envelope.seal(this.serverSalt, this.sessionId, msgId, seqNo, m.bodyFor ? m.bodyFor(msgId) : m.body);
    }
    const inner: InnerMessage[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const m = batch[i]!;
      const msgId = this.msgIds.next(m.kind);
      inner[i] = { msgId, seqNo: this.nextSeqNo(m.contentRelated), body: m.bodyFor ? m.bodyFor(msgId) : m.body };
    }
    // The container's msg_id comes after its contents'.
    const containerId = this.msgIds.next(this.envelope.role === 'client' ? 'client' : 'server');
    const containerSeq = this.nextSeqNo(false);
    for (let i = 0; i < batch.length; i++) batch[i]!.sent?.(inner[i]!.msgId, inner[i]!.seqNo, containerId);
    this.stats.containersOut++;
    // Written straight into the packet: a container around a file part is not copied twice.
    return this.envelope.sealWith(this.serverSalt, this.sessionId, containerId, containerSeq, containerSize(inner), inner, writeContainer);
  }
}

/** msgs_ack#62d6b459 msg_ids:Vector<long>. */
export function msgsAck(ids: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(12 + 8 * ids.length);
  writeU32(out, 0, ID_MSGS_ACK);
  writeU32(out, 4, ID_VECTOR);
  writeU32(out, 8, ids.length);
  for (let i = 0; i < ids.length; i++) writeLong(out, 12 + 8 * i, ids[i]!);
  return out;
}
