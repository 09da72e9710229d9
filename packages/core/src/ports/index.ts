/**
 * Ports: the interfaces adapters implement, grouped by concern. Each rule in a method's TSDoc
 * is checked by the contract suites in `@odoo-sync/core/testing`.
 *
 * - Sync ports ({@link SyncPorts}): records, sync logs, leases and settings — what the
 *   Reconciler and SyncScheduler need. {@link ReconcilerStore} is the Reconciler's share.
 * - Identity ports ({@link IdentityPorts}): users, API keys and token caches.
 * - Activity ports ({@link ActivityPorts}): the activity timeline.
 * - Idempotency ports ({@link IdempotencyPorts}): first answers of retried requests.
 * - {@link SyncStore}: all of them plus {@link StoreLifecycle}, what the server uses.
 *
 * Every store method that needs the time takes it as an argument (`at`, `now`): stores keep
 * no clock, so tests control time and replicas agree on what was written when.
 * Stores wrap driver failures in {@link @odoo-sync/core/errors!StoreError | StoreError}; `getX` returns
 * `null` for "not found", `updateX` throws {@link @odoo-sync/core/errors!NotFoundError | NotFoundError}.
 * @module
 */
export * from './json.js';
export * from './source.js';
export * from './sync.js';
export * from './identity.js';
export * from './activities.js';
export * from './idempotency.js';
export * from './alerts.js';
export * from './store.js';
