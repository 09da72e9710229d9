/**
 * What the HTTP app needs from the scheduler and the reconciler: the narrow parts of core's
 * `SyncScheduler` and `Reconciler`, so the app depends on nothing else.
 * @module
 */
import type { EntityName, RecordReconcileResult, SchedulerStatus, SyncScheduler } from '@odoo-sync/core';

/** The scheduler as the app sees it: core's `SyncScheduler` (or anything with the same members). */
export type SyncControl = Pick<SyncScheduler, 'startRun' | 'setIntervalMinutes' | 'intervalMinutes' | 'status' | 'on' | 'resume'>;

/** What the scheduler reports about itself. */
export type SchedulerStatusView = SchedulerStatus;

/** The reconciler as the webhook route sees it (implemented by core's `Reconciler`). */
export interface RecordReconciler {
  /** Re-reads one record from Odoo and applies it. */
  reconcileRecord(entity: EntityName, odooId: number): Promise<RecordReconcileResult>;
  /** The entities fed by an Odoo model (`res.partner` → account, contact). */
  entitiesOfModel(model: string): EntityName[];
}
