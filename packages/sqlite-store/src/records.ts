/**
 * The record port on SQLite: synced records (`records`) and each entity's sync cursor
 * (`sync_cursors`).
 * @module
 */
import type { EntityName, RecordQuery, RecordStore, SyncedRecord } from '@odoo-sync/core';
import type {
  EntityRecord,
  InactiveReason,
  Page,
  RecordCounts,
  RecordWrite,
  StoredState,
} from '@odoo-sync/core/store-kit';
import { pageOf } from '@odoo-sync/core/store-kit';
import type { SqliteConnection } from './connection.js';
import type { RecordRow } from './record-query.js';
import { compileRecordQuery, RECORD_COLUMNS } from './record-query.js';
import { INDEXED_KEYS, indexedValue, upsertChunks, upsertSql } from './record-upsert.js';
import type { Param } from './sql.js';

interface StateRow {
  odoo_id: number;
  hash: string;
  is_active: number;
  inactive_reason: string | null;
}

/** Upserts of at least this many records run on the write thread (when the store has one). */
const WRITE_THREAD_MIN_ROWS = 200;

/** The statements (SQL, parameters) that upsert `writes`: a few multi-row ones (see upsertChunks). */
function upsertOps(entity: EntityName, writes: readonly RecordWrite[], at: Date): Array<[string, Param[]]> {
  const now = at.toISOString();
  const ops: Array<[string, Param[]]> = [];
  let i = 0;
  for (const size of upsertChunks(writes.length)) {
    const params: Param[] = [];
    for (const end = i + size; i < end; i++) {
      const write = writes[i]!;
      const data = write.data as Readonly<Record<string, unknown>>;
      params.push(
        entity,
        write.odooId,
        JSON.stringify(data),
        write.hash,
        write.isActive ? 1 : 0,
        write.isActive ? null : (write.inactiveReason ?? 'archived'),
        write.odooWriteDate ?? null,
        now,
        now,
        // The indexed paths, read here rather than by SQLite, which would parse the JSON
        // text once per index (see INDEXED_PATH_COLUMNS).
        indexedValue(data, INDEXED_KEYS[0]),
        indexedValue(data, INDEXED_KEYS[1]),
        indexedValue(data, INDEXED_KEYS[2]),
      );
    }
    ops.push([upsertSql(size), params]);
  }
  return ops;
}

function toSyncedRecord(row: RecordRow): SyncedRecord {
  return {
    entity: row.entity,
    odooId: row.odoo_id,
    data: JSON.parse(row.data) as EntityRecord,
    hash: row.hash,
    isActive: row.is_active === 1,
    inactiveReason: row.inactive_reason as InactiveReason | null,
    odooWriteDate: row.odoo_write_date,
    firstSyncedAt: row.first_synced_at,
    lastSyncedAt: row.last_synced_at,
    deletedAt: row.deleted_at,
  };
}

/** {@link RecordStore} over a shared {@link SqliteConnection}. */
export class SqliteRecords implements RecordStore {
  readonly #conn: SqliteConnection;

