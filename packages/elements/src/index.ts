/**
 * `@odoo-sync/elements`: Web Components for the odoo-sync server — `<odoo-sync-health>` and
 * `<odoo-sync-timeline>` — plus the API client they share. Importing this entry defines no tag;
 * import `@odoo-sync/elements/define` (or call {@link defineOdooSyncElements}) for that.
 * @module
 */
export {
  CSRF_HEADER,
  CSRF_META_NAME,
  csrfTokenFromDocument,
  errorFromAnswer,
  OdooSyncApi,
  OdooSyncApiError,
  REAUTH_EVENT,
  withQuery,
  type ClientProblemCode,
  type OdooSyncApiOptions,
  type QueryValues,
  type ReauthDetail,
  type RequestOptions,
} from './api.js';
export { errorBox, OdooSyncElement, TickController, timeTag, type CurrentUser } from './base.js';
export { defineOdooSyncElements, ELEMENT_TAGS } from './registry.js';
export { themeStyles } from './styles.js';
export { exactTime, formatDuration, relativeTime, type TimeFormatOptions } from './time.js';
export { OdooSyncHealth } from './health/element.js';
export { healthVerdict, summarizeRuns, type EntitySyncStatus, type HealthState, type HealthVerdict, type RunSummary, type SyncErrorSummary, type SyncLogEntry, type SyncStatus } from './health/model.js';
export { OdooSyncTimeline } from './timeline/element.js';
export { activityTypeLabel, type Activity, type ActivityPage, type TimelineFilters } from './timeline/model.js';
export { OdooSyncProfile } from './pages/profile.js';
export { OdooSyncRecords } from './pages/records.js';
export { OdooSyncAdminPeople } from './pages/admin-people.js';
export { OdooSyncAdminKeys } from './pages/admin-keys.js';
export { OdooSyncAdminSync } from './pages/admin-sync.js';
