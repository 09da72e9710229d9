/**
 * The activity API's input and output: the query of `GET /api/activities` (and its CSV
 * export) checked with zod, and how it becomes a store filter. Pure, no I/O.
 * @module
 */
import type { ActivityFilter } from '@odoo-sync/core/activity';
import { ACTIVITY_TYPE_PATTERN, MAX_ACTIVITY_PAGE_LIMIT, MAX_TITLE_SEARCH_LENGTH } from '@odoo-sync/core/activity';
import { z } from 'zod';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** A bound of the date range as given (`YYYY-MM-DD` or ISO-8601 date-time) and the instant it means. */
export interface DateBound {
  /** What the caller wrote. */
  given: string;
  /** The instant: a date's start (UTC) for `from`; for `to`, a date's end (the next day's start, exclusive). */
  at: Date;
  /** Whether only a date was given. */
  dateOnly: boolean;
}

function dateParam(which: 'from' | 'to') {
  return z
    .string()
    .max(64)
    .transform((given, ctx): DateBound => {
      const dateOnly = DATE_ONLY.test(given);
      const parsed = dateOnly ? Date.parse(`${given}T00:00:00.000Z`) : z.iso.datetime({ offset: true }).safeParse(given).success ? Date.parse(given) : Number.NaN;
      // Date.parse rolls 2026-02-31 over to March; a real date reads back the same.
      const real = Number.isFinite(parsed) && (!dateOnly || new Date(parsed).toISOString().slice(0, 10) === given);
      if (!real) {
        ctx.addIssue({ code: 'custom', message: 'expected a date (YYYY-MM-DD) or an ISO-8601 date-time with offset, e.g. 2026-03-01T08:00:00Z' });
        return z.NEVER;
      }
      return { given, at: new Date(dateOnly && which === 'to' ? parsed + DAY_MS : parsed), dateOnly };
    })
    .optional()
    .describe(
      which === 'from'
        ? 'Activities at or after this time: an ISO-8601 date-time, or a date (YYYY-MM-DD, from its start, UTC).'
        : 'Activities before this time: an ISO-8601 date-time, or a date (YYYY-MM-DD, that day included, UTC).',
    );
}

/**
 * The filters of `GET /api/activities` and its CSV export. `isKnownType` says which activity
 * types exist (an unknown one is refused rather than matching nothing).
 */
export function activityFilterQuery(isKnownType: (type: string) => boolean) {
  const typeName = z
    .string()
    .regex(ACTIVITY_TYPE_PATTERN, 'expected an activity type such as opportunity_created')
    .max(64)
    .refine(isKnownType, { error: 'unknown activity type' });
  return z.object({
    type: z
      .union([z.string(), z.array(z.string())])
      .transform((value) => [...new Set((Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''))])
      .pipe(z.array(typeName).min(1, 'expected at least one activity type').max(50, 'at most 50 activity types'))
      .optional()
      .describe('Only these activity types: repeat the parameter or separate them with commas (`type=call,meeting`).'),
    entityType: z.string().min(1).max(64).optional().describe('Only activities on this entity type, e.g. `opportunity`.'),
    entityId: z.string().min(1).max(200).optional().describe('Only activities on this entity id (with `entityType`), e.g. an Odoo id.'),
    userId: z.string().min(1).max(200).optional().describe('Only activities of this user.'),
    source: z.enum(['app', 'odoo']).optional().describe('`app`: done through odoo-sync; `odoo`: done in Odoo itself.'),
    from: dateParam('from'),
    to: dateParam('to'),
    q: z.string().trim().min(1).max(MAX_TITLE_SEARCH_LENGTH).optional().describe('Only activities whose title contains this text (any case).'),
  });
}

/** `GET /api/activities` query. */
export function activitiesQuerySchema(isKnownType: (type: string) => boolean) {
  return activityFilterQuery(isKnownType)
    .extend({
      limit: z
        .string()
        .regex(/^\d{1,4}$/, `expected a whole number from 1 to ${MAX_ACTIVITY_PAGE_LIMIT}`)
        .transform(Number)
        .pipe(z.number().int().min(1, `expected a whole number from 1 to ${MAX_ACTIVITY_PAGE_LIMIT}`).max(MAX_ACTIVITY_PAGE_LIMIT, `expected a whole number from 1 to ${MAX_ACTIVITY_PAGE_LIMIT}`))
        .optional()
        .describe(`Page size, 1–${MAX_ACTIVITY_PAGE_LIMIT} (default 50).`),
      cursor: z.string().min(1).max(1000).optional().describe('`nextCursor` of the previous page.'),
    })
    .strict();
}

/** `GET /api/activities/export.csv` query (the filters, no paging). */
export function activitiesExportQuerySchema(isKnownType: (type: string) => boolean) {
  return activityFilterQuery(isKnownType).strict();
}

/** The checked filters of an activity query. */
export type ActivityFilterInput = z.output<ReturnType<typeof activityFilterQuery>>;

/** The store filter of a checked query, for one caller: admins see all; others see what `visibleTo` allows. */
export function toActivityFilter(query: ActivityFilterInput, visibleTo: ActivityFilter['visibleTo'] | null): ActivityFilter {
  return {
    ...(query.type ? { activityType: query.type } : {}),
    ...(query.entityType !== undefined ? { entityType: query.entityType } : {}),
    ...(query.entityId !== undefined ? { entityId: query.entityId } : {}),
    ...(query.userId !== undefined ? { userId: query.userId } : {}),
    ...(query.source !== undefined ? { source: query.source } : {}),
    ...(query.q !== undefined ? { titleContains: query.q } : {}),
    ...(query.from ? { from: query.from.at } : {}),
    ...(query.to ? { to: query.to.at } : {}),
    ...(visibleTo ? { visibleTo } : {}),
  };
}

/** The file name of a CSV export: `activities-<from>-to-<to>.csv`, dates as given (or `start` / today). */
export function exportFileName(query: Pick<ActivityFilterInput, 'from' | 'to'>, now: Date): string {
  const label = (bound: DateBound | undefined, fallback: string) => {
    if (!bound) return fallback;
    const day = bound.dateOnly ? bound.given : bound.at.toISOString().slice(0, 10);
    return day;
  };
  return `activities-${label(query.from, 'start')}-to-${label(query.to, now.toISOString().slice(0, 10))}.csv`;
}

/** An activity as the API answers it. */
export const activitySchema = z
  .object({
    id: z.string().describe('Unique id; ids made by the server sort in time order.'),
    activityType: z.string().describe('Kind, e.g. `opportunity_created`, `user_signed_in`, `call`.'),
    title: z.string().describe('One-line description, e.g. `Created opportunity: Cloud Migration Project`.'),
    entityType: z.string().nullable().describe('Entity it concerns, e.g. `opportunity`, `user`, or null.'),
    entityId: z.string().nullable().describe('Id of that entity, or null.'),
    userId: z.string().nullable().describe('Who did it, or null for the system / someone in Odoo without a user here.'),
    userName: z.string().nullable().describe('Their display name at the time.'),
    source: z.enum(['app', 'odoo']).describe('`app`: done through odoo-sync; `odoo`: done in Odoo itself.'),
    metadata: z.record(z.string(), z.unknown()).describe('Details, e.g. `before`/`after` of changed fields. Never secrets.'),
    timestamp: z.string().describe('ISO-8601 time it happened.'),
  })
  .describe('An activity.');

/** `GET /api/activities` answer. */
export const activitiesPageSchema = z.object({
  items: z.array(activitySchema).describe('Newest first.'),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
});
