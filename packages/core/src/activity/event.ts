/**
 * The activity event an `ActivityLogger` takes, checked with zod, and how it becomes an
 * {@link Activity}: pure functions, no I/O.
 * @module
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { Activity, ActivitySource, JsonValue } from '../ports.js';
import { redactMetadata } from './redact.js';

/** Largest metadata an activity keeps, as JSON text (bytes of UTF-8). */
export const MAX_METADATA_BYTES = 16_384;
/** Longest activity title. */
export const MAX_TITLE_LENGTH = 500;

/** Something that happened, as a caller describes it to `ActivityLogger`. */
export interface ActivityEvent {
  /** A known type (built-in or registered), e.g. `opportunity_created`. */
  activityType: string;
  /** One-line human description, e.g. `Created opportunity: Cloud Migration Project`. */
  title: string;
  /** Entity it concerns, e.g. `opportunity`. */
  entityType?: string | null;
  /** Id of that entity (an Odoo id may be given as a number). */
  entityId?: string | number | null;
  /** Who did it; absent for the system. */
  userId?: string | null;
  /** Their display name at the time. */
  userName?: string | null;
  /**
   * Where it happened.
   * @default 'app'
   */
  source?: ActivitySource;
  /** JSON details (for updates, see `changedFields`). Keys naming secrets are removed. */
  metadata?: { [key: string]: JsonValue };
  /**
   * When it happened.
   * @default the logger's clock, now
   */
  timestamp?: Date | string;
  /**
   * A stable id, for activities imported from elsewhere (e.g. `odoo:mail.message:812`), so
   * that importing twice keeps one. Leave unset: the logger makes a time-ordered id.
   */
  id?: string;
}

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number().refine(Number.isFinite, 'expected a finite number'), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

const optionalName = z.string().min(1).max(200).nullable().optional();

/** The zod schema of an {@link ActivityEvent} (types are checked against the registry apart). */
export const activityEventSchema = z
  .object({
    activityType: z.string().min(1).max(64),
    title: z.string().trim().min(1).max(MAX_TITLE_LENGTH),
    entityType: optionalName,
    entityId: z.union([z.string().min(1).max(200), z.number().int().nonnegative()]).nullable().optional(),
    userId: optionalName,
    userName: optionalName,
    source: z.enum(['app', 'odoo']).optional(),
    metadata: z.record(z.string(), jsonValue).optional(),
    timestamp: z
      .union([z.date(), z.string()])
      .refine((value) => Number.isFinite(value instanceof Date ? value.getTime() : Date.parse(value)), 'expected a valid date')
      .optional(),
    id: z.string().min(1).max(200).optional(),
  })
  .strict();

/** An event made into an activity, and how many metadata keys were removed as secrets. */
export interface PreparedActivity {
  /** The activity to store. */
  activity: Activity;
  /** Keys removed from the metadata because they name secrets. */
  redactedKeys: number;
}

/**
 * Checks `event` and makes it into an {@link Activity}: type known, fields within bounds,
 * metadata without secrets and at most {@link MAX_METADATA_BYTES}. Throws {@link @odoo-sync/core/errors!InputError | InputError}
 * (`input_invalid`) naming each problem — never echoing metadata values.
 */
export function prepareActivity(
  event: unknown,
  context: { types: ReadonlySet<string>; now: Date; newId: (ms: number) => string },
): PreparedActivity {
  const parsed = activityEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new InputError(
      'The activity event is not valid.',
      parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
      { hint: 'Give activityType and title; the other fields are optional (see ActivityEvent).' },
    );
  }
  const input = parsed.data;
  if (!context.types.has(input.activityType)) {
    throw new InputError(`"${input.activityType}" is not a known activity type.`, [{ path: 'activityType', message: 'unknown activity type' }], {
      hint: 'Use a built-in type (BUILT_IN_ACTIVITY_TYPES) or register yours with the ActivityLogger option extraTypes.',
    });
  }
  const { value: metadata, removed } = redactMetadata(input.metadata ?? {});
  if (new TextEncoder().encode(JSON.stringify(metadata)).length > MAX_METADATA_BYTES) {
    throw new InputError(`The activity metadata is larger than ${MAX_METADATA_BYTES} bytes.`, [{ path: 'metadata', message: 'too large' }], {
      hint: 'Keep only the changed fields (changedFields) and short values.',
    });
  }
  const when = input.timestamp === undefined ? context.now : new Date(input.timestamp);
  const activity: Activity = {
    id: input.id ?? context.newId(when.getTime()),
    activityType: input.activityType,
    title: input.title,
    entityType: input.entityType ?? null,
    entityId: input.entityId === undefined || input.entityId === null ? null : String(input.entityId),
    userId: input.userId ?? null,
    userName: input.userName ?? null,
    source: input.source ?? 'app',
    metadata,
    timestamp: when.toISOString(),
  };
  return { activity, redactedKeys: removed };
}
