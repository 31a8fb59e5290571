// An auth-key handshake running on a connection's wire (permanent key, or
// a temporary one for PFS): the ClientHandshake state machine fed with the
// unencrypted packets (auth_key_id 0), bounded by a timeout, with the next
// step's exponentiations done while the server works on the previous one —
// in place, or (`dhWork: 'thread-pool'`) on the thread pool through
// crypto-native's addon, so a handshake never holds the event loop.
import { defaultCrypto } from '@telegram-mt/crypto-native';
import { RequestTimeoutError } from '../errors.js';
import { ClientHandshake, type DhPower } from '../mtproto/handshake/client.js';
import { HandshakeError } from '../mtproto/handshake/errors.js';
import type { AuthKeyResult } from '../mtproto/handshake/types.js';
import { parseRsaPublicKey, type RsaPublicKey } from '../mtproto/rsa.js';
import type { Clock } from '../mtproto/session/clock.js';
import type { PacketWire } from './wire.js';

export interface KeyExchangeOptions {
  /** The dc id as the handshake sends it (test and media DCs shifted). */
  dcId: number;
  /** Server keys to trust, PKCS#1 PEM. */
  rsaPublicKeys: readonly string[];
  clock: Clock;
  /** Most time the handshake may take, ms. */
  timeout: number;
}

/** base^exponent mod modulus off the main thread (big-endian bytes, padded to the modulus). */
export type PowAsync = (base: Uint8Array, exponent: Uint8Array, modulus: Uint8Array) => Promise<Uint8Array>;

/** The addon's thread-pool exponentiation; undefined without the addon (the work is then done in place, node:crypto). */
export function threadPoolPow(): PowAsync | undefined {
  return defaultCrypto.backend === 'native' ? defaultCrypto.modPowAsync : undefined;
}

/** Packets held while an exponentiation they need is under way (a handshake has one answer in flight; more is a misbehaving server). */
const MAX_HELD = 8;

interface Running {
  machine: ClientHandshake;
  resolve(key: AuthKeyResult): void;
  reject(error: Error): void;
  /** An exponentiation on the thread pool; packets wait for it in `held`. */
  powering: boolean;
  held: Uint8Array[];
  wire: PacketWire | undefined;
}

/**
 * Parsed server keys by PEM: parsing costs ~0.2 ms a key, on every handshake
 * otherwise (a client with PFS makes one per key renewal). Bounded: a process
 * trusts a handful of keys.
 */
const parsed = new Map<string, RsaPublicKey>();
function parsedKey(pem: string): RsaPublicKey {
  let key = parsed.get(pem);
  if (key === undefined) {
    key = parseRsaPublicKey(pem);
    if (parsed.size >= 64) parsed.clear();
    parsed.set(pem, key);
  }
  return key;
}

export class KeyExchange {
  private current: Running | undefined;

  /** `pow`: where exponentiations go (e.g. `threadPoolPow()`); without it they are done in place. */
  constructor(private readonly pow?: PowAsync) {}

  /** Whether a handshake runs now. */
  get running(): boolean {
    return this.current !== undefined;
  }

  /** Starts a handshake on `wire`; resolves to the key, rejects with HandshakeError, a timeout or `reject`'s error. */
  run(wire: PacketWire, opts: KeyExchangeOptions, temp?: { expiresIn: number }): Promise<AuthKeyResult> {
    const machine = new ClientHandshake({
      dcId: opts.dcId,
      publicKeys: opts.rsaPublicKeys.map(parsedKey),
      now: () => opts.clock.now(),
      ...(temp ? { temp } : {}),
    });
    return new Promise<AuthKeyResult>((resolve, reject) => {
      const limit = opts.timeout;
      const timer = setTimeout(() => this.current?.reject(new RequestTimeoutError('auth key handshake', limit)), limit);
      this.current = {
        machine,
        powering: false,
        held: [],
        wire,
        resolve: (key) => {
          clearTimeout(timer);
          this.current = undefined;
          resolve(key);
        },
        reject: (e) => {
          clearTimeout(timer);
          this.current = undefined;
          reject(e);
        },
      };
      wire.send(machine.start());
      // Off the thread, g^b starts now (it overlaps the first round trips too); in place it waits for
      // req_DH_params, so that it overlaps the server's RSA decryption instead of delaying resPQ's handling.
      if (this.pow !== undefined) this.precompute(this.current);
    });
  }

  /** Fails the handshake in flight, if any (the wire dropped, the connection closed). */
  reject(error: Error): void {
    this.current?.reject(error);
  }

  /** An unencrypted packet: the next step of the handshake in flight (ignored when none runs). */
  receive(packet: Uint8Array, wire: PacketWire | undefined): void {
    const hs = this.current;
    if (hs === undefined) return;
    hs.wire = wire;
    if (hs.powering) {
      // The answer needs the exponentiation under way: it goes on once that is back.
      if (hs.held.length >= MAX_HELD) hs.reject(new HandshakeError('BAD_STATE', `more than ${MAX_HELD} handshake packets at once`));
      else hs.held.push(packet);
      return;
    }
    try {
      const step = hs.machine.receive(packet);
      if (step.send) wire?.send(step.send);
      if (step.done) hs.resolve(step.done);
      else if (step.send) this.precompute(hs);
    } catch (e) {
      // HandshakeError: the key is never used; the connection is done for.
      hs.reject(e as Error);
    }
  }

  /**
   * Once a handshake packet is out, does the exponentiation the server's
   * answer would otherwise wait for (g^b, then g_a^b) while the server works on
   * it. Same packets and key either way; a failure here resurfaces in receive().
   */
  private precompute(hs: Running): void {
    const machine = hs.machine;
    const pow = this.pow;
    if (pow === undefined) {
      setImmediate(() => {
        if (this.current !== hs) return;
        try {
          machine.precompute();
        } catch {
          // receive() repeats the work and reports the error to the handshake's caller.
        }
      });
      return;
    }
    const need: DhPower | undefined = machine.nextPower();
    if (need === undefined) return;
    let work: Promise<Uint8Array>;
    try {
      work = pow(need.base, need.exponent, need.modulus);
    } catch {
      return; // receive() does the work itself (and reports what is wrong with it)
    }
    hs.powering = true;
    work.then(
      (result) => {
        if (this.current === hs) machine.powered(need, result);
        this.resume(hs);
      },
      // receive() does the work itself (and reports what is wrong with it).
      () => this.resume(hs),
    );
  }

  /** The exponentiation is back: the packets that waited for it go on, in order. */
  private resume(hs: Running): void {
    hs.powering = false;
    while (this.current === hs && !hs.powering && hs.held.length > 0) this.receive(hs.held.shift()!, hs.wire);
  }
}
