/**
 * Test helpers: temp databases and an inspector that reads the file with its own connection,
 * around the store, so tests see what really landed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EntityName } from '@odoo-sync/core';
import type { StoreInspector } from '@odoo-sync/core/testing';

/** A fresh temp directory with a database path inside, and its removal. */
export function tempDatabase(prefix = 'sqlite-store-'): { dir: string; path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: join(dir, 'store.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every table of the schema, for dumps. */
const TABLES = ['records', 'sync_cursors', 'sync_logs', 'settings', 'leases', 'users', 'api_keys', 'activities', 'tokens', 'idempotency_keys'];

/** Runs `read` on a short-lived read-only connection of its own. */
export function withRawDatabase<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** An inspector reading raw rows with plain SQL on a separate connection. */
export function sqlInspector(path: string): StoreInspector {
  return {
    rawRecord: async (entity: EntityName, odooId: number) =>
      withRawDatabase(
        path,
        (db) => (db.prepare('SELECT * FROM records WHERE entity = ? AND odoo_id = ?').get(entity, odooId) as Record<string, unknown> | undefined) ?? null,
      ),
    rawUser: async (id: string) =>
      withRawDatabase(path, (db) => (db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Record<string, unknown> | undefined) ?? null),
    dumpText: async () =>
      withRawDatabase(path, (db) =>
        JSON.stringify(Object.fromEntries(TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table}`).all()]))),
      ),
  };
}
