import { MemoryStorage } from '../src/storage/index.js';
import { storageConformance } from './support/storage-conformance.js';

storageConformance('MemoryStorage', async () => {
  const storage = new MemoryStorage();
  return { storage, reopen: async () => storage };
});
