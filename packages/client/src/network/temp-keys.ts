// PFS on a connection (core.telegram.org/api/pfs): the temporary key's life
// on the wire — made by a second handshake, bound with auth.bindTempAuthKey
// in a session of its own, traffic switched over, the replaced key's session
// drained, renewed before expiry and replaced when lost. When to act is
// TempKeyManager's call (sans-IO); this is the part that touches the wire.
import { serializeObject, type tl } from '@telegram-mt/tl';
import { ConnectionClosedError, RequestInDoubtError, RpcError } from '../errors.js';
import type { AuthKeyResult } from '../mtproto/handshake/types.js';
import { TempKeyManager, type PfsOptions, type TempKey, type TempKeyAction } from '../mtproto/pfs/temp-key-manager.js';
import type { ClientSession, ClientSessionEvent } from '../mtproto/session/client/session.js';
import type { Clock, RandomSource } from '../mtproto/session/clock.js';
import type { ConnectionState } from './connection-types.js';
import type { TempKeyMember, TempKeyShare } from './temp-key-share.js';
import type { PacketWire } from './wire.js';

/** What the temporary-key lifecycle uses of its connection. */
export interface TempKeyHost {
  /** The session traffic goes to. */
  session: ClientSession | undefined;
  /** Cleared for a new session: its first calls carry initConnection again. */
  initConfirmed: boolean;
  readonly closed: boolean;
  /** Bumped per wire. */
  readonly generation: number;
  readonly state: ConnectionState;
  readonly wire: PacketWire | undefined;
  /** Whether a handshake runs on the wire now. */
  readonly handshaking: boolean;
  makeAuthKey(wire: PacketWire, temp?: { expiresIn: number }): Promise<AuthKeyResult>;
  newSession(authKey: Uint8Array, serverSalt: bigint, timeOffset: number): ClientSession;
  waitFor(id: number, method: string, timeout: number): Promise<unknown>;
  flushSession(session: ClientSession, wire: PacketWire): void;
  handleEvents(events: ClientSessionEvent[], session: ClientSession): void;
  scheduleFlush(): void;
  /** A refused binding: told to the caller, and the connection closes. */
  refused(error: RpcError): void;
}

export class TempKeys implements TempKeyMember {
  /** The scheduler: when to make, bind and retire keys. */
  readonly manager: TempKeyManager;
  /** A session on a new temporary key, carrying only auth.bindTempAuthKey until bound. */
  binding: ClientSession | undefined;
  /** The session of the key replaced, kept to receive answers to what was sent on it. */
  draining: { session: ClientSession; timer: NodeJS.Timeout; until: number } | undefined;
  private renewing = false;
  /** Temporary keys bound so far (by this connection). */
  bound = 0;
  /** The key our session runs on. */
  private inUse: TempKey | undefined;

  constructor(
    private readonly host: TempKeyHost,
    permAuthKey: Uint8Array,
    private readonly clock: Clock,
    random: RandomSource,
    options: Partial<PfsOptions>,
    private readonly bindTimeout: number,
    /** Connections on the same permanent key share one temporary key through it. */
    private readonly share?: TempKeyShare,
  ) {
    this.manager = share ? share.join(this, permAuthKey, clock, random, options) : new TempKeyManager({ permAuthKey, clock, random, ...options });
  }

  /** Whether `session` runs on the key traffic may go on now (not past its stop time, not replaced). */
  usable(session: ClientSession): boolean {
    return this.manager.current()?.authKeyId === session.core.authKeyId;
  }

