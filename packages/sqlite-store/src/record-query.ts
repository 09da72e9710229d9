/**
 * Compiles a {@link RecordQuery} into one parameterised SQL statement over the `records` table,
 * with the same meaning as MemoryStore's filters. No caller text is ever put in the SQL:
 * data paths are checked by core's `assertDataPath` and bound as JSON paths, except the
 * indexed ones, which name a column from a fixed table or a declared index's expression.
 * @module
 */
import { pathExpression } from './entity-indexes.js';
import type { EntityName, RecordQuery } from '@odoo-sync/core';
import { assertDataPath, decodeCursor, isIdCursor, pageLimit } from '@odoo-sync/core/store-kit';
import { INDEXED_PATH_COLUMNS } from './migrations.js';

/**
 * Name of the SQL function the store registers on its connection: JavaScript's
 * `toLowerCase()`, so search folds case for every script as MemoryStore does (SQLite's own
 * `lower()` and `LIKE` fold ASCII only).
 */
export const LOWER_FUNCTION = 'odoo_sync_lower';

/** Columns of a record row, in the order {@link RecordRow} names them. */
export const RECORD_COLUMNS =
  'entity, odoo_id, data, hash, is_active, inactive_reason, odoo_write_date, first_synced_at, last_synced_at, deleted_at';

/** A `records` row as better-sqlite3 returns it. */
export interface RecordRow {
  entity: string;
  odoo_id: number;
  data: string;
  hash: string;
  is_active: number;
  inactive_reason: string | null;
  odoo_write_date: string | null;
  first_synced_at: string;
  last_synced_at: string;
  deleted_at: string | null;
}

/** SQL and parameters of one page of a record query. */
export interface CompiledRecordQuery {
  /** The statement; it selects `limit + 1` rows so the caller knows whether a next page exists. */
  sql: string;
  /** Values for its `?` placeholders, in order. */
  params: Array<string | number | null>;
  /** Page size asked for. */
  limit: number;
}

const SIMPLE_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Builds the statement for a page of `queryRecords`. Throws core's `InputError` for a limit out
 * of range, a malformed cursor or a `where` path that is not dotted identifiers.
 */
export function compileRecordQuery(entity: EntityName, query: RecordQuery, declared?: ReadonlySet<string>): CompiledRecordQuery {
  const limit = pageLimit(query.limit);
  const after = query.cursor ? decodeCursor(query.cursor, isIdCursor)[0] : 0;
  const where = Object.entries(query.where ?? {});
  for (const [path] of where) assertDataPath(path);

  // A path with an index its entity's definition declares (entity-indexes.ts): the entity and
  // the path are written literally so SQLite can use the partial expression index. Both are
  // identifiers (the entity comes from a checked definition, the path was checked above).
  const usesDeclared = declared !== undefined && where.some(([path]) => declared.has(path));
  const clauses: string[] = [usesDeclared ? `entity = '${entity}'` : 'entity = ?', 'odoo_id > ?'];
  const params: Array<string | number | null> = usesDeclared ? [after] : [entity, after];
  if (query.includeInactive !== true) {
    // `inactive_reason IS NULL` always holds for active rows; naming it lets SQLite walk the
    // records_state index in odoo_id order.
    clauses.push('is_active = 1', 'inactive_reason IS NULL');
  }

  for (const [path, value] of where) {
    const jsonPath = `$.${path}`;
    const indexed = INDEXED_PATH_COLUMNS.get(path) ?? (declared?.has(path) ? pathExpression(path) : undefined);
    const extract = indexed ?? 'json_extract(data, ?)';
    const extractParams = indexed === undefined ? [jsonPath] : [];
    if (value === null) {
      // A missing value and a JSON null both extract to SQL NULL, as MemoryStore treats them.
      clauses.push(`${extract} IS NULL`);
      params.push(...extractParams);
    } else if (typeof value === 'boolean') {
      clauses.push('json_type(data, ?) = ?');
      params.push(jsonPath, value ? 'true' : 'false');
    } else if (typeof value === 'number') {
      // The type check keeps JSON true (which extracts as 1) from matching the number 1.
      clauses.push(`${extract} = ?`, `json_type(data, ?) IN ('integer', 'real')`);
      params.push(...extractParams, value, jsonPath);
    } else {
      // The type check keeps an object or array (which extracts as JSON text) from matching.
      clauses.push(`${extract} = ?`, `json_type(data, ?) = 'text'`);
      params.push(...extractParams, value, jsonPath);
    }
  }

  const needle = query.search?.text.trim().toLowerCase() ?? '';
  if (needle !== '' && query.search) {
    // A key that is not a dotted identifier cannot name a value in normalised data: it matches nothing.
    const keys = query.search.keys.filter((key) => SIMPLE_PATH.test(key));
    if (keys.length === 0) clauses.push('0');
    else {
      const any = keys.map(() => `(json_type(data, ?) = 'text' AND instr(${LOWER_FUNCTION}(json_extract(data, ?)), ?) > 0)`);
      clauses.push(`(${any.join(' OR ')})`);
      for (const key of keys) params.push(`$.${key}`, `$.${key}`, needle);
    }
  }

  params.push(limit + 1);
  return {
    sql: `SELECT ${RECORD_COLUMNS} FROM records WHERE ${clauses.join(' AND ')} ORDER BY odoo_id LIMIT ?`,
    params,
    limit,
  };
}
