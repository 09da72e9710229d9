/**
 * The schema of the SQLite store, as numbered migrations applied in order on open.
 *
 * Policy: a migration, once released, never changes; a schema change is a new migration with
 * the next number. The database records the last applied number in `PRAGMA user_version`.
 * Opening applies every pending migration in one `IMMEDIATE` transaction (all or nothing, and
 * one process at a time); a database whose version is newer than the code is refused.
 * @module
 */
import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from '@odoo-sync/core/errors';
import type { Logger } from '@odoo-sync/core';

/** One schema step. */
export interface Migration {
  /** Its number: 1, 2, 3 … without gaps. The database's `user_version` after it is applied. */
  readonly version: number;
  /** What it does, for logs. */
  readonly name: string;
  /** SQL statements, run in the migration transaction. */
  readonly sql: string;
}

const USER_ID = `json_extract(data, '$.userId.id')`;
const PARTNER_ID = `json_extract(data, '$.partnerId.id')`;
const PARENT_ID = `json_extract(data, '$.parentId.id')`;

/**
 * The column holding each indexed record path's value. The store fills these columns from the
 * record's data as it writes it (see record-upsert.ts), with the value `json_extract` would
 * return, and a `where` on one of these paths compares the column, which the
 * `records_<column>` index covers; any other path is bound as a JSON path parameter. (A Map,
 * so no path can reach an `Object.prototype` key.)
 */
export const INDEXED_PATH_COLUMNS: ReadonlyMap<string, string> = new Map([
  ['userId.id', 'user_id'],
  ['partnerId.id', 'partner_id'],
  ['parentId.id', 'parent_id'],
]);

/**
 * The `queryRecords` `where` paths backed by an index (on every entity): the salesperson
 * (`userId.id`), the partner (`partnerId.id`) and the parent company (`parentId.id`).
 */
