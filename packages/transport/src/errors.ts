/** What went wrong, when it was found on our side rather than sent by the peer. */
export type TransportErrorCode =
  | 'BAD_LENGTH' // zero, negative or above maxPacketSize (or not a multiple of 4 where the codec needs it)
  | 'BAD_CRC' // full transport: CRC32 mismatch
  | 'BAD_SEQ' // full transport: sequence number mismatch
  | 'TRUNCATED' // the stream ended in the middle of a frame
  | 'BAD_INIT' // garbage before or instead of a transport init
  | 'BAD_TLS' // fake-TLS: wrong digest, wrong record, clock skew
  | 'BAD_SECRET' // an MTProxy secret we cannot parse
  | 'UNSUPPORTED' // a combination the protocol does not define
  | 'TIMEOUT'
  | 'ABORTED'
  | 'CONNECT_FAILED'
  | 'PROXY_FAILED'
  | 'CLOSED';

/**
 * Every transport failure. `code` is a negative number when the peer sent one of
 * MTProto's 4-byte error packets (-404, -429, -444 …), otherwise a string naming
 * what we found wrong.
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly code: number | TransportErrorCode;

  constructor(code: number | TransportErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? (typeof code === 'number' ? `peer sent transport error ${code}` : code), options);
    this.code = code;
  }

  /** True when the code came from the peer's 4-byte error packet. */
  get fromPeer(): boolean {
    return typeof this.code === 'number';
  }
}

/** Wrap anything thrown by a socket library into a TransportError. */
export function toTransportError(error: unknown, code: TransportErrorCode): TransportError {
  if (error instanceof TransportError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TransportError(code, `${code}: ${message}`, { cause: error });
}
