/**
 * Options, status and events of the {@link SyncScheduler}.
 * @module
 */
import type { RetentionOptions, RetentionResult } from './retention.js';
import type { AlertContext } from '../alerts/alert-messages.js';
import { type EntityDefinition, type EntityName, isEntityName } from '../entities/entities.js';
import { type FullRunSchedule, nextFullRunAt } from './full-schedule.js';
import { InputError } from '../errors.js';
import type { LeaseOwnerProbe, TakeOverReason } from './lease-owner.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../clock.js';
import type { RunResult, SyncMode, SyncRunner, SyncTrigger } from '../model.js';
import type { Alert, AlertKind, LockStore, Notifier, SettingsStore } from '../ports.js';
import type { RetryOptions } from '../sync/reconciler.js';
import type { HealthError, SyncHealth } from './sync-health.js';

/** Smallest allowed interval between scheduled runs, in minutes. */
export const MIN_INTERVAL_MINUTES = 5;
/** Largest allowed interval between scheduled runs, in minutes. */
export const MAX_INTERVAL_MINUTES = 60;
/** Default interval between scheduled runs, in minutes. */
export const DEFAULT_INTERVAL_MINUTES = 15;
/** Settings key holding the interval chosen at runtime (shared by every replica). */
export const INTERVAL_SETTING = 'sync.intervalMinutes';
/** Name of the lease a run holds so that only one replica runs at a time. */
export const SCHEDULER_LEASE = 'sync:scheduler';

/** Options of {@link SyncScheduler}. */
export interface SyncSchedulerOptions {
  /** What runs a sync (the {@link Reconciler}). */
  runner: SyncRunner;
  /**
   * Entities a run may name, as definitions or names, besides the built-in ones and the
   * runner's own (`SyncRunner.entities`): a run naming any other is an {@link InputError}.
   * @default the built-in entities and the runner's
   */
  entities?: readonly (EntityName | EntityDefinition)[];
  /** Leases shared by the replicas. */
  locks: LockStore;
  /** Where the interval and the health state are kept (shared by the replicas). */
  settings: SettingsStore;
  /** Told after {@link SyncSchedulerOptions.failureThreshold} failed runs in a row, and on recovery. */
  notifier?: Notifier;
  /**
   * Minutes between scheduled runs, 5–60. A value saved with
   * {@link SyncScheduler.setIntervalMinutes} (in the settings) wins over this one.
   * @default 15
   */
  intervalMinutes?: number;
  /**
   * Random spread of each interval, as a share of it (0–0.5): with 0.1 a 15-minute interval
   * waits 13.5–16.5 minutes, so replicas and neighbours don't hit Odoo in step.
   * @default 0.1
   */
  jitterRatio?: number;
  /**
   * Random numbers in [0, 1) for the jitter.
   * @default Math.random
   */
  random?: () => number;
  /**
   * Failed runs in a row after which admins are alerted (once), then told of the recovery (once).
   * @default 3
   */
  failureThreshold?: number;
  /**
   * Time-to-live of the scheduler lease in milliseconds; renewed every third of it during a run.
   * @default 60000
   */
  leaseTtlMs?: number;
  /**
   * Run once as soon as {@link SyncScheduler.start} is called (trigger `startup`), unless some
   * replica ran less than half an interval ago (then the schedule simply goes on from that run).
   * @default false
   */
  runOnStart?: boolean;
  /**
   * Retries of a run that threw a transient error (the runner itself retries per entity).
   * @default { retries: 2, minTimeoutMs: 1000, maxTimeoutMs: 30000, factor: 2 }
   */
  retry?: RetryOptions | false;
  /**
   * Owner id of the leases this scheduler takes. The server uses {@link @odoo-sync/core/store-kit!formatLeaseOwner | formatLeaseOwner}
   * (host and process id), so that a lease left by a killed process can be taken over at once.
   * @default a random UUID
   */
  owner?: string;
  /**
   * Says whether the process named in a lease owner id is gone (same host, dead pid). A lease
   * whose holder is gone, or that this scheduler has watched go unrenewed for two renewal
   * periods of its own clock (clock skew between replicas does not count), is taken over at once
   * instead of waiting for it to expire; a run another replica started and never finished is
   * resumed at start.
   * @default none: only missed renewals count
   */
  leaseOwnerProbe?: LeaseOwnerProbe;
  /**
   * Scheduled full reconciles: every `everyHours` hours (0 = never) a scheduled run reads every
   * record instead of the changes only, at the local hour `atHour` (nearest to the period) when
   * set. Shared by the replicas through the health setting.
   * @default { everyHours: 0, atHour: null }
   */
  fullRuns?: { everyHours?: number; atHour?: number | null; timeZone?: string };
  /** Which deployment alerts come from, links to put in them, and their time zone. */
  alertContext?: AlertContext;
  /**
   * Hours of failed runs in a row (since the first failure of the streak) after which scheduled
   * runs pause and admins get one notice; 0 never pauses. Manual runs still run; a successful
   * run or {@link SyncScheduler.resume} ends the pause.
   * @default 0
   */
  pauseAfterHours?: number;
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
   * Id generator for runs.
   * @default crypto.randomUUID
   */
  randomId?: () => string;
  /**
   * A daily purge of old activities and sync-log entries (give the stores to purge; 0 days
   * keeps forever). Each purge is emitted as `retention:purged`.
   * @default {} (nothing purged)
   */
  retention?: RetentionOptions;
}

