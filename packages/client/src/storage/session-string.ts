import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SessionStringError } from './errors.js';
import { MemoryStorage, type Storage } from './storage.js';
import { fromJson, toJson, type StoredValue } from './value.js';

/** The first byte of the decoded string; a reader refuses versions it does not know. */
export const SESSION_STRING_VERSION = 1;
const CHECKSUM_BYTES = 4;
/** Far above what a session with a large peer cache needs; bounds what a bad input can make us allocate. */
const MAX_LENGTH = 8 * 1024 * 1024;

export interface ExportSessionOptions {
  /** Include the peer cache (default false: it can be large, and it refills itself). */
  peers?: boolean;
  /** Include temporary (PFS) auth keys (default false: they expire, and a new process makes its own). */
  tempKeys?: boolean;
}

/**
 * A storage as one printable string: base64url of
 * `version (1 byte) ‖ deflated JSON records ‖ first 4 bytes of SHA-256 of what precedes`.
 * It holds the auth key, which is the login: keep it as secret as a password.
 */
export async function exportSession(storage: Storage, options: ExportSessionOptions = {}): Promise<string> {
  const records: Record<string, unknown> = {};
  for (const [k, v] of await storage.driver.entries('')) {
    if (!options.peers && k.startsWith('peer')) continue;
    if (!options.tempKeys && /^auth-key:\d+:temp$/.test(k)) continue;
    records[k] = toJson(v);
  }
  const body = deflateRawSync(Buffer.from(JSON.stringify(records), 'utf8'), { level: 9 });
  const head = Buffer.from([SESSION_STRING_VERSION]);
  return Buffer.concat([head, body, checksum(head, body)]).toString('base64url');
}

/** Reads a string from `exportSession` into a new `MemoryStorage`; a bad string gives a `SessionStringError`. */
export function importSession(text: string): MemoryStorage {
  if (typeof text !== 'string') throw new SessionStringError('BAD_ENCODING', 'a session string must be a string');
  const s = text.trim();
  if (s.length > MAX_LENGTH) throw new SessionStringError('TOO_LONG', `session string is ${s.length} characters, more than ${MAX_LENGTH}`);
  // Buffer's decoder skips characters it does not know; checking first keeps a typo from turning into a checksum error.
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new SessionStringError('BAD_ENCODING', 'session string is not base64url');
  const bytes = Buffer.from(s, 'base64url');
  // Unused low bits of the last character would otherwise let two strings mean one session.
  if (bytes.toString('base64url') !== s) throw new SessionStringError('BAD_ENCODING', 'session string is not canonical base64url (cut short?)');
  if (bytes.length < 1 + CHECKSUM_BYTES) throw new SessionStringError('BAD_ENCODING', 'session string is too short');
  const version = bytes[0]!;
  const head = bytes.subarray(0, 1);
  const body = bytes.subarray(1, bytes.length - CHECKSUM_BYTES);
  const sum = bytes.subarray(bytes.length - CHECKSUM_BYTES);
  if (!checksum(head, body).equals(sum)) throw new SessionStringError('BAD_CHECKSUM', 'session string checksum does not match: it was cut short or altered');
  if (version !== SESSION_STRING_VERSION) throw new SessionStringError('UNSUPPORTED_VERSION', `session string version ${version} is not one this library reads (${SESSION_STRING_VERSION})`);
  let records: [string, StoredValue][];
  try {
    // Bounded inflate: a small string must not expand into gigabytes.
    const json = JSON.parse(inflateRawSync(body, { maxOutputLength: MAX_LENGTH }).toString('utf8')) as unknown;
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('not an object of records');
    records = Object.entries(json).map(([k, v]) => [k, fromJson(v, k)]);
  } catch (e) {
    throw new SessionStringError('BAD_PAYLOAD', `session string content is not a session: ${(e as Error).message}`, { cause: e });
  }
  return new MemoryStorage(records);
}

function checksum(head: Buffer, body: Buffer): Buffer {
  return createHash('sha256').update(head).update(body).digest().subarray(0, CHECKSUM_BYTES);
}
