/**
 * The embedded default store of odoo-sync: every `@odoo-sync/core` store port on one SQLite
 * file (better-sqlite3, WAL, versioned migrations).
 *
 * @module @odoo-sync/sqlite-store
 * @document ../README.md
 */
export { SqliteStore } from './sqlite-store.js';
export { SqliteSyncStore } from './sync-store.js';
export type { SqliteStoreOptions, SqliteSynchronous } from './options.js';
export { INDEXED_RECORD_PATHS, SCHEMA_VERSION } from './migrations.js';
