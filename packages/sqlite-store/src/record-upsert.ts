/**
 * The multi-row upsert of synced records.
 * @module
 */
import { RECORD_COLUMNS } from './record-query.js';

/**
 * The most rows one upsert statement carries: 512 rows of 9 parameters (4 608) stay far below
 * SQLite's limit of 32 766 bound parameters.
 */
export const UPSERT_CHUNK = 512;

/**
 * How a batch of `rows` records is split into statements: as many full {@link UPSERT_CHUNK}s as
 * fit, then the rest by descending powers of two (one statement each), so any batch takes few
 * statements and the store prepares at most ten different ones. A page of 1000 rows takes 6
 * statements (512 + 256 + 128 + 64 + 32 + 8).
 */
export function upsertChunks(rows: number): number[] {
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
  const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)').join(', ');
  return `INSERT INTO records (${RECORD_COLUMNS}) VALUES ${values}
     ON CONFLICT (entity, odoo_id) DO UPDATE SET
       data = excluded.data, hash = excluded.hash, is_active = excluded.is_active,
       inactive_reason = excluded.inactive_reason, odoo_write_date = excluded.odoo_write_date,
       last_synced_at = excluded.last_synced_at, deleted_at = NULL`;
}
