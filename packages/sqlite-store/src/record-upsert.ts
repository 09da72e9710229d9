/**
 * The multi-row upsert of synced records.
 * @module
 */
import { RECORD_COLUMNS } from './record-query.js';

/** A value SQLite stores in an indexed path column: what `json_extract` returns for that path. */
export type IndexedValue = number | string | null;

/**
 * The value at `data[key].id` as SQLite's `json_extract(data, '$.<key>.id')` would read it from
 * the stored JSON: `null` when `data[key]` is not an object or `id` is missing, null or not a
 * finite number (JSON has no such number); -0 as 0; booleans as 1 and 0; objects and arrays as their
 * JSON text; numbers and strings as they are. Pure.
 */
export function indexedValue(data: Readonly<Record<string, unknown>>, key: string): IndexedValue {
  const parent = data[key];
  if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) return null;
  const value = (parent as Record<string, unknown>)['id'];
  switch (typeof value) {
    case 'number':
      // -0 is written to JSON as 0.
      return Number.isFinite(value) ? value + 0 : null;
    case 'string':
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'object':
      return value === null ? null : JSON.stringify(value);
    default:
      return null;
  }
}

/**
 * The keys whose `.id` the store keeps in a column of its own, in the order of
 * {@link UPSERT_COLUMNS}' last three columns (see `INDEXED_PATH_COLUMNS` in migrations.ts).
 */
export const INDEXED_KEYS = ['userId', 'partnerId', 'parentId'] as const;

/** Columns an upsert writes: a record row's, then the indexed path columns. */
export const UPSERT_COLUMNS = `${RECORD_COLUMNS}, user_id, partner_id, parent_id`;

/**
 * The most rows one upsert statement carries: 1024 rows of 12 parameters (12 288) stay far below
 * SQLite's limit of 32 766 bound parameters.
 */
export const UPSERT_CHUNK = 1024;

/**
 * From this many rows up to {@link UPSERT_CHUNK}, a batch is one statement of exactly its size
 * (a sync's page of 1000 rows: one statement). A single statement can commit on its own, and
 * SQLite then keeps no statement journal (a copy of every page the statement changes, kept so
 * that a failing statement can be undone inside a larger transaction).
 */
export const UPSERT_SINGLE_MIN = 200;

/**
 * How a batch of `rows` records is split into statements: one statement of exactly `rows` rows
 * from {@link UPSERT_SINGLE_MIN} to {@link UPSERT_CHUNK} rows; otherwise as many full
 * {@link UPSERT_CHUNK}s as fit, then the rest by descending powers of two (one statement each),
 * so small batches share at most eleven statement texts.
 */
export function upsertChunks(rows: number): number[] {
  if (rows >= UPSERT_SINGLE_MIN && rows <= UPSERT_CHUNK) return [rows];
  const chunks: number[] = [];
  let left = rows;
  while (left >= UPSERT_CHUNK) {
    chunks.push(UPSERT_CHUNK);
    left -= UPSERT_CHUNK;
  }
  for (let size = UPSERT_CHUNK / 2; size >= 1; size /= 2) {
    if (left >= size) {
      chunks.push(size);
      left -= size;
    }
  }
  return chunks;
}

/**
 * SQL texts longer than this are large statements (a record upsert of 200 rows or more), which
 * the connections cache apart: prepared, such a statement takes about 1 KB of memory per row,
 * and a page upsert has the page's exact size, so sizes vary from batch to batch.
 */
export const LARGE_STATEMENT_CHARS = 8 * 1024;

/**
 * Large statements a connection keeps, the least recently used dropped first: enough for a
 * sync's page size and the last, shorter pages of a few entities; at most a few megabytes.
 */
export const LARGE_STATEMENT_LIMIT = 4;

const sqlBySize = new Map<number, string>();

/**
 * The upsert of `rows` records in one statement; a conflict updates the stored row (and
 * undeletes it). The text is built once per size.
 */
export function upsertSql(rows: number): string {
  let sql = sqlBySize.get(rows);
  if (sql === undefined) {
    sql = buildUpsertSql(rows);
    if (sqlBySize.size < 64) sqlBySize.set(rows, sql);
  }
  return sql;
}

function buildUpsertSql(rows: number): string {
  const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)').join(', ');
  return `INSERT INTO records (${UPSERT_COLUMNS}) VALUES ${values}
     ON CONFLICT (entity, odoo_id) DO UPDATE SET
       data = excluded.data, hash = excluded.hash, is_active = excluded.is_active,
       user_id = excluded.user_id, partner_id = excluded.partner_id, parent_id = excluded.parent_id,
       inactive_reason = excluded.inactive_reason, odoo_write_date = excluded.odoo_write_date,
       last_synced_at = excluded.last_synced_at, deleted_at = NULL`;
}
