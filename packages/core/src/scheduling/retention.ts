/**
 * Retention: deletes activities and sync-log entries older than a configured number of days,
 * once a day. What the SyncScheduler runs for stores without a TTL of their own (SQLite,
 * MemoryStore, yours).
 * @module
 */
import { type Clock, systemClock, type TimerHandle } from '../clock.js';
import { summarizeError } from '../errors.js';
import { type Logger, silentLogger } from '../logger.js';
import type { ActivityStore, SyncLogStore } from '../ports.js';

const DAY_MS = 86_400_000;

/** Activities are kept this many days unless told otherwise. */
export const DEFAULT_ACTIVITY_RETENTION_DAYS = 365;
/** Sync-log entries are kept this many days unless told otherwise. */
export const DEFAULT_SYNC_LOG_RETENTION_DAYS = 90;

/**
 * What to purge and how long to keep it. A store left out, or `0` days, keeps everything.
 *
 * @example
 * ```ts
 * new SyncScheduler({ runner, locks: store, settings: store,
 *   retention: { activities: store, activityDays: 365, syncLogs: store, syncLogDays: 90 } });
 * ```
 */
export interface RetentionOptions {
  /** Where activities are purged (`purgeActivities`). */
  activities?: Pick<ActivityStore, 'purgeActivities'>;
  /**
   * Days to keep activities; 0 keeps them forever.
   * @default 365
   */
  activityDays?: number;
  /** Where sync-log entries are purged (`pruneSyncLogs`). */
  syncLogs?: Pick<SyncLogStore, 'pruneSyncLogs'>;
  /**
   * Days to keep sync-log entries; 0 keeps them forever.
   * @default 90
   */
  syncLogDays?: number;
  /**
   * Hours between purges (the first one runs when scheduling starts).
   * @default 24
   */
  everyHours?: number;
}

/** What one purge removed; `null` where that kind is kept forever or has no store. */
export interface RetentionResult {
  /** Activities deleted. */
  activities: number | null;
  /** Sync-log entries deleted. */
  syncLogs: number | null;
}

/**
 * The instant before which data `days` old is deleted, or `null` when `days` is 0 (keep).
 * Pure.
 */
export function retentionCutoff(now: Date, days: number): Date | null {
  return days === 0 ? null : new Date(now.getTime() - days * DAY_MS);
}

function days(value: number | undefined, fallback: number, name: string): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result < 0) throw new TypeError(`Retention option ${name} must be a whole number of days >= 0 (0 keeps forever).`);
  return result;
}

/**
 * Purges old activities and sync-log entries every `everyHours` (first when started). Every
 * replica may run it: deleting what is already gone deletes nothing. A failure is logged and
 * reported, and the next purge comes at its time.
 */
export class RetentionPurge {
  readonly #activities: RetentionOptions['activities'];
  readonly #syncLogs: RetentionOptions['syncLogs'];
  readonly #activityDays: number;
  readonly #syncLogDays: number;
  readonly #everyMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #onPurged: (result: RetentionResult) => void;
  #timer: TimerHandle | undefined;
  #running: Promise<RetentionResult> | null = null;

  constructor(
    options: RetentionOptions,
    collaborators: { clock?: Clock; logger?: Logger; onPurged?: (result: RetentionResult) => void } = {},
  ) {
    this.#activities = options.activities;
    this.#syncLogs = options.syncLogs;
    this.#activityDays = days(options.activityDays, DEFAULT_ACTIVITY_RETENTION_DAYS, 'activityDays');
    this.#syncLogDays = days(options.syncLogDays, DEFAULT_SYNC_LOG_RETENTION_DAYS, 'syncLogDays');
    const everyHours = options.everyHours ?? 24;
    if (!(Number.isFinite(everyHours) && everyHours > 0)) throw new TypeError('Retention option everyHours must be a number of hours > 0.');
    this.#everyMs = everyHours * 3_600_000;
    this.#clock = collaborators.clock ?? systemClock;
    this.#logger = collaborators.logger ?? silentLogger;
    this.#onPurged = collaborators.onPurged ?? (() => {});
  }

  /** Whether anything is ever purged (some store with a non-zero number of days). */
  get enabled(): boolean {
    return (this.#activities !== undefined && this.#activityDays > 0) || (this.#syncLogs !== undefined && this.#syncLogDays > 0);
  }

  /** Starts purging: now, then every `everyHours`. Does nothing when nothing is to be purged. */
  start(): void {
    if (!this.enabled || this.#timer !== undefined) return;
    this.#arm(0);
  }

  /** Stops purging and waits for a purge under way. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#running) await this.#running;
  }

  /** Purges now; resolves with what was removed. Failures are logged and leave `null`. */
  async purgeNow(): Promise<RetentionResult> {
    if (this.#running) return this.#running;
    this.#running = this.#purge().finally(() => (this.#running = null));
    return this.#running;
  }

  async #purge(): Promise<RetentionResult> {
    const now = this.#clock.now();
    const result: RetentionResult = { activities: null, syncLogs: null };
    const activitiesBefore = this.#activities ? retentionCutoff(now, this.#activityDays) : null;
    if (this.#activities && activitiesBefore) {
      result.activities = await this.#try('activities', activitiesBefore, (before) => this.#activities?.purgeActivities(before));
    }
    const logsBefore = this.#syncLogs ? retentionCutoff(now, this.#syncLogDays) : null;
    if (this.#syncLogs && logsBefore) {
      result.syncLogs = await this.#try('sync logs', logsBefore, (before) => this.#syncLogs?.pruneSyncLogs(before));
    }
    this.#onPurged(result);
    return result;
  }

  async #try(what: string, before: Date, purge: (before: Date) => Promise<number> | undefined): Promise<number | null> {
    try {
      const removed = (await purge(before)) ?? 0;
      this.#logger.info({ what, before: before.toISOString(), removed }, 'retention purge done');
      return removed;
    } catch (error) {
      this.#logger.error({ what, before: before.toISOString(), err: summarizeError(error) }, 'retention purge failed; trying again at the next purge');
      return null;
    }
  }

  #arm(ms: number): void {
    this.#timer = this.#clock.setTimeout(() => {
      void this.purgeNow().finally(() => {
        if (this.#timer !== undefined) this.#arm(this.#everyMs);
      });
    }, ms);
  }
}