/** What to run, for {@link SyncScheduler.startRun}. */
export interface StartRunOptions {
  /** Entities to run (all the runner's by default). */
  entities?: readonly EntityName[];
  /**
   * `incremental` or `full`.
   * @default 'incremental'
   */
  mode?: SyncMode;
  /**
   * Apply deletions even when the mass-deletion guard would block them.
   * @default false
   */
  force?: boolean;
  /**
   * What started the run.
   * @default 'manual'
   */
  trigger?: SyncTrigger;
}

/** A run that has started: its id now, its result later. */
export interface StartedRun {
  /** Run id (the one in the sync logs). */
  runId: string;
  /** Settles when the run ends. Resolves with the result even when entities failed. */
  done: Promise<RunResult>;
}

/** What {@link SyncScheduler.status} answers. */
export interface SchedulerStatus {
  /** Whether {@link SyncScheduler.start} was called and {@link SyncScheduler.stop} not yet. */
  started: boolean;
  /** Whether this process is running a sync now. */
  running: boolean;
  /** Id of the run in progress in this process. */
  runId: string | null;
  /** ISO-8601 time of the next scheduled run in this process. */
  nextRunAt: string | null;
  /** Minutes between scheduled runs. */
  intervalMinutes: number;
  /** Failed runs in a row (across replicas). */
  consecutiveFailures: number;
  /**
   * True when the last run succeeded and the last success is recent (within three intervals).
   * False before the first successful run.
   */
  healthy: boolean;
  /** ISO-8601 end of the last run (across replicas). */
  lastRunAt: string | null;
  /** ISO-8601 end of the last successful run (across replicas). */
  lastSuccessAt: string | null;
  /** Error of the last failed run (with its hint, when it had one). */
  lastError: HealthError | null;
  /** Whether scheduled runs are paused after failing for too long (manual runs still run). */
  paused: boolean;
  /** ISO-8601 time they were paused, or `null`. */
  pausedAt: string | null;
  /** ISO-8601 start of the last run (across replicas). */
  lastStartedAt: string | null;
  /** ISO-8601 start of the last full run of every entity (across replicas). */
  lastFullRunAt: string | null;
  /** ISO-8601 time from which the next scheduled run is a full one; `null` when scheduled full runs are off. */
  nextFullRunAt: string | null;
  /**
   * The last alert or recovery notice and whether it reached everyone: `undelivered` counts the
   * recipients it did not reach yet (they are tried again after the next run).
   */
  alert: {
    kind: AlertKind;
    at: string;
    delivered: number | null;
    undelivered: number;
    error: { code: string; message: string } | null;
  } | null;
}

/** Why a scheduled run did not happen. */
export type TickSkipReason = 'running' | 'lease_held' | 'recent_run' | 'paused';

/**
 * Events of a {@link SyncScheduler}, named `<noun>:<past-tense verb>`. The events renamed in
 * 0.2 are still emitted under their former names (marked deprecated) until the next minor version.
 */
