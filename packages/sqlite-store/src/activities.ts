/**
 * The activity port on SQLite (`activities`): the activity as JSON plus the columns it is
 * filtered and ordered by.
 * @module
 */
import type { Activity } from '@odoo-sync/core';
import type { ActivityQuery, ActivityStore, Page } from '@odoo-sync/core/store-kit';
import { decodeCursor, isPairCursor, pageLimit, pageOf } from '@odoo-sync/core/store-kit';
import type { SqliteConnection } from './connection.js';
import { boundMs, epochMs, Filter } from './sql.js';

/** {@link ActivityStore} over a shared {@link SqliteConnection}. */
export class SqliteActivities implements ActivityStore {
  readonly #conn: SqliteConnection;

  /** Runs its SQL on `connection`. */
  constructor(connection: SqliteConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async appendActivities(activities: readonly Activity[]): Promise<void> {
    this.#conn.call('appendActivities', (db) => {
      if (activities.length === 0) return;
      const insert = this.#conn.stmt(
        db,
        `INSERT INTO activities (id, activity_type, entity_type, entity_id, user_id, timestamp, timestamp_ms, activity)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      );
      this.#conn.write(db, () => {
        for (const a of activities) {
          insert.run(a.id, a.activityType, a.entityType ?? null, a.entityId ?? null, a.userId ?? null, a.timestamp, epochMs(a.timestamp), JSON.stringify(a));
        }
      });
    });
  }

  /** @inheritDoc */
  async queryActivities(query: ActivityQuery = {}): Promise<Page<Activity>> {
    return this.#conn.call('queryActivities', (db) => {
      const limit = pageLimit(query.limit);
      const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
      const filter = new Filter();
      if (query.activityType !== undefined) filter.add('activity_type = ?', query.activityType);
      if (query.entityType !== undefined) filter.add('entity_type = ?', query.entityType);
      if (query.entityId !== undefined) filter.add('entity_id = ?', query.entityId);
      if (query.userId !== undefined) filter.add('user_id = ?', query.userId);
      if (query.from !== undefined) filter.add('timestamp_ms >= ?', boundMs(query.from));
      if (query.to !== undefined) filter.add('timestamp_ms < ?', boundMs(query.to));
      if (after) filter.olderThan('timestamp_ms', after);
      const { where, params } = filter;
      const rows = this.#conn
        .stmt(db, `SELECT activity FROM activities ${where} ORDER BY timestamp_ms DESC, id DESC LIMIT ?`)
        .pluck()
        .all(...params, limit + 1) as string[];
      return pageOf(rows, limit, (text) => JSON.parse(text) as Activity, (item) => [item.timestamp, item.id]);
    });
  }

  /** @inheritDoc */
  async purgeActivities(before: Date): Promise<number> {
    return this.#conn.call('purgeActivities', (db) => this.#conn.stmt(db, 'DELETE FROM activities WHERE timestamp_ms < ?').run(boundMs(before)).changes);
  }
}
