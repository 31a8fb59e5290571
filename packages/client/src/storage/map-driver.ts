import type { StorageDriver, StorageTransaction } from './driver.js';
import { StorageError } from './errors.js';
import { checkKey, checkValue, copyValue, type StoredValue } from './value.js';

/**
 * A driver whose working set is a Map in memory; subclasses decide how it is
 * loaded and persisted (`persist` is told after every change).
 */
export abstract class MapDriver implements StorageDriver {
  protected records = new Map<string, StoredValue>();
  private loading: Promise<void> | undefined;
  protected closed = false;

  /** Fills `records` from the backend. */
  protected abstract loadRecords(): Promise<void>;
  /** Called after each applied change. */
  protected abstract changed(): void;
  abstract flush(): Promise<void>;
  protected abstract release(): Promise<void>;

  load(): Promise<void> {
    if (this.closed) return Promise.reject(new StorageError('CLOSED', 'storage is closed'));
    // A failed load is not cached: the caller may repair the file and retry.
    this.loading ??= this.loadRecords().catch((e: unknown) => {
      this.loading = undefined;
      throw e;
    });
    return this.loading;
  }

  async get(key: string): Promise<StoredValue | undefined> {
    await this.load();
    const v = this.records.get(key);
    return v === undefined ? undefined : copyValue(v);
  }

  async set(key: string, value: StoredValue): Promise<void> {
    checkKey(key);
    checkValue(value);
    await this.load();
    this.records.set(key, copyValue(value));
    this.changed();
  }

  async delete(key: string): Promise<void> {
    await this.load();
    if (this.records.delete(key)) this.changed();
  }

  async entries(prefix: string): Promise<[string, StoredValue][]> {
    await this.load();
    const out: [string, StoredValue][] = [];
    for (const [k, v] of this.records) if (k.startsWith(prefix)) out.push([k, copyValue(v)]);
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  async transaction<T>(fn: (tx: StorageTransaction) => Promise<T> | T): Promise<T> {
    await this.load();
    const pending = new Map<string, StoredValue | undefined>();
    const tx: StorageTransaction = {
      get: async (key) => {
        const v = pending.has(key) ? pending.get(key) : this.records.get(key);
        return v === undefined ? undefined : copyValue(v);
      },
      set: (key, value) => {
        checkKey(key);
        checkValue(value);
        pending.set(key, copyValue(value));
      },
      delete: (key) => {
        pending.set(key, undefined);
      },
    };
    const result = await fn(tx);
    if (this.closed) throw new StorageError('CLOSED', 'storage closed during a transaction');
    // Applied in one synchronous step: nothing else can observe half of it.
    for (const [k, v] of pending) {
      if (v === undefined) this.records.delete(k);
      else this.records.set(k, v);
    }
    if (pending.size > 0) this.changed();
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    this.records = new Map();
    await this.release();
  }
}
