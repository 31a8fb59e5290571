import { StorageError } from '../errors.js';
import type { StoredValue } from '../value.js';

// Small readers that turn a stored record back into a typed one, or say which
// field is wrong: a repository never hands out a half-valid record.

export type Rec = Record<string, StoredValue>;

export function asRecord(value: StoredValue | undefined, what: string): Rec {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw new StorageError('BAD_RECORD', `${what}: not a record`);
  }
  return value;
}

export function int(r: Rec, field: string, what: string, min = -0x80000000, max = 0x7fffffff): number {
  const v = r[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new StorageError('BAD_RECORD', `${what}: ${field} is not an integer in ${min}..${max}`);
  return v;
}

export function optInt(r: Rec, field: string, what: string, min?: number, max?: number): number | undefined {
  return r[field] === undefined ? undefined : int(r, field, what, min, max);
}

export function long(r: Rec, field: string, what: string): bigint {
  const v = r[field];
  if (typeof v !== 'bigint' || v < -(1n << 63n) || v >= 1n << 63n) throw new StorageError('BAD_RECORD', `${what}: ${field} is not a 64-bit integer`);
  return v;
}

export function str(r: Rec, field: string, what: string): string {
  const v = r[field];
  if (typeof v !== 'string') throw new StorageError('BAD_RECORD', `${what}: ${field} is not a string`);
  return v;
}

export function optStr(r: Rec, field: string, what: string): string | undefined {
  return r[field] === undefined ? undefined : str(r, field, what);
}

export function bool(r: Rec, field: string, what: string): boolean {
  const v = r[field];
  if (typeof v !== 'boolean') throw new StorageError('BAD_RECORD', `${what}: ${field} is not a boolean`);
  return v;
}

export function bytes(r: Rec, field: string, what: string, length?: number): Uint8Array {
  const v = r[field];
  if (!(v instanceof Uint8Array) || (length !== undefined && v.length !== length)) {
    throw new StorageError('BAD_RECORD', `${what}: ${field} is not ${length ?? 'a'} bytes`);
  }
  return v;
}

/** Rejects a value a caller passes in, with the same wording as a bad stored record. */
export function badValue(what: string): never {
  throw new StorageError('BAD_VALUE', what);
}
