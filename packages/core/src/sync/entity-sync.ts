/**
 * One entity of a Reconciler run, under its lease: read the changed rows page by page, plan and
 * apply them (behind the mass-archive guard), move the cursor, then sweep for deletions (behind
 * the mass-deletion guard) unless the entity's definition keeps them.
 * @module
 */
import type { Clock } from '../clock.js';
import type { EntityDefinition, EntityName } from '../entities/entities.js';
import { sourceQueryOf } from '../entities/entities.js';
import { ArchiveGuard } from './archive-guard.js';
import { MassArchiveBlockedError, MassDeletionBlockedError } from '../errors.js';
import { checkDeletionSweep, collectIds, countUnstored, type LastSweep, lastSweepOf, newerSweep } from './deletion-sweep.js';
import { SortedIds } from './id-set.js';
import type { Logger } from '../logger.js';
import type { DeletionSweepReport, RecordWrite, SyncCounts, SyncMode } from '../model.js';
import { incrementalSince, latestWriteDate, planDeletions, planReconcile, type ReconcilePlan, toSourceRecord } from './plan.js';
import type { ReconcilerStore, SourceReader } from '../ports.js';
import type { RecordProjector } from './reconciler-options.js';
import { readAhead, throwIfAborted } from './run-support.js';

const MAX_INVALID_REPORTED = 100;
/**
 * Pages read ahead of the one being planned: two keep Odoo busy while one page waits for the
 * write of the page before it.
 */
const READ_AHEAD_PAGES = 2;
/** Records written or marked deleted per store call outside the page loop. */
export const DELETE_BATCH = 1000;

/** What one entity's run has done so far (kept when it fails, for its log entry). */
export interface EntityProgress {
  counts: SyncCounts;
  invalidRecords: Array<{ odooId: number; reason: string }>;
  cursor: string | null;
  /** What the run did about deletions, once decided. */
  sweep?: DeletionSweepReport;
}

/** What {@link syncEntity} needs from its Reconciler. */
export interface EntitySyncContext {
  source: SourceReader;
  store: ReconcilerStore;
  clock: Clock;
  logger: Logger;
  pageSize: number;
  idPageSize: number;
  overlapMs: number;
  maxDeleteRatio: number;
  maxArchiveRatio: number;
  /** Gets the records of entities that define `activities` before they are stored. */
  projector?: RecordProjector | undefined;
  /** Longest time between two deletion sweeps of an entity; 0 sweeps in every run. */
  deletionSweepEveryMs: number;
  /** Per entity: the newest deletion sweep this process knows of. */
  lastSweeps: Map<EntityName, LastSweep>;
  specOf(entity: EntityName): EntityDefinition;
  storeCall<T>(operation: string, call: () => Promise<T>): Promise<T>;
  refreshReferencing(entity: EntityName, deletedIds: readonly number[], signal?: AbortSignal): Promise<unknown>;
  /** Projects again the records attached to these ids, just stored for the first time (see `attached.ts`). */
  projectAttached?(spec: EntityDefinition, newIds: readonly number[]): Promise<unknown>;
}

/**
 * The newest deletion sweep of an entity: the later of the one this process remembers and the
 * one the entity's latest sync log entry records (written by any process: another replica, an
 * earlier `sync --once`), or the latest successful entry's when the latest has none.
 */
async function lastSweepOfEntity(ctx: EntitySyncContext, entity: EntityName): Promise<LastSweep | null> {
  const latest = await ctx.storeCall('latestSyncLog', () => ctx.store.latestSyncLog(entity));
  let logged = lastSweepOf(latest?.sweep);
  if (!logged && latest && latest.status !== 'success') {
    const success = await ctx.storeCall('latestSyncLog', () => ctx.store.latestSyncLog(entity, 'success'));
    logged = lastSweepOf(success?.sweep);
  }
  return newerSweep(ctx.lastSweeps.get(entity) ?? null, logged);
}

