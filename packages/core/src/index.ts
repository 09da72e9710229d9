/**
 * Storage-agnostic core of odoo-sync: entity specs, `Reconciler`, `SyncScheduler`, identity
 * matching, the store ports and `MemoryStore`.
 *
 * Every name is listed here on purpose: growing this surface is a decision (a test snapshots
 * it). More lives in the other entries:
 * - `@odoo-sync/core/errors` — every error class, to catch by `code` or `instanceof`.
 * - `@odoo-sync/core/matching` — the whole identity-matching API (strategies, directory
 *   types, the text helpers a custom strategy needs).
 * - `@odoo-sync/core/store-kit` — what store authors need (paging, cursors, user records,
 *   the shapes of port arguments).
 * - `@odoo-sync/core/testing` — the contract suites a store must pass.
 *
 * @module @odoo-sync/core
 * @document ../README.md
 */

// Sync engine: the Reconciler runs one sync, the SyncScheduler runs them on a schedule.
export { Reconciler } from './sync/reconciler.js';
export type { ReconcilerEvents, ReconcilerOptions, RecordReconcileResult, RetryOptions } from './sync/reconciler-options.js';
export { SyncScheduler } from './scheduling/scheduler.js';
export type { SyncSchedulerEvents, SyncSchedulerOptions, SchedulerStatus } from './scheduling/scheduler-types.js';
export { resumeSchedule } from './scheduling/health-tracker.js';
export type { SyncHealth } from './scheduling/sync-health.js';
export type { AlertContext } from './alerts/alert-messages.js';
export type { RunOptions, RunResult, SyncCounts, SyncLogEntry } from './model.js';

// In-memory peers: a store and an Odoo source, for embedding, tests and demos.
export { MemoryStore } from './memory-store.js';
export { MemorySource } from './sync/memory-source.js';

// Time and logs: injected everywhere, so tests control them.
export { ManualClock, systemClock, type Clock, type TimerHandle } from './clock.js';
export { silentLogger, type Logger } from './logger.js';

// Entities: the Odoo models odoo-sync keeps, and their stored shapes.
export {
  ENTITY_NAMES,
  ENTITY_SPECS,
  getEntitySpec,
  isEntityName,
  type Account,
  type Contact,
  type Employee,
  type EntityName,
  type EntitySpec,
  type Invoice,
  type OdooDomain,
  type OdooRow,
  type OdooUser,
  type Opportunity,
} from './entities/entities.js';
export type { Many2One } from './entities/odoo-values.js';
export type { SyncedRecord } from './model.js';

// Ports, by concern. Sync ports: what the Reconciler and SyncScheduler need.
export type { ReconcilerStore, RecordQuery, RecordStore, LockStore, SettingsStore, SyncLogStore, SyncPorts } from './ports/sync.js';
export type { SourceQuery, SourceReader } from './ports/source.js';
// Identity ports: users, API keys, token caches.
export type { ApiKey, IdentityPorts, OdooLink, TokenEntry, TokenRefresher, TokenStore, User, UserIdentity, UserStore } from './ports/identity.js';
// Activity ports: the activity timeline.
export type { Activity, ActivityPorts } from './ports/activities.js';
// Alerts: what the scheduler sends when syncs fail, pause or recover.
export type { Alert, AlertDelivery, Notifier, NotifyOptions } from './ports/alerts.js';
// A whole store: every port plus its lifecycle.
export type { StoreLifecycle, SyncStore } from './ports/store.js';
export type { JsonValue } from './ports/json.js';

// Identity matching: link a person who signs in to their Odoo user or employee.
export { describeMatch, matchOdooIdentity, prepareDirectory } from './matching/index.js';
export type {
  IdentityMatched,
  IdentityMatchResult,
  IdentityNotMatched,
  MatchOptions,
  OdooDirectory,
  PersonToMatch,
  PreparedDirectory,
} from './matching/index.js';

// Errors: the base class; every subclass is in `@odoo-sync/core/errors`.
export { isOdooSyncError, OdooSyncError, type OdooSyncErrorCode } from './errors.js';