  /** Runs its SQL on `connection`. */
  constructor(connection: SqliteConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async getStates(entity: EntityName, ids: readonly number[]): Promise<Map<number, StoredState>> {
    return this.#conn.call('getStates', (db) => {
      const states = new Map<number, StoredState>();
      if (ids.length === 0) return states;
      // One query for the whole page: the ids travel as one JSON array, so there is no
      // 999/32766 bound-parameter limit to chunk around.
      const rows = this.#conn
        .stmt(db, 'SELECT odoo_id, hash, is_active, inactive_reason FROM records WHERE entity = ? AND odoo_id IN (SELECT value FROM json_each(?))')
        .all(entity, JSON.stringify(ids)) as StateRow[];
      for (const row of rows) {
        states.set(row.odoo_id, {
          hash: row.hash,
          isActive: row.is_active === 1,
          inactiveReason: row.inactive_reason as InactiveReason | null,
        });
      }
      return states;
    });
  }

  /** @inheritDoc */
  async upsertRecords(entity: EntityName, writes: readonly RecordWrite[], at: Date): Promise<void> {
    // All or nothing per call: one statement (a sync's page) commits on its own; a few
    // multi-row statements (see upsertChunks) share one IMMEDIATE transaction.
    if (writes.length === 0) return;
    const writer = this.#conn.writer;
    // A sync's page goes to the write thread; so does any write while one is in flight there,
    // so upserts commit in the order they were made.
    if (writer !== null && (writes.length >= WRITE_THREAD_MIN_ROWS || writer.busy)) {
      this.#conn.call('upsertRecords', () => undefined);
      await writer.run('upsertRecords', upsertOps(entity, writes, at));
      return;
    }
    this.#conn.call('upsertRecords', (db) => {
      const ops = upsertOps(entity, writes, at);
      // A single statement commits on its own: SQLite then keeps no statement journal for it.
      const [single] = ops;
      if (ops.length === 1 && single !== undefined) this.#conn.stmt(db, single[0]).run(...single[1]);
      else {
        this.#conn.write(db, () => {
          for (const [sql, params] of ops) this.#conn.stmt(db, sql).run(...params);
        });
      }
    });
  }

  /** @inheritDoc */
  async markDeleted(entity: EntityName, ids: readonly number[], at: Date): Promise<number> {
    return this.#conn.call('markDeleted', (db) => {
      if (ids.length === 0) return 0;
      const result = this.#conn.write(db, () =>
        this.#conn
          .stmt(
            db,
            `UPDATE records SET is_active = 0, inactive_reason = 'deleted', deleted_at = ?
           WHERE entity = ? AND odoo_id IN (SELECT value FROM json_each(?)) AND inactive_reason IS NOT 'deleted'`,
          )
          .run(at.toISOString(), entity, JSON.stringify(ids)),
      );
      return result.changes;
    });
  }

  /** @inheritDoc */
  async listLiveIds(entity: EntityName): Promise<number[]> {
    return this.#conn.call('listLiveIds', (db) =>
      // Reads only the small partial index records_live, and hands back plain numbers.
      this.#conn
        .stmt(db, `SELECT odoo_id FROM records WHERE entity = ? AND inactive_reason IS NOT 'deleted' ORDER BY odoo_id`)
        .pluck()
        .all(entity) as number[],
    );
  }

  /** @inheritDoc */
  async getRecord(entity: EntityName, odooId: number): Promise<SyncedRecord | null> {
    return this.#conn.call('getRecord', (db) => {
      const row = this.#conn.stmt(db, `SELECT ${RECORD_COLUMNS} FROM records WHERE entity = ? AND odoo_id = ?`).get(entity, odooId) as
        | RecordRow
        | undefined;
      return row ? toSyncedRecord(row) : null;
    });
  }

  /** @inheritDoc */
  async queryRecords(entity: EntityName, query: RecordQuery = {}): Promise<Page<SyncedRecord>> {
    return this.#conn.call('queryRecords', (db) => {
      const { sql, params, limit } = compileRecordQuery(entity, query, this.#conn.declaredPaths.get(entity));
      const rows = this.#conn.stmt(db, sql).all(...params) as RecordRow[];
      return pageOf(rows, limit, toSyncedRecord, (item) => [item.odooId]);
    });
  }

  /** @inheritDoc */
  async countRecords(entity: EntityName): Promise<RecordCounts> {
    return this.#conn.call('countRecords', (db) => {
      // Three range counts on records_state rather than one GROUP BY over every entry of the
      // entity: the same numbers for less than half the CPU (the Reconciler counts each entity
      // twice per run, so an incremental run of a few changes is mostly counting).
      const row = this.#conn
        .stmt(
          db,
          `SELECT (SELECT COUNT(*) FROM records WHERE entity = ? AND is_active = 1) AS active,
             (SELECT COUNT(*) FROM records WHERE entity = ? AND is_active = 0) AS inactive,
             (SELECT COUNT(*) FROM records WHERE entity = ? AND is_active = 0 AND inactive_reason IS 'deleted') AS deleted`,
        )
        .get(entity, entity, entity) as { active: number; inactive: number; deleted: number };
      return { active: row.active, archived: row.inactive - row.deleted, deleted: row.deleted };
    });
  }

  /** @inheritDoc */
  async getCursor(entity: EntityName): Promise<string | null> {
    return this.#conn.call('getCursor', (db) => {
      const cursor = this.#conn.stmt(db, 'SELECT cursor FROM sync_cursors WHERE entity = ?').pluck().get(entity) as string | undefined;
      return cursor ?? null;
    });
  }

  /** @inheritDoc */
  async setCursor(entity: EntityName, cursor: string | null): Promise<void> {
    this.#conn.call('setCursor', (db) => {
      if (cursor === null) this.#conn.stmt(db, 'DELETE FROM sync_cursors WHERE entity = ?').run(entity);
      else {
        this.#conn
          .stmt(db, 'INSERT INTO sync_cursors (entity, cursor) VALUES (?, ?) ON CONFLICT (entity) DO UPDATE SET cursor = excluded.cursor')
          .run(entity, cursor);
      }
    });
  }
}
