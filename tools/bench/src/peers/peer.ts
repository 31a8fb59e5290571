// What every client measured here provides: fresh auth keys, and an open
// session on which to make calls one at a time or all at once.
import type { EmulatedDc } from '../emulator.js';

export interface PeerTarget {
  dc: EmulatedDc;
  rsaPublicKeys: string[];
}

export interface PeerSession {
  /** One RPC round trip through the server's method dispatch: help.getNearestDc. */
  rpc(): Promise<unknown>;
  /** One ping / pong round trip. */
  ping(): Promise<unknown>;
  close(): Promise<void>;
}

export interface Peer {
  readonly name: string;
  /** Connects, makes a new auth key, and disconnects; resolves when the key is made. */
  newAuthKey(target: PeerTarget): Promise<void>;
  /** Connects with a new auth key and makes the first call (initConnection) before resolving. */
  open(target: PeerTarget): Promise<PeerSession>;
}
