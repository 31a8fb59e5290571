import { UpdatesError } from './errors.js';

/**
 * What must be stored so that a restart resumes with nothing lost and nothing
 * repeated: the common message box (pts, seq, date), the secret/bot box (qts)
 * and each channel's pts. Plain JSON: channel ids are decimal strings, so
 * `JSON.stringify` works as is.
 */
export interface UpdatesState {
  pts: number;
  qts: number;
  date: number;
  seq: number;
  /** channel id (decimal) → that channel's pts. */
  channels: Record<string, number>;
}

const INT32_MAX = 0x7fffffff;

function isCounter(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= INT32_MAX;
}

/**
 * Checks a stored state (for example parsed from a session file) and returns
 * a fresh copy. Anything malformed raises `UpdatesError('BAD_STATE')` naming
 * the field, rather than resuming from garbage.
 */
export function parseUpdatesState(value: unknown, maxChannels = Infinity): UpdatesState {
  if (typeof value !== 'object' || value === null) throw new UpdatesError('BAD_STATE', 'updates state: not an object');
  const v = value as Record<string, unknown>;
  for (const field of ['pts', 'qts', 'date', 'seq'] as const) {
    if (!isCounter(v[field])) throw new UpdatesError('BAD_STATE', `updates state: ${field} is not an int32 ≥ 0`);
  }
  const channels: Record<string, number> = {};
  const raw = v.channels ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UpdatesError('BAD_STATE', 'updates state: channels is not an object');
  }
  let count = 0;
  for (const [id, pts] of Object.entries(raw)) {
    if (!/^[1-9][0-9]{0,18}$/.test(id) || BigInt(id) >= 1n << 63n) {
      throw new UpdatesError('BAD_STATE', `updates state: channel id ${JSON.stringify(id)} is not a positive 64-bit decimal`);
    }
    if (!isCounter(pts)) throw new UpdatesError('BAD_STATE', `updates state: channel ${id} pts is not an int32 ≥ 0`);
    if (++count > maxChannels) throw new UpdatesError('BAD_STATE', `updates state: more than ${maxChannels} channels`);
    channels[id] = pts;
  }
  return { pts: v.pts as number, qts: v.qts as number, date: v.date as number, seq: v.seq as number, channels };
}
