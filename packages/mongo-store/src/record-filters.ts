/**
 * Record queries: the MongoDB filter that finds candidates through indexes, and the exact
 * check in code that gives MemoryStore's answer (MongoDB's equality also matches inside
 * arrays and its case folding is not JavaScript's, so the filter alone may match a little more).
 * Pure: no I/O.
 * @module
 */
import { assertDataPath, valueAtPath } from '@odoo-sync/core/store-kit';
import type { RecordQuery } from '@odoo-sync/core';
import type { RecordWhere } from '@odoo-sync/core/store-kit';
import { InputError } from '@odoo-sync/core/errors';
import type { Filter } from 'mongodb';

const DATA_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Escapes text for use as a literal inside a regular expression. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A regex source matching `needle` case-insensitively together with the `i` option: non-ASCII
 * letters get an explicit class of both cases (`ü` → `[üÜ]`), so the match does not depend on
 * whether the server folds case beyond ASCII.
 */
export function caseInsensitivePattern(needle: string): string {
  let pattern = '';
  for (const ch of needle) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    const single = Array.from(lower).length === 1 && Array.from(upper).length === 1;
    pattern += ch.charCodeAt(0) > 0x7f && single && lower !== upper ? `[${lower}${upper}]` : escapeRegex(ch);
  }
  return pattern;
}

/** Validates the `where` paths and values; throws {@link InputError}. */
export function assertWhere(where: RecordWhere): void {
  for (const [path, value] of Object.entries(where)) {
    assertDataPath(path);
    if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new InputError(`where.${path} must be a string, number, boolean or null.`, [
        { path: `where.${path}`, message: `expected a scalar, received ${typeof value}` },
      ]);
    }
  }
}

/** The search needle as MemoryStore compares it: trimmed, lower case; `''` means no search. */
function needleOf(query: RecordQuery): string {
  return query.search?.text.trim().toLowerCase() ?? '';
}

/**
 * The MongoDB filter for a record query, after `afterOdooId`. Every `where` value goes through
 * `$eq`, so a value can never be read as an operator. The search becomes a case-insensitive
 * regex over the keys when they are all plain dotted paths; otherwise it is left to
 * {@link matchesRecordQuery}.
 */
export function recordFilter(query: RecordQuery, afterOdooId: number): Filter<Record<string, unknown>> {
  const conditions: Filter<Record<string, unknown>>[] = [{ odooId: { $gt: afterOdooId } }];
  if (query.includeInactive !== true) conditions.push({ isActive: true });
  for (const [path, value] of Object.entries(query.where ?? {})) conditions.push({ [`data.${path}`]: { $eq: value } });
  const needle = needleOf(query);
  const keys = query.search?.keys ?? [];
  if (needle && keys.every((key) => DATA_PATH.test(key))) {
    const pattern = caseInsensitivePattern(needle);
    conditions.push(keys.length === 0 ? { _id: { $exists: false } } : { $or: keys.map((key) => ({ [`data.${key}`]: { $regex: pattern, $options: 'i' } })) });
  }
  return conditions.length === 1 ? (conditions[0] as Filter<Record<string, unknown>>) : { $and: conditions };
}

/** True when a record's data satisfies the query's `where` and `search` exactly as MemoryStore decides. */
export function matchesRecordQuery(data: unknown, query: RecordQuery): boolean {
  for (const [path, value] of Object.entries(query.where ?? {})) {
    if ((valueAtPath(data, path) ?? null) !== value) return false;
  }
  const needle = needleOf(query);
  if (!needle || !query.search) return true;
  return query.search.keys.some((key) => {
    const value = valueAtPath(data, key);
    return typeof value === 'string' && value.toLowerCase().includes(needle);
  });
}
