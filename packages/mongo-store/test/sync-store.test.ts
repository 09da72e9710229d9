/**
 * MongoSyncStore: only the sync ports, for an embedder who only syncs. It passes core's sync
 * contract on its own (on a real MongoDB when MONGODB_URI is set, otherwise on jongodb), and
 * shares its database with MongoStore.
 */
import type { EntityName } from '@odoo-sync/core';
import type { StoreCapabilities } from '@odoo-sync/core/testing';
import { contactWrite, runSyncContract } from '@odoo-sync/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexesOf } from '../src/collections.js';
import { MongoStore, MongoSyncStore } from '../src/index.js';
import type { TestServer } from './mongo-server.js';
import { MongoClient, dropTestDatabase, freshDbName, serverTarget, startServer } from './mongo-server.js';

const target = serverTarget();
const capabilities: StoreCapabilities = target.kind === 'jongodb' ? { exclusiveLocks: false } : {};
const AT = new Date('2026-03-01T08:00:00.000Z');

let server: TestServer;
let inspector: MongoClient;

/** Names of a collection's indexes; none when the collection does not exist. */
async function indexNames(dbName: string, collection: string): Promise<string[]> {
  try {
    return (await inspector.db(dbName).collection(collection).listIndexes().toArray()).map((index) => index['name'] as string);
  } catch (err) {
    if ((err as { code?: unknown }).code === 26) return [];
    throw err;
  }
}

const title = target.kind === 'none' ? `MongoSyncStore — skipped: ${target.reason}` : `MongoSyncStore on ${target.kind}`;

describe.skipIf(target.kind === 'none')(title, () => {
  beforeAll(async () => {
    server = await startServer(target);
    inspector = new MongoClient(server.uri);
    await inspector.connect();
  });

  afterAll(async () => {
    await inspector?.close();
    await server?.stop();
  });

  runSyncContract(
    'mongo-store (MongoSyncStore)',
    async () => {
      const dbName = freshDbName('sync');
      const store = new MongoSyncStore({ url: server.uri, dbName });
      return {
        store,
        inspect: { rawRecord: async (entity: EntityName, odooId: number) => inspector.db(dbName).collection(entity).findOne({ odooId }) },
        openSibling: async () => new MongoSyncStore({ url: server.uri, dbName }),
        cleanup: () => dropTestDatabase(inspector, dbName),
      };
    },
    {
      capabilities,
      additionalTests: (harness) => {
        it('has the sync ports and the lifecycle only, none of the identity or activity ports', () => {
          const store = harness().store as MongoSyncStore;
          expect(store).toBeInstanceOf(MongoSyncStore);
          expect(store).not.toBeInstanceOf(MongoStore);
          for (const method of ['createUser', 'getUser', 'createApiKey', 'putToken', 'getToken', 'appendActivities', 'queryActivities']) {
            expect(method in store, method).toBe(false);
          }
          for (const method of ['upsertRecords', 'appendSyncLog', 'acquireLease', 'setSetting', 'ping', 'close', 'ensureIndexes']) {
            expect(typeof (store as unknown as Record<string, unknown>)[method], method).toBe('function');
          }
        });

        it('ensureIndexes creates the sync collections’ indexes and leaves the identity and activity collections alone', async () => {
          const store = harness().store as MongoSyncStore;
          await store.ensureIndexes();
          const own = async (collection: string) => (await indexNames(store.dbName, collection)).filter((n) => n !== '_id_').sort();
          for (const name of ['sync_logs', 'contact', 'opportunity'] as const) {
            expect(await own(name), name).toEqual(indexesOf(name).map((spec) => spec.name).sort());
          }
          for (const name of ['users', 'api_keys', 'tokens', 'activities']) expect(await own(name), name).toEqual([]);
        });

        it('shares its database with a MongoStore: each reads what the other wrote', async () => {
          const store = harness().store as MongoSyncStore;
          const full = new MongoStore({ url: server.uri, dbName: store.dbName });
          try {
            await store.upsertRecords('contact', [contactWrite(1)], AT);
            await store.setSetting('sync.intervalMinutes', 15);
            expect(await full.getRecord('contact', 1)).toMatchObject({ odooId: 1, data: contactWrite(1).data });
            expect(await full.getSetting('sync.intervalMinutes')).toBe(15);
            await full.upsertRecords('contact', [contactWrite(2)], AT);
            expect(await store.listLiveIds('contact')).toEqual([1, 2]);
          } finally {
            await full.close();
          }
        });

        it('rejects every call after close with a non-retryable store_error, and closes twice', async () => {
          const store = harness().store as MongoSyncStore;
          await store.close();
          await expect(store.close()).resolves.toBeUndefined();
          await expect(store.getRecord('contact', 1)).rejects.toMatchObject({ code: 'store_error', retryable: false });
          await expect(store.ping()).rejects.toMatchObject({ code: 'store_error', retryable: false });
        });
      },
    },
  );
});
