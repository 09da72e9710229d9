/**
 * The activity port on SQLite (`activities`): the activity as JSON plus the columns it is
 * filtered and ordered by.
 * @module
 */
import type { Activity } from '@odoo-sync/core';
import type { ActivityFilter, ActivityQuery, ActivityStore, CheckedActivityQuery, Page } from '@odoo-sync/core/store-kit';
import { checkActivityQuery, pageOf, pageThroughActivities, titleKey } from '@odoo-sync/core/store-kit';
import { compileActivityQuery } from './activity-query.js';
import type { Db, SqliteConnection } from './connection.js';
import { upsertChunks } from './record-upsert.js';
import { boundMs, epochMs } from './sql.js';

/** {@link ActivityStore} over a shared {@link SqliteConnection}. */
export class SqliteActivities implements ActivityStore {
  readonly #conn: SqliteConnection;

  /** Runs its SQL on `connection`. */
  constructor(connection: SqliteConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async appendActivities(activities: readonly Activity[]): Promise<void> {
    this.#write('appendActivities', activities, 'DO NOTHING');
  }

  /** @inheritDoc */
  async upsertActivities(activities: readonly Activity[]): Promise<void> {
    this.#write(
      'upsertActivities',
      activities,
      `DO UPDATE SET activity_type = excluded.activity_type, entity_type = excluded.entity_type, entity_id = excluded.entity_id,
         user_id = excluded.user_id, source = excluded.source, title_key = excluded.title_key, timestamp = excluded.timestamp,
         timestamp_ms = excluded.timestamp_ms, activity = excluded.activity`,
    );
  }

  #write(operation: string, activities: readonly Activity[], onConflict: string): void {
    this.#conn.call(operation, (db) => {
      if (activities.length === 0) return;
      this.#conn.write(db, () => {
        // Many rows per statement (the records' chunking): far fewer calls into SQLite than one per row.
        let next = 0;
        for (const size of upsertChunks(activities.length)) {
          const params: (string | number | null)[] = [];
          for (const a of activities.slice(next, next + size)) {
            params.push(
              a.id,
              a.activityType,
              a.entityType ?? null,
              a.entityId ?? null,
              a.userId ?? null,
              a.source === 'odoo' ? 'odoo' : 'app',
              titleKey(a.title),
              a.timestamp,
              epochMs(a.timestamp),
              JSON.stringify(a),
            );
          }
          next += size;
          this.#conn.stmt(db, insertSql(size, onConflict)).run(...params);
        }
      });
    });
  }

  /** @inheritDoc */
  async queryActivities(query: ActivityQuery = {}): Promise<Page<Activity>> {
    return this.#conn.call('queryActivities', (db) => this.#page(db, checkActivityQuery(query)));
  }

  /** @inheritDoc */
  streamActivities(filter: ActivityFilter = {}): AsyncIterable<Activity> {
    return pageThroughActivities(filter, async (query) => this.#conn.call('streamActivities', (db) => this.#page(db, query)));
  }

  #page(db: Db, query: CheckedActivityQuery): Page<Activity> {
    const { sql, params } = compileActivityQuery(query);
    const rows = this.#conn.stmt(db, sql).pluck().all(...params) as string[];
    return pageOf(rows, query.limit, (text) => JSON.parse(text) as Activity, (item) => [item.timestamp, item.id]);
  }

  /** @inheritDoc */
  async purgeActivities(before: Date): Promise<number> {
    return this.#conn.call('purgeActivities', (db) => this.#conn.stmt(db, 'DELETE FROM activities WHERE timestamp_ms < ?').run(boundMs(before)).changes);
  }
}

const ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const insertSqlCache = new Map<string, string>();

/** The insert of `rows` activities in one statement, with `onConflict` for an id already stored; built once per size. */
function insertSql(rows: number, onConflict: string): string {
  const key = `${String(rows)} ${onConflict}`;
  let sql = insertSqlCache.get(key);
  if (sql === undefined) {
    sql = `INSERT INTO activities (id, activity_type, entity_type, entity_id, user_id, source, title_key, timestamp, timestamp_ms, activity)
     VALUES ${Array.from({ length: rows }, () => ROW).join(', ')} ON CONFLICT (id) ${onConflict}`;
    if (insertSqlCache.size < 64) insertSqlCache.set(key, sql);
  }
  return sql;
}
