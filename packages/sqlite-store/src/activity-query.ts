/**
 * Compiles a checked activity query into one parameterised SQL statement over the
 * `activities` table, with the same meaning as MemoryStore's filters. Caller text is only
 * ever bound, never put in the SQL.
 * @module
 */
import type { CheckedActivityQuery } from '@odoo-sync/core/store-kit';

/** A value bound to a `?` placeholder. */
export type ActivityParam = string | number | null;

/** An `activities` query: SQL and its bound values. */
export interface CompiledActivityQuery {
  /** One `SELECT activity … ORDER BY timestamp_ms DESC, id DESC LIMIT ?` statement. */
  sql: string;
  /** Bound values, in placeholder order. */
  params: ActivityParam[];
}

const ORDER = 'ORDER BY timestamp_ms DESC, id DESC';

/** `%text%` for `LIKE … ESCAPE '\'`, with the caller's `%`, `_` and `\` taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Builds the statement for one page (`limit + 1` rows, so the caller can tell whether more
 * follow). Each filter is an equality or range on an indexed column, and the cursor a row-value
 * comparison `(timestamp_ms, id) < (?, ?)`, so SQLite seeks straight to the page instead of
 * walking the newer rows. Several types become one index walk per type, merged (`UNION ALL`),
 * each reading at most one page.
 */
export function compileActivityQuery(query: CheckedActivityQuery): CompiledActivityQuery {
  const clauses: string[] = [];
  const params: ActivityParam[] = [];
  const add = (clause: string, ...values: ActivityParam[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (query.entityType !== null) add('entity_type = ?', query.entityType);
  if (query.entityId !== null) add('entity_id = ?', query.entityId);
  if (query.userId !== null) add('user_id = ?', query.userId);
  if (query.source !== null) add('source = ?', query.source);
  if (query.titleContains !== null) add(`title_key LIKE ? ESCAPE '\\'`, containsPattern(query.titleContains));
  if (query.fromMs !== null) add('timestamp_ms >= ?', query.fromMs);
  if (query.toMs !== null) add('timestamp_ms < ?', query.toMs);
  if (query.after !== null) add('(timestamp_ms, id) < (?, ?)', Date.parse(query.after[0]), query.after[1]);
  const rows = query.limit + 1;
  const types = query.types ?? [];
  const where = (extra: string[]) => {
    const all = [...extra, ...clauses];
    return all.length > 0 ? `WHERE ${all.join(' AND ')}` : '';
  };
  if (types.length <= 1) {
    const typeParams = types.length === 1 ? [types[0] ?? null] : [];
    return {
      sql: `SELECT activity FROM activities ${where(types.length === 1 ? ['activity_type = ?'] : [])} ${ORDER} LIMIT ?`,
      params: [...typeParams, ...params, rows],
    };
  }
  const arm = `SELECT * FROM (SELECT activity, timestamp_ms, id FROM activities ${where(['activity_type = ?'])} ${ORDER} LIMIT ?)`;
  return {
    sql: `SELECT activity FROM (${types.map(() => arm).join(' UNION ALL ')}) ${ORDER} LIMIT ?`,
    params: [...types.flatMap((type) => [type, ...params, rows]), rows],
  };
}
