/**
 * Odoo's "Send Webhook Notification": reconcile just the record that changed.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { InputError, summarizeError } from '@odoo-sync/core/errors';
import { HttpProblem } from '../http-errors.js';
import { defineRoute, type AnyRoute, type RouteDeps } from '../route.js';
import { webhookBodySchema, webhookParamsSchema, webhookResultSchema } from '../schemas.js';

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
export function webhookRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/sync/webhook/:secret',
      operationId: 'odooWebhook',
      summary: 'Receives an Odoo webhook and reconciles that one record.',
      description:
        'Point an Odoo automation rule (action "Send Webhook Notification") at this URL. The secret in the path is the credential: a wrong one answers 404. The record is re-read from Odoo and inserted, updated, archived or marked deleted in every entity fed by its model.',
      tag: 'sync',
      access: 'webhook',
      params: webhookParamsSchema,
      body: webhookBodySchema,
      responses: { 200: { description: 'Reconciled.', schema: webhookResultSchema } },
      async handle(ctx, { body }) {
        const entities = deps.reconciler.entitiesOfModel(body._model);
        if (entities.length === 0) {
          deps.metrics.recordWebhook('rejected');
          throw new InputError(`The model ${body._model} is not synced.`, [
            { path: 'body._model', message: 'no synced entity comes from this model' },
          ]);
        }
        try {
          const results = [];
          for (const entity of entities) {
            const result = await deps.reconciler.reconcileRecord(entity, body._id);
            results.push({ entity: result.entity, outcome: result.outcome, ...(result.reason ? { reason: result.reason } : {}) });
          }
          deps.metrics.recordWebhook('reconciled');
          deps.state.lastWebhookAt = deps.clock.now().toISOString();
          deps.logger.info({ model: body._model, odooId: body._id, results }, 'webhook reconciled');
          ctx.body = { model: body._model, odooId: body._id, results };
        } catch (err) {
          deps.metrics.recordWebhook('failed');
          deps.logger.warn({ model: body._model, odooId: body._id, err: summarizeError(err) }, 'webhook reconcile failed');
          throw err;
        }
      },
    }),
  ];
}

/** Checks the webhook secret before anything else is read; throws the 404 of an unknown route. */
export function checkWebhookSecret(deps: RouteDeps, given: string | undefined): void {
  const expected = deps.webhookSecret?.reveal();
  if (!expected || given === undefined || !constantTimeEqual(given, expected)) {
    deps.metrics.recordWebhook('rejected');
    throw routeNotFound();
  }
}
