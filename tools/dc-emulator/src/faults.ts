/**
 * Where faults are injected. The emulator calls these hooks on every packet
 * of the encrypted phase; the fault-injection work (drops, delays, reorders,
 * resets, salt and session changes) plugs in here without touching the
 * protocol code. A hook returns the packet to pass on (the same one, or
 * altered), or null to swallow it.
 */
export interface PacketFaults {
  /** A packet from the client, before the session sees it. */
  incoming?(packet: Uint8Array, info: FaultPacketInfo): Uint8Array | null;
  /** An encrypted packet to the client, just before the transport frames it. */
  outgoing?(packet: Uint8Array, info: FaultPacketInfo): Uint8Array | null;
}

export interface FaultPacketInfo {
  dcId: number;
  /** A number unique to the connection within the emulator. */
  connectionId: number;
  /** 0n for the unencrypted handshake phase. */
  authKeyId: bigint;
}

/** Every misbehaviour the emulator can be started with, for the client's security tests. */
export type Misbehaviour = 'bad_dh_prime' | 'g_a_range' | 'wrong_nonce' | 'wrong_answer_hash' | 'wrong_msg_key';

/**
 * wrong_msg_key: every encrypted packet to the client carries a msg_key that
 * does not match its contents (one bit flipped), which a client must drop.
 */
export const wrongMsgKey: PacketFaults = {
  outgoing(packet) {
    if (packet.length < 24) return packet;
    const out = packet.slice();
    out[8]! ^= 1;
    return out;
  },
};

/** Runs two fault sets one after the other (the misbehaviour's, then the caller's). */
export function chainFaults(a: PacketFaults | undefined, b: PacketFaults | undefined): PacketFaults | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return {
    incoming: (p, i) => {
      const x = a.incoming ? a.incoming(p, i) : p;
      return x === null || !b.incoming ? x : b.incoming(x, i);
    },
    outgoing: (p, i) => {
      const x = a.outgoing ? a.outgoing(p, i) : p;
      return x === null || !b.outgoing ? x : b.outgoing(x, i);
    },
  };
}
