import { StorageError } from './errors.js';

/**
 * What a record may hold: JSON's values plus the two TL needs, `bigint`
 * (TL `long`) and `Uint8Array` (TL `bytes`, auth keys). Object keys must not
 * start with `$`, which the JSON encoding reserves for those two.
 */
export type StoredValue =
  | null
  | boolean
  | number
  | string
  | bigint
  | Uint8Array
  | StoredValue[]
  | { [key: string]: StoredValue };

const MAX_DEPTH = 32;
const MAX_KEY_LENGTH = 512;

/** Throws `StorageError('BAD_VALUE')` unless `key` is a key every driver can keep. */
export function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new StorageError('BAD_VALUE', `storage key must be a string of 1..${MAX_KEY_LENGTH} characters`);
  }
}

/**
 * Throws `StorageError('BAD_VALUE')` unless every driver can store `value`
 * and give it back equal: so memory and file storage accept the same things.
 */
export function checkValue(value: unknown, path = 'value', depth = 0): asserts value is StoredValue {
  if (depth > MAX_DEPTH) throw new StorageError('BAD_VALUE', `${path}: nested deeper than ${MAX_DEPTH}`);
  switch (typeof value) {
    case 'boolean':
    case 'string':
    case 'bigint':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new StorageError('BAD_VALUE', `${path}: ${value} is not a finite number`);
      return;
    case 'object': {
      if (value === null || value instanceof Uint8Array) return;
      if (Array.isArray(value)) {
        value.forEach((v, i) => checkValue(v, `${path}[${i}]`, depth + 1));
        return;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new StorageError('BAD_VALUE', `${path}: only plain objects can be stored, not ${proto?.constructor?.name ?? 'this'}`);
      for (const [k, v] of Object.entries(value)) {
        if (k.startsWith('$')) throw new StorageError('BAD_VALUE', `${path}.${k}: keys starting with $ are reserved`);
        if (v === undefined) continue;
        checkValue(v, `${path}.${k}`, depth + 1);
      }
      return;
    }
    default:
      throw new StorageError('BAD_VALUE', `${path}: a ${typeof value} cannot be stored`);
  }
}

/** A deep copy, so no caller can change a stored record behind the storage's back. */
export function copyValue<T extends StoredValue>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Uint8Array) return new Uint8Array(value) as T;
  if (Array.isArray(value)) return value.map((v) => copyValue(v)) as T;
  const out: Record<string, StoredValue> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = copyValue(v);
  return out as T;
}

/** To plain JSON: `bigint` → `{ "$n": "123" }`, bytes → `{ "$b": "<base64>" }`. */
export function toJson(value: StoredValue): unknown {
  if (typeof value === 'bigint') return { $n: value.toString() };
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Uint8Array) return { $b: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (Array.isArray(value)) return value.map(toJson);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
  return out;
}

/** The inverse of `toJson`; throws a plain Error saying what is wrong, for the caller to wrap. */
export function fromJson(json: unknown, path = 'value', depth = 0): StoredValue {
  if (depth > MAX_DEPTH) throw new Error(`${path}: nested deeper than ${MAX_DEPTH}`);
  if (json === null || typeof json === 'boolean' || typeof json === 'string') return json;
  if (typeof json === 'number') {
    if (!Number.isFinite(json)) throw new Error(`${path}: not a finite number`);
    return json;
  }
  if (Array.isArray(json)) return json.map((v, i) => fromJson(v, `${path}[${i}]`, depth + 1));
  if (typeof json !== 'object') throw new Error(`${path}: unexpected ${typeof json}`);
  const obj = json as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === '$n') {
    if (typeof obj.$n !== 'string' || !/^-?\d{1,40}$/.test(obj.$n)) throw new Error(`${path}: bad bigint`);
    return BigInt(obj.$n);
  }
  if (keys.length === 1 && keys[0] === '$b') {
    if (typeof obj.$b !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(obj.$b)) throw new Error(`${path}: bad base64`);
    return new Uint8Array(Buffer.from(obj.$b, 'base64'));
  }
  const out: Record<string, StoredValue> = {};
  for (const k of keys) {
    if (k.startsWith('$')) throw new Error(`${path}: unknown tag ${k}`);
    out[k] = fromJson(obj[k], `${path}.${k}`, depth + 1);
  }
  return out;
}
