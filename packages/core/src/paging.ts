/**
 * Helpers every store shares for cursor pagination: opaque cursors and page sizes.
 * @module
 */
import { InputError } from './errors.js';
import type { Page } from './model.js';
import type { JsonValue } from './ports.js';

/** Page size when none is given. */
export const DEFAULT_PAGE_LIMIT = 50;
/** Largest page size a store answers. */
export const MAX_PAGE_LIMIT = 1000;

/** Encodes a keyset position as an opaque cursor (base64url JSON). */
export function encodeCursor(position: JsonValue): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor}; `check` tells whether the decoded value has the
 * expected shape. Throws {@link InputError} (`input_invalid`) for anything else.
 */
export function decodeCursor<T extends JsonValue>(cursor: string, check: (value: JsonValue) => value is T): T {
  let value: JsonValue;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as JsonValue;
  } catch (cause) {
    throw new InputError('The page cursor is not valid.', [{ path: 'cursor', message: 'malformed cursor' }], {
      cause,
      hint: 'Pass the nextCursor of the previous page unchanged, or no cursor for the first page.',
    });
  }
  if (!check(value)) {
    throw new InputError('The page cursor is not valid.', [{ path: 'cursor', message: 'malformed cursor' }], {
      hint: 'Pass the nextCursor of the previous page unchanged, or no cursor for the first page.',
    });
  }
  return value;
}

/** Validates a page size: `undefined` → {@link DEFAULT_PAGE_LIMIT}; out of 1–1000 → {@link InputError}. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new InputError(`limit must be an integer from 1 to ${MAX_PAGE_LIMIT}.`, [
      { path: 'limit', message: `expected 1–${MAX_PAGE_LIMIT}, received ${String(limit)}` },
    ]);
  }
  return limit;
}

/** True for a cursor of the form `[number]`. */
export function isIdCursor(value: JsonValue): value is [number] {
  return Array.isArray(value) && value.length === 1 && typeof value[0] === 'number';
}

/** True for a cursor of the form `[string, string]` (e.g. timestamp and id). */
export function isPairCursor(value: JsonValue): value is [string, string] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string';
}

/**
 * Makes a page from up to `limit + 1` rows read in page order (the extra row only tells that more
 * follow): the first `limit` rows become items, and the next cursor is the position of the last
 * item, or `null` when nothing follows.
 *
 * @example
 * ```ts
 * const rows = db.all('SELECT … ORDER BY odoo_id LIMIT ?', limit + 1);
 * return pageOf(rows, limit, toSyncedRecord, (record) => [record.odooId]);
 * ```
 */
export function pageOf<R, T>(
  rows: readonly R[],
  limit: number,
  toItem: (row: R) => T,
  positionOf: (item: T) => JsonValue,
): Page<T> {
  const items = rows.slice(0, limit).map((row) => toItem(row));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null };
}
