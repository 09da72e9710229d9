/**
 * Liveness, readiness and metrics.
 * @module
 */
import { summarizeError } from '@odoo-sync/core/errors';
import { defineRoute, type AnyRoute, type RouteDeps } from '../route.js';
import { healthSchema, readySchema } from '../schemas.js';

/** `GET /healthz`, `GET /readyz`, `GET /metrics`. */
export function healthRoutes(deps: Pick<RouteDeps, 'store' | 'scheduler' | 'logger' | 'state' | 'isShuttingDown' | 'metrics'>): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/healthz',
      operationId: 'healthz',
      summary: 'Liveness: the process answers.',
      tag: 'health',
      access: 'public',
      responses: { 200: { description: 'Alive.', schema: healthSchema } },
      async handle(ctx) {
        ctx.body = { status: 'ok' };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/readyz',
      operationId: 'readyz',
      summary: 'Readiness: the store answers; reports the last contact with Odoo.',
      description:
        'Answers 503 when the store does not answer or the server is shutting down. Odoo being unreachable does not make a replica unready (it still serves stored data); see `odoo.lastContactAt`.',
      tag: 'health',
      access: 'public',
      responses: {
        200: { description: 'Ready.', schema: readySchema },
        503: { description: 'Not ready (store unreachable or shutting down).', schema: readySchema },
      },
      async handle(ctx) {
        const scheduler = await deps.scheduler.status().catch(() => null);
        let store: { ok: boolean; error?: string } = { ok: true };
        let lastContactAt: string | null = null;
        try {
          await deps.store.ping();
          const latest = await deps.store.listSyncLogs({ status: 'success', limit: 1 });
          lastContactAt = latest.items[0]?.finishedAt ?? null;
        } catch (err) {
          store = { ok: false, error: summarizeError(err).code };
          deps.logger.warn({ err: summarizeError(err) }, 'readiness: store does not answer');
        }
        const webhookAt = deps.state.lastWebhookAt;
        if (webhookAt && (!lastContactAt || webhookAt > lastContactAt)) lastContactAt = webhookAt;
        const status = deps.isShuttingDown() ? 'shutting_down' : store.ok ? 'ready' : 'unavailable';
        ctx.status = status === 'ready' ? 200 : 503;
        ctx.body = {
          status,
          store,
          odoo: { lastContactAt },
          scheduler: { started: scheduler?.started ?? false, running: scheduler?.running ?? false },
        };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics (text exposition format).',
      tag: 'health',
      access: 'public',
      responses: { 200: { description: 'Metrics.', contentType: 'text/plain; version=0.0.4' } },
      async handle(ctx) {
        const { contentType, body } = await deps.metrics.render();
        ctx.type = contentType;
        ctx.body = body;
      },
    }),
  ];
}
