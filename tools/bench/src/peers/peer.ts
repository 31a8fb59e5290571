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
  /** One ping / pong round trip; absent when the client has no way to send a ping and wait for its pong. */
  ping?: () => Promise<unknown>;
  /** Why `ping` is absent. */
  noPing?: string;
  close(): Promise<void>;
}

export interface Peer {
  readonly name: string;
  /** What the reader must know about how this client was measured. */
  readonly notes?: string[];
  /** Connects and makes a new auth key; resolves when the key is made, to a function that disconnects. */
  newAuthKey(target: PeerTarget): Promise<() => Promise<void>>;
  /** Connects with a new auth key and makes the first call (initConnection) before resolving. */
  open(target: PeerTarget): Promise<PeerSession>;
}
