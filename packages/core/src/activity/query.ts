/**
 * Activity queries checked once, the same way for every store: pure functions, no I/O.
 * @module
 */
import { InputError, type InputIssue } from '../errors.js';
import type { Page } from '../model.js';
import { decodeCursor, DEFAULT_PAGE_LIMIT, isPairCursor } from '../paging.js';
import type { Activity, ActivityFilter, ActivityQuery, ActivitySource } from '../ports.js';

/** Largest page of activities a store answers. */
export const MAX_ACTIVITY_PAGE_LIMIT = 200;
/** Longest `titleContains` text. */
export const MAX_TITLE_SEARCH_LENGTH = 200;
/** Most activity types in one query. */
export const MAX_ACTIVITY_TYPES_PER_QUERY = 50;

/** An {@link ActivityFilter} checked and normalised: what a store compiles into its query. */
export interface CheckedActivityFilter {
  /** Types to match (any of them), or `null` for all. */
  types: string[] | null;
  /** Entity type, or `null`. */
  entityType: string | null;
  /** Entity id, or `null`. */
  entityId: string | null;
  /** User, or `null`. */
  userId: string | null;
  /** Source, or `null`. */
  source: ActivitySource | null;
  /** Trimmed title text in {@link titleKey} form, or `null`. */
  titleContains: string | null;
  /** Inclusive lower bound (epoch ms), or `null`. */
  fromMs: number | null;
  /** Exclusive upper bound (epoch ms), or `null`. */
  toMs: number | null;
  /** Only this user's activities or those on these entity types, or `null` for all. */
  visibleTo: { userId: string; entityTypes: string[] } | null;
}

/** An {@link ActivityQuery} checked and normalised. */
export interface CheckedActivityQuery extends CheckedActivityFilter {
  /** Page size. */
  limit: number;
  /** Position after which the page starts: [timestamp ISO, id], or `null` for the first page. */
  after: [string, string] | null;
}

const SOURCES: readonly string[] = ['app', 'odoo'];

function optionalText(value: unknown, path: string, issues: InputIssue[]): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || value.length === 0) {
    issues.push({ path, message: 'expected a non-empty string' });
    return null;
  }
  return value;
}

function optionalDate(value: unknown, path: string, issues: InputIssue[]): number | null {
  if (value === undefined) return null;
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) {
    issues.push({ path, message: 'expected a valid date' });
    return null;
  }
  return ms;
}

/**
 * Checks an activity filter; throws {@link @odoo-sync/core/errors!InputError | InputError} (`input_invalid`) listing every problem.
 *
 * @example
 * ```ts
 * const filter = checkActivityFilter({ activityType: ['call', 'meeting'], from: new Date('2026-01-01') });
 * ```
 */
export function checkActivityFilter(filter: ActivityFilter = {}): CheckedActivityFilter {
  const issues: InputIssue[] = [];
  let types: string[] | null = null;
  const rawTypes = filter.activityType;
  if (rawTypes !== undefined) {
    const list: unknown[] = typeof rawTypes === 'string' ? [rawTypes] : Array.isArray(rawTypes) ? [...(rawTypes as unknown[])] : [rawTypes];
    if (list.length === 0 || list.length > MAX_ACTIVITY_TYPES_PER_QUERY || list.some((t) => typeof t !== 'string' || t.length === 0)) {
      issues.push({ path: 'activityType', message: `expected 1–${MAX_ACTIVITY_TYPES_PER_QUERY} non-empty type names` });
    } else {
      types = [...new Set(list as string[])];
    }
  }
  const entityType = optionalText(filter.entityType, 'entityType', issues);
  const entityId = optionalText(filter.entityId, 'entityId', issues);
  const userId = optionalText(filter.userId, 'userId', issues);
  let source: ActivitySource | null = null;
  if (filter.source !== undefined) {
    if (SOURCES.includes(filter.source)) source = filter.source;
    else issues.push({ path: 'source', message: 'expected app or odoo' });
  }
  let titleContains: string | null = null;
  if (filter.titleContains !== undefined) {
    const text = typeof filter.titleContains === 'string' ? filter.titleContains.trim() : '';
    if (text.length === 0 || text.length > MAX_TITLE_SEARCH_LENGTH) {
      issues.push({ path: 'titleContains', message: `expected 1–${MAX_TITLE_SEARCH_LENGTH} characters` });
    } else {
      titleContains = titleKey(text);
    }
  }
  const fromMs = optionalDate(filter.from, 'from', issues);
  const toMs = optionalDate(filter.to, 'to', issues);
  const visibleTo = checkVisibility(filter.visibleTo, issues);
  if (issues.length > 0) {
    throw new InputError('The activity filter is not valid.', issues, {
      hint: 'Check the fields named in the issues: types and ids are non-empty strings, dates valid, source app or odoo.',
    });
  }
  return { types, entityType, entityId, userId, source, titleContains, fromMs, toMs, visibleTo };
}

