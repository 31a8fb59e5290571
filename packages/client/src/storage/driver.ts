import type { StoredValue } from './value.js';

/** Reads and writes inside `StorageDriver.transaction`; reads see the transaction's own writes. */
export interface StorageTransaction {
  get(key: string): Promise<StoredValue | undefined>;
  set(key: string, value: StoredValue): void;
  delete(key: string): void;
}

/**
 * The one interface a storage backend implements: a key-value store of small
 * records. Repositories (auth keys, updates state, peers …) are built on top
 * and never see which backend is underneath. Values are copied in and out:
 * changing a value after `set` or after `get` changes nothing stored.
 */
export interface StorageDriver {
  /** Reads what is persisted. Every other method calls it first, so calling it is optional; it is where a corrupt file is reported. */
  load(): Promise<void>;
  get(key: string): Promise<StoredValue | undefined>;
  set(key: string, value: StoredValue): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every record whose key starts with `prefix`, in key order. */
  entries(prefix: string): Promise<[string, StoredValue][]>;
  /**
   * Runs `fn` and applies all its writes together, or none of them if it
   * throws. Writes of concurrent transactions do not interleave; the last to
   * finish wins on a key both wrote.
   */
  transaction<T>(fn: (tx: StorageTransaction) => Promise<T> | T): Promise<T>;
  /** Resolves once everything written so far is durable (for drivers that persist). */
  flush(): Promise<void>;
  /** Flushes and releases the backend; any later call fails with `StorageError('CLOSED')`. */
  close(): Promise<void>;
}
