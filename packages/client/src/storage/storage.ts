import type { StorageDriver } from './driver.js';
import { FileDriver, type FileDriverOptions } from './file-driver.js';
import { MemoryDriver } from './memory-driver.js';
import type { StoredValue } from './value.js';
import { AuthKeysRepository } from './repositories/auth-keys.js';
import { PeersRepository } from './repositories/peers.js';
import { SessionRepository } from './repositories/session.js';
import { UpdatesStateRepository } from './repositories/updates-state.js';

/**
 * Everything a client keeps between runs, as repositories over one driver.
 * Each instance is independent: many clients in one process each get their
 * own (the bridge case), and nothing is shared between them.
 */
export class Storage {
  readonly authKeys: AuthKeysRepository;
  readonly session: SessionRepository;
  readonly updates: UpdatesStateRepository;
  readonly peers: PeersRepository;

  constructor(readonly driver: StorageDriver) {
    this.authKeys = new AuthKeysRepository(driver);
    this.session = new SessionRepository(driver);
    this.updates = new UpdatesStateRepository(driver);
    this.peers = new PeersRepository(driver);
  }

  /** Reads what is persisted now rather than at first use, so a corrupt file is reported here. */
  async load(): Promise<this> {
    await this.driver.load();
    return this;
  }

  flush(): Promise<void> {
    return this.driver.flush();
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}

/** A storage that forgets everything when the process ends. */
export class MemoryStorage extends Storage {
  constructor(initial?: Iterable<[string, StoredValue]>) {
    super(new MemoryDriver(initial));
  }
}

/**
 * A storage in one JSON file (mode 0600: it holds auth keys, which are the
 * login), written atomically and at most every `flushDelayMs`. Call `close()`
 * (or `flush()`) before the process exits so the last changes are written.
 */
export class FileStorage extends Storage {
  declare readonly driver: FileDriver;
  constructor(path: string, options?: FileDriverOptions) {
    super(new FileDriver(path, options));
  }
  get path(): string {
    return this.driver.path;
  }
}