function checkVisibility(value: ActivityFilter['visibleTo'], issues: InputIssue[]): CheckedActivityFilter['visibleTo'] {
  if (value === undefined) return null;
  const given: { userId?: unknown; entityTypes?: unknown } = typeof value === 'object' && (value as unknown) !== null ? value : {};
  const { userId, entityTypes } = given;
  const userOk = typeof userId === 'string' && userId.length > 0;
  if (!userOk) issues.push({ path: 'visibleTo.userId', message: 'expected a non-empty string' });
  const list: unknown[] | null = Array.isArray(entityTypes) ? (entityTypes as unknown[]) : null;
  if (list === null || list.length > MAX_ACTIVITY_TYPES_PER_QUERY || list.some((t) => typeof t !== 'string' || t.length === 0)) {
    issues.push({ path: 'visibleTo.entityTypes', message: `expected 0–${MAX_ACTIVITY_TYPES_PER_QUERY} non-empty entity type names` });
    return null;
  }
  return userOk ? { userId, entityTypes: [...new Set(list as string[])] } : null;
}

/** Checks an activity query (filter, page size 1–200, cursor); throws {@link @odoo-sync/core/errors!InputError | InputError}. */
export function checkActivityQuery(query: ActivityQuery = {}): CheckedActivityQuery {
  const { limit: rawLimit, cursor, ...filter } = query;
  const checked = checkActivityFilter(filter);
  const limit = rawLimit ?? DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ACTIVITY_PAGE_LIMIT) {
    throw new InputError(`limit must be an integer from 1 to ${MAX_ACTIVITY_PAGE_LIMIT}.`, [
      { path: 'limit', message: `expected 1–${MAX_ACTIVITY_PAGE_LIMIT}, received ${String(rawLimit)}` },
    ]);
  }
  let after: [string, string] | null = null;
  if (cursor) {
    after = decodeCursor(cursor, isPairCursor);
    if (!Number.isFinite(Date.parse(after[0]))) {
      throw new InputError('The page cursor is not valid.', [{ path: 'cursor', message: 'malformed cursor' }], {
        hint: 'Pass the nextCursor of the previous page unchanged, or no cursor for the first page.',
      });
    }
  }
  return { ...checked, limit, after };
}

/**
 * The form of a title that `titleContains` is matched against: JavaScript's `toLowerCase()`
 * (every script). Stores that cannot fold case in queries keep this form beside the title.
 */
export function titleKey(text: string): string {
  return text.toLowerCase();
}

/** Whether `activity` passes `filter` (the reference semantics every store must match). */
export function activityMatches(activity: Activity, filter: CheckedActivityFilter): boolean {
  const ms = Date.parse(activity.timestamp);
  return (
    (filter.types === null || filter.types.includes(activity.activityType)) &&
    (filter.entityType === null || activity.entityType === filter.entityType) &&
    (filter.entityId === null || activity.entityId === filter.entityId) &&
    (filter.userId === null || activity.userId === filter.userId) &&
    (filter.source === null || activity.source === filter.source) &&
    (filter.titleContains === null || titleKey(activity.title).includes(filter.titleContains)) &&
    (filter.fromMs === null || ms >= filter.fromMs) &&
    (filter.toMs === null || ms < filter.toMs) &&
    (filter.visibleTo === null ||
      activity.userId === filter.visibleTo.userId ||
      (activity.entityType !== null && filter.visibleTo.entityTypes.includes(activity.entityType)))
  );
}

/**
 * Reads every activity matching `filter` through `fetchPage`, one keyset page at a time, so
 * that memory stays constant: what stores use to implement `streamActivities`.
 * The filter is checked when iteration starts.
 *
 * @example
 * ```ts
 * streamActivities(filter = {}) {
 *   return pageThroughActivities(filter, (query) => this.#page(query));
 * }
 * ```
 */
export async function* pageThroughActivities(
  filter: ActivityFilter,
  fetchPage: (query: CheckedActivityQuery) => Promise<Page<Activity>>,
  pageSize = 1000,
): AsyncGenerator<Activity, void, undefined> {
  const checked = checkActivityFilter(filter);
  let after: [string, string] | null = null;
  for (;;) {
    const page = await fetchPage({ ...checked, limit: pageSize, after });
    yield* page.items;
    const last = page.items.at(-1);
    if (page.nextCursor === null || last === undefined) return;
    after = [last.timestamp, last.id];
  }
}
