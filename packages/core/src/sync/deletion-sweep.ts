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
 * - an entity whose definition keeps deleted records never sweeps;
 * - a `full` run always sweeps;
 * - with no earlier sweep known (a new store, or one written by an older version), sweep;
 * - when the last sweep is older than `deletionSweepEveryMs` (a day by default), sweep: the
 *   safety net for what no count can see (a row that enters the domain without a new
 *   `write_date` at the same time as another is deleted);
 * - a source that cannot count, or a count that failed, means sweep;
 * - a row that failed validation in this run is in Odoo and not stored: sweep;
 * - when the last sweep found Odoo ids the store does not hold (rows that stay invalid, or
 *   rows that entered the domain without a new `write_date`), sweep until one finds none.
 *
 * A delete hidden by a create in the same interval still changes the store's count (the new
 * row is stored by the same run), so the counts differ and the sweep runs. Odoo counts only the
 * rows written up to the newest `write_date` this run has seen ({@link countUpTo}): a row
 * created after the read is not in the store yet and must not make up for a deleted one; a
 * row written after the read is still counted by the store, so the counts differ (a needless
 * sweep, never a missed deletion). A row whose transaction began before the read and
 * committed after it is the one case left: it is read by the next run (the overlap), whose
 * counts then differ.
 *
 * The last sweep's time and outcome travel in each sync log entry
 * (`DeletionSweepReport`): a run starts from the later of the sweep its process remembers and
 * the one the entity's latest entry records, so a new process (a `sync --once` from cron, a
 * restart) need not sweep first, and a replica sees what another one's sweep found.
 *
 * {@link decideDeletionSweep} is the pure rule; {@link checkDeletionSweep} counts through the
 * ports it is given and applies it.
 * @module
 */
