/**
 * Storage-agnostic core of odoo-sync: entity specs, pure reconcile planning, `Reconciler`,
 * `SyncScheduler`, identity matching, store ports and `MemoryStore`.
 *
 * @module @odoo-sync/core
 * @document ../README.md
 */
export * from './errors.js';
export * from './odoo-values.js';
export * from './entities.js';
export * from './hash.js';
export * from './model.js';
export * from './plan.js';
export * from './ports.js';
export * from './paging.js';
export * from './clock.js';
export * from './logger.js';
export * from './user-records.js';
export * from './memory-store.js';
export * from './reconciler.js';
export * from './deletion-sweep.js';
export * from './memory-source.js';
export * from './scheduler.js';
export * from './scheduler-types.js';
export * from './sync-health.js';
export * from './lease-owner.js';
export * from './lease-watch.js';
export * from './full-schedule.js';
export * from './alert-messages.js';
export { resumeSchedule } from './health-tracker.js';
export * from './matching/index.js';
export * from './references.js';
export * from './archive-guard.js';
