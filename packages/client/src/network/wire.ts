/**
 * What a connection needs from the network: whole MTProto packets each way.
 * The transport package's codecs and sockets sit behind this; tests can put
 * anything else there.
 */
export interface PacketWire {
  /** Writes one packet (auth_key_id onwards; the wire adds its own framing). */
  send(packet: Uint8Array): void;
  /** Closes the wire; no handler is called after this. */
  close(): void;
}

export interface WireHandlers {
  /**
   * One whole packet as read. `owned`: the bytes are handed over (nothing
   * else reads them later), so the session may decrypt them in place.
   */
  onPacket(packet: Uint8Array, owned?: boolean): void;
  /** The wire closed: cleanly (no error) or because of one. */
  onClose(error?: Error): void;
}

/** Opens a wire to a DC; rejects when it cannot. */
export type WireFactory = (dc: WireTarget, handlers: WireHandlers) => Promise<PacketWire>;

/** A DC as the wire sees it: `wireDcId` is the id for obfuscated inits (−id for media, +10000 for test DCs). */
export interface WireTarget extends DcEndpoint {
  wireDcId: number;
}

/** Where a DC listens. */
export interface DcEndpoint {
  id: number;
  host: string;
  port: number;
}