export interface SyncSchedulerEvents {
  /** A run starts in this process. */
  'run:started': (event: { runId: string; trigger: SyncTrigger; mode: SyncMode; entities: EntityName[] | null }) => void;
  /** A run ended (any status). */
  'run:finished': (result: RunResult) => void;
  /** A run threw instead of producing a result (the store was unreachable, say). */
  'run:failed': (event: { runId: string; error: unknown }) => void;
  /** A scheduled run did not happen. */
  'tick:skipped': (event: { reason: TickSkipReason }) => void;
  /** A lease whose holder was gone was taken over. */
  'lease:taken_over': (event: { name: string; previousOwner: string; reason: TakeOverReason }) => void;
  /** Admins were told that syncing keeps failing. */
  'alert:sent': (alert: Alert) => void;
  /** Scheduled runs paused after failing for `pauseAfterHours` (admins were told). */
  'schedule:paused': (alert: Alert) => void;
  /** Scheduled runs were resumed by hand. */
  'schedule:resumed': (event: { at: string }) => void;
  /** Admins were told that syncing works again. */
  'sync:recovered': (alert: Alert) => void;
  /** The notifier could not send an alert to some or all recipients (they are tried again after the next run). */
  'notification:failed': (event: { alert: Alert; error: unknown; undelivered: string[] }) => void;
  /** @deprecated Renamed `alert:sent`; emitted under this name too until the next minor version. */
  alert: (alert: Alert) => void;
  /** @deprecated Renamed `schedule:paused`; emitted under this name too until the next minor version. */
  paused: (alert: Alert) => void;
  /** @deprecated Renamed `schedule:resumed`; emitted under this name too until the next minor version. */
  resumed: (event: { at: string }) => void;
  /** @deprecated Renamed `sync:recovered`; emitted under this name too until the next minor version. */
  recovered: (alert: Alert) => void;
  /** @deprecated Renamed `notification:failed`; emitted under this name too until the next minor version. */
  'notify:failed': (event: { alert: Alert; error: unknown; undelivered: string[] }) => void;
  /** The interval changed. */
  'interval:changed': (event: { intervalMinutes: number }) => void;
  /** Old activities and sync-log entries were purged (`null`: kept, or the purge failed). */
  'retention:purged': (result: RetentionResult) => void;
}

/** Checks an interval: an integer number of minutes from 5 to 60. */
export function validateIntervalMinutes(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_INTERVAL_MINUTES || value > MAX_INTERVAL_MINUTES) {
    throw new InputError(`The sync interval must be a whole number of minutes from ${MIN_INTERVAL_MINUTES} to ${MAX_INTERVAL_MINUTES}.`, [
      { path: 'intervalMinutes', message: `expected an integer from ${MIN_INTERVAL_MINUTES} to ${MAX_INTERVAL_MINUTES}` },
    ], { hint: 'Use, for example, 15.' });
  }
  return value;
}

/** Checks the entities and mode of {@link StartRunOptions} ({@link InputError} when unknown). */
export function checkRunOptions(
  options: StartRunOptions,
  known: (name: unknown) => boolean = isEntityName,
): { entities: EntityName[] | null; mode: SyncMode } {
  const entities = options.entities === undefined ? null : [...options.entities];
  for (const entity of entities ?? []) {
    if (!known(entity)) {
      throw new InputError(`Unknown entity "${entity}".`, [{ path: 'entity', message: 'unknown entity' }]);
    }
  }
  const mode = options.mode ?? 'incremental';
  if (mode !== 'incremental' && mode !== 'full') {
    throw new InputError(`Unknown mode "${String(mode)}".`, [{ path: 'mode', message: "expected 'incremental' or 'full'" }]);
  }
  return { entities, mode };
}

/** The {@link SchedulerStatus} of a scheduler in this state, with the shared health. Pure. */
export function schedulerStatus(
  health: SyncHealth,
  state: { now: Date; started: boolean; runId: string | null; nextRunAt: Date | null; intervalMinutes: number; fullRuns: FullRunSchedule },
): SchedulerStatus {
  const now = state.now.getTime();
  const recent = health.lastSuccessAt !== null && now - Date.parse(health.lastSuccessAt) <= 3 * state.intervalMinutes * 60_000;
  const delivery = health.alertDelivery;
  const nextFull = nextFullRunAt(state.fullRuns, health.lastFullAt, state.now);
  const firstUndelivered = delivery?.undelivered[0];
  return {
    started: state.started,
    running: state.runId !== null,
    runId: state.runId,
    nextRunAt: state.nextRunAt?.toISOString() ?? null,
    intervalMinutes: state.intervalMinutes,
    consecutiveFailures: health.consecutiveFailures,
    healthy: health.consecutiveFailures === 0 && recent,
    lastRunAt: health.lastRunAt,
    lastSuccessAt: health.lastSuccessAt,
    lastError: health.lastError,
    paused: health.pausedAt !== null,
    pausedAt: health.pausedAt,
    lastStartedAt: health.lastStartedAt,
    lastFullRunAt: health.lastFullAt,
    nextFullRunAt: nextFull?.toISOString() ?? null,
    alert: delivery
      ? {
          kind: delivery.kind,
          at: delivery.at,
          delivered: delivery.deliveredTo?.length ?? null,
          undelivered: delivery.undelivered.length,
          error: firstUndelivered ? { code: firstUndelivered.code, message: firstUndelivered.message } : null,
        }
      : null,
  };
}

/** A run in progress in this process (internal to the scheduler). */
export interface RunSlot {
  runId: string;
  controller: AbortController;
  /** Resolves when the run has ended and released its lease. */
  done: Promise<void>;
}

/** What a run is, once its options are checked (internal to the scheduler). */
export type RunPlan = { entities: EntityName[] | null; mode: SyncMode; force: boolean; trigger: SyncTrigger };
