/**
 * Helpers the in-memory ports share: copies, data paths and [time, id] ordering.
 * @module
 */
import { InputError } from '../errors.js';

/** Throws when the store is closed; every in-memory port calls it first. */
export type OpenGuard = () => void;

/** A deep copy, so callers never share an object with what is stored. */
export const copy = <T>(value: T): T => structuredClone(value);

/** Reads the value at a dotted path (`userId.id`) inside a record's data. */
export function valueAtPath(data: unknown, path: string): unknown {
  let current: unknown = data;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

const DATA_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Throws {@link InputError} unless `path` is identifiers joined by dots (safe to put in a query). */
export function assertDataPath(path: string): void {
  if (!DATA_PATH.test(path)) {
    throw new InputError(`"${path}" is not a valid field path.`, [
      { path: `where.${path}`, message: 'expected identifiers joined by dots, e.g. userId.id' },
    ]);
  }
}

/** Orders [time, id] pairs ascending: time by instant, then id as a string. */
export function comparePairs(a: readonly [string, string], b: readonly [string, string]): number {
  const byTime = Date.parse(a[0]) - Date.parse(b[0]);
  if (byTime !== 0) return byTime;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** A comparator ordering items newest first by their [time, id] key. */
export function newestFirst<T>(key: (item: T) => [string, string]): (a: T, b: T) => number {
  return (a, b) => comparePairs(key(b), key(a));
}

/** True when `pair` comes after `cursor` in newest-first order (i.e. is older). */
export function isBefore(pair: [string, string], cursor: readonly [string, string]): boolean {
  return comparePairs(pair, cursor) < 0;
}
