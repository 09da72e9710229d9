/**
 * The CRM write routes of opportunities: create, update, won, lost — written to Odoo as the
 * integration user, then read back into the store at once.
 * @module
 */
import type { JsonValue } from '@odoo-sync/core';
import { actorOf } from '../activity-events.js';
import { crmCreated, crmUpdated, opportunityClosed } from '../../crm/crm-activities.js';
import { crmWriteResultSchema } from '../../crm/crm-answers.js';
import {
  lostReasonDomain,
  opportunityCreateSchema,
  opportunityLostSchema,
  opportunityPatchSchema,
  opportunityValues,
  opportunityWonSchema,
} from '../../crm/crm-bodies.js';
import { currentRecord, linkedOdooUserId, readBack, snapshotOf, writerOf } from '../../crm/write-through.js';
import type { IdempotencyGuard } from '../idempotency.js';
import type { OdooWriter } from '../ports.js';
import { defineRoute, type AnyRoute, type RouteDeps } from '../route.js';
import { errorBodySchema, recordParamsSchema } from '../schemas.js';
import { callerOf, noteActivity } from '../state.js';

const MODEL = 'crm.lead';
const result = crmWriteResultSchema('opportunity');
const IDEMPOTENT =
  ' Send an `Idempotency-Key` header (e.g. a UUID) to make a retry safe: the same request with the same key within 24 hours gets the first answer again (header `Idempotent-Replayed: true`) instead of a second write; the key with another request answers 422 `idempotency_key_reused`, and while the first request runs, 409 `idempotency_key_in_use`.';
const WRITE_ERRORS = {
  403: { description: 'Not approved, or not linked to an Odoo user (`forbidden`; the message says how to link).', schema: errorBodySchema },
  422: { description: 'Invalid body (`input_invalid`), or Odoo refused the values (`odoo_validation_failed`, with Odoo\'s message).', schema: errorBodySchema },
  502: { description: 'Odoo refused the integration user (`odoo_access_denied`, with Odoo\'s message) or could not be reached.', schema: errorBodySchema },
  503: { description: 'The server has no Odoo connection to write through (`odoo_writes_unavailable`).', schema: errorBodySchema },
};
const READ_BACK =
  ' The record is then read back from Odoo into the store, so the answer and the next GET show Odoo\'s version (`write_date`, computed fields); if that read fails, the answer still says what Odoo accepted (`reconciled: false`, `note`).';

/** The id of a lost reason given as text: found by name (ignoring case), or created. */
async function lostReasonId(odoo: OdooWriter, reason: number | string): Promise<number> {
  if (typeof reason === 'number') return reason;
  const [found] = await odoo.search('crm.lost.reason', lostReasonDomain(reason), { limit: 1 });
  return found ?? (await odoo.create('crm.lost.reason', { name: reason }));
}

