/**
 * `GET /api/accounts/:odooId/360`: an account with its contacts, open opportunities, newest
 * invoices and newest activities, from the store, in one call with bounded sizes. Each view is
 * recorded (`account_viewed_360`, queued: it never delays the answer).
 * @module
 */
import type { EntityName, SyncStore } from '@odoo-sync/core';
import type { RecordWhere } from '@odoo-sync/core/store-kit';
import { NotFoundError } from '@odoo-sync/core/errors';
import { actorOf } from '../activity-events.js';
import { accountViewed360 } from '../../crm/crm-activities.js';
import { ACCOUNT_360_LIMITS, account360Schema } from '../../crm/crm-answers.js';
import { publicRecord, snapshotOf, type PublicRecord } from '../../crm/write-through.js';
import { defineRoute, type AnyRoute, type RouteDeps } from '../route.js';
import { errorBodySchema, recordParamsSchema } from '../schemas.js';
import { callerOf, noteActivity } from '../state.js';

/** Most pages read for one list (records are paged by ascending Odoo id): the view stays bounded. */
const MAX_PAGES = 10;
const PAGE = 1000;

/** Up to `limit` active records matching `where` (by Odoo id) that pass `keep`, and whether there are more. */
async function firstRecords(
  store: SyncStore,
  entity: EntityName,
  where: RecordWhere,
  limit: number,
  keep: (record: PublicRecord) => boolean = () => true,
): Promise<{ items: PublicRecord[]; more: boolean }> {
  const items: PublicRecord[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await store.queryRecords(entity, { where, limit: Math.min(PAGE, limit + 1), cursor });
    for (const record of result.items) {
      const shown = publicRecord(record);
      if (!keep(shown)) continue;
      if (items.length === limit) return { items, more: true };
      items.push(shown);
    }
    cursor = result.nextCursor;
    if (cursor === null) break;
  }
  return { items, more: cursor !== null };
}

/** The `limit` records matching `where` with the highest Odoo ids, highest first (at most `MAX_PAGES` pages read). */
async function lastRecords(store: SyncStore, entity: EntityName, where: RecordWhere, limit: number): Promise<{ items: PublicRecord[]; more: boolean }> {
  let tail: PublicRecord[] = [];
  let seen = 0;
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await store.queryRecords(entity, { where, limit: PAGE, cursor });
    seen += result.items.length;
    tail = [...tail, ...result.items.map(publicRecord)].slice(-limit);
    cursor = result.nextCursor;
    if (cursor === null) break;
  }
  return { items: tail.reverse(), more: seen > limit || cursor !== null };
}

/** `GET /api/accounts/:odooId/360`. */
export function crm360Routes(deps: Pick<RouteDeps, 'store'>): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/accounts/:odooId/360',
      operationId: 'account360',
      summary: 'An account with its contacts, open opportunities, newest invoices and newest activities, in one call.',
      description:
        `From the store (what the last sync brought in), with bounded sizes: at most ${ACCOUNT_360_LIMITS.contacts} contacts, ${ACCOUNT_360_LIMITS.opportunities} open opportunities, ` +
        `${ACCOUNT_360_LIMITS.invoices} invoices and ${ACCOUNT_360_LIMITS.activities} activities; \`more\` says when a list was cut. Each view is recorded in the timeline (\`account_viewed_360\`).`,
      tag: 'crm',
      access: 'user',
      params: recordParamsSchema,
      activity: { types: ['account_viewed_360'], mode: 'queued' },
      responses: { 200: { description: 'The 360 view.', schema: account360Schema }, 404: { description: 'No such account has been synced.', schema: errorBodySchema } },
      async handle(ctx, { params }) {
        const principal = callerOf(ctx);
        const stored = await deps.store.getRecord('account', params.odooId);
        if (!stored) throw new NotFoundError(`No account with Odoo id ${params.odooId} has been synced.`);
        const account = publicRecord(stored);
        const [contacts, openOpportunities, recentInvoices, activities] = await Promise.all([
          firstRecords(deps.store, 'contact', { 'parentId.id': params.odooId }, ACCOUNT_360_LIMITS.contacts),
          firstRecords(deps.store, 'opportunity', { 'partnerId.id': params.odooId }, ACCOUNT_360_LIMITS.opportunities, (record) => {
            const probability = (record.data as { probability?: unknown }).probability;
            return typeof probability !== 'number' || probability < 100;
          }),
          lastRecords(deps.store, 'invoice', { 'partnerId.id': params.odooId }, ACCOUNT_360_LIMITS.invoices),
          deps.store.queryActivities({ entityType: 'account', entityId: String(params.odooId), limit: ACCOUNT_360_LIMITS.activities }),
        ]);
        noteActivity(ctx, accountViewed360(actorOf(principal.user), snapshotOf(params.odooId, account)));
        ctx.body = {
          account,
          contacts,
          openOpportunities,
          recentInvoices,
          recentActivities: { items: activities.items, more: activities.nextCursor !== null },
        };
      },
    }),
  ];
}
