/**
 * What authors of stores (and of Odoo sources) need to implement the ports of `@odoo-sync/core`
 * the way the built-in ones do: paging and cursors, user records (e-mail and identity keys,
 * created and patched users), record data paths, the stored settings and lease names, and the
 * shapes of the ports' arguments and results. `@odoo-sync/core/testing` holds the contract
 * suites that check a store.
 *
 * @module @odoo-sync/core/store-kit
 */

// Paging: page limits, opaque cursors and the page builder every list method uses.
export {
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  decodeCursor,
  encodeCursor,
  isIdCursor,
  isPairCursor,
  pageLimit,
  pageOf,
} from './paging.js';
export type { Page } from './model.js';

// Users: the keys stores index users by, and the records `createUser`/`updateUser` write.
export { createdUser, emailKey, identityKey, normalizedIdentity, patchedUser } from './user-records.js';
export type { LinkStrategy, NewUser, UserPatch, UserQuery, UserRole, UserStatus } from './ports/identity.js';

// Records: paths into a record's data, content hashes, and what a write carries.
export { assertDataPath, valueAtPath } from './memory-store/shared.js';
export { stableHash } from './sync/hash.js';
export { isEntityName, type EntityRecord, type EntityRecordMap } from './entities/entities.js';
export type { InactiveReason, RecordWrite, StoredState, SyncMode, SyncStatus, SyncTrigger, SyncErrorSummary } from './model.js';
export type { RecordCounts, RecordWhere, SyncLogQuery, Lease } from './ports/sync.js';
export type { ActivityFilter, ActivityQuery, ActivityStore, ActivityVisibility } from './ports/activities.js';
// Activities: queries checked the same way in every store, paged streaming, title search keys.
export {
  activityMatches,
  type CheckedActivityFilter,
  type CheckedActivityQuery,
  checkActivityFilter,
  checkActivityQuery,
  pageThroughActivities,
  titleKey,
} from './activity/query.js';

// What the scheduler keeps in a store: its health setting and its lease, and who holds it.
export { HEALTH_SETTING, type AlertDeliveryState, type HealthError, type RunInProgress } from './scheduling/sync-health.js';
export { INTERVAL_SETTING, SCHEDULER_LEASE } from './scheduling/scheduler-types.js';
export { formatLeaseOwner, parseLeaseOwner, type LeaseOwnerIdentity, type LeaseOwnerProbe } from './scheduling/lease-owner.js';

// Sources: the options of a SourceReader's reads, and Odoo domains term by term.
export type { ReadChangedOptions, ReadIdsOptions } from './ports/source.js';
export type { DomainOperator, DomainTerm, DomainValue } from './entities/entities.js';
