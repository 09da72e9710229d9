/**
 * Odoo's "Send Webhook Notification": read again just the record that changed (through the
 * {@link WebhookQueue}).
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { InputError } from '@odoo-sync/core/errors';
import { HttpProblem } from '../errors.js';
import { defineRoute, type AnyRoute, type RouteDeps } from '../route.js';
import { webhookBodySchema, webhookParamsSchema, webhookResultSchema } from '../schemas.js';
import { webhookWriteDate } from '../../runtime/webhook-queue.js';

/** Compares two strings in time that does not depend on where they differ (nor on their lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/** The answer to a wrong secret: exactly what an unknown route answers. */
export function routeNotFound(): HttpProblem {
  return new HttpProblem('route_not_found', 'No such route.');
}

/** `POST /api/sync/webhook/:secret`. */
export function webhookRoutes(deps: Pick<RouteDeps, 'reconciler' | 'metrics' | 'webhooks' | 'logger'>): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/sync/webhook/:secret',
      operationId: 'odooWebhook',
      summary: 'Receives an Odoo webhook; the record is read again a moment later.',
      description:
        'Point an Odoo automation rule (action "Send Webhook Notification") at this URL. The secret in the path is the credential: a wrong one answers 404. ' +
        'The answer (202) comes at once; about 1.5 s later the record is read from Odoo and inserted, updated, archived or marked deleted in every entity fed by its model. ' +
        'Webhooks for a record already waiting join it (one read for a burst). Add the field `write_date` to the webhook so that a read made before Odoo committed the change (Odoo 17 and 18 send webhooks from inside the transaction) is recognised and repeated; ' +
        'when Odoo does not answer, the read is retried with backoff from a queue kept in the store.',
      tag: 'sync',
      access: 'webhook',
      params: webhookParamsSchema,
      body: webhookBodySchema,
      responses: { 202: { description: 'Accepted: the record will be read.', schema: webhookResultSchema } },
      activity: { none: 'Odoo calls it, not a person; the sync log records what the read changed' },
      async handle(ctx, { body }) {
        const entities = deps.reconciler.entitiesOfModel(body._model);
        if (entities.length === 0) {
          deps.metrics.recordWebhook('rejected');
          throw new InputError(`The model ${body._model} is not synced.`, [
            { path: 'body._model', message: 'no synced entity comes from this model' },
          ]);
        }
        const writeDate = webhookWriteDate(body['write_date']);
        const admission = deps.webhooks.submit({ model: body._model, odooId: body._id, writeDate });
        deps.metrics.recordWebhook(admission === 'queued' ? 'accepted' : 'coalesced');
        if (admission === 'queued') deps.logger.debug({ model: body._model, odooId: body._id, writeDate }, 'webhook accepted');
        ctx.status = 202;
        ctx.body = { model: body._model, odooId: body._id, entities, status: admission };
      },
    }),
  ];
}

/** Checks the webhook secret before anything else is read; throws the 404 of an unknown route. */
export function checkWebhookSecret(deps: Pick<RouteDeps, 'webhookSecret' | 'metrics'>, given: string | undefined): void {
  const expected = deps.webhookSecret?.reveal();
  if (!expected || given === undefined || !constantTimeEqual(given, expected)) {
    deps.metrics.recordWebhook('rejected');
    throw routeNotFound();
  }
}
