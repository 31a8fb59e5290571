export interface AuthKeyResult {
  /** 256 bytes. */
  authKey: Uint8Array;
  /** Low 64 bits of SHA1(authKey), read little-endian from bytes 12..20. */
  authKeyId: bigint;
  /** new_nonce[0..8] XOR server_nonce[0..8], as a little-endian long. */
  serverSalt: bigint;
  /** Server time − local time, in seconds (from server_DH_inner_data.server_time). */
  timeOffset: number;
  /** Temp keys (PFS): unix seconds (server clock) when the key expires. */
  expiresAt?: number;
}

export type RandomSource = (n: number) => Uint8Array;
export type Clock = () => number;
