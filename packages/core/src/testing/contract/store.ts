/**
 * The store contract: every concern's cases (sync, identity, activities) plus the store's
 * lifecycle, against one store that implements every port.
 *
 * @example
 * ```ts
 * import { runStoreContract } from '@odoo-sync/core/testing';
 * runStoreContract('sqlite', async () => {
 *   const store = new SqliteStore({ path: tempFile() });
 *   return { store, inspect: store.inspect, cleanup: () => rm(tempFile()) };
 * });
 * ```
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { SyncStore } from '../../ports.js';
import type { StoreContractOptions, StoreHarness } from '../harness.js';
import { defineActivityCases } from './activities.js';
import { defineIdempotencyCases } from './idempotency.js';
import { defineTokenCases, defineUserCases } from './identity.js';
import { runContract } from './runner.js';
import { defineSyncCases } from './sync.js';

/**
 * Runs the whole store contract (lifecycle, then the sync, identity, activity and idempotency contracts)
 * against the store `setup` makes. Call it at the top level of a test file. Each case gets a
 * fresh, empty store and cleans it up. A store implementing only some ports runs
 * {@link runSyncContract}, {@link runIdentityContract} or {@link runActivityContract} instead.
 */
export function runStoreContract(name: string, setup: () => Promise<StoreHarness>, options: StoreContractOptions = {}): void {
  runContract(`store contract: ${name}`, setup, options, (context) => {
    let store: SyncStore;
    context.onHarness((fresh) => {
      store = fresh.store;
    });

    describe('lifecycle', () => {
      it('answers ping and closes twice without error', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        await store.close();
        await expect(store.close()).resolves.toBeUndefined();
      });
    });

    defineSyncCases(context);
    defineUserCases(context);
    defineActivityCases(context);
    defineTokenCases(context);
    defineIdempotencyCases(context);
  });
}
