import { createHash } from 'node:crypto';
import type { StorageDriver } from '../driver.js';
import { StorageError } from '../errors.js';
import { asRecord, badValue, bytes, int, long, optInt } from './records.js';

/** `perm`: the long-lived key a login is bound to. `temp`: a PFS key bound to it (auth.bindTempAuthKey). */
export type AuthKeyKind = 'perm' | 'temp';

/** An auth key with what goes with it; the same shape as the handshake's `AuthKeyResult`. */
export interface StoredAuthKey {
  /** 256 bytes. */
  authKey: Uint8Array;
  /** Low 64 bits of SHA1(authKey), little-endian bytes 12..20; checked against the key. */
  authKeyId: bigint;
  serverSalt: bigint;
  /** Server time − local time, seconds. */
  timeOffset: number;
  /** Temp keys: unix time (server clock) when the key expires. */
  expiresAt?: number;
}

export function authKeyIdOf(authKey: Uint8Array): bigint {
  return createHash('sha1').update(authKey).digest().readBigInt64LE(12);
}

const key = (dcId: number, kind: AuthKeyKind): string => `auth-key:${dcId}:${kind}`;

function checkDcId(dcId: number): void {
  if (!Number.isInteger(dcId) || dcId < 1 || dcId > 0xffff) badValue(`dc id ${dcId} is not an integer in 1..65535`);
}

/** Auth keys per DC, a permanent and a temporary one each. */
export class AuthKeysRepository {
  constructor(private readonly driver: StorageDriver) {}

  async get(dcId: number, kind: AuthKeyKind = 'perm'): Promise<StoredAuthKey | undefined> {
    checkDcId(dcId);
    const raw = await this.driver.get(key(dcId, kind));
    return raw === undefined ? undefined : readAuthKey(raw, `${kind} auth key of DC ${dcId}`);
  }

  async set(dcId: number, value: StoredAuthKey, kind: AuthKeyKind = 'perm'): Promise<void> {
    checkDcId(dcId);
    const what = `${kind} auth key of DC ${dcId}`;
    // Checking the fields here means a bad key fails where it was made, not at the next start.
    const checked = readAuthKey({ ...value } as never, what, true);
    const record: Record<string, bigint | number | Uint8Array> = {
      authKey: checked.authKey,
      authKeyId: checked.authKeyId,
      serverSalt: checked.serverSalt,
      timeOffset: checked.timeOffset,
    };
    if (checked.expiresAt !== undefined) record.expiresAt = checked.expiresAt;
    await this.driver.set(key(dcId, kind), record);
  }

  /** Updates the salt and/or time offset of a stored key (they change during a session); false if there is no such key. */
  async update(dcId: number, kind: AuthKeyKind, patch: { serverSalt?: bigint; timeOffset?: number }): Promise<boolean> {
    const current = await this.get(dcId, kind);
    if (!current) return false;
    await this.set(dcId, { ...current, ...patch }, kind);
    return true;
  }

  /** Deletes one kind, or both when `kind` is omitted (a logged-out or revoked key). */
  async delete(dcId: number, kind?: AuthKeyKind): Promise<void> {
    checkDcId(dcId);
    await this.driver.transaction((tx) => {
      for (const k of kind ? [kind] : (['perm', 'temp'] as const)) tx.delete(key(dcId, k));
    });
  }

  /** Every stored key, by DC then kind. */
  async list(): Promise<{ dcId: number; kind: AuthKeyKind; key: StoredAuthKey }[]> {
    const out: { dcId: number; kind: AuthKeyKind; key: StoredAuthKey }[] = [];
    for (const [k, v] of await this.driver.entries('auth-key:')) {
      const m = /^auth-key:(\d+):(perm|temp)$/.exec(k);
      if (!m) continue;
      out.push({ dcId: Number(m[1]), kind: m[2] as AuthKeyKind, key: readAuthKey(v, k) });
    }
    return out.sort((a, b) => a.dcId - b.dcId || (a.kind < b.kind ? -1 : 1));
  }
}

function readAuthKey(raw: Parameters<typeof asRecord>[0], what: string, input = false): StoredAuthKey {
  const r = asRecord(raw, what);
  try {
    const authKey = bytes(r, 'authKey', what, 256);
    const authKeyId = long(r, 'authKeyId', what);
    if (authKeyIdOf(authKey) !== authKeyId) return badId(what, input);
    const out: StoredAuthKey = {
      authKey,
      authKeyId,
      serverSalt: long(r, 'serverSalt', what),
      timeOffset: int(r, 'timeOffset', what),
    };
    const expiresAt = optInt(r, 'expiresAt', what, 0, 0xffffffff);
    if (expiresAt !== undefined) out.expiresAt = expiresAt;
    return out;
  } catch (e) {
    if (input && e instanceof StorageError && e.code === 'BAD_RECORD') badValue(e.message);
    throw e;
  }
}

function badId(what: string, input: boolean): never {
  if (input) badValue(`${what}: authKeyId does not match the key`);
  throw new StorageError('BAD_RECORD', `${what}: authKeyId does not match the key`);
}
