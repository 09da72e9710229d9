/**
 * The shapes that move between the Reconciler, the source and the stores.
 * @module
 */
import type { EntityName, EntityRecord } from './entities/entities.js';

/** Why a stored record is inactive: archived in Odoo (`active = False`) or gone from Odoo. */
export type InactiveReason = 'archived' | 'deleted';

/**
 * A synced record as the store keeps it: an envelope around the normalised data.
 * `deleted` also covers a record that left the entity's domain (a contact that became a company).
 */
export interface SyncedRecord<D = EntityRecord> {
  /** Entity name. */
  entity: EntityName;
  /** Odoo id; unique per entity. */
  odooId: number;
  /** The normalised record. */
  data: D;
  /** {@link @odoo-sync/core/store-kit!stableHash | stableHash} of `data`. */
  hash: string;
  /** False when archived or deleted in Odoo. */
  isActive: boolean;
  /** Why it is inactive; `null` when active. */
  inactiveReason: InactiveReason | null;
  /** Odoo's `write_date` of the version stored (ISO-8601 UTC), when known. */
  odooWriteDate: string | null;
  /** When odoo-sync first stored it (ISO-8601). */
  firstSyncedAt: string;
  /** When odoo-sync last wrote it (ISO-8601). */
  lastSyncedAt: string;
  /** When it was found deleted in Odoo (ISO-8601); `null` otherwise. */
  deletedAt: string | null;
}

/** What planning needs to know of a stored record. */
export interface StoredState {
  /** Hash of the stored data. */
  hash: string;
  /** Whether it is active. */
  isActive: boolean;
  /** Why it is inactive, or `null`. */
  inactiveReason: InactiveReason | null;
}

/** A valid record read from the source, normalised and hashed. */
export interface SourceRecord<D = { odooId: number }> {
  /** Odoo id. */
  odooId: number;
  /** Normalised data. */
  data: D;
  /** {@link @odoo-sync/core/store-kit!stableHash | stableHash} of `data`. */
  hash: string;
  /** Odoo's `active` (true for models without the field). */
  active: boolean;
  /** Odoo's `write_date` as ISO-8601 UTC, or `null` when Odoo did not send one. */
  writeDate: string | null;
}

/** A row from the source that failed validation: counted and reported, never stored. */
export interface InvalidSourceRecord {
  /** Odoo id (0 when the row had no usable id). */
  odooId: number;
  /** Marks this as invalid. */
  invalid: true;
  /** What was wrong, e.g. `amountTotal: expected number, received string`. */
  reason: string;
}

/** One record to write: inserted when new, replaced otherwise. */
export interface RecordWrite<D = { odooId: number }> {
  /** Odoo id. */
  odooId: number;
  /** Normalised data. */
  data: D;
  /** Hash of `data`. */
  hash: string;
  /** Whether it is active. */
  isActive: boolean;
  /** `'archived'` when written inactive; never `'deleted'` (deletion is {@link @odoo-sync/core!RecordStore.markDeleted | RecordStore.markDeleted}). */
  inactiveReason: 'archived' | null;
  /** Odoo's `write_date` (ISO-8601), or `null`. */
  odooWriteDate: string | null;
}

/** Counts of one entity in one run. */
export interface SyncCounts {
  /** Rows read from Odoo (valid and invalid). */
  fetched: number;
  /** New records stored. */
  inserted: number;
  /** Stored records whose data changed. */
  updated: number;
  /** Records archived in Odoo since the last run. */
  archived: number;
  /** Inactive records that came back. */
  reactivated: number;
  /** Records found deleted in Odoo. */
  softDeleted: number;
  /** Rows identical to what was stored. */
  unchanged: number;
  /** Rows that failed validation (not stored). */
  invalid: number;
}

/** What triggered a run. */
export type SyncTrigger = 'schedule' | 'manual' | 'webhook' | 'startup';

/** `incremental` reads changes since the cursor; `full` reads everything. */
export type SyncMode = 'incremental' | 'full';

/** Outcome of one entity in one run. */
export type SyncStatus = 'success' | 'failed' | 'skipped';

/** A failure summary safe to store and show. */
export interface SyncErrorSummary {
  /** Stable error code. */
  code: string;
  /** Human message (no secrets, no traceback). */
  message: string;
  /** Whether retrying may help. */
  retryable: boolean;
  /** What to do about it, when the error said. */
  hint?: string;
}

