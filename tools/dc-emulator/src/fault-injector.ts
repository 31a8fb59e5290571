// Faults on demand, set and cleared by tests while the emulator runs. Each
// fault applies to the connections of a DC (or of every DC) that a target
// selects; the connection asks the injector about every encrypted frame in
// and out, every call, and the DC about its clock. With no fault set the
// connection takes its fast path (one property read per frame).

/** The error a `refuse` fault answers every call with (Telegram's code for each). */
export type RefusalText = 'AUTH_KEY_DUPLICATED' | 'AUTH_KEY_UNREGISTERED' | 'SESSION_REVOKED';

export const REFUSAL_CODES: Readonly<Record<RefusalText, number>> = {
  AUTH_KEY_DUPLICATED: 406,
  AUTH_KEY_UNREGISTERED: 401,
  SESSION_REVOKED: 401,
};

/**
 * What can go wrong. Frame and byte counts are of encrypted packets in both
 * directions on one connection, counted from when the fault was set (or
 * the connection opened, if later). `times` bounds how often a fault fires
 * in all (default: without bound while set); `probability` faults draw from
 * a PRNG seeded by `seed`, so a run replays exactly.
 */
export type Fault =
  /** Close the connection (no transport error) once it has carried `afterFrames` frames or `afterBytes` bytes. */
  | { kind: 'drop'; afterFrames?: number; afterBytes?: number; times?: number }
  /** Half-open: from then on nothing is read or answered, and the socket stays open. */
  | { kind: 'stall'; afterFrames?: number; afterBytes?: number }
  /** Every outgoing frame waits `ms` (plus up to `jitterMs`); order is kept. */
  | { kind: 'delay'; ms: number; jitterMs?: number; seed?: number }
  /** Outgoing frames sent twice (each with `probability`, default 1). */
  | { kind: 'duplicate'; probability?: number; seed?: number; times?: number }
  /** An outgoing frame held back and sent after the next one, or alone after `holdMs` (default 5) (each with `probability`, default 1). */
  | { kind: 'reorder'; probability?: number; seed?: number; times?: number; holdMs?: number }
  /** Transport error `code` (−404, −429 …) then close, once the connection has carried `afterFrames` frames. */
  | { kind: 'transport-error'; code: number; afterFrames?: number; times?: number }
  /** The next client packets are answered with bad_msg_notification `code` (48: bad_server_salt) instead of being read. */
  | { kind: 'bad-msg'; code: number; times?: number }
  /** Every call (not service messages) is answered with this rpc_error instead of running. */
  | { kind: 'refuse'; error: RefusalText; times?: number }
  /** The DC's clock runs `ms` ahead (negative: behind). DC-wide: sessions outlive connections. */
  | { kind: 'skew'; ms: number }
  /** The salt rotates at once, with no grace for the old one: the next message on it gets bad_server_salt. DC-wide. */
  | { kind: 'stale-salt' };

/** What a test sees of a connection when it selects one. */
export interface FaultConnectionView {
  /** Unique within the emulator. */
  readonly id: number;
  readonly dcId: number;
  /** Layer announced on it (undefined before invokeWithLayer). */
  readonly layer: number | undefined;
}

/** Which connections a fault applies to: a DC (default every DC) and optionally a connection id or predicate. */
export interface FaultTarget {
  dc?: number;
  connection?: number | ((c: FaultConnectionView) => boolean);
}

/** What the connection does with a frame. */
export type FrameVerdict = 'pass' | 'swallow' | 'close' | { transportError: number };

interface Counter {
  frames: number;
  bytes: number;
  fired: boolean;
}

interface ActiveFault {
  id: number;
  target: FaultTarget;
  fault: Fault;
  left: number;
  random: () => number;
  counters: WeakMap<object, Counter>;
}

/** Handle of a fault that is set; pass it to `clear` to lift just that one. */
export type FaultHandle = number;

/** mulberry32: small, fast and good enough to make fault patterns replayable. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Told when DC-wide faults are set, so the DC can act at once (rotate its salts). */
export interface FaultListener {
  onStaleSalt(dcId: number | undefined): void;
}

/**
 * The set of faults in force. One per emulator; every DC and connection
 * consults it. `set` returns a handle; `clear()` lifts everything.
 */
export class FaultInjector {
  private faults: ActiveFault[] = [];
  private nextId = 1;
  private listener: FaultListener | undefined;
  /** How many faults are set: 0 is the fast path. */
  active = 0;

  constructor(private readonly seed = 1) {}

  /** @internal The emulator's hook for DC-wide faults. */
  listen(l: FaultListener): void {
    this.listener = l;
  }

  set(target: FaultTarget, fault: Fault): FaultHandle {
    validate(fault);
    const id = this.nextId++;
    const seed = 'seed' in fault && fault.seed !== undefined ? fault.seed : this.seed * 7919 + id;
    if (fault.kind === 'stale-salt') {
      // Acts once, now; nothing stays set.
      this.listener?.onStaleSalt(target.dc);
      return id;
    }
    this.faults.push({
      id,
      target,
      fault,
      left: 'times' in fault && fault.times !== undefined ? fault.times : Infinity,
      random: seededRandom(seed),
      counters: new WeakMap(),
    });
    this.active = this.faults.length;
    return id;
  }

  /** Lifts one fault, or every fault when no handle is given. */
  clear(handle?: FaultHandle): void {
    this.faults = handle === undefined ? [] : this.faults.filter((f) => f.id !== handle);
    this.active = this.faults.length;
  }

  /** The faults set now (for diagnostics). */
  list(): { handle: FaultHandle; target: FaultTarget; fault: Fault }[] {
    return this.faults.map((f) => ({ handle: f.id, target: f.target, fault: f.fault }));
  }

