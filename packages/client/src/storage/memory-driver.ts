import { MapDriver } from './map-driver.js';
import type { StoredValue } from './value.js';
import { copyValue } from './value.js';

/** Keeps records in memory only: nothing survives the process. */
export class MemoryDriver extends MapDriver {
  /** `initial` seeds the records (used by `importSession`). */
  constructor(initial?: Iterable<[string, StoredValue]>) {
    super();
    if (initial) for (const [k, v] of initial) this.records.set(k, copyValue(v));
  }
  protected async loadRecords(): Promise<void> {}
  protected changed(): void {}
  async flush(): Promise<void> {}
  protected async release(): Promise<void> {}
}
