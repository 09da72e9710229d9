/**
 * SqliteSyncStore: only the sync ports, for an embedder who only syncs. It passes core's sync
 * contract on its own, and shares the file format with SqliteStore.
 */
import { expect, it } from 'vitest';
import { runSyncContract } from '@odoo-sync/core/testing';
import { contactWrite } from '@odoo-sync/core/testing';
import { SqliteStore, SqliteSyncStore } from '../src/index.js';
import { sqlInspector, tempDatabase, withRawDatabase } from './helpers.js';

const AT = new Date('2026-03-01T08:00:00.000Z');

runSyncContract(
  'sqlite-store (SqliteSyncStore)',
  async () => {
    const { path, remove } = tempDatabase('sqlite-sync-store-');
    const store = new SqliteSyncStore({ path });
    const siblings: SqliteSyncStore[] = [];
    return {
      store,
      inspect: sqlInspector(path),
      openSibling: async () => {
        const sibling = SqliteSyncStore.open(path);
        siblings.push(sibling);
        return sibling;
      },
      cleanup: async () => {
        for (const sibling of siblings) await sibling.close();
        await store.close();
        remove();
      },
    };
  },
  {
    capabilities: { exclusiveLocks: true },
    additionalTests: (harness) => {
      it('has the sync ports and the lifecycle only, none of the identity or activity ports', () => {
        const store = harness().store as SqliteSyncStore;
        expect(store).toBeInstanceOf(SqliteSyncStore);
        expect(store).not.toBeInstanceOf(SqliteStore);
        for (const method of ['createUser', 'getUser', 'createApiKey', 'putToken', 'getToken', 'appendActivities', 'queryActivities']) {
          expect(method in store, method).toBe(false);
        }
        for (const method of ['upsertRecords', 'appendSyncLog', 'acquireLease', 'setSetting', 'ping', 'close', 'backup']) {
          expect(typeof (store as unknown as Record<string, unknown>)[method], method).toBe('function');
        }
      });

      it('shares its file with a SqliteStore: each reads what the other wrote', async () => {
        const store = harness().store as SqliteSyncStore;
        const full = SqliteStore.open(store.path);
        try {
          await store.upsertRecords('contact', [contactWrite(1)], AT);
          await store.setSetting('sync.intervalMinutes', 15);
          expect(await full.getRecord('contact', 1)).toMatchObject({ odooId: 1, data: contactWrite(1).data });
          expect(await full.getSetting('sync.intervalMinutes')).toBe(15);

          await full.upsertRecords('contact', [contactWrite(2)], AT);
          await full.createUser({ id: 'u1', email: 'ana@example.com', name: 'Ana', role: 'user', status: 'approved' }, AT);
          expect(await store.listLiveIds('contact')).toEqual([1, 2]);
          expect(withRawDatabase(store.path, (db) => db.prepare('SELECT COUNT(*) AS n FROM users').get())).toEqual({ n: 1 });
        } finally {
          await full.close();
        }
      });

      it('rejects every call after close with a non-retryable store_error, and closes twice', async () => {
        const store = harness().store as SqliteSyncStore;
        await store.close();
        await expect(store.close()).resolves.toBeUndefined();
        await expect(store.getRecord('contact', 1)).rejects.toMatchObject({ code: 'store_error', retryable: false });
        await expect(store.getLease('sync:contact', AT)).rejects.toMatchObject({ code: 'store_error', retryable: false });
        await expect(store.ping()).rejects.toMatchObject({ code: 'store_error', retryable: false });
      });
    },
  },
);