/** Syncs one entity once (see the module). Throws what failed; `progress` says what was done. */
export async function syncEntity(
ctx: EntitySyncContext,
entity: EntityName,
run: { runId: string; mode: SyncMode; force: boolean },
signal: AbortSignal,
progress: EntityProgress,
): Promise<void> {
  const spec = ctx.specOf(entity);
  const query = sourceQueryOf(spec);
  const { counts } = progress;
  const cursorBefore = await ctx.storeCall('getCursor', () => ctx.store.getCursor(entity));
  // From here on, progress.cursor is the cursor the store holds.
  progress.cursor = cursorBefore;
  const since = run.mode === 'full' ? null : incrementalSince(cursorBefore, ctx.overlapMs);
  // Rows come ordered by (write_date, id) only when reading since a date; only then can the
  // cursor move forward page by page. A read by id moves it once, at the end.
  const checkpointEachPage = since !== null;
  let cursor = cursorBefore;
  const activeBefore = (await ctx.storeCall('countRecords', () => ctx.store.countRecords(entity))).active;
  const archiveGuard = new ArchiveGuard({
    activeBefore,
    maxArchiveRatio: ctx.maxArchiveRatio,
    force: run.force,
  });

  // One page's writes (activities, records, attached chatter, its cursor checkpoint) may still
  // be in flight while the next pages are read and mapped: a store that writes off the event
  // loop (a worker thread, a network round trip) then overlaps both. The page after it reads its
  // stored states only once those writes are done, so its plan sees what the page before wrote.
  // (Reading them earlier, during the write, measured slower with the SQLite store.)
  let pageWrites: Promise<void> | null = null;
  try {
    for await (const rows of readAhead(ctx.source.readChanged(query, { since, pageSize: ctx.pageSize, signal }), READ_AHEAD_PAGES)) {
      throwIfAborted(signal);
      counts.fetched += rows.length;
      const records = rows.map((row) => toSourceRecord(spec, row));
      if (pageWrites !== null) {
        const previous = pageWrites;
        pageWrites = null;
        await previous;
      }
      throwIfAborted(signal);
      const states = await ctx.storeCall('getStates', () =>
        ctx.store.getStates(
          entity,
          records.map((r) => r.odooId).filter((id) => id > 0),
        ),
      );
      throwIfAborted(signal);
      const plan = planReconcile(records, states);
      const archives = archiveGuard.admit(plan.archives, states);
      throwIfAborted(signal);
      for (const invalid of plan.invalid) {
        if (progress.invalidRecords.length < MAX_INVALID_REPORTED) {
          progress.invalidRecords.push({ odooId: invalid.odooId, reason: invalid.reason });
        }
        ctx.logger.warn({ runId: run.runId, entity, odooId: invalid.odooId, reason: invalid.reason }, 'invalid Odoo record not stored');
      }
      counts.invalid += plan.invalid.length;
      cursor = latestWriteDate(cursor, records);
      const checkpoint = archiveGuard.capCursor(cursorBefore, cursor);
      pageWrites = writePage(ctx, spec, plan, archives, checkpointEachPage && checkpoint !== cursorBefore ? checkpoint : null, progress);
      // Observed when awaited (next page or after the loop); this only keeps a failure that
      // happens first from being reported as unhandled.
      pageWrites.catch(() => undefined);
    }
    if (pageWrites !== null) {
      const last = pageWrites;
      pageWrites = null;
      await last;
    }
  } finally {
    // Leaving early (a failed read, an abort): the writes already started finish before the
    // entity's run ends, so nothing is written after its lease or its log entry.
    if (pageWrites !== null) await pageWrites.catch(() => undefined);
  }

  // Archives held back by the guard: all of them now, or none (the run fails below).
  if (!archiveGuard.blocked) {
    const held = archiveGuard.held();
    for (let i = 0; i < held.length; i += DELETE_BATCH) {
      throwIfAborted(signal);
      const batch = held.slice(i, i + DELETE_BATCH);
      await ctx.storeCall('upsertRecords', () => ctx.store.upsertRecords(entity, batch, ctx.clock.now()));
    }
    counts.archived += held.length;
  }

  // Deletions: compare every id Odoo has with every live id the store has, unless the counts
  // show there is nothing to find (see deletion-sweep.ts).
  throwIfAborted(signal);
  const lastSweep = await lastSweepOfEntity(ctx, entity);
  const check = await checkDeletionSweep({
    source: ctx.source,
    store: ctx.store,
    logger: ctx.logger,
    entity,
    query,
    signal,
    mode: run.mode,
    deletion: spec.deletion ?? 'soft-delete',
    now: ctx.clock.now(),
    lastSweep,
    sweepEveryMs: ctx.deletionSweepEveryMs,
    invalidThisRun: counts.invalid,
    writtenUpTo: cursor,
  });
  const sweep = check.sweep;
  const sweptAt = ctx.clock.now();
  const sourceIds = sweep ? await collectIds(readAhead(ctx.source.readAllIds(query, { pageSize: ctx.idPageSize, signal }))) : SortedIds.from([]);
  const liveIds = sweep ? await ctx.storeCall('listLiveIds', () => ctx.store.listLiveIds(entity)) : [];
  const maxDeleteRatio = spec.maxDeleteRatio ?? ctx.maxDeleteRatio;
  const deletion = planDeletions(sourceIds, liveIds, { maxDeleteRatio, force: run.force });
  const finalCursor = archiveGuard.blocked ? archiveGuard.capCursor(cursorBefore, cursor) : cursor;
  // The last page's checkpoint has usually saved it already.
  if (finalCursor !== progress.cursor) {
    await ctx.storeCall('setCursor', () => ctx.store.setCursor(entity, finalCursor));
  }
  progress.cursor = finalCursor;
  if (deletion.blocked) {
    throw new MassDeletionBlockedError(`${spec.label}: ${deletion.reason ?? 'too many deletions'}`, {
      wouldDelete: deletion.missing.length,
      storedCount: liveIds.length,
      maxDeleteRatio,
    });
  }
  // Records pointing at the ones about to be marked deleted, read again before the marking,
  // so a retry of this entity (after a failure here) still finds them.
  await ctx.refreshReferencing(entity, deletion.softDeletes, signal);
  for (let i = 0; i < deletion.softDeletes.length; i += DELETE_BATCH) {
    throwIfAborted(signal);
    const batch = deletion.softDeletes.slice(i, i + DELETE_BATCH);
    counts.softDeleted += await ctx.storeCall('markDeleted', () => ctx.store.markDeleted(entity, batch, ctx.clock.now()));
  }
  const newest = sweep ? { at: sweptAt, unstored: countUnstored(sourceIds, liveIds, deletion.softDeletes) } : lastSweep;
  if (newest) ctx.lastSweeps.set(entity, newest);
  progress.sweep = {
    ran: sweep,
    reason: check.reason,
    sourceCount: check.sourceCount,
    storedLive: check.storedLive,
    lastSweep: newest ? { at: newest.at.toISOString(), unstored: newest.unstored } : null,
  };
  if (archiveGuard.blocked) {
    throw new MassArchiveBlockedError(`${spec.label}: ${archiveGuard.reason}`, {
      wouldArchive: archiveGuard.count,
      activeCount: activeBefore,
      maxArchiveRatio: ctx.maxArchiveRatio,
    });
  }
}

