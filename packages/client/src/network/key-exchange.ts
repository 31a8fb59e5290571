// An auth-key handshake running on a connection's wire (permanent key, or
// a temporary one for PFS): the ClientHandshake state machine fed with the
// unencrypted packets (auth_key_id 0), bounded by a timeout, with the next
// step's exponentiations done while the server works on the previous one.
import { RequestTimeoutError } from '../errors.js';
import { ClientHandshake } from '../mtproto/handshake/client.js';
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
  private current: { machine: ClientHandshake; resolve(key: AuthKeyResult): void; reject(error: Error): void } | undefined;

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
    try {
      const step = hs.machine.receive(packet);
      if (step.send) wire?.send(step.send);
      if (step.done) hs.resolve(step.done);
      else if (step.send) this.precompute(hs.machine);
    } catch (e) {
      // HandshakeError: the key is never used; the connection is done for.
      hs.reject(e as Error);
    }
  }

  /**
   * Once a handshake packet is out, does the exponentiation the server's
   * answer would otherwise wait for (g^b, then g_a^b) while the server works on
   * it. Same randomness order either way; a failure here resurfaces in receive().
   */
  private precompute(machine: ClientHandshake): void {
    setImmediate(() => {
      if (this.current?.machine !== machine) return;
      try {
        machine.precompute();
      } catch {
        // receive() repeats the work and reports the error to the handshake's caller.
      }
    });
  }
}
