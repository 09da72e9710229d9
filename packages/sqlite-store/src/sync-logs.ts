/**
 * The sync-log port on SQLite: one `sync_logs` row per entity per run, the whole entry as
 * JSON plus the columns it is filtered and ordered by.
 * @module
 */
import type { EntityName, SyncLogEntry, SyncLogStore } from '@odoo-sync/core';
import type { Page, SyncLogQuery, SyncStatus } from '@odoo-sync/core/store-kit';
import { decodeCursor, isPairCursor, pageLimit, pageOf } from '@odoo-sync/core/store-kit';
import type { SqliteConnection } from './connection.js';
import { boundMs, epochMs, Filter } from './sql.js';

/** {@link SyncLogStore} over a shared {@link SqliteConnection}. */
export class SqliteSyncLogs implements SyncLogStore {
  readonly #conn: SqliteConnection;

  /** Runs its SQL on `connection`. */
  constructor(connection: SqliteConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async appendSyncLog(entry: SyncLogEntry): Promise<void> {
    this.#conn.call('appendSyncLog', (db) => {
      this.#conn
        .stmt(
          db,
          `INSERT INTO sync_logs (id, run_id, entity, status, started_at, started_ms, entry) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET run_id = excluded.run_id, entity = excluded.entity, status = excluded.status,
           started_at = excluded.started_at, started_ms = excluded.started_ms, entry = excluded.entry`,
        )
        .run(entry.id, entry.runId, entry.entity, entry.status, entry.startedAt, epochMs(entry.startedAt), JSON.stringify(entry));
    });
  }

  /** @inheritDoc */
  async listSyncLogs(query: SyncLogQuery = {}): Promise<Page<SyncLogEntry>> {
    return this.#conn.call('listSyncLogs', (db) => {
      const limit = pageLimit(query.limit);
      const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
      const filter = new Filter();
      if (query.entity !== undefined) filter.add('entity = ?', query.entity);
      if (query.status !== undefined) filter.add('status = ?', query.status);
      if (query.runId !== undefined) filter.add('run_id = ?', query.runId);
      if (query.from !== undefined) filter.add('started_ms >= ?', boundMs(query.from));
      if (query.to !== undefined) filter.add('started_ms < ?', boundMs(query.to));
      if (after) filter.olderThan('started_ms', after);
      const { where, params } = filter;
      const rows = this.#conn
        .stmt(db, `SELECT entry FROM sync_logs ${where} ORDER BY started_ms DESC, id DESC LIMIT ?`)
        .pluck()
        .all(...params, limit + 1) as string[];
      return pageOf(rows, limit, (text) => JSON.parse(text) as SyncLogEntry, (item) => [item.startedAt, item.id]);
    });
  }

  /** @inheritDoc */
  async latestSyncLog(entity: EntityName, status?: SyncStatus): Promise<SyncLogEntry | null> {
    const page = await this.listSyncLogs({ entity, ...(status === undefined ? {} : { status }), limit: 1 });
    return page.items[0] ?? null;
  }

  /** @inheritDoc */
  async pruneSyncLogs(before: Date): Promise<number> {
    return this.#conn.call('pruneSyncLogs', (db) => this.#conn.stmt(db, 'DELETE FROM sync_logs WHERE started_ms < ?').run(boundMs(before)).changes);
  }
}
