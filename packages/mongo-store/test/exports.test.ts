import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportNames } from '../../../scripts/export-names.js';

const src = (file: string): string => resolve(import.meta.dirname, '../src', file);

// Growing a public surface is a decision: these snapshots change with it, in review.
describe('public surface of @odoo-sync/mongo-store', () => {
  it('names every export explicitly', async () => {
    const names = exportNames(src('index.ts'));
    expect(names.star).toEqual([]);
    expect(Object.keys(await import('../src/index.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "ACTIVITIES_TTL_INDEX",
        "DEFAULT_MONGO_DB_NAME",
        "MONGO_COLLECTIONS",
        "mongoCollectionNames",
        "MongoStore",
        "MongoSyncStore",
        "RELATION_INDEX_FIELDS",
        "SYNC_LOGS_TTL_INDEX",
      ]
    `);
    expect(names.types).toMatchInlineSnapshot(`
      [
        "MongoCollectionName",
        "MongoRetentionOptions",
        "MongoStoreOptions",
      ]
    `);
  });
});