/** One `sync_logs` entry: one entity in one run. */
export interface SyncLogEntry {
  /** Unique id of this entry. */
  id: string;
  /** The run it belongs to (shared by every entity of the run). */
  runId: string;
  /** Entity name. */
  entity: EntityName;
  /** What started the run. */
  trigger: SyncTrigger;
  /** Read mode. */
  mode: SyncMode;
  /** ISO-8601 start time. */
  startedAt: string;
  /** ISO-8601 end time. */
  finishedAt: string;
  /** Outcome. */
  status: SyncStatus;
  /** Counts by outcome. */
  counts: SyncCounts;
  /** Why it failed, or `null`. */
  error: SyncErrorSummary | null;
  /** Why it was skipped (e.g. the Odoo module is not installed), or `null`. */
  skipReason: string | null;
  /** Cursor before the run (ISO-8601 write date) or `null`. */
  cursorBefore: string | null;
  /** Cursor after the run. */
  cursorAfter: string | null;
  /** The first invalid rows (at most 100) with their reason. */
  invalidRecords: Array<{ odooId: number; reason: string }>;
  /**
   * Whether the run looked for records deleted in Odoo (the id sweep) and why. Absent in
   * entries written before this was recorded, and in runs that stopped before deciding.
   */
  sweep?: DeletionSweepReport;
}

/**
 * Why a run did or did not sweep for deletions:
 *
 * - `deletion_keep`: the entity keeps records Odoo no longer has; it never sweeps;
 * - `full_run`: a full run always sweeps;
 * - `no_earlier_sweep`: no sweep of the entity is known (a new store, or one of an older version);
 * - `sweep_due`: the last sweep is older than the Reconciler's `deletionSweepEveryMs`;
 * - `count_unavailable`: the source cannot count, or a count failed;
 * - `invalid_rows`: a row of this run failed validation (it is in Odoo, not in the store);
 * - `unstored_ids`: the last sweep found Odoo ids the store does not hold;
 * - `counts_differ`: Odoo's count and the store's differ;
 * - `counts_equal`: they are equal: nothing was deleted, the sweep was skipped.
 */
export type SweepReason =
  | 'deletion_keep'
  | 'full_run'
  | 'no_earlier_sweep'
  | 'sweep_due'
  | 'count_unavailable'
  | 'invalid_rows'
  | 'unstored_ids'
  | 'counts_differ'
  | 'counts_equal';

/** What a run did about deletions ({@link SyncLogEntry.sweep}). */
export interface DeletionSweepReport {
  /** True when the id sweep ran (every Odoo id compared with every live stored id). */
  ran: boolean;
  /** Why it ran or not. */
  reason: SweepReason;
  /** Odoo's count of the entity's domain, archived included, or `null` when not counted. */
  sourceCount: number | null;
  /** The store's live records (active and archived) after the run's writes, or `null` when not counted. */
  storedLive: number | null;
  /**
   * The newest sweep known after this run (this run's when it swept): when it ran (ISO-8601)
   * and how many Odoo ids the store did not hold after it. `null` when none is known. A later
   * run (of this process or another one) starts from it.
   */
  lastSweep: { at: string; unstored: number } | null;
}

/** A page of results with an opaque cursor for the next page (`null` at the end). */
export interface Page<T> {
  /** The items of this page. */
  items: T[];
  /** Pass as `cursor` to get the next page; `null` when there is none. */
  nextCursor: string | null;
}

/** Zero counts. */
export function emptyCounts(): SyncCounts {
  return { fetched: 0, inserted: 0, updated: 0, archived: 0, reactivated: 0, softDeleted: 0, unchanged: 0, invalid: 0 };
}

/** Options of one sync run. */
export interface RunOptions {
  /**
   * Entities to sync, in this order.
   * @default ENTITY_NAMES (every entity)
   */
  entities?: readonly EntityName[];
  /**
   * `incremental` reads changes since each entity's cursor; `full` reads everything.
   * @default 'incremental'
   */
  mode?: SyncMode;
  /**
   * What started the run (recorded in the sync logs).
   * @default 'manual'
   */
  trigger?: SyncTrigger;
  /**
   * Apply deletions and archiving even when the mass-deletion or mass-archive guard would block them.
   * @default false
   */
  force?: boolean;
  /** Run id to use (a new one is made when absent). */
  runId?: string;
  /** Stops the run at the next checkpoint. */
  signal?: AbortSignal;
  /**
   * The caller records the run's outcome in the shared sync health itself (the
   * `SyncScheduler` does). Otherwise the Reconciler records it, when its store keeps settings,
   * so that `SyncScheduler.status()` reflects a run started directly.
   * @default false
   */
  healthRecorded?: boolean;
}

/** The outcome of one run. */
export interface RunResult {
  /** Run id shared by its log entries. */
  runId: string;
  /** ISO-8601 start. */
  startedAt: string;
  /** ISO-8601 end. */
  finishedAt: string;
  /** `failed` when any entity failed; `success` otherwise (skipped entities do not fail a run). */
  status: 'success' | 'failed';
  /** One log entry per entity, in run order. */
  entries: SyncLogEntry[];
}

/** Something that runs syncs: the {@link Reconciler}, or a stand-in in tests. */
export interface SyncRunner {
  /** Runs the given entities once. Resolves with the result even when entities fail. */
  run(options?: RunOptions): Promise<RunResult>;
  /** The entities it runs by default, when it says (the {@link Reconciler} does). */
  readonly entities?: readonly EntityName[];
}
