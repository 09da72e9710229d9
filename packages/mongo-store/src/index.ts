/**
 * Every `@odoo-sync/core` store port on MongoDB (official driver), with idempotent indexes,
 * unordered bulk writes and lease locks.
 *
 * @module @odoo-sync/mongo-store
 * @document ../README.md
 */
export { MongoStore } from './mongo-store.js';
export { MongoSyncStore } from './sync-store.js';
export type { MongoStoreOptions } from './options.js';
export type { MongoCollectionName, MongoRetentionOptions } from './collections.js';
export {
  ACTIVITIES_TTL_INDEX,
  DEFAULT_MONGO_DB_NAME,
  MONGO_COLLECTIONS,
  RELATION_INDEX_FIELDS,
  SYNC_LOGS_TTL_INDEX,
  mongoCollectionNames,
} from './collections.js';
