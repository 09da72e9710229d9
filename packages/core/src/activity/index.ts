/**
 * Activity logging: the {@link ActivityLogger} that records what people do, the activity
 * types, metadata redaction, the CSV export and retention. Stores implement the activity port
 * with the query helpers of `@odoo-sync/core/store-kit`.
 *
 * @module @odoo-sync/core/activity
 */
export { ActivityLogger, type ActivityDropReason, type ActivityLoggerEvents, type ActivityLoggerOptions, type ActivityLoggerStats } from './logger.js';
export { type ActivityEvent, activityEventSchema, MAX_METADATA_BYTES, MAX_TITLE_LENGTH } from './event.js';
export { ACTIVITY_TYPE_PATTERN, APP_ACTIVITY_TYPES, BUILT_IN_ACTIVITY_TYPES, type BuiltInActivityType, ODOO_ACTIVITY_TYPES } from './types.js';
export { changedFields, type FieldChanges, isSecretKey, redactMetadata, type Redacted, SECRET_KEY_FRAGMENTS } from './redact.js';
export { activityIdFactory, type RandomBytes } from './ids.js';
export { MAX_ACTIVITY_PAGE_LIMIT, MAX_TITLE_SEARCH_LENGTH } from './query.js';
export { ACTIVITY_CSV_COLUMNS, activitiesToCsv, activityCsvRow, type ActivityCsvOptions, csvCell, UTF8_BOM } from './csv.js';
export {
  DEFAULT_ACTIVITY_RETENTION_DAYS,
  DEFAULT_SYNC_LOG_RETENTION_DAYS,
  RetentionPurge,
  retentionCutoff,
  type RetentionOptions,
  type RetentionResult,
} from '../scheduling/retention.js';
export type { Activity, ActivityFilter, ActivitySource, ActivityStore, ActivityVisibility } from '../ports/activities.js';
