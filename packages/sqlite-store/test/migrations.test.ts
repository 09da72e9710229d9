import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '@odoo-sync/core';
import { silentLogger } from '@odoo-sync/core';
import { SCHEMA_VERSION, SqliteStore } from '../src/index.js';
import { assertMigrationsOrdered, migrate, MIGRATIONS } from '../src/migrations.js';
import { connectionOf } from '../src/sync-store.js';
import type { Migration } from '../src/migrations.js';
import { tempDatabase, withRawDatabase } from './helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempPath(): string {
  const temp = tempDatabase('sqlite-store-migrations-');
  cleanups.push(temp.remove);
  return temp.path;
}

function recordingLogger(): Logger & { messages: string[] } {
  const messages: string[] = [];
  return { ...silentLogger, messages, info: (_fields, message) => void messages.push(message) };
}

const tablesOf = (path: string): string[] =>
  withRawDatabase(path, (db) =>
    db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[],
  );

describe('migrations', () => {
  it('are numbered 1, 2, 3 … and SCHEMA_VERSION is the last', () => {
    expect(() => assertMigrationsOrdered(MIGRATIONS)).not.toThrow();
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(() => assertMigrationsOrdered([{ version: 2, name: 'gap', sql: '' }])).toThrow(TypeError);
  });

  it('create the whole schema in a fresh file and record its version', async () => {
    const path = tempPath();
    const logger = recordingLogger();
    const store = new SqliteStore({ path, logger });
    await store.close();
    expect(withRawDatabase(path, (db) => db.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION);
    expect(tablesOf(path)).toEqual(['activities', 'api_keys', 'idempotency_keys', 'leases', 'records', 'settings', 'sync_cursors', 'sync_logs', 'tokens', 'users']);
    expect(logger.messages).toEqual(['sqlite-store: schema migrated']);
  });

  it('apply nothing when an up-to-date file is opened again, and keep its data', async () => {
    const path = tempPath();
    const first = new SqliteStore(path);
    await first.setSetting('k', 'kept');
    await first.close();
    const logger = recordingLogger();
    const second = new SqliteStore({ path, logger });
    expect(await second.getSetting('k')).toBe('kept');
    await second.close();
    expect(logger.messages).toEqual([]);
    expect(withRawDatabase(path, (db) => db.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION);
  });

  it('refuse a database written by a newer version, and leave it untouched', async () => {
    const path = tempPath();
    await new SqliteStore(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    let failure: unknown;
    try {
      new SqliteStore(path);
    } catch (err) {
      failure = err;
    }
    expect(failure).toMatchObject({ code: 'store_error', retryable: false });
    expect((failure as Error).message).toContain(`version ${SCHEMA_VERSION + 1}`);
    expect(withRawDatabase(path, (db) => db.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION + 1);
  });

  it('upgrade an older file by applying only the pending migrations', () => {
    const path = tempPath();
    const next: Migration = { version: MIGRATIONS.length + 1, name: 'add a column', sql: 'ALTER TABLE settings ADD COLUMN note TEXT;' };
    const db = new Database(path);
    try {
      expect(migrate(db, silentLogger)).toMatchObject({ from: 0, to: SCHEMA_VERSION });
      expect(migrate(db, silentLogger, [...MIGRATIONS, next])).toEqual({
        from: SCHEMA_VERSION,
        to: next.version,
        applied: [next.version],
      });
      expect(db.prepare('SELECT note FROM settings').all()).toEqual([]);
      expect(migrate(db, silentLogger, [...MIGRATIONS, next]).applied).toEqual([]);
    } finally {
      db.close();
    }
  });

  it("2 gives the users of a version-1 file no other e-mail addresses, and keeps them", async () => {
    const path = tempPath();
    const db = new Database(path);
    try {
      migrate(db, silentLogger, MIGRATIONS.slice(0, 1));
      db.prepare(
        `INSERT INTO users (id, email, email_key, name, role, status, odoo_link, reauth_required, created_at, created_ms, updated_at)
         VALUES ('u1', 'Ana@example.com', 'ana@example.com', 'Ana', 'admin', 'approved', NULL, 0, '2026-01-01T00:00:00.000Z', 0, '2026-01-01T00:00:00.000Z')`,
      ).run();
    } finally {
      db.close();
    }
    const store = new SqliteStore(path);
    try {
      expect(await store.getUser('u1')).toMatchObject({ email: 'Ana@example.com', role: 'admin', status: 'approved', otherEmails: [] });
      expect((await store.updateUser('u1', { otherEmails: ['ana.souza@example.com'] }, new Date())).otherEmails).toEqual(['ana.souza@example.com']);
    } finally {
      await store.close();
    }
  });

  it('4 gives the activities of a version-3 file source app and a searchable title', async () => {
    const path = tempPath();
    const db = new Database(path);
    const old = { id: 'a1', activityType: 'note', title: 'Called ACME about renewal', entityType: 'account', entityId: '7', userId: 'u1', userName: 'Ana', metadata: {}, timestamp: '2026-01-01T00:00:00.000Z' };
    try {
      migrate(db, silentLogger, MIGRATIONS.slice(0, 3));
      db.prepare(
        `INSERT INTO activities (id, activity_type, entity_type, entity_id, user_id, timestamp, timestamp_ms, activity)
         VALUES ('a1', 'note', 'account', '7', 'u1', '2026-01-01T00:00:00.000Z', ?, ?)`,
      ).run(Date.parse(old.timestamp), JSON.stringify(old));
    } finally {
      db.close();
    }
    const store = new SqliteStore(path);
    try {
      expect((await store.queryActivities({ source: 'app', titleContains: 'acme' })).items).toEqual([{ ...old, source: 'app' }]);
      expect((await store.queryActivities({ source: 'odoo' })).items).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("7 indexes a record's activities without the activity id, keeps them, and still pages them newest first", async () => {
    const path = tempPath();
    const db = new Database(path);
    const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
    // Two activities in the same millisecond: the id decides their order.
    const olds = [
      { id: '01A', ms: 0 },
      { id: '01C', ms: 5 },
      { id: '01B', ms: 5 },
      { id: '01D', ms: 9 },
    ].map(({ id, ms }) => ({ id, activityType: 'note', title: `Note ${id}`, entityType: 'account', entityId: '7', userId: 'u1', userName: 'Ana', source: 'app', metadata: {}, timestamp: at(ms) }));
    try {
      migrate(db, silentLogger, MIGRATIONS.slice(0, 6));
      for (const old of olds) {
        db.prepare(
          `INSERT INTO activities (id, activity_type, entity_type, entity_id, user_id, source, title_key, timestamp, timestamp_ms, activity)
           VALUES (?, 'note', 'account', '7', 'u1', 'app', ?, ?, ?, ?)`,
        ).run(old.id, old.title.toLowerCase(), old.timestamp, Date.parse(old.timestamp), JSON.stringify(old));
      }
    } finally {
      db.close();
    }
    const store = new SqliteStore(path);
    try {
      const first = await store.queryActivities({ entityType: 'account', entityId: '7', limit: 2 });
      expect(first.items.map((a) => a.id)).toEqual(['01D', '01C']);
      const second = await store.queryActivities({ entityType: 'account', entityId: '7', limit: 2, cursor: first.nextCursor ?? '' });
      expect(second.items.map((a) => a.id)).toEqual(['01B', '01A']);
    } finally {
      await store.close();
    }
    expect(
      withRawDatabase(path, (db2) => (db2.prepare(`SELECT name FROM pragma_index_info('activities_entity') ORDER BY seqno`).pluck().all() as string[])),
    ).toEqual(['entity_type', 'entity_id', 'timestamp_ms']);
  });

  it('8 moves the indexed paths of a version-7 file into indexed columns, drops the unused write-date index, and keeps every record', async () => {
    const path = tempPath();
    const db = new Database(path);
    const rows = [
      { odooId: 1, userId: { id: 5, name: 'Ana' }, partnerId: { id: 7, name: 'ACME' }, parentId: null },
      { odooId: 2, userId: { id: '5', name: 'Text' }, partnerId: null, parentId: { id: 9, name: 'Holding' } },
      { odooId: 3, userId: null, partnerId: { id: 7, name: 'ACME' } },
    ];
    try {
      migrate(db, silentLogger, MIGRATIONS.slice(0, 7));
      const insert = db.prepare(
        `INSERT INTO records (entity, odoo_id, data, hash, is_active, first_synced_at, last_synced_at)
         VALUES ('opportunity', ?, ?, 'h', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
      );
      for (const row of rows) insert.run(row.odooId, JSON.stringify(row));
    } finally {
      db.close();
    }
    const store = new SqliteStore(path);
    const ids = async (where: Record<string, string | number | null>) =>
      (await store.queryRecords('opportunity', { where })).items.map((record) => record.odooId);
    try {
      expect(await ids({ 'userId.id': 5 })).toEqual([1]);
      expect(await ids({ 'userId.id': '5' })).toEqual([2]);
      expect(await ids({ 'userId.id': null })).toEqual([3]);
      expect(await ids({ 'partnerId.id': 7 })).toEqual([1, 3]);
      expect(await ids({ 'parentId.id': 9 })).toEqual([2]);
      expect(await ids({ 'parentId.id': null })).toEqual([1, 3]);
      expect((await store.getRecord('opportunity', 3))?.data).toEqual(rows[2]);
    } finally {
      await store.close();
    }
    const indexes = withRawDatabase(path, (raw) =>
      raw.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN ('records_user_id', 'records_partner_id', 'records_parent_id') ORDER BY name`).all(),
    ) as Array<{ name: string; sql: string }>;
    expect(indexes.map((index) => index.name)).toEqual(['records_parent_id', 'records_partner_id', 'records_user_id']);
    for (const index of indexes) expect(index.sql).not.toMatch(/json_extract/);
    // No query reads records by write date: the index is gone, and with it a B-tree insert per write.
    expect(withRawDatabase(path, (raw) => raw.prepare(`SELECT name FROM sqlite_schema WHERE name = 'records_write_date'`).all())).toEqual([]);
    expect(withRawDatabase(path, (raw) => raw.prepare('SELECT odoo_id, user_id, partner_id, parent_id FROM records ORDER BY odoo_id').all())).toEqual([
      { odoo_id: 1, user_id: 5, partner_id: 7, parent_id: null },
      { odoo_id: 2, user_id: '5', partner_id: null, parent_id: 9 },
      { odoo_id: 3, user_id: null, partner_id: 7, parent_id: null },
    ]);
  });

  it('3 keeps the users of a version-2 file without an identity, and makes identities unique', async () => {
    const path = tempPath();
    const db = new Database(path);
    try {
      migrate(db, silentLogger, MIGRATIONS.slice(0, 2));
      db.prepare(
        `INSERT INTO users (id, email, email_key, name, role, status, odoo_link, reauth_required, created_at, created_ms, updated_at)
         VALUES ('u1', 'Ana@example.com', 'ana@example.com', 'Ana', 'admin', 'approved', NULL, 0, '2026-01-01T00:00:00.000Z', 0, '2026-01-01T00:00:00.000Z')`,
      ).run();
    } finally {
      db.close();
    }
    const store = new SqliteStore(path);
    const identity = { tenantId: 'aaaaaaaa-1111-4111-8111-111111111111', objectId: 'bbbbbbbb-2222-4222-8222-222222222222' };
    try {
      expect(await store.getUser('u1')).toMatchObject({ email: 'Ana@example.com', role: 'admin', identity: null });
      expect((await store.updateUser('u1', { identity }, new Date())).identity).toEqual(identity);
    } finally {
      await store.close();
    }
    // The unique index holds even for a writer that skips the store's own check.
    const raw = new Database(path);
    try {
      expect(raw.prepare('SELECT identity_tenant, identity_object FROM users WHERE id = ?').get('u1')).toEqual({
        identity_tenant: identity.tenantId,
        identity_object: identity.objectId,
      });
      expect(() =>
        raw
          .prepare(
            `INSERT INTO users (id, email, email_key, name, role, status, reauth_required, identity_tenant, identity_object, created_at, updated_at)
             VALUES ('u2', 'eve@example.com', 'eve@example.com', 'Eve', 'user', 'pending', 0, ?, ?, '', '')`,
          )
          .run(identity.tenantId, identity.objectId),
      ).toThrow(/UNIQUE/);
    } finally {
      raw.close();
    }
  });

  it('roll back every pending migration when one fails', () => {
    const path = tempPath();
    const db = new Database(path);
    try {
      const broken: Migration = { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE extra (a); SELECT * FROM nowhere;' };
      expect(() => migrate(db, silentLogger, [...MIGRATIONS, broken])).toThrow(/nowhere/);
      expect(db.pragma('user_version', { simple: true })).toBe(0);
      expect(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all()).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe('opening', () => {
  it('fails with store_error when the directory does not exist', () => {
    expect(() => new SqliteStore(`${tempPath()}-missing-dir/nested/store.db`)).toThrow(expect.objectContaining({ code: 'store_error' }));
  });

  it('fails with a non-retryable store_error for a file that is not a SQLite database', async () => {
    const path = tempPath();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, 'this is not a database, just some text that is long enough to have a header'.repeat(20));
    expect(() => new SqliteStore(path)).toThrow(expect.objectContaining({ code: 'store_error', retryable: false }));
  });

  it('validates options with precise TypeErrors', () => {
    expect(() => new SqliteStore({ path: '' })).toThrow(TypeError);
    expect(() => new SqliteStore({ path: ':memory:', synchronous: 'off' as never })).toThrow(/synchronous/);
    expect(() => new SqliteStore({ path: ':memory:', busyTimeoutMs: -1 })).toThrow(/busyTimeoutMs/);
    for (const pages of [0, -5, 1.5, 2_000_000, Number.NaN]) {
      expect(() => new SqliteStore({ path: ':memory:', walAutocheckpointPages: pages })).toThrow(/walAutocheckpointPages/);
    }
  });

  it('checkpoints the WAL every 10 000 pages unless told otherwise, and caps the WAL file kept after one', async () => {
    for (const [options, expected] of [
      [{}, 10_000],
      [{ walAutocheckpointPages: 1000 }, 1000],
    ] as const) {
      const store = new SqliteStore({ path: tempPath(), ...options });
      try {
        const pragma = (name: string) => connectionOf(store).call('test', (db) => db.pragma(name, { simple: true }));
        expect(pragma('wal_autocheckpoint')).toBe(expected);
        expect(pragma('journal_size_limit')).toBe(64 * 1024 * 1024);
      } finally {
        await store.close();
      }
    }
  });

  it('opens an in-memory database and takes the synchronous option', async () => {
    const store = SqliteStore.open({ path: ':memory:', synchronous: 'full' });
    expect(store.synchronous).toBe('full');
    await store.setSetting('k', 1);
    expect(await store.getSetting('k')).toBe(1);
    await store.close();
  });
});
