/**
 * The options, events and per-record result of the `Reconciler`.
 * @module
 */
import type { Clock } from '../clock.js';
import type { BuiltInEntityName, EntityDefinition, EntityName, EntityRecord, EntitySpec } from '../entities/entities.js';
import type { LeaseOwnerProbe } from '../scheduling/lease-owner.js';
import type { Logger } from '../logger.js';
import type { RunResult, SyncLogEntry, SyncMode, SyncTrigger } from '../model.js';
import type { Notifier, ReconcilerStore, SourceReader } from '../ports.js';

/** Fewest entities a run syncs at the same time (`ReconcilerOptions.concurrency`). */
export const MIN_CONCURRENCY = 1;
/** Most entities a run syncs at the same time (`ReconcilerOptions.concurrency`). */
export const MAX_CONCURRENCY = 6;

/** How transient failures of one entity are retried within a run. */
export interface RetryOptions {
  /**
   * Retries after the first attempt.
   * @default 3
   */
  retries?: number;
  /**
   * First delay in milliseconds.
   * @default 1000
   */
  minTimeoutMs?: number;
  /**
   * Largest delay in milliseconds.
   * @default 30000
   */
  maxTimeoutMs?: number;
  /**
   * Growth of the delay between attempts.
   * @default 2
   */
  factor?: number;
}

/**
 * Derives data from the records a run is about to store: the server's `ActivityProjector` makes
 * timeline activities from entities that define `activities`.
 */
export interface RecordProjector {
  /**
   * Called with the records of an entity that defines `activities`, about to be inserted,
   * updated or reactivated, before they are stored. A rejection fails the entity like a store
   * failure (and is retried with it): the records are stored only once they are projected.
   */
  project(spec: EntityDefinition, records: readonly { odooId: number }[]): Promise<unknown>;
}

/** Options of {@link Reconciler}. */
export interface ReconcilerOptions {
  /** Where Odoo rows come from. */
  source: SourceReader;
  /** Where synced records, cursors, logs and leases go. */
  store: ReconcilerStore;
  /** Told when the mass-deletion guard blocks a run. */
  notifier?: Notifier;
  /** Gets the records of entities that define `activities` before they are stored. None by default. */
  projector?: RecordProjector;
  /**
   * Entities this reconciler syncs: names of built-in entities and definitions of any entity
   * (`defineEntity`). They are checked (`EntityDefinitionError`) and run in this
   * order, except that an entity runs after the ones it points at (`orderByReferences`).
   * @default the built-in entities (`BUILT_IN_ENTITIES`)
   */
  entities?: readonly (EntityName | EntityDefinition)[];
  /** Replacement definitions for some built-in entities (extra fields, another domain). */
  specs?: Partial<{ [N in BuiltInEntityName]: EntitySpec<N, EntityRecord & { odooId: number }> }>;
  /**
   * Rows per page read from Odoo (and applied in one batch).
   * @default 1000
   */
  pageSize?: number;
  /**
   * Ids per page of the deletion sweep.
   * @default 5000
   */
  idPageSize?: number;
  /**
   * Entities synced at the same time within one run (1–6). Entities are independent (each has
   * its own lease, cursor and log entry), so against a remote Odoo, where each page waits on the
   * network and on Odoo's workers, 2–3 shorten a run almost in proportion. Each entity still
   * reads its pages one after the other, and starts only once the entities of the run it runs
   * after (its `references`, the entities of its `attachedTo` models) have finished; the result
   * lists entities in run order either way.
   * @default 1
   */
  concurrency?: number;
  /**
   * How far before the cursor an incremental read starts, because Odoo stamps `write_date`
   * with the start time of the writing transaction.
   * @default 600000 (10 minutes)
   */
  overlapMs?: number;
  /**
   * Largest share (0–1) of an entity's stored records one run may soft-delete without `force`.
   * @default 0.2
   */
  maxDeleteRatio?: number;
  /**
   * Largest share (0–1) of an entity's active records one run may archive (records archived in
   * Odoo) without `force`; above it nothing is archived, the entity fails with
   * `mass_archive_blocked` and the notifier is told, as with deletions.
   * @default 0.2
   */
  maxArchiveRatio?: number;
  /**
   * Longest time in milliseconds between two deletion sweeps of an entity (reading every id
   * in Odoo to find deleted records). An incremental run sweeps only when Odoo's count and the
   * store's say something may have been deleted, and at least this often whatever the counts
   * say; a full run always sweeps. 0 sweeps in every run.
   * @default 86400000 (a day)
   */
  deletionSweepEveryMs?: number;
  /**
   * Lease time-to-live in milliseconds; the lease is renewed every third of it while a run works.
   * @default 60000
   */
  leaseTtlMs?: number;
  /**
   * Retries of transient failures per entity, or `false` for none.
   * @default { retries: 3, minTimeoutMs: 1000, maxTimeoutMs: 30000, factor: 2 }
   */
  retry?: RetryOptions | false;
  /**
   * Owner id of this process's leases (the server uses {@link @odoo-sync/core/store-kit!formatLeaseOwner | formatLeaseOwner}: host and pid).
   * @default a random UUID
   */
  owner?: string;
  /**
   * Says whether the process named in a lease owner id is gone; an entity lease whose holder is
   * gone (or that this reconciler has watched go unrenewed for two renewal periods of its own
   * clock, whatever the holder's clock says) is then taken over at once instead of waiting for
   * it to expire.
   * @default none: only missed renewals count
   */
  leaseOwnerProbe?: LeaseOwnerProbe;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Structured logger.
   * @default silentLogger
   */
  logger?: Logger;
  /**
   * Id generator for runs and log entries.
   * @default crypto.randomUUID
   */
  randomId?: () => string;
}

