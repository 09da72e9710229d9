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
 * each reading at most one page; so does a visibility filter (the person's own activities, and
 * one walk per readable entity type without them).
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
  // Conditions that split the query into index walks: one per type when several are asked for,
  // times one per way an activity can be visible (their own, or on each readable entity type).
  type Arm = { clauses: string[]; params: ActivityParam[] };
  let arms: Arm[] = [{ clauses: [], params: [] }];
  const types = query.types ?? [];
  if (types.length > 0) arms = arms.flatMap((arm) => types.map((type) => ({ clauses: [...arm.clauses, 'activity_type = ?'], params: [...arm.params, type] })));
  const visible = query.visibleTo;
  if (visible !== null) {
    // Each activity reaches exactly one walk: the entity walks leave out the person's own.
    const ways: Arm[] = [
      { clauses: ['user_id = ?'], params: [visible.userId] },
      ...visible.entityTypes.map((entityType) => ({ clauses: ['entity_type = ?', 'user_id IS NOT ?'], params: [entityType, visible.userId] })),
    ];
    arms = arms.flatMap((arm) => ways.map((way) => ({ clauses: [...arm.clauses, ...way.clauses], params: [...arm.params, ...way.params] })));
  }
  // One record's activities: always its own index. That index leaves the id out (it is written
  // at random, so it is kept small), and without this SQLite would rather walk every activity of
  // the entity type in time order than sort the few of one record.
  const from = query.entityType !== null && query.entityId !== null ? 'activities INDEXED BY activities_entity' : 'activities';
  const where = (extra: string[]) => {
    const all = [...extra, ...clauses];
    return all.length > 0 ? `WHERE ${all.join(' AND ')}` : '';
  };
  const [only] = arms;
  if (arms.length === 1 && only !== undefined) {
    return {
      sql: `SELECT activity FROM ${from} ${where(only.clauses)} ${ORDER} LIMIT ?`,
      params: [...only.params, ...params, rows],
    };
  }
  const arm = (extra: string[]) => `SELECT * FROM (SELECT activity, timestamp_ms, id FROM ${from} ${where(extra)} ${ORDER} LIMIT ?)`;
  return {
    sql: `SELECT activity FROM (${arms.map((a) => arm(a.clauses)).join(' UNION ALL ')}) ${ORDER} LIMIT ?`,
    params: [...arms.flatMap((a) => [...a.params, ...params, rows]), rows],
  };
}
