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

/**
 * What the CRM write routes need from Odoo (implemented by the odoo-adapter's `OdooClient`, as
 * the integration user): create and write records, call a model method, find ids. Failures are
 * the adapter's typed errors (`odoo_access_denied`, `odoo_validation_failed`, …).
 */
export interface OdooWriter {
  /** `create`: creates one record and returns its id. */
  create(model: string, values: Record<string, unknown>): Promise<number>;
  /** `write`: sets values on records. */
  write(model: string, ids: readonly number[], values: Record<string, unknown>): Promise<boolean>;
  /** Calls a public model method (`action_set_won` …): `args` (a leading id list is the record set) and `kwargs`. */
  call<T = unknown>(model: string, method: string, args?: readonly unknown[], kwargs?: Readonly<Record<string, unknown>>): Promise<T>;
  /** `search`: ids matching a domain. */
  search(model: string, domain?: readonly unknown[], options?: { limit?: number }): Promise<number[]>;
}
