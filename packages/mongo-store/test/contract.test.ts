/**
 * The store contract of @odoo-sync/core against MongoStore: on a real MongoDB when MONGODB_URI
 * is set, otherwise on jongodb from the optional dependency.
 */
import type { EntityName } from '@odoo-sync/core';
import type { StoreCapabilities, StoreInspector } from '@odoo-sync/core/testing';
import { CONTRACT_ENTITY, runStoreContract } from '@odoo-sync/core/testing';
import { BSON } from 'mongodb';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { mongoCollectionNames } from '../src/collections.js';
import { MongoStore } from '../src/mongo-store.js';
import type { TestServer } from './mongo-server.js';
import { MongoClient, dropTestDatabase, freshDbName, serverTarget, startServer } from './mongo-server.js';

const target = serverTarget();

/**
 * What jongodb cannot honour. Its conditional writes are not atomic against each other: two
 * concurrent compare-and-set writes with the same version can both succeed, and the issue that
 * introduced it reports the same for contended lease upserts. A real MongoDB runs every case.
 */
const JONGODB_SKIP_REASON =
  'jongodb: concurrent conditional writes (lease upsert race, token compare-and-set race) are not atomic there; they run on a real MongoDB (MONGODB_URI)';
const capabilities: StoreCapabilities = target.kind === 'jongodb' ? { exclusiveLocks: false } : {};

let server: TestServer;
let inspector: MongoClient;

function inspectorFor(dbName: string): StoreInspector {
  const db = () => inspector.db(dbName);
  return {
    rawRecord: async (entity: EntityName, odooId: number) => db().collection(entity).findOne({ odooId }),
    rawUser: async (id: string) => db().collection('users').findOne({ _id: id as unknown as BSON.ObjectId }),
    dumpText: async () => {
      const all: Record<string, unknown[]> = {};
      for (const name of mongoCollectionNames([CONTRACT_ENTITY])) all[name] = await db().collection(name).find({}).toArray();
      return BSON.EJSON.stringify(all, { relaxed: true });
    },
  };
}

// Without a MongoDB (no MONGODB_URI, no jongodb for this platform) every case is reported as
// skipped, under a title that says why.
const title = target.kind === 'none' ? `mongo-store contract — skipped: ${target.reason}` : `mongo-store on ${target.kind}`;

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

  if (target.kind === 'jongodb') it.skip(`[skipped cases] ${JONGODB_SKIP_REASON}`, () => {});

  runStoreContract(
    'mongo-store',
    async () => {
      const dbName = freshDbName('contract');
      const store = new MongoStore({ url: server.uri, dbName, entities: [CONTRACT_ENTITY] });
      return {
        store,
        inspect: inspectorFor(dbName),
        openSibling: async () => new MongoStore({ url: server.uri, dbName }),
        cleanup: () => dropTestDatabase(inspector, dbName),
      };
    },
    { capabilities },
  );
});
