/**
 * Something handed to the updates box was not what the protocol allows: an
 * answer to a request it never made, a result of the wrong type, or a stored
 * state that does not parse. The box's own state is unchanged when it throws.
 */
export class UpdatesError extends Error {
  override readonly name = 'UpdatesError';
  constructor(
    /** What kind of mistake: `UNKNOWN_REQUEST`, `BAD_RESULT`, `BAD_STATE`, `BAD_UPDATES`. */
    readonly code: 'UNKNOWN_REQUEST' | 'BAD_RESULT' | 'BAD_STATE' | 'BAD_UPDATES',
    message: string,
  ) {
    super(message);
  }
}
