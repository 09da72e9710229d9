/**
 * When the Reconciler's deletion sweep (every id in Odoo against every live id in the store)
 * can find something, and so must run.
 *
 * After an incremental run has applied what changed, Odoo's count of the entity's domain
 * (archived included) and the store's count of live records (active and archived, not deleted)
 * are equal when nothing was deleted, as long as every Odoo id is stored. Counting is cheap
 * (one `search_count`, one indexed `COUNT`); the sweep reads every id. So the sweep is skipped
 * only when the counts are equal and nothing says an Odoo id may be missing from the store:
 *
 * - a `full` run always sweeps (and the scheduler's periodic full run is the safety net);
 * - a source that cannot count, or a count that failed, means sweep;
 * - a row that failed validation in this run is in Odoo and not stored: sweep;
 * - until a sweep in this process has shown that every Odoo id is stored (rows that stay
 *   invalid, or rows that entered the domain without a new `write_date`), sweep.
 *
 * A delete hidden by a create in the same interval still changes the store's count (the new
 * row is stored by the same run), so the counts differ and the sweep runs.
 *
 * {@link decideDeletionSweep} is the pure rule; {@link needsDeletionSweep} counts through the
 * ports it is given and applies it.
 * @module
 */
import type { EntityName } from '../entities/entities.js';
import { summarizeError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RecordStore, SourceQuery, SourceReader } from '../ports.js';

/** Why {@link decideDeletionSweep} decided what it did. */
export type SweepReason =
  | 'full_run'
  | 'count_unavailable'
  | 'invalid_rows'
  | 'unstored_ids'
  | 'counts_differ'
  | 'counts_equal';

/** What {@link decideDeletionSweep} decided. */
export interface SweepDecision {
  /** True when the id sweep must run. */
  sweep: boolean;
  /** Why. */
  reason: SweepReason;
}

/** What {@link decideDeletionSweep} looks at. */
export interface SweepInput {
  /** The run's mode. */
  mode: 'full' | 'incremental';
  /** Odoo's count of the entity's domain, archived included, or `null` when unknown. */
  sourceCount: number | null;
  /** The store's live records of the entity (active + archived), after this run's writes. */
  storedLive: number;
  /** Rows of this run that failed validation. */
  invalidThisRun: number;
  /**
   * Odoo ids that were not stored after the last sweep of this entity in this process
   * (`undefined`: no sweep yet).
   */
  unstoredAtLastSweep: number | undefined;
}

/** Decides whether the deletion sweep must run. See the module comment for the rules. */
export function decideDeletionSweep(input: SweepInput): SweepDecision {
  if (input.mode === 'full') return { sweep: true, reason: 'full_run' };
  if (input.sourceCount === null) return { sweep: true, reason: 'count_unavailable' };
  if (input.invalidThisRun > 0) return { sweep: true, reason: 'invalid_rows' };
  if (input.unstoredAtLastSweep === undefined || input.unstoredAtLastSweep > 0) return { sweep: true, reason: 'unstored_ids' };
  if (input.sourceCount !== input.storedLive) return { sweep: true, reason: 'counts_differ' };
  return { sweep: false, reason: 'counts_equal' };
}

/** How many of `sourceIds` are not among `liveIds` (Odoo ids the store does not hold live). */
export function countUnstored(sourceIds: ReadonlySet<number>, liveIds: readonly number[], deleted: readonly number[] = []): number {
  // Every live id that is not deleted now is in sourceIds (that is what "not deleted" means).
  const stillLive = liveIds.length - deleted.length;
  return sourceIds.size - stillLive;
}

/** What {@link needsDeletionSweep} reads through and decides on. */
export interface SweepCheck {
  /** Where Odoo's count comes from (`countAll`, when it has one). */
  source: Pick<SourceReader, 'countAll'>;
  /** Where the stored count comes from. */
  store: Pick<RecordStore, 'countRecords'>;
  /** Logs the decision (debug) and a failed count. */
  logger: Logger;
  /** The entity. */
  entity: EntityName;
  /** Its source query. */
  query: SourceQuery;
  /** The run's mode. */
  mode: 'full' | 'incremental';
  /** Rows of this run that failed validation. */
  invalidThisRun: number;
  /** See {@link SweepInput.unstoredAtLastSweep}. */
  unstoredAtLastSweep: number | undefined;
  /** Aborts the count. */
  signal: AbortSignal;
}

/**
 * Counts both sides (only for an incremental run over a source that can count) and applies
 * {@link decideDeletionSweep}. A count that fails is not an error: the sweep runs.
 */
export async function needsDeletionSweep(check: SweepCheck): Promise<boolean> {
  const { source, store, logger, entity, query, mode, signal } = check;
  if (mode === 'full' || !source.countAll) return true;
  let sourceCount: number | null = null;
  let storedLive = 0;
  try {
    sourceCount = await source.countAll(query, { signal });
    const stored = await store.countRecords(entity);
    storedLive = stored.active + stored.archived;
  } catch (error) {
    signal.throwIfAborted();
    logger.debug({ entity, err: summarizeError(error) }, 'could not count records; sweeping for deletions');
    sourceCount = null;
  }
  const decision = decideDeletionSweep({ mode, sourceCount, storedLive, invalidThisRun: check.invalidThisRun, unstoredAtLastSweep: check.unstoredAtLastSweep });
  logger.debug({ entity, sourceCount, storedLive, ...decision }, 'deletion sweep decision');
  return decision.sweep;
}

/** Every id of the sweep's pages, in one set. */
export async function collectIds(pages: AsyncIterable<number[]>): Promise<Set<number>> {
  const ids = new Set<number>();
  for await (const page of pages) for (const id of page) ids.add(id);
  return ids;
}
