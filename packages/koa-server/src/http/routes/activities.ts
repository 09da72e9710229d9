/**
 * The activity timeline over HTTP: a page of activities with filters, and the CSV export
 * (admins), streamed from the store with backpressure.
 * @module
 */
import { Readable } from 'node:stream';
import { activitiesToCsv, type ActivityFilter } from '@odoo-sync/core/activity';
import { checkActivityFilter } from '@odoo-sync/core/store-kit';
import { summarizeError } from '@odoo-sync/core/errors';
import {
  activitiesExportQuerySchema,
  activitiesPageSchema,
  activitiesQuerySchema,
  exportFileName,
  toActivityFilter,
} from '../activity-schemas.js';
import { defineRoute, type AnyRoute, type RouteDeps } from '../route.js';
import { callerOf, type RequestState } from '../state.js';

/**
 * `GET /api/activities` and `GET /api/activities/export.csv`. `recordEntityTypes`: the entity
 * types of the records people may read (the synced entities); a person who is not an admin
 * sees their own activities and the activities on those records.
 */
export function activityRoutes(deps: Pick<RouteDeps, 'store' | 'clock' | 'logger' | 'activities'>, recordEntityTypes: readonly string[]): AnyRoute[] {
  const isKnownType = (type: string) => deps.activities.knowsType(type);
  const visibility = (ctx: { state: RequestState }): ActivityFilter['visibleTo'] | null => {
    const user = callerOf(ctx).user;
    return user.role === 'admin' ? null : { userId: user.id, entityTypes: recordEntityTypes };
  };
  return [
    defineRoute({
      method: 'GET',
      path: '/api/activities',
      operationId: 'listActivities',
      summary: 'The activity timeline, newest first, with filters and cursor paging.',
      description:
        'Filters combine (AND). An admin sees every activity; anyone else sees their own and those on records (opportunities, ' +
        'accounts, contacts, invoices, …), not other people\'s sign-ins, links or keys. Paging is stable while activities are ' +
        'added: pass `nextCursor` back as `cursor`. 422 `input_invalid` for an unknown type, a malformed date, a bad cursor or limit.',
      tag: 'activities',
      access: 'user',
      query: activitiesQuerySchema(isKnownType),
      responses: { 200: { description: 'A page of activities.', schema: activitiesPageSchema } },
      async handle(ctx, { query }) {
        const { limit, cursor, ...filters } = query;
        ctx.body = await deps.store.queryActivities({
          ...toActivityFilter(filters, visibility(ctx)),
          limit: limit ?? 50,
          ...(cursor !== undefined ? { cursor } : {}),
        });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/activities/export.csv',
      operationId: 'exportActivities',
      summary: 'The activities matching the filters as a CSV file (admins), streamed.',
      description:
        'Same filters as `GET /api/activities`, every match, newest first. UTF-8 with a byte-order mark, RFC 4180 quoting; a cell ' +
        'starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `\'` so that spreadsheet tools do not run it. ' +
        'Columns: id, timestamp, activity_type, source, title, entity_type, entity_id, user_id, user_name, metadata (JSON). ' +
        'The file name says the date range: `activities-<from>-to-<to>.csv`.',
      tag: 'activities',
      access: 'admin',
      query: activitiesExportQuerySchema(isKnownType),
      responses: { 200: { description: 'The CSV file.', contentType: 'text/csv' } },
      async handle(ctx, { query }) {
        const filter = toActivityFilter(query, null);
        checkActivityFilter(filter);
        const chunks = activitiesToCsv(deps.store.streamActivities(filter))[Symbol.asyncIterator]();
        // The first chunk is read before the answer starts, so that a store that fails at once
        // answers with a typed error rather than a cut-off file.
        const first = await chunks.next();
        async function* rest(): AsyncGenerator<string, void, undefined> {
          if (first.done === true) return;
          yield first.value;
          for (;;) {
            const next = await chunks.next();
            if (next.done === true) return;
            yield next.value;
          }
        }
        const body = Readable.from(rest(), { objectMode: false, highWaterMark: 64 * 1024 });
        body.on('error', (err: unknown) => deps.logger.error({ err: summarizeError(err), route: '/api/activities/export.csv' }, 'activity export cut off'));
        const admin = callerOf(ctx).user;
        deps.logger.info({ adminId: admin.id, from: query.from?.given, to: query.to?.given }, 'activities exported');
        ctx.type = 'text/csv; charset=utf-8';
        ctx.set('Content-Disposition', `attachment; filename="${exportFileName(query, deps.clock.now())}"`);
        ctx.body = body;
      },
    }),
  ];
}
