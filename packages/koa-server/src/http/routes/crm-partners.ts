/**
 * The CRM write routes of accounts (companies) and contacts (people): create and update
 * `res.partner` in Odoo as the integration user, then read the record back into the store.
 * @module
 */
import type { JsonValue } from '@odoo-sync/core';
import type { z } from 'zod';
import { actorOf } from '../activity-events.js';
import { crmCreated, crmUpdated } from '../../crm/crm-activities.js';
import { crmWriteResultSchema } from '../../crm/crm-answers.js';
import {
  accountCreateSchema,
  accountPatchSchema,
  accountValues,
  contactCreateSchema,
  contactPatchSchema,
  contactValues,
  type OdooValues,
} from '../../crm/crm-bodies.js';
import { currentRecord, linkedOdooUserId, readBack, snapshotOf, writerOf } from '../../crm/write-through.js';
import type { IdempotencyGuard } from '../idempotency.js';
import { defineRoute, type AnyRoute, type RouteDeps } from '../route.js';
import { errorBodySchema, recordParamsSchema } from '../schemas.js';
import { callerOf, noteActivity } from '../state.js';

const WRITE_ERRORS = {
  403: { description: 'Not approved, or not linked to an Odoo user (`forbidden`; the message says how to link).', schema: errorBodySchema },
  422: { description: 'Invalid body (`input_invalid`), or Odoo refused the values (`odoo_validation_failed`, with Odoo\'s message).', schema: errorBodySchema },
  502: { description: 'Odoo refused the integration user (`odoo_access_denied`, with Odoo\'s message) or could not be reached.', schema: errorBodySchema },
  503: { description: 'The server has no Odoo connection to write through (`odoo_writes_unavailable`).', schema: errorBodySchema },
};
const READ_BACK =
  ' The record is then read back from Odoo into the store, so the answer and the next GET show Odoo\'s version; if that read fails, the answer still says what Odoo accepted (`reconciled: false`, `note`).';
const IDEMPOTENT = ' Send an `Idempotency-Key` header to make a retry safe (the same request with the same key within 24 hours gets the first answer again).';

interface PartnerKind<C, P> {
  entity: 'account' | 'contact';
  path: 'accounts' | 'contacts';
  label: string;
  create: z.ZodType<C>;
  patch: z.ZodType<P>;
  values: (body: C | P, options: { create: boolean }) => OdooValues;
}

function partnerRoutes<C extends { name: string }, P>(
  kind: PartnerKind<C, P>,
  deps: Pick<RouteDeps, 'store' | 'reconciler' | 'logger' | 'odoo'>,
  idempotency: IdempotencyGuard,
): AnyRoute[] {
  const { entity, path, label } = kind;
  const result = crmWriteResultSchema(entity);
  const capitalised = entity.charAt(0).toUpperCase() + entity.slice(1);
  return [
    defineRoute({
      method: 'POST',
      path: `/api/${path}`,
      operationId: `create${capitalised}`,
      summary: `Creates ${label} in Odoo.`,
      description: 'Needs an approved caller linked to an Odoo user.' + READ_BACK + IDEMPOTENT,
      tag: 'crm',
      access: 'user',
      needsOdooLink: true,
      body: kind.create,
      activity: { types: [`${entity}_created`], mode: 'durable' },
      responses: { 201: { description: 'Created in Odoo.', schema: result }, ...WRITE_ERRORS },
      async handle(ctx, { body }) {
        const principal = callerOf(ctx);
        linkedOdooUserId(principal);
        const odoo = writerOf(deps.odoo);
        await idempotency.run(ctx, principal.user.id, body, async () => {
          const id = await odoo.create('res.partner', kind.values(body, { create: true }));
          const written = await readBack(deps, entity, id, ctx.state.requestId);
          noteActivity(ctx, crmCreated(entity, actorOf(principal.user), snapshotOf(id, written.record), body, body.name));
          ctx.status = 201;
          ctx.body = written;
        });
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: `/api/${path}/:odooId`,
      operationId: `update${capitalised}`,
      summary: `Changes ${label} in Odoo.`,
      description: 'Needs an approved caller linked to an Odoo user. `null` clears a field.' + READ_BACK,
      tag: 'crm',
      access: 'user',
      needsOdooLink: true,
      params: recordParamsSchema,
      body: kind.patch,
      activity: { types: [`${entity}_updated`], mode: 'durable' },
      responses: { 200: { description: 'Changed in Odoo.', schema: result }, 404: { description: `Odoo has no such ${entity}.`, schema: errorBodySchema }, ...WRITE_ERRORS },
      async handle(ctx, { params, body }) {
        const principal = callerOf(ctx);
        linkedOdooUserId(principal);
        const odoo = writerOf(deps.odoo);
        const before = await currentRecord(deps, entity, params.odooId);
        await odoo.write('res.partner', [params.odooId], kind.values(body, { create: false }));
        const written = await readBack(deps, entity, params.odooId, ctx.state.requestId);
        const after = snapshotOf(params.odooId, written.record);
        for (const event of crmUpdated(entity, actorOf(principal.user), snapshotOf(params.odooId, before), after, body as unknown as { [key: string]: JsonValue })) {
          noteActivity(ctx, event);
        }
        ctx.body = written;
      },
    }),
  ];
}

/** `POST /api/accounts`, `PATCH /api/accounts/:odooId`, `POST /api/contacts`, `PATCH /api/contacts/:odooId`. */
export function crmPartnerRoutes(deps: Pick<RouteDeps, 'store' | 'reconciler' | 'logger' | 'odoo'>, idempotency: IdempotencyGuard): AnyRoute[] {
  return [
    ...partnerRoutes({ entity: 'account', path: 'accounts', label: 'an account (a company, `res.partner` with `is_company`)', create: accountCreateSchema, patch: accountPatchSchema, values: accountValues }, deps, idempotency),
    ...partnerRoutes(
      { entity: 'contact', path: 'contacts', label: 'a contact (a person, `res.partner`; `accountId` is their company)', create: contactCreateSchema, patch: contactPatchSchema, values: contactValues },
      deps,
      idempotency,
    ),
  ];
}
