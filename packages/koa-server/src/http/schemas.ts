/**
 * The zod schemas of the HTTP API: they validate requests and are turned into the OpenAPI
 * document, so the two cannot drift apart.
 * @module
 */
import { ENTITY_NAMES, getEntitySpec, type EntityName } from '@odoo-sync/core';
import { type EntityDefinition } from '@odoo-sync/core/entities';
import { z } from 'zod';

// Entities are open (`defineEntity`): a name is checked against the entities the server was
// given where it matters (a run), not against the built-in list.
const entityEnum = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'expected an entity name')
  .describe(`An entity: one of the built-in ${ENTITY_NAMES.join(', ')}, or one the server was given with \`defineEntity\`.`);

/** A query-string integer within bounds (query values arrive as text). */
export function queryInt(min: number, max: number, description: string) {
  return z
    .string()
    .regex(/^\d{1,10}$/, `expected a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `expected a whole number from ${min} to ${max}`).max(max, `expected a whole number from ${min} to ${max}`))
    .describe(description);
}

const limitParam = queryInt(1, 1000, 'Page size, 1–1000 (default 50).').optional();
const cursorParam = z.string().min(1).max(1000).describe('`nextCursor` of the previous page.').optional();
const isoDateTime = z.iso.datetime({ offset: true });

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** Every error answer. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. `input_invalid`, `unauthenticated`.'),
      message: z.string().describe('Human message.'),
      loginUrl: z
        .string()
        .optional()
        .describe('With `reauth_required` only: where to send the user to sign in to Microsoft 365 again (also in `details.loginUrl`).'),
      details: z
        .record(z.string(), z.unknown())
        .optional()
        .describe('Structured details: `issues` (path + message) for invalid input, `hint`, `retryable`.'),
    }),
  })
  .describe('Error answer.');

// ---------------------------------------------------------------------------------------------
// Health
// ---------------------------------------------------------------------------------------------

/** `GET /healthz`. */
export const healthSchema = z.object({ status: z.literal('ok') });

/** `GET /readyz`. */
export const readySchema = z.object({
  status: z.enum(['ready', 'unavailable', 'shutting_down']),
  store: z.object({ ok: z.boolean(), error: z.string().optional() }),
  odoo: z.object({
    lastContactAt: isoDateTime.nullable().describe('End of the newest successful entity sync (any replica) or webhook.'),
  }),
  scheduler: z.object({ started: z.boolean(), running: z.boolean() }),
});

// ---------------------------------------------------------------------------------------------
// Sync
// ---------------------------------------------------------------------------------------------

const errorSummary = z.object({ code: z.string(), message: z.string(), hint: z.string().optional().describe('What to do about it.') });

/** Per-entity part of `GET /api/sync/status`. */
export const entityStatusSchema = z.object({
  entity: entityEnum,
  label: z.string(),
  lastSuccessAt: isoDateTime.nullable(),
  lastRunAt: isoDateTime.nullable(),
  lastRunStatus: z.enum(['success', 'failed', 'skipped']).nullable(),
  active: z.number().int(),
  inactive: z.number().int(),
  archived: z.number().int(),
  deleted: z.number().int(),
  lastError: errorSummary.nullable(),
  skipReason: z.string().nullable(),
});

/** `GET /api/sync/status`. */
export const syncStatusSchema = z.object({
  lastSuccessAt: isoDateTime.nullable().describe('End of the last run in which every entity succeeded (any replica).'),
  secondsSinceLastSuccess: z.number().int().nullable(),
  intervalMinutes: z.number().int(),
  healthy: z.boolean(),
  consecutiveFailures: z.number().int().describe('Failed runs in a row (any replica).'),
  lastError: errorSummary.nullable().describe('Error of the last failed run.'),
  running: z.boolean(),
  runId: z.string().nullable(),
  nextRunAt: isoDateTime.nullable(),
  paused: z.boolean().describe('Scheduled runs are paused after failing for `SYNC_PAUSE_AFTER_HOURS`; manual runs still run. `POST /api/sync/resume` ends it.'),
  pausedAt: isoDateTime.nullable(),
  lastRunStartedAt: isoDateTime.nullable().describe('Start of the last run (any replica).'),
  lastFullRunAt: isoDateTime.nullable().describe('Start of the last full run of every entity (scheduled or by hand, any replica).'),
  nextFullRunAt: isoDateTime
    .nullable()
    .describe('From when the next scheduled run is a full reconcile (`SYNC_FULL_EVERY_HOURS`, `SYNC_FULL_AT_HOUR`); null when off.'),
  alert: z
    .object({
      kind: z.enum(['sync_failing', 'sync_recovered', 'sync_paused', 'mass_deletion_blocked', 'mass_archive_blocked']),
      at: isoDateTime.describe('Last attempt to send it.'),
      delivered: z.number().int().nullable().describe('Recipients it reached (null: all, not counted).'),
      undelivered: z.number().int().describe('Recipients it has not reached yet; they are tried again after the next run.'),
      error: z.object({ code: z.string(), message: z.string() }).nullable().describe('Why it did not reach them.'),
    })
    .nullable()
    .describe('The last failure alert or recovery notice, and whether it could be delivered to every admin.'),
  employeesSynced: z.number().int().describe('Active employees in the store.'),
  odooUsersSynced: z.number().int().describe('Active Odoo users (internal `res.users`) in the store.'),
  entities: z.array(entityStatusSchema),
});

/** `POST /api/sync/run` body. */
export const runRequestSchema = z
  .object({
    entity: entityEnum.optional().describe('Only this entity (all when absent).'),
    mode: z.enum(['incremental', 'full']).optional().describe('Default `incremental`.'),
    force: z.boolean().optional().describe('Apply deletions and archiving past the mass-deletion and mass-archive guards.'),
  })
  .strict();

/** `POST /api/sync/run` answer. */
export const runAcceptedSchema = z.object({
  runId: z.string(),
  entities: z.array(entityEnum),
  mode: z.enum(['incremental', 'full']),
  force: z.boolean(),
});

/** `GET /api/sync/logs` query. */
export const logsQuerySchema = z
  .object({
    entity: entityEnum.optional(),
    status: z.enum(['success', 'failed', 'skipped']).optional(),
    runId: z.string().min(1).max(200).optional(),
    from: isoDateTime.optional().describe('Entries that started at or after this time (ISO-8601).'),
    to: isoDateTime.optional().describe('Entries that started before this time (ISO-8601).'),
    limit: limitParam,
    cursor: cursorParam,
  })
  .strict();

const countsSchema = z.object({
  fetched: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  archived: z.number().int(),
  reactivated: z.number().int(),
  softDeleted: z.number().int(),
  unchanged: z.number().int(),
  invalid: z.number().int(),
});

/** One sync log entry. */
export const syncLogSchema = z.object({
  id: z.string(),
  runId: z.string(),
  entity: entityEnum,
  trigger: z.enum(['schedule', 'manual', 'webhook', 'startup']),
  mode: z.enum(['incremental', 'full']),
  startedAt: isoDateTime,
  finishedAt: isoDateTime,
  status: z.enum(['success', 'failed', 'skipped']),
  counts: countsSchema,
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).nullable(),
  skipReason: z.string().nullable(),
  cursorBefore: z.string().nullable(),
  cursorAfter: z.string().nullable(),
  invalidRecords: z.array(z.object({ odooId: z.number().int(), reason: z.string() })),
  sweep: z
    .object({
      ran: z.boolean(),
      reason: z.enum(['deletion_keep', 'full_run', 'no_earlier_sweep', 'sweep_due', 'count_unavailable', 'invalid_rows', 'unstored_ids', 'counts_differ', 'counts_equal']),
      sourceCount: z.number().int().nullable(),
      storedLive: z.number().int().nullable(),
      lastSweep: z.object({ at: isoDateTime, unstored: z.number().int() }).nullable(),
    })
    .optional()
    .describe('Whether the run looked for records deleted in Odoo (the id sweep) and why; absent in older entries.'),
});

/** `GET /api/sync/logs` answer. */
export const logsPageSchema = z.object({ items: z.array(syncLogSchema), nextCursor: z.string().nullable() });

/** `GET`/`PUT /api/sync/settings`. */
export const settingsSchema = z
  .object({
    intervalMinutes: z
      .number()
      .int('expected a whole number of minutes')
      .min(5, 'expected 5 to 60 minutes')
      .max(60, 'expected 5 to 60 minutes')
      .describe('Minutes between scheduled runs, 5–60.'),
  })
  .strict();

/** Odoo's "Send Webhook Notification" payload (extra fields Odoo adds are allowed). */
export const webhookBodySchema = z
  .looseObject({
    _model: z.string().min(1).max(200).describe('Technical model name, e.g. `res.partner`.'),
    _id: z.number().int().positive().describe('Record id.'),
    write_date: z
      .unknown()
      .optional()
      .describe('The record\'s "Last Updated on", when the webhook sends it (recommended on Odoo 17 and 18): a read older than it is repeated.'),
  })
  .describe('The payload of Odoo\'s automation rule action "Send Webhook Notification".');

/** `POST /api/sync/webhook/:secret` path. */
export const webhookParamsSchema = z.object({ secret: z.string().describe('The configured `WEBHOOK_SECRET`.') }).strict();

/** `POST /api/sync/webhook/:secret` answer. */
export const webhookResultSchema = z.object({
  model: z.string(),
  odooId: z.number().int(),
  entities: z.array(entityEnum).describe('The entities the record will be read into.'),
  status: z
    .enum(['queued', 'coalesced'])
    .describe('`queued`: the record will be read shortly; `coalesced`: a read of this record was already waiting, and this webhook joined it.'),
});

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

/** The entities of the read API and their path segments. */
export const RECORD_ROUTES = [
  { path: 'accounts', entity: 'account' },
  { path: 'contacts', entity: 'contact' },
  { path: 'opportunities', entity: 'opportunity' },
  { path: 'invoices', entity: 'invoice' },
  { path: 'employees', entity: 'employee' },
] as const satisfies readonly { path: string; entity: EntityName }[];

function filterSchema(spec: EntityDefinition, name: string, path: string): z.ZodType<unknown, string> {
  if (path.endsWith('.id')) return queryInt(1, 2 ** 31 - 1, `Only records whose \`${path}\` is this Odoo id.`);
  const shape = spec.schema instanceof z.ZodObject ? (spec.schema.shape as Record<string, z.ZodType>) : {};
  let field = shape[path];
  while (field instanceof z.ZodNullable || field instanceof z.ZodOptional) field = field.unwrap() as z.ZodType;
  if (field instanceof z.ZodEnum) {
    return z.enum(field.options as [string, ...string[]]).describe(`Only records whose \`${path}\` is this value.`);
  }
  return z.string().min(1).max(200).describe(`Only records whose \`${name}\` (\`${path}\`) is this value.`);
}