  /**
   * On a new wire: the session goes on if its key is still good (asking what
   * became of what it sent); otherwise a key is made and bound first.
   */
  async resume(wire: PacketWire, gen: number, handshaking: () => void): Promise<void> {
    const host = this.host;
    for (let tries = 0; ; tries++) {
      const cur = this.manager.current();
      if (cur !== undefined && host.session?.core.authKeyId === cur.authKeyId) {
        host.session.reconnected();
        return;
      }
      if (cur !== undefined && this.share !== undefined) {
        // Bound by another connection of the share: a session of our own on it.
        this.adopt();
        return;
      }
      // No bound key clear of its expiry (first dial, or it expired or was lost): make and bind one.
      const action = this.manager.poll();
      if (action.type === 'create') {
        handshaking();
        await this.make(wire, gen, action);
        return;
      }
      const elsewhere = this.manager.state === 'creating' || this.manager.state === 'binding';
      if (this.share === undefined || !elsewhere || tries > 0) throw new ConnectionClosedError('waiting to retry the temporary key');
      // Another connection of the share is making the key: wait for it (bounded), then look again.
      handshaking();
      await this.share.nextKey(2 * this.bindTimeout);
      if (host.closed || gen !== host.generation) throw new ConnectionClosedError('closed while connecting');
    }
  }

  /** Another connection of the share bound a key: traffic moves to it at once. */
  keyBoundElsewhere(): void {
    if (this.host.state === 'ready' && !this.host.closed) this.adopt();
  }

  /** The session a packet under `keyId` belongs to: the key being bound, the one draining, or the current one. */
  sessionFor(keyId: bigint): ClientSession | undefined {
    if (this.binding !== undefined && keyId === this.binding.core.authKeyId) return this.binding;
    if (this.draining !== undefined && keyId === this.draining.session.core.authKeyId) return this.draining.session;
    return this.host.session;
  }

  /** After a packet: calls the server refused with AUTH_KEY_PERM_EMPTY (`parked`) go where they can run. */
  afterReceive(session: ClientSession): void {
    if (session.parked === 0) return;
    const current = this.host.session;
    if (session !== current && current !== undefined) {
      // Refused on a replaced key without running: sent again on the bound one.
      session.moveTo(current, false);
      this.host.scheduleFlush();
    } else if (session === current) {
      // Our own key is no longer bound: make and bind another; the parked calls move to it.
      this.manager.keyLost(session.core.authKeyId);
      this.renew();
    }
  }

  /** −404 on a temporary key: the server lost it (they live in its RAM); the next dial makes another. */
  keyLost(): void {
    if (this.host.session !== undefined) this.manager.keyLost(this.host.session.core.authKeyId);
    if (this.binding !== undefined) this.manager.keyLost(this.binding.core.authKeyId);
  }

  /** Background renewal on the live wire, when the scheduler says so. */
  renew(): void {
    const host = this.host;
    const wire = host.wire;
    if (wire === undefined || this.renewing || host.handshaking || host.state !== 'ready') return;
    const cur = this.share !== undefined ? this.manager.current() : undefined;
    if (cur !== undefined && host.session?.core.authKeyId !== cur.authKeyId) {
      // Another connection of the share bound a newer key.
      this.adopt();
      return;
    }
    const action = this.manager.poll();
    if (action.type !== 'create') return;
    this.renewing = true;
    this.make(wire, host.generation, action)
      .catch((e: Error) => {
        // A refused binding (the permanent key unknown …) is the caller's to see.
        if (e instanceof RpcError) host.refused(e);
      })
      .finally(() => {
        this.renewing = false;
      });
  }

  /** Periodic: ends a drain the clock has passed, and probes what the draining session still awaits. */
  check(age: number): void {
    // The clock may have jumped (a machine waking from sleep) past the drain's end before its timer.
    if (this.draining !== undefined && this.clock.now() >= this.draining.until) this.endDrain();
    const d = this.draining;
    const wire = this.host.wire;
    if (d !== undefined && age > 0 && wire !== undefined) {
      d.session.probe(this.clock.now() - age);
      this.host.flushSession(d.session, wire);
    }
    this.renew();
  }