  /** The clock offset of a DC, ms (the sum of its skew faults). */
  skewMs(dcId: number): number {
    let ms = 0;
    for (const f of this.faults) if (f.fault.kind === 'skew' && (f.target.dc === undefined || f.target.dc === dcId)) ms += f.fault.ms;
    return ms;
  }

  private *matching(c: FaultConnectionView): Iterable<ActiveFault> {
    for (const f of this.faults) {
      if (f.left <= 0) continue;
      const t = f.target;
      if (t.dc !== undefined && t.dc !== c.dcId) continue;
      if (typeof t.connection === 'number' && t.connection !== c.id) continue;
      if (typeof t.connection === 'function' && !t.connection(c)) continue;
      yield f;
    }
  }

  /** Counts one encrypted frame (in or out) and says what becomes of it. */
  frame(c: FaultConnectionView, bytes: number): FrameVerdict {
    let verdict: FrameVerdict = 'pass';
    for (const f of this.matching(c)) {
      const k = f.fault.kind;
      if (k !== 'drop' && k !== 'stall' && k !== 'transport-error') continue;
      let n = f.counters.get(c);
      if (n === undefined) f.counters.set(c, (n = { frames: 0, bytes: 0, fired: false }));
      n.frames++;
      n.bytes += bytes;
      if (n.fired) {
        if (k === 'stall') verdict = 'swallow';
        continue;
      }
      const fault = f.fault as { afterFrames?: number; afterBytes?: number };
      const due =
        (fault.afterFrames === undefined && fault.afterBytes === undefined) ||
        (fault.afterFrames !== undefined && n.frames > fault.afterFrames) ||
        (fault.afterBytes !== undefined && n.bytes > fault.afterBytes);
      if (!due) continue;
      n.fired = true;
      if (k === 'stall') {
        verdict = 'swallow';
        continue;
      }
      f.left--;
      return k === 'drop' ? 'close' : { transportError: (f.fault as { code: number }).code };
    }
    return verdict;
  }

  /** How an outgoing frame is shaped: sent twice, held back for reordering, and how long it waits. */
  outgoing(c: FaultConnectionView): { duplicate: boolean; holdBack: boolean; holdMs: number; delayMs: number } {
    const r = { duplicate: false, holdBack: false, holdMs: 5, delayMs: 0 };
    for (const f of this.matching(c)) {
      const fault = f.fault;
      if (fault.kind === 'duplicate' && f.random() < (fault.probability ?? 1)) {
        r.duplicate = true;
        f.left--;
      } else if (fault.kind === 'reorder' && f.random() < (fault.probability ?? 1)) {
        r.holdBack = true;
        r.holdMs = fault.holdMs ?? 5;
        f.left--;
      } else if (fault.kind === 'delay') {
        r.delayMs += fault.ms + (fault.jitterMs ? Math.floor(f.random() * fault.jitterMs) : 0);
      }
    }
    return r;
  }

  /** The bad_msg_notification code the next client packet gets instead of being read, if any. */
  badMsg(c: FaultConnectionView): number | undefined {
    for (const f of this.matching(c)) {
      if (f.fault.kind !== 'bad-msg') continue;
      f.left--;
      return f.fault.code;
    }
    return undefined;
  }

  /** The rpc_error a call gets instead of running, if a refuse fault is set. */
  refusal(c: FaultConnectionView): { code: number; text: RefusalText } | undefined {
    for (const f of this.matching(c)) {
      if (f.fault.kind !== 'refuse') continue;
      f.left--;
      return { code: REFUSAL_CODES[f.fault.error], text: f.fault.error };
    }
    return undefined;
  }
}

function validate(fault: Fault): void {
  const bad = (why: string) => new RangeError(`fault ${fault.kind}: ${why}`);
  const count = (v: number | undefined, name: string) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) throw bad(`${name} must be a whole number ≥ 0`);
  };
  const prob = (v: number | undefined) => {
    if (v !== undefined && !(v >= 0 && v <= 1)) throw bad('probability must be within 0…1');
  };
  if ('times' in fault) count(fault.times, 'times');
  switch (fault.kind) {
    case 'drop':
    case 'stall':
      count(fault.afterFrames, 'afterFrames');
      count(fault.afterBytes, 'afterBytes');
      return;
    case 'delay':
      if (!(fault.ms >= 0 && fault.ms <= 60_000)) throw bad('ms must be within 0…60000');
      count(fault.jitterMs, 'jitterMs');
      return;
    case 'duplicate':
      prob(fault.probability);
      return;
    case 'reorder':
      prob(fault.probability);
      if (fault.holdMs !== undefined && !(fault.holdMs >= 0 && fault.holdMs <= 10_000)) throw bad('holdMs must be within 0…10000');
      return;
    case 'transport-error':
      if (!(Number.isInteger(fault.code) && fault.code < 0 && fault.code >= -0x7fffffff)) throw bad('code must be a negative int32');
      count(fault.afterFrames, 'afterFrames');
      return;
    case 'bad-msg':
      if (!(Number.isInteger(fault.code) && fault.code >= 16 && fault.code <= 64)) throw bad('code must be a bad_msg_notification code (16…64)');
      return;
    case 'refuse':
      if (!(fault.error in REFUSAL_CODES)) throw bad(`unknown error ${String(fault.error)}`);
      return;
    case 'skew':
      if (!(Number.isFinite(fault.ms) && Math.abs(fault.ms) <= 86_400_000)) throw bad('ms must be within ±1 day');
      return;
    case 'stale-salt':
      return;
    default:
      throw new RangeError(`unknown fault kind ${(fault as { kind: string }).kind}`);
  }
}
