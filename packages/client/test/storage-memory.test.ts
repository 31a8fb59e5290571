import test from 'ava';
import { exportSession, importSession, MemoryStorage } from '../src/storage/index.js';
import { parseUpdatesState, type UpdatesState } from '../src/updates/index.js';
import { storageConformance } from './support/storage-conformance.js';

storageConformance('MemoryStorage', async () => {
  const storage = new MemoryStorage();
  return { storage, reopen: async () => storage };
});

// The contract with the updates engine: what it hands over to persist is stored and read back as it is.
test('the updates engine state round-trips through the repository', async (t) => {
  const state: UpdatesState = parseUpdatesState({ pts: 120, qts: 3, date: 1_700_000_000, seq: 9, channels: { '1001': 55, '9007199254740993': 2 } });
  const s = new MemoryStorage();
  await s.updates.set(state);
  const back = await s.updates.get();
  t.deepEqual(parseUpdatesState(back), state);
  const copy = importSession(await exportSession(s));
  t.deepEqual(parseUpdatesState(await copy.updates.get()), state);
});