/**
 * Events of a {@link Reconciler}, named `<noun>:<past-tense verb>`. The events renamed in 0.2
 * are still emitted under their former names (marked deprecated) until the next minor version.
 */
export interface ReconcilerEvents {
  /** A run started. */
  'run:started': (event: { runId: string; trigger: SyncTrigger; mode: SyncMode; entities: EntityName[] }) => void;
  /** One entity of a run finished (any status). */
  'entity:finished': (entry: SyncLogEntry) => void;
  /** A run finished (any status). */
  'run:finished': (result: RunResult) => void;
  /** An entity of a run failed. */
  'entity:failed': (event: { runId: string; entity: EntityName; error: unknown }) => void;
  /** @deprecated Renamed `run:started`; emitted under this name too until the next minor version. */
  'run:start': (event: { runId: string; trigger: SyncTrigger; mode: SyncMode; entities: EntityName[] }) => void;
  /** @deprecated Renamed `entity:finished`; emitted under this name too until the next minor version. */
  'entity:done': (entry: SyncLogEntry) => void;
  /** @deprecated Renamed `run:finished`; emitted under this name too until the next minor version. */
  'run:finish': (result: RunResult) => void;
  /** @deprecated Renamed `entity:failed`; emitted under this name too until the next minor version. */
  'run:error': (event: { runId: string; entity: EntityName; error: unknown }) => void;
}

/** What {@link Reconciler.reconcileRecord} did. */
export interface RecordReconcileResult {
  /** Entity name. */
  entity: EntityName;
  /** Odoo id. */
  odooId: number;
  /** What happened to the stored record. */
  outcome: 'inserted' | 'updated' | 'archived' | 'reactivated' | 'unchanged' | 'deleted' | 'absent' | 'invalid';
  /** Why the row was invalid, when it was. */
  reason?: string;
  /**
   * Odoo's `write_date` of the row read (ISO-8601), when a valid row was read. A webhook sender
   * compares it with the change it announced: an older one means the change was not committed yet.
   */
  writeDate?: string | null;
}
