/**
 * Whether running a method twice does no harm, so that a call whose fate
 * became unknown (sent in a session that was replaced) may simply be sent
 * again. Reads are: the method's own name (after the namespace) starts with
 * get, search, check or resolve — less the few reads with a side effect —
 * and so are the session's own service calls and file parts (the same bytes
 * to the same part). Anything else might send a message twice, or pay twice.
 */
export function isSafeToRepeat(method: string): boolean {
  if (SERVICE.has(method) || REPEATABLE_WRITES.has(method)) return true;
  if (NOT_PURE_READS.has(method)) return false;
  const name = method.slice(method.lastIndexOf('.') + 1);
  return /^(get|search|check|resolve)([A-Z]|$)/.test(name);
}

const SERVICE = new Set(['ping', 'ping_delay_disconnect', 'get_future_salts', 'destroy_session', 'msgs_state_req']);

/** Writes whose repeat leaves the same state behind. */
const REPEATABLE_WRITES = new Set(['upload.saveFilePart', 'upload.saveBigFilePart']);

/** Named like reads, but each call does something (presses a bot button, counts a view, shares a location). */
const NOT_PURE_READS = new Set([
  'messages.getBotCallbackAnswer',
  'messages.getMessagesViews',
  'contacts.getLocated',
  'messages.getInlineBotResults',
  'payments.getPaymentForm',
]);
