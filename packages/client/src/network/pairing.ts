// File parts that different connections get ready, or receive, in the same
// event-loop turn are encrypted or decrypted two at a time (see
// PairingCipher); both wait for the end of the turn (setImmediate: after
// every socket read of this turn).
//
// Sending: a connection whose send queue holds a large message puts its
// flush off; then every such connection is sealed inside one `collect`, and
// only then are the packets written — in each connection's order, all
// encrypted.
//
// Receiving: a large packet, and every packet after it on that connection,
// is held; then the large ones of all connections are decrypted in place,
// in pairs, and each connection takes its held packets in the order they
// came, finding those already decrypted.
import type { OpenJob } from '../mtproto/session/cipher.js';
import type { Envelope } from '../mtproto/session/envelope.js';
import { defaultCipher, PAIR_FROM } from '../mtproto/session/native-cipher.js';

/** What the runner needs of a connection. */
export interface PairedFlushHost {
  /** Packs and seals the send queue (the connection's own flush, without writing); undefined when it may not flush now. */
  sealQueued(): Uint8Array[] | undefined;
  /** Writes packets sealed by `sealQueued` and does what follows a flush. */
  sendSealed(packets: Uint8Array[]): void;
  /** A seal that failed: the connection's own failure path. */
  failed(error: Error): void;
}

const waiting = new Set<PairedFlushHost>();
let scheduled = false;

/** Whether a flush is worth putting off for pairing: a large body waits, sealed by the default cipher. */
export function pairable(queuedBytes: number, customCipher: boolean): boolean {
  return queuedBytes >= PAIR_FROM && !customCipher;
}

/** Flushes `host` at the end of this event-loop turn, with whatever else is large and ready then. */
export function flushPaired(host: PairedFlushHost): void {
  waiting.add(host);
  if (scheduled) return;
  scheduled = true;
  setImmediate(flushWaiting);
}

function flushWaiting(): void {
  scheduled = false;
  const hosts = [...waiting];
  waiting.clear();
  const sealed: [PairedFlushHost, Uint8Array[]][] = [];
  defaultCipher().collect(() => {
    for (const host of hosts) {
      try {
        const packets = host.sealQueued();
        if (packets !== undefined) sealed.push([host, packets]);
      } catch (e) {
        host.failed(e as Error);
      }
    }
  });
  for (const [host, packets] of sealed) host.sendSealed(packets);
}

/** What the receiving side needs of a connection. */
export interface HeldPacketsHost {
  /** The envelope `packet` would be opened with, when it is the default cipher's to open; else undefined. */
  envelopeFor(packet: Uint8Array): Envelope | undefined;
  /** Takes a packet held back (the connection's own receive); called in the order they came. */
  receiveHeld(packet: Uint8Array, owned: boolean): void;
}

type Held = [packet: Uint8Array, owned: boolean];
const held = new Map<HeldPacketsHost, Held[]>();
let receiving = false;

/**
 * Whether `packet` waits for the end of the turn: a large one the receiver
 * owns (may decrypt in place) does, and so does everything after it on the
 * same connection, so that packets are still taken in order.
 */
export function holdPacket(host: HeldPacketsHost, packet: Uint8Array, owned: boolean): boolean {
  const queue = held.get(host);
  if (queue !== undefined) {
    queue.push([packet, owned]);
    return true;
  }
  if (!owned || packet.length < PAIR_FROM || host.envelopeFor(packet) === undefined) return false;
  held.set(host, [[packet, owned]]);
  if (!receiving) {
    receiving = true;
    setImmediate(receiveHeld);
  }
  return true;
}

function receiveHeld(): void {
  receiving = false;
  const entries = [...held];
  held.clear();
  const jobs: OpenJob[] = [];
  for (const [host, packets] of entries) {
    for (const [packet, owned] of packets) {
      if (!owned || packet.length < PAIR_FROM) continue;
      const job = host.envelopeFor(packet)?.openJob(packet);
      if (job !== undefined) jobs.push(job);
    }
  }
  let failure: { error: unknown } | undefined;
  defaultCipher().openAhead(jobs, () => {
    for (const [host, packets] of entries) {
      for (const [packet, owned] of packets) {
        try {
          host.receiveHeld(packet, owned);
        } catch (error) {
          failure ??= { error }; // the other packets and connections still get theirs
        }
      }
    }
  });
  if (failure !== undefined) throw failure.error;
}
