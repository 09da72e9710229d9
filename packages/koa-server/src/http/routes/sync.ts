/**
 * Sync status, manual runs, logs and settings.
 * @module
 */
import type { EntityName } from '@odoo-sync/core';
import { InputError, summarizeError } from '@odoo-sync/core/errors';
import type { z } from 'zod';
import { defineRoute, type AnyRoute, type RouteDeps } from '../route.js';
import { actorOf, syncIntervalChanged, syncRunStarted } from '../activity-events.js';
import { callerOf, noteActivity } from '../state.js';
import {
  logsPageSchema,
  resumeResultSchema,
  logsQuerySchema,
  runAcceptedSchema,
  runRequestSchema,
  settingsSchema,
  syncStatusSchema,
  type entityStatusSchema,
} from '../schemas.js';

/** `GET /api/sync/status`, `POST /api/sync/run`, `POST /api/sync/resume`, `GET /api/sync/logs`, `GET|PUT /api/sync/settings`. */
export function syncRoutes(deps: Pick<RouteDeps, 'scheduler' | 'store' | 'clock' | 'logger'>, synced: readonly { name: EntityName; label: string }[]): AnyRoute[] {
  const entities = synced.map((e) => e.name);
  return [
    defineRoute({
      method: 'GET',
      path: '/api/sync/status',
      operationId: 'getSyncStatus',
      summary: 'Freshness and health of the sync, overall and per entity.',
      tag: 'sync',
      access: 'user',
      responses: { 200: { description: 'Status.', schema: syncStatusSchema } },
      async handle(ctx) {
        const scheduler = await deps.scheduler.status();
        const perEntity: z.infer<typeof entityStatusSchema>[] = await Promise.all(
          synced.map(async ({ name: entity, label }) => {
            const [latest, success, counts] = await Promise.all([
              deps.store.latestSyncLog(entity),
              deps.store.latestSyncLog(entity, 'success'),
              deps.store.countRecords(entity),
            ]);
            return {
              entity,
              label,
              lastSuccessAt: success?.finishedAt ?? null,
              lastRunAt: latest?.finishedAt ?? null,
              lastRunStatus: latest?.status ?? null,
              active: counts.active,
              inactive: counts.archived + counts.deleted,
              archived: counts.archived,
              deleted: counts.deleted,
              lastError: latest?.error ? { code: latest.error.code, message: latest.error.message } : null,
              skipReason: latest?.skipReason ?? null,
            };
          }),
        );
        const lastSuccessAt = scheduler.lastSuccessAt;
        const now = deps.clock.now().getTime();
        ctx.body = {
          lastSuccessAt,
          secondsSinceLastSuccess: lastSuccessAt ? Math.max(0, Math.floor((now - Date.parse(lastSuccessAt)) / 1000)) : null,
          intervalMinutes: deps.scheduler.intervalMinutes,
          healthy: scheduler.healthy,
          consecutiveFailures: scheduler.consecutiveFailures,
          lastError: scheduler.lastError,
          running: scheduler.running,
          runId: scheduler.runId,
          nextRunAt: scheduler.nextRunAt,
          paused: scheduler.paused,
          pausedAt: scheduler.pausedAt,
          lastRunStartedAt: scheduler.lastStartedAt,
          lastFullRunAt: scheduler.lastFullRunAt,
          nextFullRunAt: scheduler.nextFullRunAt,
          alert: scheduler.alert,
          employeesSynced: perEntity.find((e) => e.entity === 'employee')?.active ?? 0,
          odooUsersSynced: perEntity.find((e) => e.entity === 'odoo_user')?.active ?? 0,
          entities: perEntity,
        };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/sync/run',
      operationId: 'startSyncRun',
      summary: 'Starts a sync run now.',
      description:
        'Answers 202 with the run id at once; follow it in `GET /api/sync/logs?runId=…`. 409 while a run is in progress in this process or a live replica; a run left by a process that is gone (killed) does not block it.',
      tag: 'sync',
      access: 'admin',
      body: runRequestSchema,
      bodyRequired: false,
      responses: { 202: { description: 'Started.', schema: runAcceptedSchema } },
      activity: { types: ['sync_run_started'], mode: 'durable' },
      async handle(ctx, { body }) {
        const mode = body.mode ?? 'incremental';
        const force = body.force ?? false;
        if (body.entity && !entities.includes(body.entity)) {
          throw new InputError(`The entity ${body.entity} is not synced by this server (SYNC_ENTITIES).`, [
            { path: 'body.entity', message: `expected one of ${entities.join(', ')}` },
          ]);
        }
        const runEntities = body.entity ? [body.entity] : [...entities];
        const { runId, done } = await deps.scheduler.startRun({
          ...(body.entity ? { entities: runEntities } : {}),
          mode,
          force,
          trigger: 'manual',
        });
        deps.logger.info({ runId, entities: runEntities, mode, force, userId: ctx.state.principal?.user.id }, 'manual sync run started');
        done.catch((err: unknown) => deps.logger.error({ runId, err: summarizeError(err) }, 'manual sync run failed'));
        noteActivity(ctx, syncRunStarted(actorOf(callerOf(ctx).user), { runId, entities: runEntities, mode, force }));
        ctx.status = 202;
        ctx.set('Location', `/api/sync/logs?runId=${encodeURIComponent(runId)}`);
        ctx.body = { runId, entities: runEntities, mode, force };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/sync/resume',
      operationId: 'resumeSync',
      summary: 'Resumes scheduled runs paused after a long failure streak.',
      description: 'Scheduled runs pause after failing for `SYNC_PAUSE_AFTER_HOURS`; this ends the pause for every replica. Answers 200 also when nothing was paused (`resumed: false`).',
      tag: 'sync',
      access: 'admin',
      responses: { 200: { description: 'Resumed (or not paused).', schema: resumeResultSchema } },
      activity: { none: 'resuming only lets scheduled runs start again; the sync log records the runs that follow' },
      async handle(ctx) {
        const resumed = await deps.scheduler.resume();
        if (resumed) deps.logger.info({ userId: ctx.state.principal?.user.id }, 'scheduled sync runs resumed by an admin');
        ctx.body = { resumed, paused: false };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/sync/logs',
      operationId: 'listSyncLogs',
      summary: 'Sync log entries (one per entity per run), newest first.',
      tag: 'sync',
      access: 'admin',
      query: logsQuerySchema,
      responses: { 200: { description: 'A page of entries.', schema: logsPageSchema } },
      async handle(ctx, { query }) {
        const page = await deps.store.listSyncLogs({
          ...(query.entity ? { entity: query.entity } : {}),
          ...(query.status ? { status: query.status } : {}),
          ...(query.runId ? { runId: query.runId } : {}),
          ...(query.from ? { from: new Date(query.from) } : {}),
          ...(query.to ? { to: new Date(query.to) } : {}),
          ...(query.limit ? { limit: query.limit } : {}),
          ...(query.cursor ? { cursor: query.cursor } : {}),
        });
        ctx.body = page;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/sync/settings',
      operationId: 'getSyncSettings',
      summary: 'The sync settings.',
      tag: 'sync',
      access: 'admin',
      responses: { 200: { description: 'Settings.', schema: settingsSchema } },
      async handle(ctx) {
        ctx.body = { intervalMinutes: deps.scheduler.intervalMinutes };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/sync/settings',
      operationId: 'putSyncSettings',
      summary: 'Changes the sync settings; applied to the running scheduler at once and persisted.',
      tag: 'sync',
      access: 'admin',
      body: settingsSchema,
      responses: { 200: { description: 'The settings now in force.', schema: settingsSchema } },
      activity: { types: ['sync_interval_changed'], mode: 'durable' },
      async handle(ctx, { body }) {
        const before = deps.scheduler.intervalMinutes;
        await deps.scheduler.setIntervalMinutes(body.intervalMinutes);
        const after = deps.scheduler.intervalMinutes;
        if (after !== before) noteActivity(ctx, syncIntervalChanged(actorOf(callerOf(ctx).user), before, after));
        deps.logger.info({ intervalMinutes: body.intervalMinutes, userId: ctx.state.principal?.user.id }, 'sync interval changed');
        ctx.body = { intervalMinutes: deps.scheduler.intervalMinutes };
      },
    }),
  ];
}