/** The definition of a built-in entity named, or the definition given. */
function specOf(entity: EntityName | EntityDefinition): EntityDefinition {
  return typeof entity === 'string' ? getEntitySpec(entity) : entity;
}

/** Query of a list route of the read API: pagination, `q`, `include` and the entity's filters. */
export function recordsQuerySchema(entity: EntityName | EntityDefinition) {
  const spec = specOf(entity);
  const filters: Record<string, z.ZodType> = {};
  for (const [name, path] of Object.entries(spec.filters)) filters[name] = filterSchema(spec, name, path).optional();
  return z
    .object({
      q: z
        .string()
        .min(1)
        .max(200)
        .optional()
        .describe(`Case-insensitive search in ${spec.searchKeys.map((k) => `\`${k}\``).join(', ')}.`),
      include: z.enum(['inactive']).optional().describe('`inactive` also returns archived and deleted records.'),
      limit: limitParam,
      cursor: cursorParam,
      ...filters,
    })
    .strict();
}

/** Path of the single-record route. */
export const recordParamsSchema = z
  .object({ odooId: queryInt(1, 2 ** 31 - 1, 'Odoo id.') })
  .strict();

/** A synced record as the read API returns it. */
export function recordSchema(entity: EntityName | EntityDefinition) {
  const spec = specOf(entity);
  return z.object({
    entity: z.literal(spec.name),
    odooId: z.number().int(),
    data: spec.schema,
    isActive: z.boolean(),
    inactiveReason: z.enum(['archived', 'deleted']).nullable(),
    odooWriteDate: z.string().nullable(),
    firstSyncedAt: isoDateTime,
    lastSyncedAt: isoDateTime,
    deletedAt: isoDateTime.nullable(),
  });
}

/** A page of records. */
export function recordsPageSchema(entity: EntityName | EntityDefinition) {
  return z.object({ items: z.array(recordSchema(entity)), nextCursor: z.string().nullable() });
}

/** `POST /api/sync/resume` answer. */
export const resumeResultSchema = z.object({
  resumed: z.boolean().describe('True when scheduled runs were paused and now go on; false when they were not paused.'),
  paused: z.boolean(),
});
