/**
 * Activity logging: the {@link ActivityLogger}, the activity types, the checked queries the
 * stores share, metadata redaction and the CSV export.
 * @module
 */
export { ActivityLogger, type ActivityDropReason, type ActivityLoggerEvents, type ActivityLoggerOptions, type ActivityLoggerStats } from './logger.js';
export { type ActivityEvent, activityEventSchema, MAX_METADATA_BYTES, MAX_TITLE_LENGTH, prepareActivity, type PreparedActivity } from './event.js';
export { ACTIVITY_TYPE_PATTERN, activityTypeSet, APP_ACTIVITY_TYPES, BUILT_IN_ACTIVITY_TYPES, type BuiltInActivityType, ODOO_ACTIVITY_TYPES } from './types.js';
export { changedFields, type FieldChanges, isSecretKey, redactMetadata, type Redacted, SECRET_KEY_FRAGMENTS } from './redact.js';
export { activityIdFactory, cryptoRandomBytes, type RandomBytes } from './ids.js';
export {
  activityMatches,
  type CheckedActivityFilter,
  type CheckedActivityQuery,
  checkActivityFilter,
  checkActivityQuery,
  MAX_ACTIVITY_PAGE_LIMIT,
  MAX_ACTIVITY_TYPES_PER_QUERY,
  MAX_TITLE_SEARCH_LENGTH,
  pageThroughActivities,
  titleKey,
} from './query.js';
export { ACTIVITY_CSV_COLUMNS, activitiesToCsv, activityCsvRow, type ActivityCsvOptions, csvCell, UTF8_BOM } from './csv.js';
