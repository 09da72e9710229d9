export { SqliteStore } from './sqlite-store.js';
export type { SqliteStoreOptions, SqliteSynchronous } from './options.js';
export { INDEXED_RECORD_PATHS, SCHEMA_VERSION } from './migrations.js';