export const INDEXED_RECORD_PATHS: readonly string[] = [...INDEXED_PATH_COLUMNS.keys()];

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema: records, cursors, sync logs, settings, leases, users, API keys, activities, tokens',
    sql: `
      CREATE TABLE records (
        entity           TEXT    NOT NULL,
        odoo_id          INTEGER NOT NULL,
        data             TEXT    NOT NULL,
        hash             TEXT    NOT NULL,
        is_active        INTEGER NOT NULL CHECK (is_active IN (0, 1)),
        inactive_reason  TEXT    CHECK (inactive_reason IN ('archived', 'deleted')),
        odoo_write_date  TEXT,
        first_synced_at  TEXT    NOT NULL,
        last_synced_at   TEXT    NOT NULL,
        deleted_at       TEXT,
        UNIQUE (entity, odoo_id)
      ) STRICT;
      CREATE INDEX records_state ON records (entity, is_active, inactive_reason, odoo_id);
      CREATE INDEX records_live ON records (entity, odoo_id, inactive_reason) WHERE inactive_reason IS NOT 'deleted';
      CREATE INDEX records_write_date ON records (entity, odoo_write_date);
      CREATE INDEX records_user_id ON records (entity, ${USER_ID}, odoo_id);
      CREATE INDEX records_partner_id ON records (entity, ${PARTNER_ID}, odoo_id);
      CREATE INDEX records_parent_id ON records (entity, ${PARENT_ID}, odoo_id);

      CREATE TABLE sync_cursors (
        entity TEXT NOT NULL PRIMARY KEY,
        cursor TEXT NOT NULL
      ) STRICT;

      CREATE TABLE sync_logs (
        id         TEXT NOT NULL PRIMARY KEY,
        run_id     TEXT NOT NULL,
        entity     TEXT NOT NULL,
        status     TEXT NOT NULL,
        started_at TEXT NOT NULL,
        started_ms INTEGER,
        entry      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sync_logs_started ON sync_logs (started_ms, id);
      CREATE INDEX sync_logs_entity ON sync_logs (entity, started_ms, id);
      CREATE INDEX sync_logs_entity_status ON sync_logs (entity, status, started_ms, id);
      CREATE INDEX sync_logs_run ON sync_logs (run_id);

      CREATE TABLE settings (
        key   TEXT NOT NULL PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE leases (
        name       TEXT    NOT NULL PRIMARY KEY,
        owner      TEXT    NOT NULL,
        expires_at TEXT    NOT NULL,
        expires_ms INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE users (
        id              TEXT    NOT NULL PRIMARY KEY,
        email           TEXT    NOT NULL,
        email_key       TEXT    NOT NULL UNIQUE,
        name            TEXT    NOT NULL,
        role            TEXT    NOT NULL,
        status          TEXT    NOT NULL,
        odoo_link       TEXT,
        reauth_required INTEGER NOT NULL CHECK (reauth_required IN (0, 1)),
        created_at      TEXT    NOT NULL,
        created_ms      INTEGER,
        updated_at      TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX users_created ON users (created_ms, id);

      CREATE TABLE api_keys (
        id           TEXT NOT NULL PRIMARY KEY,
        user_id      TEXT NOT NULL,
        key_hash     TEXT NOT NULL UNIQUE,
        label        TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        created_ms   INTEGER,
        last_used_at TEXT,
        revoked_at   TEXT
      ) STRICT;
      CREATE INDEX api_keys_user ON api_keys (user_id, created_ms, id);

      CREATE TABLE activities (
        id            TEXT NOT NULL PRIMARY KEY,
        activity_type TEXT NOT NULL,
        entity_type   TEXT,
        entity_id     TEXT,
        user_id       TEXT,
        timestamp     TEXT NOT NULL,
        timestamp_ms  INTEGER,
        activity      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX activities_time ON activities (timestamp_ms, id);
      CREATE INDEX activities_type ON activities (activity_type, timestamp_ms, id);
      CREATE INDEX activities_entity ON activities (entity_type, entity_id, timestamp_ms, id);
      CREATE INDEX activities_user ON activities (user_id, timestamp_ms, id);

      CREATE TABLE tokens (
        key        TEXT    NOT NULL PRIMARY KEY,
        blob       TEXT    NOT NULL,
        version    INTEGER NOT NULL,
        expires_at TEXT,
        expires_ms INTEGER,
        updated_at TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX tokens_expiry ON tokens (expires_ms, key) WHERE expires_ms IS NOT NULL;
    `,
  },
  {
    version: 2,
    name: "users' other e-mail addresses",
    sql: `
      ALTER TABLE users ADD COLUMN other_emails TEXT NOT NULL DEFAULT '[]';
    `,
  },
  {
    version: 3,
    name: "users' sign-in identity (tenant id + object id), unique",
    sql: `
      ALTER TABLE users ADD COLUMN identity_tenant TEXT;
      ALTER TABLE users ADD COLUMN identity_object TEXT;
      CREATE UNIQUE INDEX users_identity ON users (identity_tenant, identity_object) WHERE identity_object IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: "activities' source (app or odoo) and searchable title, indexed",
    // Migrations run on any connection, so the backfill folds case with SQLite's lower()
    // (ASCII); activities appended from now on get the store's Unicode folding.
    sql: `
      ALTER TABLE activities ADD COLUMN source TEXT NOT NULL DEFAULT 'app' CHECK (source IN ('app', 'odoo'));
      ALTER TABLE activities ADD COLUMN title_key TEXT NOT NULL DEFAULT '';
      UPDATE activities SET
        source = CASE json_extract(activity, '$.source') WHEN 'odoo' THEN 'odoo' ELSE 'app' END,
        title_key = lower(coalesce(json_extract(activity, '$.title'), '')),
        activity = json_set(activity, '$.source', CASE json_extract(activity, '$.source') WHEN 'odoo' THEN 'odoo' ELSE 'app' END);
      CREATE INDEX activities_source ON activities (source, timestamp_ms, id);
    `,
  },
  {
    version: 5,
    name: 'idempotency keys: the first answer of a request retried with the same Idempotency-Key',
    sql: `
      CREATE TABLE idempotency_keys (
        key              TEXT    PRIMARY KEY,
        fingerprint      TEXT    NOT NULL,
        state            TEXT    NOT NULL CHECK (state IN ('pending', 'done')),
        status           INTEGER,
        body             TEXT,
        created_at       TEXT    NOT NULL,
        expires_at       TEXT    NOT NULL,
        expires_ms       INTEGER NOT NULL,
        pending_until    TEXT    NOT NULL,
        pending_until_ms INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_ms);
    `,
  },
  {
    version: 6,
    name: 'activities by entity type alone (what a person may see of the timeline)',
    sql: `
      CREATE INDEX activities_entity_type ON activities (entity_type, timestamp_ms, id);
    `,
  },
  {
    version: 7,
    name: "one record's activities indexed without the activity id (half the index written at random)",
    // Appends land all over this index (one spot per record), so each batch rewrites about one
    // page of it per activity; without the 26-character id its entries are half as long. A
    // record's page of activities is still read in time order: SQLite sorts only activities of
    // the same millisecond by id.
    sql: `
      DROP INDEX activities_entity;
      CREATE INDEX activities_entity ON activities (entity_type, entity_id, timestamp_ms);
    `,
  },
  {
    version: 8,
    name: 'records: the indexed paths (userId.id, partnerId.id, parentId.id) in columns of their own, indexed; no write-date index',
    // The expression indexes of migration 1 made SQLite parse every written record's JSON once
    // per index; the store now writes these values itself. ANY keeps each value's type as
    // json_extract returns it (integer, real, text). Only records that have a value are
    // indexed: an equality filter implies IS NOT NULL, so SQLite uses these partial indexes for
    // it, and records without the path cost nothing. The old indexes go first so the backfill
    // does not maintain them. records_write_date served no query and cost a B-tree insert per
    // write (at a random place: write dates do not follow ids).
    sql: `
      DROP INDEX records_write_date;
      DROP INDEX records_user_id;
      DROP INDEX records_partner_id;
      DROP INDEX records_parent_id;
      ALTER TABLE records ADD COLUMN user_id ANY;
      ALTER TABLE records ADD COLUMN partner_id ANY;
      ALTER TABLE records ADD COLUMN parent_id ANY;
      UPDATE records SET user_id = ${USER_ID}, partner_id = ${PARTNER_ID}, parent_id = ${PARENT_ID};
      CREATE INDEX records_user_id ON records (entity, user_id, odoo_id) WHERE user_id IS NOT NULL;
      CREATE INDEX records_partner_id ON records (entity, partner_id, odoo_id) WHERE partner_id IS NOT NULL;
      CREATE INDEX records_parent_id ON records (entity, parent_id, odoo_id) WHERE parent_id IS NOT NULL;
    `,
  },
];

/** The schema version this code writes: the number of the last migration. */
export const SCHEMA_VERSION: number = MIGRATIONS.at(-1)?.version ?? 0;

/** What {@link migrate} did. */
export interface MigrationResult {
  /** `user_version` found on open. */
  from: number;
  /** `user_version` after open. */
  to: number;
  /** Numbers of the migrations applied now (empty when the database was current). */
  applied: number[];
}

function userVersion(db: BetterSqlite3.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function refuseNewer(found: number, supported: number): never {
  throw new StoreError(
    `The database schema is version ${found}, newer than this @odoo-sync/sqlite-store supports (${supported}).`,
    {
      retryable: false,
      hint: 'Upgrade @odoo-sync/sqlite-store to the version that wrote this database, or open a backup made before the upgrade.',
    },
  );
}

/**
 * Brings the database up to the last of `migrations`. Pending migrations run in one
 * `IMMEDIATE` transaction, so two processes opening a new file at once do not both apply them,
 * and a failing migration leaves the database as it was. Throws {@link StoreError}
 * (`retryable: false`) when the database is newer than `migrations`.
 */
export function migrate(
  db: BetterSqlite3.Database,
  logger: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationResult {
  const target = migrations.at(-1)?.version ?? 0;
  const before = userVersion(db);
  if (before > target) refuseNewer(before, target);
  if (before === target) return { from: before, to: before, applied: [] };

  const apply = db.transaction((): MigrationResult => {
    // Re-read inside the write lock: another process may have migrated since the check above.
    const from = userVersion(db);
    if (from > target) refuseNewer(from, target);
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= from) continue;
      db.exec(migration.sql);
      // user_version lives in the database header, so it commits or rolls back with the schema.
      db.pragma(`user_version = ${String(migration.version)}`);
      applied.push(migration.version);
    }
    return { from, to: target, applied };
  });
  const result = apply.immediate();
  if (result.applied.length > 0) {
    logger.info({ from: result.from, to: result.to, applied: result.applied }, 'sqlite-store: schema migrated');
  }
  return result;
}

/** Throws a TypeError unless the migrations are numbered 1, 2, 3 … without gaps. */
export function assertMigrationsOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new TypeError(`Migration "${migration.name}" has version ${migration.version}; expected ${index + 1}.`);
    }
  });
}
