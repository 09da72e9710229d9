import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/memory-store.js';
import type { SyncPorts } from '../src/ports.js';
import { runActivityContract, runIdempotencyContract, runIdentityContract, runSyncContract } from '../src/testing/index.js';

/** The sync ports' methods, and nothing else: what a store for an embedder who only syncs has. */
const SYNC_METHODS = [
  'getStates', 'upsertRecords', 'markDeleted', 'listLiveIds', 'getRecord', 'queryRecords', 'countRecords', 'getCursor', 'setCursor',
  'appendSyncLog', 'listSyncLogs', 'latestSyncLog', 'pruneSyncLogs',
  'getSetting', 'setSetting',
  'acquireLease', 'renewLease', 'releaseLease', 'getLease', 'takeOverLease',
] as const satisfies ReadonlyArray<keyof SyncPorts>;

/** A store exposing only the sync ports (no users, tokens, activities, ping or close), backed by a MemoryStore. */
function syncOnlyStore(backing: MemoryStore): SyncPorts {
  const store: Record<string, unknown> = {};
  for (const method of SYNC_METHODS) store[method] = backing[method].bind(backing);
  return store as unknown as SyncPorts;
}

describe('a store that implements only the sync ports', () => {
  it('has the sync methods and nothing else', () => {
    const store = syncOnlyStore(new MemoryStore());
    expect(Object.keys(store).sort()).toEqual([...SYNC_METHODS].sort());
    for (const other of ['createUser', 'getToken', 'appendActivities', 'ping', 'close']) expect(store).not.toHaveProperty(other);
  });
});

runSyncContract('sync-only memory store', async () => {
  const backing = new MemoryStore();
  return { store: syncOnlyStore(backing), inspect: { rawRecord: (entity, odooId) => backing.inspect.rawRecord(entity, odooId) }, cleanup: () => backing.close() };
});

runIdentityContract('memory (identity ports)', async () => {
  const store = new MemoryStore();
  return { store, inspect: store.inspect };
});

runActivityContract('memory (activity ports)', async () => {
  const store = new MemoryStore();
  return { store };
});

runIdempotencyContract('memory (idempotency ports)', async () => {
  const store = new MemoryStore();
  return { store };
});