  /** The connection closed for good: nothing is left in the side sessions. */
  close(): void {
    this.share?.leave(this);
    this.binding?.clear();
    this.binding = undefined;
    if (this.draining !== undefined) {
      clearTimeout(this.draining.timer);
      this.draining.session.clear();
      this.draining = undefined;
    }
  }

  /**
   * A temporary key by the handshake on `wire` (the current session goes
   * on meanwhile), bound with auth.bindTempAuthKey as the only message of a
   * session on it; then traffic moves over (`switchTo`). Failures are told to
   * the scheduler, which retries after a growing delay.
   */
  private async make(wire: PacketWire, gen: number, action: Extract<TempKeyAction, { type: 'create' }>): Promise<void> {
    const host = this.host;
    const pfs = this.manager;
    let session: ClientSession | undefined;
    try {
      const result = await host.makeAuthKey(wire, { expiresIn: action.expiresIn });
      if (host.closed || gen !== host.generation) throw new ConnectionClosedError('closed while binding a temporary key');
      const key = pfs.keyCreated(result);
      session = host.newSession(key.authKey, key.serverSalt, key.timeOffset);
      const binder = pfs.binder(session.sessionId);
      this.binding = session;
      const id = session.sendBuilt('auth.bindTempAuthKey', (msgId) => serializeObject(binder.requestFor(msgId) as tl.TlAny));
      const answer = host.waitFor(id, 'auth.bindTempAuthKey', this.bindTimeout);
      host.flushSession(session, wire);
      const ok = await answer;
      if (ok !== true && (ok as { _?: string } | undefined)?._ !== 'boolTrue') throw new ConnectionClosedError('auth.bindTempAuthKey did not answer true');
      if (host.closed || gen !== host.generation) throw new ConnectionClosedError('closed while binding a temporary key');
    } catch (e) {
      if (this.binding === session) this.binding = undefined;
      session?.clear();
      pfs.failed();
      this.share?.settled(undefined);
      throw e;
    }
    this.binding = undefined;
    const sw = pfs.keyBound();
    this.bound++;
    this.inUse = sw.current;
    this.switchTo(session, sw.previous?.drainUntil ?? this.clock.now());
    this.share?.settled(this);
  }

  /** A session of our own on the share's current key (bound by another connection), traffic switched to it. */
  private adopt(): void {
    const cur = this.manager.current();
    if (cur === undefined || this.host.session?.core.authKeyId === cur.authKeyId) return;
    const previous = this.inUse;
    this.inUse = cur;
    const next = this.host.newSession(cur.authKey, cur.serverSalt, cur.timeOffset);
    this.switchTo(next, previous === undefined ? this.clock.now() : this.manager.stopAt(previous));
  }

  /**
   * New traffic goes to `next` (a session on a freshly bound key, which asks
   * for initConnection again). What the old session never sent moves at once;
   * what it sent stays there to be answered until `drainUntil`, then moves
   * too if the server never acknowledged it, and fails as in doubt if it did.
   */
  private switchTo(next: ClientSession, drainUntil: number): void {
    const host = this.host;
    if (this.draining !== undefined) this.endDrain();
    const old = host.session;
    host.session = next;
    host.initConfirmed = false;
    if (old === undefined) return;
    old.moveTo(next, false);
    const timer = setTimeout(() => this.endDrain(), Math.max(0, drainUntil - this.clock.now()));
    timer.unref?.();
    this.draining = { session: old, timer, until: drainUntil };
    if (old.pendingCalls === 0 || drainUntil <= this.clock.now()) this.endDrain();
    host.scheduleFlush();
  }

  private endDrain(): void {
    const d = this.draining;
    if (d === undefined) return;
    this.draining = undefined;
    clearTimeout(d.timer);
    const next = this.host.session;
    if (next !== undefined && next !== d.session) d.session.moveTo(next, true);
    const events = d.session.failAll((method) => new RequestInDoubtError(method));
    if (next !== undefined) this.host.handleEvents(events, next);
    d.session.clear();
    this.host.scheduleFlush();
  }
}
