/**
 * The multi-row upsert of synced records.
 * @module
 */
import { RECORD_COLUMNS } from './record-query.js';

/** Rows per multi-row upsert statement (9 parameters each: far below SQLite's limit). */
export const UPSERT_CHUNK = 100;

/** The upsert of `rows` records in one statement; a conflict updates the stored row (and undeletes it). */
export function upsertSql(rows: number): string {
  const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)').join(', ');
  return `INSERT INTO records (${RECORD_COLUMNS}) VALUES ${values}
     ON CONFLICT (entity, odoo_id) DO UPDATE SET
       data = excluded.data, hash = excluded.hash, is_active = excluded.is_active,
       inactive_reason = excluded.inactive_reason, odoo_write_date = excluded.odoo_write_date,
       last_synced_at = excluded.last_synced_at, deleted_at = NULL`;
}
