/**
 * Why a handshake was abandoned. The codes are stable strings so callers (and
 * the emulator's security tests) can tell a malicious server from a bug.
 */
export type HandshakeErrorCode =
  | 'BAD_MESSAGE' // malformed or unexpected packet
  | 'BAD_STATE' // receive() after the handshake ended, or before start()
  | 'NONCE_MISMATCH'
  | 'SERVER_NONCE_MISMATCH'
  | 'NO_KNOWN_KEY' // none of the server's fingerprints is a key we hold
  | 'BAD_PQ' // pq is not a product of two primes we can find
  | 'RSA_PAD' // server: encrypted_data fails its hash check
  | 'DH_PARAMS_FAIL' // server_DH_params_fail
  | 'ANSWER_HASH' // SHA1 over server_DH_inner_data does not match
  | 'BAD_DH_PRIME'
  | 'BAD_G'
  | 'G_A_RANGE'
  | 'G_B_RANGE'
  | 'NEW_NONCE_HASH'
  | 'DH_GEN_FAIL'
  | 'RETRY_LIMIT';

export class HandshakeError extends Error {
  override name = 'HandshakeError';
  constructor(
    readonly code: HandshakeErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}
