// File parts that different connections get ready in the same event-loop
// turn are encrypted two at a time (see PairingCipher). A connection whose
// send queue holds a large message puts its flush off to the end of the turn
// (setImmediate: after every socket read of this turn, each of which may
// have let a transfer queue its next part); then every such connection is
// sealed inside one `collect`, and only then are the packets written — in
// each connection's order, all encrypted.
import { defaultCipher, PAIR_FROM } from '../mtproto/session/native-cipher.js';

/** What the runner needs of a connection. */
export interface PairedFlushHost {
  /** Packs and seals the send queue (the connection's own flush, without writing). */
  sealQueued(): Uint8Array[];
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
        sealed.push([host, host.sealQueued()]);
      } catch (e) {
        host.failed(e as Error);
      }
    }
  });
  for (const [host, packets] of sealed) host.sendSealed(packets);
}
