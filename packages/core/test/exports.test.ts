import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportNames } from '../../../scripts/export-names.js';

const src = (file: string): string => resolve(import.meta.dirname, '../src', file);

// Growing a public surface is a decision: these snapshots change with it, in review.
describe('public surface of @odoo-sync/core', () => {
  it('names at most 80 exports at its root, each one explicitly', async () => {
    const names = exportNames(src('index.ts'));
    expect(names.star).toEqual([]);
    expect(Object.keys(await import('../src/index.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values.length + names.types.length).toBeLessThanOrEqual(80);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "describeMatch",
        "ENTITY_NAMES",
        "ENTITY_SPECS",
        "getEntitySpec",
        "isEntityName",
        "isOdooSyncError",
        "ManualClock",
        "matchOdooIdentity",
        "MemorySource",
        "MemoryStore",
        "OdooSyncError",
        "prepareDirectory",
        "Reconciler",
        "resumeSchedule",
        "silentLogger",
        "SyncScheduler",
        "systemClock",
      ]
    `);
    expect(names.types).toMatchInlineSnapshot(`
      [
        "Account",
        "Activity",
        "ActivityPorts",
        "Alert",
        "AlertContext",
        "AlertDelivery",
        "ApiKey",
        "Clock",
        "Contact",
        "Employee",
        "EntityName",
        "EntitySpec",
        "IdentityMatched",
        "IdentityMatchResult",
        "IdentityNotMatched",
        "IdentityPorts",
        "Invoice",
        "JsonValue",
        "LockStore",
        "Logger",
        "Many2One",
        "MatchOptions",
        "Notifier",
        "NotifyOptions",
        "OdooDirectory",
        "OdooDomain",
        "OdooLink",
        "OdooRow",
        "OdooSyncErrorCode",
        "OdooUser",
        "Opportunity",
        "PersonToMatch",
        "PreparedDirectory",
        "ReconcilerEvents",
        "ReconcilerOptions",
        "ReconcilerStore",
        "RecordQuery",
        "RecordReconcileResult",
        "RecordStore",
        "RetryOptions",
        "RunOptions",
        "RunResult",
        "SchedulerStatus",
        "SettingsStore",
        "SourceQuery",
        "SourceReader",
        "StoreLifecycle",
        "SyncCounts",
        "SyncedRecord",
        "SyncHealth",
        "SyncLogEntry",
        "SyncLogStore",
        "SyncPorts",
        "SyncSchedulerEvents",
        "SyncSchedulerOptions",
        "SyncStore",
        "TimerHandle",
        "TokenEntry",
        "TokenRefresher",
        "TokenStore",
        "User",
        "UserIdentity",
        "UserStore",
      ]
    `);
  });

  it('@odoo-sync/core/activity: activity logging, CSV export and retention', async () => {
    const names = exportNames(src('activity/index.ts'));
    expect(names.star).toEqual([]);
    expect(Object.keys(await import('../src/activity/index.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "activitiesToCsv",
        "ACTIVITY_CSV_COLUMNS",
        "ACTIVITY_TYPE_PATTERN",
        "activityCsvRow",
        "activityEventSchema",
        "activityIdFactory",
        "ActivityLogger",
        "APP_ACTIVITY_TYPES",
        "BUILT_IN_ACTIVITY_TYPES",
        "changedFields",
        "csvCell",
        "DEFAULT_ACTIVITY_RETENTION_DAYS",
        "DEFAULT_SYNC_LOG_RETENTION_DAYS",
        "isSecretKey",
        "MAX_ACTIVITY_PAGE_LIMIT",
        "MAX_METADATA_BYTES",
        "MAX_TITLE_LENGTH",
        "MAX_TITLE_SEARCH_LENGTH",
        "ODOO_ACTIVITY_TYPES",
        "redactMetadata",
        "retentionCutoff",
        "RetentionPurge",
        "SECRET_KEY_FRAGMENTS",
        "UTF8_BOM",
      ]
    `);
    expect(names.types).toMatchInlineSnapshot(`
      [
        "Activity",
        "ActivityCsvOptions",
        "ActivityDropReason",
        "ActivityEvent",
        "ActivityFilter",
        "ActivityLoggerEvents",
        "ActivityLoggerOptions",
        "ActivityLoggerStats",
        "ActivitySource",
        "ActivityStore",
        "BuiltInActivityType",
        "FieldChanges",
        "RandomBytes",
        "Redacted",
        "RetentionOptions",
        "RetentionResult",
      ]
    `);
  });

  it('@odoo-sync/core/entities: defineEntity, the built-in definitions and the registry', async () => {
    const names = exportNames(src('entity-kit.ts'));
    expect(names.star).toEqual([]);
    expect(Object.keys(await import('../src/entity-kit.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot();
    expect(names.types).toMatchInlineSnapshot();
  });

  it('@odoo-sync/core/store-kit: what store and source authors need', async () => {
    const names = exportNames(src('store-kit.ts'));
    expect(names.star).toEqual([]);
    expect(Object.keys(await import('../src/store-kit.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "activityMatches",
        "assertDataPath",
        "checkActivityFilter",
        "checkActivityQuery",
        "createdUser",
        "decodeCursor",
        "DEFAULT_PAGE_LIMIT",
        "emailKey",
        "encodeCursor",
        "formatLeaseOwner",
        "HEALTH_SETTING",
        "identityKey",
        "INTERVAL_SETTING",
        "isEntityName",
        "isIdCursor",
        "isPairCursor",
        "MAX_PAGE_LIMIT",
        "normalizedIdentity",
        "pageLimit",
        "pageOf",
        "pageThroughActivities",
        "parseLeaseOwner",
        "patchedUser",
        "SCHEDULER_LEASE",
        "stableHash",
        "titleKey",
        "valueAtPath",
      ]
    `);
    expect(names.types).toMatchInlineSnapshot(`
      [
        "ActivityFilter",
        "ActivityQuery",
        "ActivityStore",
        "AlertDeliveryState",
        "CheckedActivityFilter",
        "CheckedActivityQuery",
        "DomainOperator",
        "DomainTerm",
        "DomainValue",
        "EntityRecord",
        "EntityRecordMap",
        "HealthError",
        "InactiveReason",
        "Lease",
        "LeaseOwnerIdentity",
        "LeaseOwnerProbe",
        "LinkStrategy",
        "NewUser",
        "Page",
        "ReadChangedOptions",
        "ReadIdsOptions",
        "RecordCounts",
        "RecordWhere",
        "RecordWrite",
        "RunInProgress",
        "StoredState",
        "SyncErrorSummary",
        "SyncLogQuery",
        "SyncMode",
        "SyncStatus",
        "SyncTrigger",
        "UserPatch",
        "UserQuery",
        "UserRole",
        "UserStatus",
      ]
    `);
  });

  it('@odoo-sync/core/matching: the identity-matching API', async () => {
    const names = exportNames(src('matching/index.ts'));
    expect(names.star).toEqual([]);
    expect(Object.keys(await import('../src/matching/index.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "canonicalEmail",
        "DEFAULT_STRATEGIES",
        "describeMatch",
        "describeMatchFailure",
        "employeeOfUser",
        "matchByEmail",
        "matchByEmployeeNumber",
        "matchByName",
        "matchBySalesperson",
        "matchOdooIdentity",
        "nameKey",
        "nameSimilarity",
        "nameTokens",
        "normalizeEmail",
        "normalizeName",
        "prepareDirectory",
        "resolveHits",
        "suggestIdentities",
      ]
    `);
    expect(names.types).toMatchInlineSnapshot(`
      [
        "ArchivedPolicy",
        "BuiltInStrategyName",
        "DirectoryEmployee",
        "DirectoryHit",
        "DirectorySalesperson",
        "DirectoryUser",
        "HitSource",
        "IdentityMatched",
        "IdentityMatchResult",
        "IdentityNotMatched",
        "IdentityStrategy",
        "MatchEvidence",
        "MatchFailureCode",
        "MatchOptions",
        "MatchSuggestion",
        "NameOrder",
        "OdooDirectory",
        "PersonToMatch",
        "PreparedDirectory",
        "PrepareOptions",
        "ResolveRules",
        "StrategyAmbiguous",
        "StrategyMatched",
        "StrategyNotFound",
        "StrategyOutcome",
      ]
    `);
  });

  it('@odoo-sync/core/errors: every error class', async () => {
    const names = exportNames(src('errors.ts'));
    expect(Object.keys(await import('../src/errors.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "ConfigError",
        "ConflictError",
        "ForbiddenError",
        "IdentityConflictError",
        "InputError",
        "isOdooSyncError",
        "LeaseLostError",
        "LeaseUnavailableError",
        "MassArchiveBlockedError",
        "MassDeletionBlockedError",
        "Ms365UnavailableError",
        "NotFoundError",
        "NotifierError",
        "OdooAccessError",
        "OdooAuthError",
        "OdooModelNotFoundError",
        "OdooServerError",
        "OdooSyncError",
        "OdooTransportError",
        "OdooValidationError",
        "ReauthRequiredError",
        "RunAbortedError",
        "StoreError",
        "summarizeError",
        "SyncInProgressError",
        "TokenUnreadableError",
        "UnauthenticatedError",
      ]
    `);
    expect(names.types).toMatchInlineSnapshot(`
      [
        "InputIssue",
        "OdooSyncErrorCode",
        "OdooSyncErrorOptions",
      ]
    `);
  });

  it('@odoo-sync/core/retry: the transient-retry helper', async () => {
    const names = exportNames(src('retry.ts'));
    expect(Object.keys(await import('../src/retry.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "isTransientError",
        "withTransientRetry",
      ]
    `);
    expect(names.types).toMatchInlineSnapshot(`
      [
        "RetryFailure",
        "RetryPolicy",
        "TransientRetryOptions",
      ]
    `);
  });

  it('@odoo-sync/core/testing: the contract suites and test harness', async () => {
    const names = exportNames(src('testing/index.ts'));
    expect(Object.keys(await import('../src/testing/index.js')).sort((a, b) => a.localeCompare(b, 'en'))).toEqual(names.values);
    expect(names.values).toMatchInlineSnapshot(`
      [
        "contactWrite",
        "ManualClock",
        "runActivityContract",
        "runIdentityContract",
        "runStoreBenchmark",
        "runStoreContract",
        "runSyncContract",
      ]
    `);
    expect(names.types).toMatchInlineSnapshot(`
      [
        "ActivityHarness",
        "ContractHarness",
        "ContractOptions",
        "IdentityHarness",
        "IdentityInspector",
        "RecordInspector",
        "StoreBenchmarkOptions",
        "StoreBenchmarkPhase",
        "StoreCapabilities",
        "StoreContractOptions",
        "StoreHarness",
        "StoreInspector",
        "SyncHarness",
      ]
    `);
  });
});