import type { DeletionPolicy } from '../entities/entity-definition.js';
import type { EntityName } from '../entities/entities.js';
import { summarizeError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { DeletionSweepReport, SweepReason } from '../model.js';
import type { RecordStore, SourceQuery, SourceReader } from '../ports.js';
import { IdCollector, type SortedIds } from './id-set.js';
import { toOdooDatetime } from './memory-source.js';

export type { SweepReason } from '../model.js';

/** The newest sweep known of an entity: when it ran and the Odoo ids the store did not hold after it. */
export interface LastSweep {
  /** When it ran. */
  at: Date;
  /** Odoo ids not stored after it. */
  unstored: number;
}

/** What {@link decideDeletionSweep} decided. */
export interface SweepDecision {
  /** True when the id sweep must run. */
  sweep: boolean;
  /** Why. */
  reason: SweepReason;
}

/** What {@link decideDeletionSweep} looks at before anything is counted. */
export interface SweepContext {
  /** The run's mode. */
  mode: 'full' | 'incremental';
  /** The entity's deletion policy. */
  deletion: DeletionPolicy;
  /** Now, by the Reconciler's clock. */
  now: Date;
  /** The newest sweep known, or `null`. */
  lastSweep: LastSweep | null;
  /** Longest time between two sweeps of an entity; 0 sweeps in every run. */
  sweepEveryMs: number;
  /** Rows of this run that failed validation. */
  invalidThisRun: number;
}

/** What {@link decideDeletionSweep} looks at. */
export interface SweepInput extends SweepContext {
  /** Odoo's count of the entity's domain, archived included, or `null` when unknown. */
  sourceCount: number | null;
  /** The store's live records of the entity (active + archived), after this run's writes. */
  storedLive: number;
}

/** The decision that needs no count, or `null` when the counts decide. */
export function decideBeforeCounting(context: SweepContext): SweepDecision | null {
  if (context.deletion === 'keep') return { sweep: false, reason: 'deletion_keep' };
  if (context.mode === 'full') return { sweep: true, reason: 'full_run' };
  if (context.lastSweep === null) return { sweep: true, reason: 'no_earlier_sweep' };
  const age = context.now.getTime() - context.lastSweep.at.getTime();
  // A last sweep "in the future" (a clock set back) is not trusted either.
  if (age >= context.sweepEveryMs || age < 0) return { sweep: true, reason: 'sweep_due' };
  if (context.invalidThisRun > 0) return { sweep: true, reason: 'invalid_rows' };
  if (context.lastSweep.unstored !== 0) return { sweep: true, reason: 'unstored_ids' };
  return null;
}

/** Decides whether the deletion sweep must run. See the module comment for the rules. */
export function decideDeletionSweep(input: SweepInput): SweepDecision {
  const early = decideBeforeCounting(input);
  if (early) return early;
  if (input.sourceCount === null) return { sweep: true, reason: 'count_unavailable' };
  if (input.sourceCount !== input.storedLive) return { sweep: true, reason: 'counts_differ' };
  return { sweep: false, reason: 'counts_equal' };
}

/** How many of `sourceIds` are not among `liveIds` (Odoo ids the store does not hold live). */
export function countUnstored(sourceIds: { readonly size: number }, liveIds: readonly number[], deleted: readonly number[] = []): number {
  // Every live id that is not deleted now is in sourceIds (that is what "not deleted" means).
  const stillLive = liveIds.length - deleted.length;
  return sourceIds.size - stillLive;
}

/**
 * The query Odoo counts: the entity's domain, limited to rows written up to `writtenUpTo`
 * (the newest `write_date` the store has seen), so that a row created after the read is not
 * counted. `null`: the whole domain.
 */
export function countUpTo(query: SourceQuery, writtenUpTo: string | null): SourceQuery {
  if (writtenUpTo === null) return query;
  const at = new Date(writtenUpTo);
  if (Number.isNaN(at.getTime())) return query;
  return { ...query, domain: [...query.domain, ['write_date', '<=', toOdooDatetime(at)]] };
}

/** The newest sweep of a sync log entry's report, when it has a usable one. */
export function lastSweepOf(report: DeletionSweepReport | undefined): LastSweep | null {
  const last = report?.lastSweep;
  if (!last || typeof last.at !== 'string' || !Number.isInteger(last.unstored) || last.unstored < 0) return null;
  const at = new Date(last.at);
  return Number.isNaN(at.getTime()) ? null : { at, unstored: last.unstored };
}

/**
 * The later of two sweeps (the one that knows more); at the same time, the one that found more
 * Odoo ids unstored.
 */
export function newerSweep(a: LastSweep | null, b: LastSweep | null): LastSweep | null {
  if (!a || !b) return a ?? b;
  const order = a.at.getTime() - b.at.getTime();
  if (order !== 0) return order > 0 ? a : b;
  return a.unstored >= b.unstored ? a : b;
}

/** What {@link checkDeletionSweep} reads through and decides on. */
export interface SweepCheck extends SweepContext {
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
  /** The newest `write_date` the store holds after this run's writes (the uncapped cursor). */
  writtenUpTo: string | null;
  /** Aborts the count. */
  signal: AbortSignal;
}

/**
 * Counts both sides when the rule needs them (an incremental run over a source that can count)
 * and applies {@link decideDeletionSweep}. A count that fails is not an error: the sweep runs.
 * Returns the decision with the counts, for the sync log entry.
 */
export async function checkDeletionSweep(check: SweepCheck): Promise<SweepDecision & Pick<DeletionSweepReport, 'sourceCount' | 'storedLive'>> {
  const { source, store, logger, entity, query, signal } = check;
  const early = decideBeforeCounting(check);
  if (early) return { ...early, sourceCount: null, storedLive: null };
  if (!source.countAll) return { sweep: true, reason: 'count_unavailable', sourceCount: null, storedLive: null };
  let sourceCount: number | null = null;
  let storedLive: number | null = null;
  try {
    // Both counts at once: the store counts while Odoo does (the order does not matter, the
    // store holds this run's writes already).
    const [counted, stored] = await Promise.all([source.countAll(countUpTo(query, check.writtenUpTo), { signal }), store.countRecords(entity)]);
    sourceCount = counted;
    storedLive = stored.active + stored.archived;
  } catch (error) {
    signal.throwIfAborted();
    logger.debug({ entity, err: summarizeError(error) }, 'could not count records; sweeping for deletions');
    sourceCount = null;
  }
  const decision = decideDeletionSweep({ ...check, sourceCount, storedLive: storedLive ?? 0 });
  logger.debug({ entity, sourceCount, storedLive, ...decision }, 'deletion sweep decision');
  return { ...decision, sourceCount, storedLive };
}

/**
 * Every id of the sweep's pages, in one compact set: a million ids take 4 MB rather than the
 * ~35 MB of a `Set<number>`, and each page can be freed as soon as it is copied.
 */
export async function collectIds(pages: AsyncIterable<number[]>): Promise<SortedIds> {
  const ids = new IdCollector();
  for await (const page of pages) ids.addAll(page);
  return ids.finish();
}
