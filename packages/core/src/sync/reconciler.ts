/**
 * The Reconciler: reads Odoo through a {@link SourceReader}, plans with the pure functions of
 * `plan.ts`, and applies the plan to a store, page by page, with leases, checkpoints, the
 * mass-deletion guard and one sync log entry per entity per run.
 * @module
 */
import { type Clock, systemClock } from '../clock.js';
import {
  BUILT_IN_ENTITIES,
  type EntityDefinition,
  type EntityName,
  entityRegistry,
  sourceQueryOf,
} from '../entities/entities.js';
import { runsAfter } from '../entities/entity-registry.js';
import { type EntityProgress, type EntitySyncContext, projectWrites, syncEntity } from './entity-sync.js';
import type { LastSweep } from './deletion-sweep.js';
import {
  isOdooSyncError,
  MassArchiveBlockedError,
  MassDeletionBlockedError,
  OdooModelNotFoundError,
  RunAbortedError,
  StoreError,
  summarizeError,
} from '../errors.js';
import { type Logger, silentLogger } from '../logger.js';
import {
  emptyCounts,
  type RunOptions,
  type RunResult,
  type SyncLogEntry,
  type SyncMode,
  type SyncRunner,
  type SyncTrigger,
} from '../model.js';
import { planReconcile, toSourceRecord } from './plan.js';
import type { LockStore, Notifier, RecordStore, SourceReader, SyncLogStore } from '../ports.js';
import { type ReferenceRefreshResult, refreshReferencingRecords } from './references.js';
import { attachedEntities, projectAttached } from './attached.js';
import { recordDirectRun } from '../scheduling/health-tracker.js';
import { acquireOrTakeOverLease, type LeaseOwnerProbe } from '../scheduling/lease-owner.js';
import { LeaseWatch } from '../scheduling/lease-watch.js';
import { keepLeaseAlive, positiveInt, resolveRetry, retryTransient, summarizeWithHint } from './run-support.js';
import type { ResolvedRetry } from './run-support.js';

export type { ReconcilerEvents, ReconcilerOptions, RecordProjector, RecordReconcileResult, RetryOptions } from './reconciler-options.js';
import { MAX_CONCURRENCY, MIN_CONCURRENCY, type ReconcilerEvents, type ReconcilerOptions, type RecordProjector, type RecordReconcileResult } from './reconciler-options.js';
import { FORMER_RECONCILER_EVENTS, RenamedEventEmitter } from '../renamed-events.js';

/** A day in milliseconds: the default longest time between two deletion sweeps. */
const DAY_MS = 86_400_000;

/**
 * Runs reconciliation between Odoo and a store.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * const reconciler = new Reconciler({ source: new OdooSource(client), store });
 * reconciler.on('entity:finished', (entry) => console.log(entry.entity, entry.status, entry.counts));
 * const result = await reconciler.run({ mode: 'full', trigger: 'manual' });
 * ```
 */
export class Reconciler extends RenamedEventEmitter<ReconcilerEvents> implements SyncRunner {
  /** The `concurrency` this reconciler takes (1 to 6 entities at the same time). */
  static readonly CONCURRENCY = { min: MIN_CONCURRENCY, max: MAX_CONCURRENCY } as const;
  readonly #source: SourceReader;
  readonly #store: RecordStore & SyncLogStore & LockStore;
  readonly #notifier: Notifier | undefined;
  readonly #projector: RecordProjector | undefined;
  readonly #entities: readonly EntityName[];
  readonly #specs: Map<EntityName, EntityDefinition>;
  readonly #pageSize: number;
  readonly #idPageSize: number;
  readonly #concurrency: number;
  readonly #overlapMs: number;
  readonly #maxDeleteRatio: number;
  readonly #maxArchiveRatio: number;
  readonly #leaseTtlMs: number;
  readonly #probe: LeaseOwnerProbe | undefined;
  readonly #retry: ResolvedRetry | false;
  readonly #owner: string;
  readonly #clock: Clock;
  readonly #leaseWatch: LeaseWatch;
  readonly #logger: Logger;
  readonly #randomId: () => string;
  readonly #deletionSweepEveryMs: number;
  /** Per entity: the newest deletion sweep this process knows of. */
  readonly #lastSweeps = new Map<EntityName, LastSweep>();

