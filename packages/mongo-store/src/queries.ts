/**
 * Query helpers the MongoDB port files share: keyset pagination on `(time, _id)` and AND-ed
 * conditions.
 * @module
 */
import { InputError } from '@odoo-sync/core/errors';
import type { Document, Filter } from 'mongodb';

/** The time of a page cursor; a malformed one is an `InputError`. */
export function cursorTime(value: string): Date {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new InputError('The page cursor is not valid.', [{ path: 'cursor', message: 'malformed cursor' }], {
      hint: 'Pass the nextCursor of the previous page unchanged, or no cursor for the first page.',
    });
  }
  return new Date(time);
}

/** Keyset condition for "after (time, id)" in the given sort direction. */
export function keysetAfter(field: string, time: Date, id: string, direction: 1 | -1): Filter<Document> {
  const op = direction === 1 ? '$gt' : '$lt';
  return { $or: [{ [field]: { [op]: time } }, { [field]: time, _id: { [op]: id } }] };
}

/** Every condition (`{}` for none). */
export function and(conditions: Filter<Document>[]): Filter<Document> {
  if (conditions.length === 0) return {};
  if (conditions.length === 1) return conditions[0] as Filter<Document>;
  return { $and: conditions };
}