/** `POST /api/opportunities`, `PATCH /api/opportunities/:odooId`, `POST …/won`, `POST …/lost`. */
export function crmOpportunityRoutes(deps: Pick<RouteDeps, 'store' | 'reconciler' | 'logger' | 'odoo'>, idempotency: IdempotencyGuard): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/opportunities',
      operationId: 'createOpportunity',
      summary: 'Creates an opportunity in Odoo (the caller is the salesperson unless `userId` says otherwise).',
      description: 'Needs an approved caller linked to an Odoo user.' + READ_BACK + IDEMPOTENT,
      tag: 'crm',
      access: 'user',
      needsOdooLink: true,
      body: opportunityCreateSchema,
      activity: { types: ['opportunity_created'], mode: 'durable' },
      responses: { 201: { description: 'Created in Odoo.', schema: result }, ...WRITE_ERRORS },
      async handle(ctx, { body }) {
        const principal = callerOf(ctx);
        const odooUserId = linkedOdooUserId(principal);
        const odoo = writerOf(deps.odoo);
        await idempotency.run(ctx, principal.user.id, body, async () => {
          const id = await odoo.create(MODEL, opportunityValues(body, { create: true, defaultUserId: odooUserId }));
          const written = await readBack(deps, 'opportunity', id, ctx.state.requestId);
          noteActivity(ctx, crmCreated('opportunity', actorOf(principal.user), snapshotOf(id, written.record), body as { [key: string]: JsonValue }, body.name));
          ctx.status = 201;
          ctx.body = written;
        });
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/opportunities/:odooId',
      operationId: 'updateOpportunity',
      summary: 'Changes an opportunity in Odoo (any of the fields of the create).',
      description: 'Needs an approved caller linked to an Odoo user. A stage change is recorded as its own activity (`opportunity_stage_changed`).' + READ_BACK,
      tag: 'crm',
      access: 'user',
      needsOdooLink: true,
      params: recordParamsSchema,
      body: opportunityPatchSchema,
      activity: { types: ['opportunity_updated', 'opportunity_stage_changed'], mode: 'durable' },
      responses: { 200: { description: 'Changed in Odoo.', schema: result }, 404: { description: 'Odoo has no such opportunity.', schema: errorBodySchema }, ...WRITE_ERRORS },
      async handle(ctx, { params, body }) {
        const principal = callerOf(ctx);
        linkedOdooUserId(principal);
        const odoo = writerOf(deps.odoo);
        const before = await currentRecord(deps, 'opportunity', params.odooId);
        await odoo.write(MODEL, [params.odooId], opportunityValues(body, { create: false }));
        const written = await readBack(deps, 'opportunity', params.odooId, ctx.state.requestId);
        for (const event of crmUpdated('opportunity', actorOf(principal.user), snapshotOf(params.odooId, before), snapshotOf(params.odooId, written.record), body as { [key: string]: JsonValue })) {
          noteActivity(ctx, event);
        }
        ctx.body = written;
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/opportunities/:odooId/won',
      operationId: 'markOpportunityWon',
      summary: 'Marks an opportunity won in Odoo (its won stage, probability 100).',
      description: 'Calls Odoo\'s own `action_set_won` (a lost opportunity comes back, won). Needs an approved caller linked to an Odoo user.' + READ_BACK + IDEMPOTENT,
      tag: 'crm',
      access: 'user',
      needsOdooLink: true,
      params: recordParamsSchema,
      body: opportunityWonSchema,
      bodyRequired: false,
      activity: { types: ['opportunity_won'], mode: 'durable' },
      responses: { 200: { description: 'Won in Odoo.', schema: result }, 404: { description: 'Odoo has no such opportunity.', schema: errorBodySchema }, ...WRITE_ERRORS },
      async handle(ctx, { params, body }) {
        const principal = callerOf(ctx);
        linkedOdooUserId(principal);
        const odoo = writerOf(deps.odoo);
        await idempotency.run(ctx, principal.user.id, body, async () => {
          const before = await currentRecord(deps, 'opportunity', params.odooId);
          await odoo.call(MODEL, 'action_set_won', [[params.odooId]]);
          const written = await readBack(deps, 'opportunity', params.odooId, ctx.state.requestId);
          noteActivity(ctx, opportunityClosed('won', actorOf(principal.user), snapshotOf(params.odooId, before), snapshotOf(params.odooId, written.record)));
          ctx.body = written;
        });
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/opportunities/:odooId/lost',
      operationId: 'markOpportunityLost',
      summary: 'Marks an opportunity lost in Odoo (archived, probability 0, with a lost reason).',
      description:
        'Calls Odoo\'s own `action_set_lost`. `reason` is the id of a lost reason or its text (found by name ignoring case, or created — creating one needs the sales manager right in Odoo). Needs an approved caller linked to an Odoo user.' +
        READ_BACK +
        IDEMPOTENT,
      tag: 'crm',
      access: 'user',
      needsOdooLink: true,
      params: recordParamsSchema,
      body: opportunityLostSchema,
      bodyRequired: false,
      activity: { types: ['opportunity_lost'], mode: 'durable' },
      responses: { 200: { description: 'Lost in Odoo.', schema: result }, 404: { description: 'Odoo has no such opportunity.', schema: errorBodySchema }, ...WRITE_ERRORS },
      async handle(ctx, { params, body }) {
        const principal = callerOf(ctx);
        linkedOdooUserId(principal);
        const odoo = writerOf(deps.odoo);
        await idempotency.run(ctx, principal.user.id, body, async () => {
          const before = await currentRecord(deps, 'opportunity', params.odooId);
          const reasonId = body.reason === undefined ? undefined : await lostReasonId(odoo, body.reason);
          await odoo.call(MODEL, 'action_set_lost', [[params.odooId]], reasonId === undefined ? {} : { lost_reason_id: reasonId });
          const written = await readBack(deps, 'opportunity', params.odooId, ctx.state.requestId);
          noteActivity(
            ctx,
            opportunityClosed('lost', actorOf(principal.user), snapshotOf(params.odooId, before), snapshotOf(params.odooId, written.record), body.reason),
          );
          ctx.body = written;
        });
      },
    }),
  ];
}