  constructor(options: ReconcilerOptions) {
    super(FORMER_RECONCILER_EVENTS);
    if (!options || typeof options !== 'object') throw new TypeError('Reconciler needs an options object.');
    if (!options.source) throw new TypeError('Reconciler option source is required.');
    if (!options.store) throw new TypeError('Reconciler option store is required.');
    this.#source = options.source;
    this.#store = options.store;
    this.#notifier = options.notifier;
    this.#projector = options.projector;
    // Built-in entities (replaced by options.specs where given) are looked up by name; the
    // entities option lists names and definitions; together they are checked and ordered.
    const builtIn = new Map<EntityName, EntityDefinition>(
      BUILT_IN_ENTITIES.map((spec): [EntityName, EntityDefinition] => [spec.name, (options.specs as Record<string, EntityDefinition | undefined> | undefined)?.[spec.name] ?? spec]),
    );
    if (options.entities !== undefined && !Array.isArray(options.entities)) throw new TypeError('Reconciler option entities must be a list.');
    const given: readonly (EntityName | EntityDefinition)[] = options.entities ?? [...builtIn.keys()];
    const listed = given.map((entity) => {
      if (typeof entity !== 'string') return entity;
      const spec = builtIn.get(entity);
      if (!spec) throw new TypeError(`Reconciler option entities has an unknown entity "${entity}"; pass its definition (defineEntity).`);
      return spec;
    });
    const registry = entityRegistry(listed);
    this.#entities = registry.names;
    this.#specs = new Map([...builtIn, ...registry.definitions.map((spec) => [spec.name, spec] as const)]);
    this.#pageSize = positiveInt('pageSize', options.pageSize, 1000);
    this.#idPageSize = positiveInt('idPageSize', options.idPageSize, 5000);
    this.#concurrency = positiveInt('concurrency', options.concurrency, 1);
    if (this.#concurrency > MAX_CONCURRENCY) throw new TypeError(`Reconciler option concurrency must be from ${MIN_CONCURRENCY} to ${MAX_CONCURRENCY}.`);
    this.#leaseTtlMs = positiveInt('leaseTtlMs', options.leaseTtlMs, 60_000);
    const overlap = options.overlapMs ?? 600_000;
    if (!Number.isFinite(overlap) || overlap < 0) throw new TypeError('Reconciler option overlapMs must be >= 0.');
    this.#overlapMs = overlap;
    const ratio = options.maxDeleteRatio ?? 0.2;
    if (!(ratio >= 0 && ratio <= 1)) throw new TypeError('Reconciler option maxDeleteRatio must be from 0 to 1.');
    this.#maxDeleteRatio = ratio;
    const archiveRatio = options.maxArchiveRatio ?? 0.2;
    if (!(archiveRatio >= 0 && archiveRatio <= 1)) throw new TypeError('Reconciler option maxArchiveRatio must be from 0 to 1.');
    this.#maxArchiveRatio = archiveRatio;
    const sweepEvery = options.deletionSweepEveryMs ?? DAY_MS;
    if (!Number.isFinite(sweepEvery) || sweepEvery < 0) throw new TypeError('Reconciler option deletionSweepEveryMs must be >= 0.');
    this.#deletionSweepEveryMs = sweepEvery;
    this.#retry = resolveRetry('Reconciler', options.retry, 3);
    this.#clock = options.clock ?? systemClock;
    this.#leaseWatch = new LeaseWatch(this.#clock);
    this.#logger = options.logger ?? silentLogger;
    this.#randomId = options.randomId ?? (() => globalThis.crypto.randomUUID());
    this.#owner = options.owner ?? this.#randomId();
    this.#probe = options.leaseOwnerProbe;
  }

  /** The entities this reconciler syncs, in order. */
  get entities(): readonly EntityName[] {
    return this.#entities;
  }

  /** The definitions of the entities this reconciler syncs, in order. */
  get definitions(): readonly EntityDefinition[] {
    return this.#entities.map((name) => this.specOf(name));
  }

  /** The definition used for an entity. */
  specOf(entity: EntityName): EntityDefinition {
    const spec = this.#specs.get(entity);
    if (!spec) throw new TypeError(`Unknown entity "${entity}".`);
    return spec;
  }

  /**
   * Runs the given entities (all by default) once, one after the other. Never rejects because
   * an entity failed: each entity's outcome is in its log entry and the result's `status`.
   */
  async run(options: RunOptions = {}): Promise<RunResult> {
    const entities = [...(options.entities ?? this.#entities)];
    for (const entity of entities) {
      if (typeof entity !== 'string' || !this.#specs.has(entity)) throw new TypeError(`Unknown entity "${entity}".`);
    }
    const runId = options.runId ?? this.#randomId();
    const mode = options.mode ?? 'incremental';
    const trigger = options.trigger ?? 'manual';
    const startedAt = this.#clock.now().toISOString();
    this.emit('run:started', { runId, trigger, mode, entities });
    this.#logger.info({ runId, trigger, mode, entities }, 'sync run started');
    const entries: Array<SyncLogEntry | undefined> = [];
    // An entity starts only once the entities of this run it runs after have finished (whatever
    // their outcome): its projection must find the records they hold (a message on a partner
    // names the account or contact), and a pool of workers alone would start it beside them.
    const after = runsAfter(entities.map((entity) => this.specOf(entity)));
    const started = new Set<number>();
    const finished = new Set<EntityName>();
    let wake: Array<() => void> = [];
    const ready = () => entities.findIndex((entity, index) => !started.has(index) && (after.get(entity) ?? []).every((name) => finished.has(name)));
    // A small pool: each worker takes the first entity in run order that is ready until none is
    // left or the run is aborted (entities in hand stop at their checkpoint and record it; none
    // starts after). A run aborted before it began still records its first entity as aborted.
    const worker = async () => {
      while (started.size < entities.length) {
        if (options.signal?.aborted && started.size > 0) return;
        const index = ready();
        if (index < 0) {
          // Every entity left waits on one in hand: wait for an entity to finish.
          await new Promise<void>((resolve) => wake.push(resolve));
          continue;
        }
        started.add(index);
        const entity = entities[index] as EntityName;
        try {
          const entry = await this.#runEntity(entity, { runId, mode, trigger, force: options.force === true, signal: options.signal });
          entries[index] = entry;
          this.emit('entity:finished', entry);
        } finally {
          finished.add(entity);
          const waiting = wake;
          wake = [];
          for (const resolve of waiting) resolve();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, entities.length) }, worker));
    const done = entries.filter((entry): entry is SyncLogEntry => entry !== undefined);
    const result: RunResult = {
      runId,
      startedAt,
      finishedAt: this.#clock.now().toISOString(),
      status: done.some((entry) => entry.status === 'failed') ? 'failed' : 'success',
      entries: done,
    };
    this.#logger.info({ runId, status: result.status }, 'sync run finished');
    if (options.healthRecorded !== true) {
      const run = { runId, owner: this.#owner, startedAt, mode, trigger, entities: options.entities ? entities : null };
      await recordDirectRun(this.#store, result, run, this.#logger);
    }
    this.emit('run:finished', result);
    return result;
  }


  /**
   * Re-reads one record from Odoo and applies it: insert, update, archive, reactivate, or
   * soft-delete when Odoo no longer has it in the entity's domain. For webhooks: fast, no lease
   * (writes are idempotent and a concurrent run converges), no sync log entry.
   */
  async reconcileRecord(entity: EntityName, odooId: number, options: { signal?: AbortSignal } = {}): Promise<RecordReconcileResult> {
    if (!Number.isInteger(odooId) || odooId <= 0) throw new TypeError('odooId must be a positive integer.');
    const spec = this.specOf(entity);
    const rows = await this.#source.readByIds(sourceQueryOf(spec), [odooId], options.signal ? { signal: options.signal } : {});
    const row = rows.find((r) => r.id === odooId);
    if (!row) {
      if (spec.deletion === 'keep') return { entity, odooId, outcome: 'absent' };
      const live = await this.#storeCall('getStates', () => this.#store.getStates(entity, [odooId]));
      if (live.get(odooId)?.inactiveReason !== 'deleted' && live.has(odooId)) await this.#refreshReferencing(entity, [odooId], options.signal);
      const deleted = await this.#storeCall('markDeleted', () => this.#store.markDeleted(entity, [odooId], this.#clock.now()));
      return { entity, odooId, outcome: deleted > 0 ? 'deleted' : 'absent' };
    }
    const record = toSourceRecord(spec, row);
    const states = await this.#storeCall('getStates', () => this.#store.getStates(entity, [odooId]));
    const plan = planReconcile([record], states);
    const invalid = plan.invalid[0];
    if (invalid) {
      this.#logger.warn({ entity, odooId, reason: invalid.reason }, 'invalid Odoo record not stored');
      return { entity, odooId, outcome: 'invalid', reason: invalid.reason };
    }
    const writes = [...plan.inserts, ...plan.updates, ...plan.reactivations, ...plan.archives];
    await projectWrites(this.#syncContext(), spec, [...plan.inserts, ...plan.updates, ...plan.reactivations]);
    if (writes.length > 0) {
      await this.#storeCall('upsertRecords', () => this.#store.upsertRecords(entity, writes, this.#clock.now()));
    }
    await this.#projectAttached(spec, [...plan.inserts, ...plan.reactivations].map((write) => write.odooId));
    const outcome = plan.inserts.length
      ? 'inserted'
      : plan.reactivations.length
        ? 'reactivated'
        : plan.archives.length
          ? 'archived'
          : plan.updates.length
            ? 'updated'
            : 'unchanged';
    return { entity, odooId, outcome, writeDate: 'writeDate' in record ? record.writeDate : null };
  }

  /** The entities whose Odoo model is `model` (e.g. `res.partner` → account and contact). */
  entitiesOfModel(model: string): EntityName[] {
    return this.#entities.filter((entity) => this.specOf(entity).model === model);
  }

  async #runEntity(
    entity: EntityName,
    run: { runId: string; mode: SyncMode; trigger: SyncTrigger; force: boolean; signal: AbortSignal | undefined },
  ): Promise<SyncLogEntry> {
    const startedAt = this.#clock.now();
    const cursorBefore = await this.#storeCall('getCursor', () => this.#store.getCursor(entity)).catch(() => null);
    const base = {
      id: this.#randomId(),
      runId: run.runId,
      entity,
      trigger: run.trigger,
      mode: run.mode,
      startedAt: startedAt.toISOString(),
      cursorBefore,
    };
    const leaseName = `sync:entity:${entity}`;
    let entry: SyncLogEntry;
    const lease = await this.#storeCall('acquireLease', () =>
        acquireOrTakeOverLease({
        locks: this.#store,
        name: leaseName,
        owner: this.#owner,
        ttlMs: this.#leaseTtlMs,
        now: this.#clock.now(),
        probe: this.#probe,
        watch: this.#leaseWatch,
        onTakeOver: (event) => this.#logger.warn({ runId: run.runId, entity, ...event }, 'took over the lease of a process that is gone'),
      }),
    ).catch((error: unknown) => error as Error);
    if (lease instanceof Error || lease === null) {
      const skipped = lease === null;
      entry = {
        ...base,
        finishedAt: this.#clock.now().toISOString(),
        status: skipped ? 'skipped' : 'failed',
        counts: emptyCounts(),
        error: skipped ? null : summarizeError(lease),
        skipReason: skipped ? 'Another process is syncing this entity.' : null,
        cursorAfter: cursorBefore,
        invalidRecords: [],
      };
      await this.#writeLog(entry);
      return entry;
    }

    const controller = new AbortController();
    const onAbort = () => controller.abort(new RunAbortedError());
    run.signal?.addEventListener('abort', onAbort, { once: true });
    if (run.signal?.aborted) onAbort();
    const stopHeartbeat = this.#heartbeat(leaseName, controller);
    const progress: EntityProgress = { counts: emptyCounts(), invalidRecords: [], cursor: cursorBefore };
    try {
      await this.#withRetry(entity, controller.signal, async () => {
        progress.counts = emptyCounts();
        progress.invalidRecords = [];
        delete progress.sweep;
        await syncEntity(this.#syncContext(), entity, run, controller.signal, progress);
      });
      entry = {
        ...base,
        finishedAt: this.#clock.now().toISOString(),
        status: 'success',
        counts: progress.counts,
        error: null,
        skipReason: null,
        cursorAfter: progress.cursor,
        invalidRecords: progress.invalidRecords,
        ...(progress.sweep ? { sweep: progress.sweep } : {}),
      };
    } catch (error) {
      if (error instanceof OdooModelNotFoundError) {
        entry = {
          ...base,
          finishedAt: this.#clock.now().toISOString(),
          status: 'skipped',
          counts: progress.counts,
          error: null,
          skipReason: error.message,
          cursorAfter: progress.cursor,
          invalidRecords: progress.invalidRecords,
          ...(progress.sweep ? { sweep: progress.sweep } : {}),
        };
        this.#logger.warn({ runId: run.runId, entity, model: error.model }, 'entity skipped: Odoo model not installed');
      } else {
        entry = {
          ...base,
          finishedAt: this.#clock.now().toISOString(),
          status: 'failed',
          counts: progress.counts,
          error: summarizeWithHint(error),
          skipReason: null,
          cursorAfter: progress.cursor,
          invalidRecords: progress.invalidRecords,
          ...(progress.sweep ? { sweep: progress.sweep } : {}),
        };
        this.#logger.error({ runId: run.runId, entity, err: summarizeError(error) }, 'entity sync failed');
        this.emit('entity:failed', { runId: run.runId, entity, error });
        if (error instanceof MassDeletionBlockedError || error instanceof MassArchiveBlockedError) await this.#alertBlocked(entity, run.runId, error);
      }
    } finally {
      stopHeartbeat();
      run.signal?.removeEventListener('abort', onAbort);
      await this.#storeCall('releaseLease', () => this.#store.releaseLease(leaseName, this.#owner)).catch((error: unknown) =>
        this.#logger.warn({ entity, err: summarizeError(error) }, 'could not release lease; it will expire'),
      );
    }
    await this.#writeLog(entry);
    return entry;
  }

  /**
   * Reads again the synced records that point at `deletedIds` of `entity`'s model (Odoo cleared
   * those references without a new `write_date`). See `refreshReferencingRecords`.
   */
  async #refreshReferencing(entity: EntityName, deletedIds: readonly number[], signal?: AbortSignal): Promise<ReferenceRefreshResult[]> {
    if (deletedIds.length === 0) return [];
    const deps = {
      source: this.#source,
      store: this.#store,
      specs: this.#entities.map((name) => this.specOf(name)),
      clock: this.#clock,
      logger: this.#logger,
      pageSize: this.#pageSize,
    };
    return this.#storeCall('refreshReferencing', () => refreshReferencingRecords(deps, this.specOf(entity).model, deletedIds, signal));
  }

  /**
   * Projects again the records attached to `newIds` of `spec` (stored for the first time), so that
   * their activities name the entity now holding them. Best effort: the records are stored
   * already, so a failure is logged and the run goes on (the activities keep no entity).
   */
  async #projectAttached(spec: EntityDefinition, newIds: readonly number[]): Promise<void> {
    const projector = this.#projector;
    if (projector === undefined || newIds.length === 0) return;
    const specs = this.definitions;
    if (attachedEntities(specs, spec.model, spec.name).length === 0) return;
    try {
      const projected = await projectAttached({ store: this.#store, projector, specs, storeCall: (operation, call) => this.#storeCall(operation, call) }, spec, newIds);
      if (projected > 0) this.#logger.info({ entity: spec.name, records: newIds.length, projected }, 'records attached to new ones projected again');
    } catch (error) {
      this.#logger.warn({ entity: spec.name, err: summarizeError(error) }, 'could not project again the records attached to new ones');
    }
  }

  #syncContext(): EntitySyncContext {
    return {
      source: this.#source,
      store: this.#store,
      clock: this.#clock,
      logger: this.#logger,
      pageSize: this.#pageSize,
      idPageSize: this.#idPageSize,
      overlapMs: this.#overlapMs,
      maxDeleteRatio: this.#maxDeleteRatio,
      maxArchiveRatio: this.#maxArchiveRatio,
      projector: this.#projector,
      deletionSweepEveryMs: this.#deletionSweepEveryMs,
      lastSweeps: this.#lastSweeps,
      specOf: (entity) => this.specOf(entity),
      storeCall: (operation, call) => this.#storeCall(operation, call),
      refreshReferencing: (entity, ids, signal) => this.#refreshReferencing(entity, ids, signal),
      projectAttached: (spec, ids) => this.#projectAttached(spec, ids),
    };
  }

  async #withRetry(entity: EntityName, signal: AbortSignal, attempt: () => Promise<void>): Promise<void> {
    await retryTransient(attempt, { retry: this.#retry, signal, logger: this.#logger, context: { entity }, message: 'sync attempt failed' });
  }

  #heartbeat(leaseName: string, controller: AbortController): () => void {
    return keepLeaseAlive({
      locks: this.#store,
      name: leaseName,
      owner: this.#owner,
      ttlMs: this.#leaseTtlMs,
      clock: this.#clock,
      logger: this.#logger,
      controller,
    });
  }

  async #writeLog(entry: SyncLogEntry): Promise<void> {
    try {
      await this.#storeCall('appendSyncLog', () => this.#store.appendSyncLog(entry));
    } catch (error) {
      this.#logger.error({ runId: entry.runId, entity: entry.entity, err: summarizeError(error) }, 'could not write the sync log entry');
    }
  }

  async #alertBlocked(entity: EntityName, runId: string, error: MassDeletionBlockedError | MassArchiveBlockedError): Promise<void> {
    if (!this.#notifier) return;
    const deletion = error instanceof MassDeletionBlockedError;
    try {
      await this.#notifier.notify({
        kind: deletion ? 'mass_deletion_blocked' : 'mass_archive_blocked',
        subject: `odoo-sync: ${deletion ? 'deletions' : 'archiving'} blocked for ${this.specOf(entity).label}`,
        text: `${error.message}\n\n${error.hint ?? ''}`,
        at: this.#clock.now().toISOString(),
        details: deletion
          ? { entity, runId, wouldDelete: error.wouldDelete, storedCount: error.storedCount, maxDeleteRatio: error.maxDeleteRatio }
          : { entity, runId, wouldArchive: error.wouldArchive, activeCount: error.activeCount, maxArchiveRatio: error.maxArchiveRatio },
      });
    } catch (notifyError) {
      this.#logger.error({ entity, runId, err: summarizeError(notifyError) }, `could not send the ${error.code} alert`);
    }
  }

  async #storeCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isOdooSyncError(error)) throw error;
      throw new StoreError(`The store failed during ${operation}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }
}