/**
 * Writes one planned page, in order: activities projected from its records, the records, the
 * chatter already stored on records stored for the first time, then the cursor `checkpoint`
 * (when given and new), and counts what was written.
 */
async function writePage<D>(
  ctx: EntitySyncContext,
  spec: EntityDefinition,
  plan: ReconcilePlan<D>,
  archives: readonly RecordWrite<D>[],
  checkpoint: string | null,
  progress: EntityProgress,
): Promise<void> {
  const entity = spec.name;
  const changed = [...plan.inserts, ...plan.updates, ...plan.reactivations];
  await projectWrites(ctx, spec, changed as readonly RecordWrite[]);
  const writes = archives.length > 0 ? [...changed, ...archives] : changed;
  if (writes.length > 0) {
    await ctx.storeCall('upsertRecords', () => ctx.store.upsertRecords(entity, writes as readonly RecordWrite[], ctx.clock.now()));
  }
  await ctx.projectAttached?.(spec, [...plan.inserts, ...plan.reactivations].map((write) => write.odooId));
  const { counts } = progress;
  counts.inserted += plan.inserts.length;
  counts.updated += plan.updates.length;
  counts.reactivated += plan.reactivations.length;
  counts.archived += archives.length;
  counts.unchanged += plan.unchanged.length;
  if (checkpoint !== null && checkpoint !== progress.cursor) {
    await ctx.storeCall('setCursor', () => ctx.store.setCursor(entity, checkpoint));
    progress.cursor = checkpoint;
  }
}

/** Hands records about to be stored to the projector, when the entity defines `activities`. */
export async function projectWrites(
  ctx: Pick<EntitySyncContext, 'projector' | 'storeCall'>,
  spec: EntityDefinition,
  writes: readonly { data: { odooId: number } }[],
): Promise<void> {
  const projector = ctx.projector;
  if (projector === undefined || spec.activities === undefined || writes.length === 0) return;
  await ctx.storeCall('projectActivities', () => projector.project(spec, writes.map((write) => write.data)));
}
