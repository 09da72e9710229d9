import { MemoryStore } from '../src/memory-store.js';
import { runStoreContract } from '../src/testing/index.js';

runStoreContract('memory', async () => {
  const store = new MemoryStore();
  return { store, inspect: store.inspect };
});
