/**
 * The SyncScheduler: runs a {@link SyncRunner} every few minutes, one run at a time in this
 * process and across every replica that shares the store, and tells admins when syncing keeps
 * failing and when it recovers.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { type Clock, type TimerHandle, systemClock } from './clock.js';
import { type EntityName, isEntityName } from './entities.js';
import { InputError, RunAbortedError, summarizeError, SyncInProgressError } from './errors.js';
import { type Logger, silentLogger } from './logger.js';
import type { RunResult, SyncMode, SyncRunner, SyncTrigger } from './model.js';
import type { Alert, JsonValue, LockStore, Notifier, SettingsStore } from './ports.js';
import type { RetryOptions } from './reconciler.js';
import { keepLeaseAlive, resolveRetry, retryTransient } from './run-support.js';
import type { ResolvedRetry } from './run-support.js';

/** Smallest allowed interval between scheduled runs, in minutes. */
export const MIN_INTERVAL_MINUTES = 5;
/** Largest allowed interval between scheduled runs, in minutes. */
export const MAX_INTERVAL_MINUTES = 60;
/** Default interval between scheduled runs, in minutes. */
export const DEFAULT_INTERVAL_MINUTES = 15;
/** Settings key holding the interval chosen at runtime (shared by every replica). */
export const INTERVAL_SETTING = 'sync.intervalMinutes';
/** Settings key holding the shared {@link SyncHealth}. */
export const HEALTH_SETTING = 'sync.health';
/** Name of the lease a run holds so that only one replica runs at a time. */
export const SCHEDULER_LEASE = 'sync:scheduler';

/** Options of {@link SyncScheduler}. */
export interface SyncSchedulerOptions {
  /** What runs a sync (the {@link Reconciler}). */
  runner: SyncRunner;
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
   * Owner id of the leases this scheduler takes.
   * @default a random UUID
   */
  owner?: string;
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

/**
 * The health of syncing, shared by every replica through the settings store
 * (key {@link HEALTH_SETTING}).
 */
export interface SyncHealth {
  /** Failed runs in a row (0 after a successful run). */
  consecutiveFailures: number;
  /** Whether admins were told that syncing fails and not yet told that it recovered. */
  alerted: boolean;
  /** ISO-8601 end of the last run, whatever its outcome. */
  lastRunAt: string | null;
  /** ISO-8601 end of the last successful run. */
  lastSuccessAt: string | null;
  /** ISO-8601 end of the last failed run. */
  lastFailureAt: string | null;
  /** Error of the last failed run (code and message; never secrets). */
  lastError: { code: string; message: string } | null;
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
  /** Error of the last failed run. */
  lastError: { code: string; message: string } | null;
}

/** Events of a {@link SyncScheduler}. */
export interface SyncSchedulerEvents {
  /** A run starts in this process. */
  'run:started': (event: { runId: string; trigger: SyncTrigger; mode: SyncMode; entities: EntityName[] | null }) => void;
  /** A run ended (any status). */
  'run:finished': (result: RunResult) => void;
  /** A run threw instead of producing a result (the store was unreachable, say). */
  'run:failed': (event: { runId: string; error: unknown }) => void;
  /** A scheduled run did not happen. */
  'tick:skipped': (event: { reason: 'running' | 'lease_held' | 'recent_run' }) => void;
  /** Admins were told that syncing keeps failing. */
  alert: (alert: Alert) => void;
  /** Admins were told that syncing works again. */
  recovered: (alert: Alert) => void;
  /** The notifier could not send an alert (it is tried again after the next failed run). */
  'notify:failed': (event: { alert: Alert; error: unknown }) => void;
  /** The interval changed. */
  'interval:changed': (event: { intervalMinutes: number }) => void;
}

/** A run in progress in this process. */
interface RunSlot {
  runId: string;
  controller: AbortController;
  /** Resolves when the run has ended and released its lease. */
  done: Promise<void>;
}

const EMPTY_HEALTH: SyncHealth = {
  consecutiveFailures: 0,
  alerted: false,
  lastRunAt: null,
  lastSuccessAt: null,
  lastFailureAt: null,
  lastError: null,
};

/** Checks an interval: an integer number of minutes from 5 to 60. */
export function validateIntervalMinutes(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_INTERVAL_MINUTES || value > MAX_INTERVAL_MINUTES) {
    throw new InputError(`The sync interval must be a whole number of minutes from ${MIN_INTERVAL_MINUTES} to ${MAX_INTERVAL_MINUTES}.`, [
      { path: 'intervalMinutes', message: `expected an integer from ${MIN_INTERVAL_MINUTES} to ${MAX_INTERVAL_MINUTES}` },
    ], { hint: 'Use, for example, 15.' });
  }
  return value;
}

function parseHealth(value: JsonValue | undefined): SyncHealth {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ...EMPTY_HEALTH };
  const text = (v: JsonValue | undefined) => (typeof v === 'string' ? v : null);
  const error = value.lastError;
  return {
    consecutiveFailures:
      typeof value.consecutiveFailures === 'number' && value.consecutiveFailures >= 0 ? Math.floor(value.consecutiveFailures) : 0,
    alerted: value.alerted === true,
    lastRunAt: text(value.lastRunAt),
    lastSuccessAt: text(value.lastSuccessAt),
    lastFailureAt: text(value.lastFailureAt),
    lastError:
      error && typeof error === 'object' && !Array.isArray(error) && typeof error.code === 'string' && typeof error.message === 'string'
        ? { code: error.code, message: error.message }
        : null,
  };
}

function healthJson(health: SyncHealth): JsonValue {
  return { ...health, lastError: health.lastError ? { ...health.lastError } : null };
}

/**
 * Runs syncs on a schedule.
 *
 * - Every `intervalMinutes` (default 15, 5–60, changeable at runtime and shared by the replicas
 *   through the settings store), with jitter.
 * - One run at a time: in this process ({@link SyncInProgressError} for a second one) and across
 *   processes (the {@link SCHEDULER_LEASE} lease, renewed while the run works). A scheduled run
 *   is skipped when another replica ran less than half an interval ago.
 * - Ticks missed while a run was going on coalesce into one run after it.
 * - A run that throws a transient error is retried with backoff.
 * - After `failureThreshold` failed runs in a row admins get one alert; once syncing works
 *   again, one recovery notice.
 *
 * @example
 * ```ts
 * const scheduler = new SyncScheduler({ runner: reconciler, locks: store, settings: store, notifier });
 * scheduler.on('run:finished', (result) => console.log(result.status));
 * await scheduler.start();
 * await scheduler.runNow('contact', { mode: 'full' });
 * await scheduler.setIntervalMinutes(30);
 * await scheduler.stop();
 * ```
 */
export class SyncScheduler extends EventEmitter<SyncSchedulerEvents> {
  readonly #runner: SyncRunner;
  readonly #locks: LockStore;
  readonly #settings: SettingsStore;
  readonly #notifier: Notifier | undefined;
  readonly #jitterRatio: number;
  readonly #random: () => number;
  readonly #failureThreshold: number;
  readonly #leaseTtlMs: number;
  readonly #runOnStart: boolean;
  readonly #retry: ResolvedRetry | false;
  readonly #owner: string;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #randomId: () => string;

  #intervalMinutes: number;
  #started = false;
  #timer: TimerHandle | undefined;
  #nextRunAt: Date | null = null;
  #current: RunSlot | null = null;
  #tickPending = false;
  #startupPending = false;
  #health: SyncHealth = { ...EMPTY_HEALTH };

  constructor(options: SyncSchedulerOptions) {
    super();
    if (!options || typeof options !== 'object') throw new TypeError('SyncScheduler needs an options object.');
    if (!options.runner || typeof options.runner.run !== 'function') throw new TypeError('SyncScheduler option runner is required.');
    if (!options.locks) throw new TypeError('SyncScheduler option locks is required.');
    if (!options.settings) throw new TypeError('SyncScheduler option settings is required.');
    this.#runner = options.runner;
    this.#locks = options.locks;
    this.#settings = options.settings;
    this.#notifier = options.notifier;
    this.#intervalMinutes =
      options.intervalMinutes === undefined ? DEFAULT_INTERVAL_MINUTES : validateOption('intervalMinutes', options.intervalMinutes);
    const jitter = options.jitterRatio ?? 0.1;
    if (!(jitter >= 0 && jitter <= 0.5)) throw new TypeError('SyncScheduler option jitterRatio must be from 0 to 0.5.');
    this.#jitterRatio = jitter;
    this.#random = options.random ?? Math.random;
    const threshold = options.failureThreshold ?? 3;
    if (!Number.isInteger(threshold) || threshold < 1) throw new TypeError('SyncScheduler option failureThreshold must be a positive integer.');
    this.#failureThreshold = threshold;
    const ttl = options.leaseTtlMs ?? 60_000;
    if (!Number.isInteger(ttl) || ttl < 3) throw new TypeError('SyncScheduler option leaseTtlMs must be an integer of at least 3.');
    this.#leaseTtlMs = ttl;
    this.#runOnStart = options.runOnStart === true;
    this.#retry = resolveRetry('SyncScheduler', options.retry, 2);
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#randomId = options.randomId ?? (() => globalThis.crypto.randomUUID());
    this.#owner = options.owner ?? this.#randomId();
  }

  /** Minutes between scheduled runs. */
  get intervalMinutes(): number {
    return this.#intervalMinutes;
  }

  /** Owner id of this scheduler's leases. */
  get owner(): string {
    return this.#owner;
  }

  /** Whether a run is in progress in this process. */
  get running(): boolean {
    return this.#current !== null;
  }

  /**
   * Starts scheduling: reads the saved interval and health, then arms the timer (or runs at once
   * with `runOnStart`). Calling it twice does nothing.
   */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    try {
      const saved = await this.#settings.getSetting(INTERVAL_SETTING);
      if (saved !== undefined) {
        try {
          this.#intervalMinutes = validateIntervalMinutes(saved);
        } catch {
          this.#logger.warn({ saved }, 'ignoring an invalid saved sync interval');
        }
      }
      this.#health = parseHealth(await this.#settings.getSetting(HEALTH_SETTING));
    } catch (error) {
      this.#started = false;
      throw error;
    }
    this.#logger.info({ intervalMinutes: this.#intervalMinutes, owner: this.#owner }, 'sync scheduler started');
    this.#startupPending = this.#runOnStart;
    if (this.#runOnStart) this.#arm(0);
    else this.#arm(this.#delayMs());
  }

  /**
   * Stops scheduling. A run in progress is asked to stop at its next checkpoint (or, with
   * `{ abort: false }`, allowed to finish) and awaited; its lease is released.
   */
  async stop(options: { abort?: boolean } = {}): Promise<void> {
    this.#started = false;
    this.#tickPending = false;
    this.#disarm();
    const current = this.#current;
    if (!current) return;
    if (options.abort !== false) current.controller.abort(new RunAbortedError('The scheduler is stopping.'));
    await current.done;
  }

  /**
   * Runs now and resolves with the result.
   * @param entity One entity, or all when absent.
   * @throws {@link SyncInProgressError} when a run is in progress here or on another replica.
   */
  async runNow(entity?: EntityName, options: { force?: boolean; mode?: SyncMode } = {}): Promise<RunResult> {
    const started = await this.startRun({
      ...(entity === undefined ? {} : { entities: [entity] }),
      ...(options.mode === undefined ? {} : { mode: options.mode }),
      ...(options.force === undefined ? {} : { force: options.force }),
      trigger: 'manual',
    });
    return started.done;
  }

  /**
   * Starts a run and resolves as soon as it holds the lease, with its id and a promise of its
   * result (for "202 Accepted" answers).
   * @throws {@link SyncInProgressError} when a run is in progress here or on another replica.
   * @throws {@link InputError} for an unknown entity or mode.
   */
  async startRun(options: StartRunOptions = {}): Promise<StartedRun> {
    const entities = options.entities === undefined ? null : [...options.entities];
    for (const entity of entities ?? []) {
      if (!isEntityName(entity)) {
        throw new InputError(`Unknown entity "${String(entity)}".`, [{ path: 'entity', message: 'unknown entity' }]);
      }
    }
    const mode = options.mode ?? 'incremental';
    if (mode !== 'incremental' && mode !== 'full') {
      throw new InputError(`Unknown mode "${String(mode)}".`, [{ path: 'mode', message: "expected 'incremental' or 'full'" }]);
    }
    if (this.#current) throw new SyncInProgressError(`A sync run (${this.#current.runId}) is already in progress.`);
    const runId = this.#randomId();
    // Claim the in-process slot before the first await, so a concurrent call sees it.
    let finish!: () => void;
    const slot: RunSlot = { runId, controller: new AbortController(), done: new Promise<void>((resolve) => (finish = resolve)) };
    this.#current = slot;
    const releaseSlot = () => {
      if (this.#current === slot) this.#current = null;
      finish();
    };
    let lease;
    try {
      lease = await this.#locks.acquireLease(SCHEDULER_LEASE, this.#owner, this.#leaseTtlMs, this.#clock.now());
    } catch (error) {
      releaseSlot();
      throw error;
    }
    if (lease === null) {
      releaseSlot();
      throw new SyncInProgressError('A sync run is already in progress on another replica.');
    }
    const trigger = options.trigger ?? 'manual';
    // The next scheduled run is one interval after this one started; a tick that falls due
    // while this run is still going is remembered and run once right after it (coalescing).
    if (this.#started) this.#arm(this.#delayMs());
    const done = this.#execute(slot, { entities, mode, force: options.force === true, trigger }, releaseSlot);
    // The failure is logged and emitted; a caller that never awaits `done` must not crash the process.
    done.catch(() => {});
    return { runId, done };
  }

  /**
   * Changes the interval (5–60 minutes), saves it for every replica and re-arms the timer.
   * @throws {@link InputError} outside 5–60 or not a whole number.
   */
  async setIntervalMinutes(minutes: number): Promise<void> {
    const value = validateIntervalMinutes(minutes);
    await this.#settings.setSetting(INTERVAL_SETTING, value);
    this.#applyInterval(value);
  }

  /** The shared health state (from the settings store, so it reflects every replica). */
  async health(): Promise<SyncHealth> {
    this.#health = parseHealth(await this.#settings.getSetting(HEALTH_SETTING));
    return { ...this.#health };
  }

  /** Where scheduling stands, with the health shared by every replica. */
  async status(): Promise<SchedulerStatus> {
    const health = await this.health().catch((error: unknown) => {
      this.#logger.warn({ err: summarizeError(error) }, 'could not read the sync health; answering from memory');
      return { ...this.#health };
    });
    const now = this.#clock.now().getTime();
    const recent =
      health.lastSuccessAt !== null && now - Date.parse(health.lastSuccessAt) <= 3 * this.#intervalMinutes * 60_000;
    return {
      started: this.#started,
      running: this.#current !== null,
      runId: this.#current?.runId ?? null,
      nextRunAt: this.#nextRunAt?.toISOString() ?? null,
      intervalMinutes: this.#intervalMinutes,
      consecutiveFailures: health.consecutiveFailures,
      healthy: health.consecutiveFailures === 0 && recent,
      lastRunAt: health.lastRunAt,
      lastSuccessAt: health.lastSuccessAt,
      lastError: health.lastError,
    };
  }

  async #execute(
    slot: RunSlot,
    run: { entities: EntityName[] | null; mode: SyncMode; force: boolean; trigger: SyncTrigger },
    releaseSlot: () => void,
  ): Promise<RunResult> {
    const { runId, controller } = slot;
    const stopHeartbeat = this.#heartbeat(controller);
    this.emit('run:started', { runId, trigger: run.trigger, mode: run.mode, entities: run.entities });
    try {
      let result: RunResult;
      try {
        result = await this.#runWithRetry(runId, controller.signal, () =>
          this.#runner.run({
            ...(run.entities === null ? {} : { entities: run.entities }),
            mode: run.mode,
            force: run.force,
            trigger: run.trigger,
            runId,
            signal: controller.signal,
          }),
        );
      } catch (error) {
        this.#logger.error({ runId, err: summarizeError(error) }, 'sync run failed');
        this.emit('run:failed', { runId, error });
        await this.#recordOutcome({ ok: false, error: summarizeError(error) }, runId);
        throw error;
      }
      const failed = result.entries.find((entry) => entry.status === 'failed');
      await this.#recordOutcome(
        result.status === 'success'
          ? { ok: true }
          : { ok: false, error: failed?.error ?? { code: 'internal_error', message: 'The sync run failed.' } },
        runId,
      );
      this.emit('run:finished', result);
      return result;
    } finally {
      stopHeartbeat();
      await this.#locks.releaseLease(SCHEDULER_LEASE, this.#owner).catch((error: unknown) => {
        this.#logger.warn({ runId, err: summarizeError(error) }, 'could not release the scheduler lease; it will expire');
      });
      releaseSlot();
      this.#afterRun();
    }
  }

  async #runWithRetry(runId: string, signal: AbortSignal, attempt: () => Promise<RunResult>): Promise<RunResult> {
    return retryTransient(attempt, { retry: this.#retry, signal, logger: this.#logger, context: { runId }, message: 'sync run attempt failed' });
  }

  /** Counts the run in the shared health state and alerts on the threshold / recovery. */
  async #recordOutcome(outcome: { ok: true } | { ok: false; error: { code: string; message: string } }, runId: string): Promise<void> {
    const at = this.#clock.now().toISOString();
    let health: SyncHealth;
    try {
      health = parseHealth(await this.#settings.getSetting(HEALTH_SETTING));
    } catch (error) {
      this.#logger.warn({ runId, err: summarizeError(error) }, 'could not read the sync health; counting from memory');
      health = { ...this.#health };
    }
    let alert: Alert | null = null;
    let recovery: Alert | null = null;
    if (outcome.ok) {
      if (health.alerted) recovery = this.#recoveryAlert(health, at);
      health = { ...health, consecutiveFailures: 0, lastRunAt: at, lastSuccessAt: at, lastError: null };
    } else {
      health = {
        ...health,
        consecutiveFailures: health.consecutiveFailures + 1,
        lastRunAt: at,
        lastFailureAt: at,
        lastError: { code: outcome.error.code, message: outcome.error.message },
      };
      if (!health.alerted && health.consecutiveFailures >= this.#failureThreshold) alert = this.#failureAlert(health, at);
    }
    if (alert) health.alerted = await this.#send(alert, 'alert');
    if (recovery) health.alerted = !(await this.#send(recovery, 'recovered'));
    this.#health = health;
    try {
      await this.#settings.setSetting(HEALTH_SETTING, healthJson(health));
    } catch (error) {
      this.#logger.error({ runId, err: summarizeError(error) }, 'could not save the sync health');
    }
  }

  async #send(alert: Alert, event: 'alert' | 'recovered'): Promise<boolean> {
    if (!this.#notifier) {
      this.emit(event, alert);
      return true;
    }
    try {
      await this.#notifier.notify(alert);
      this.#logger.info({ kind: alert.kind }, 'alert sent');
      this.emit(event, alert);
      return true;
    } catch (error) {
      this.#logger.error({ kind: alert.kind, err: summarizeError(error) }, 'could not send the alert; it will be tried again');
      this.emit('notify:failed', { alert, error });
      return false;
    }
  }

  #failureAlert(health: SyncHealth, at: string): Alert {
    const error = health.lastError;
    return {
      kind: 'sync_failing',
      subject: `odoo-sync: syncing with Odoo has failed ${health.consecutiveFailures} times in a row`,
      text: [
        `The last ${health.consecutiveFailures} sync runs failed.`,
        error ? `Last error: ${error.message} (${error.code}).` : '',
        health.lastSuccessAt ? `Last successful sync: ${health.lastSuccessAt}.` : 'No sync has succeeded yet.',
        'The served data is getting stale. Check the sync logs (GET /api/sync/logs) and that Odoo is reachable.',
        'You will get one more message when syncing works again.',
      ]
        .filter(Boolean)
        .join('\n'),
      at,
      details: {
        consecutiveFailures: health.consecutiveFailures,
        lastSuccessAt: health.lastSuccessAt,
        errorCode: error?.code ?? null,
      },
    };
  }

  #recoveryAlert(health: SyncHealth, at: string): Alert {
    return {
      kind: 'sync_recovered',
      subject: 'odoo-sync: syncing with Odoo works again',
      text: [
        `A sync run succeeded at ${at} after ${health.consecutiveFailures} failed runs.`,
        health.lastSuccessAt ? `The previous successful sync was at ${health.lastSuccessAt}.` : '',
      ]
        .filter(Boolean)
        .join('\n'),
      at,
      details: { failedRuns: health.consecutiveFailures, previousSuccessAt: health.lastSuccessAt },
    };
  }

  #heartbeat(controller: AbortController): () => void {
    return keepLeaseAlive({
      locks: this.#locks,
      name: SCHEDULER_LEASE,
      owner: this.#owner,
      ttlMs: this.#leaseTtlMs,
      clock: this.#clock,
      logger: this.#logger,
      controller,
    });
  }

  #afterRun(): void {
    if (!this.#started) return;
    if (this.#tickPending) {
      // Ticks that fell due during the run coalesce into one run, now.
      this.#tickPending = false;
      this.#arm(0, true);
    } else if (this.#timer === undefined) {
      this.#arm(this.#delayMs());
    }
  }

  #applyInterval(value: number): void {
    if (value === this.#intervalMinutes) return;
    this.#intervalMinutes = value;
    this.#logger.info({ intervalMinutes: value }, 'sync interval changed');
    this.emit('interval:changed', { intervalMinutes: value });
    if (this.#started && !this.#current) {
      const lastRun = this.#health.lastRunAt ? Date.parse(this.#health.lastRunAt) : this.#clock.now().getTime();
      const due = lastRun + this.#delayMs();
      this.#arm(Math.max(0, due - this.#clock.now().getTime()));
    }
  }

  #delayMs(): number {
    const base = this.#intervalMinutes * 60_000;
    const spread = base * this.#jitterRatio * (2 * this.#random() - 1);
    return Math.max(0, Math.round(base + spread));
  }

  #arm(delayMs: number, coalesced = false): void {
    this.#disarm();
    if (!this.#started) return;
    this.#nextRunAt = new Date(this.#clock.now().getTime() + delayMs);
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#nextRunAt = null;
      void this.#tick(coalesced);
    }, delayMs);
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#nextRunAt = null;
  }

  async #tick(coalesced: boolean): Promise<void> {
    if (!this.#started) return;
    if (this.#current) {
      this.#tickPending = true;
      this.emit('tick:skipped', { reason: 'running' });
      return;
    }
    const startup = this.#startupPending;
    this.#startupPending = false;
    try {
      // Another replica may have changed the interval or run recently.
      const saved = await this.#settings.getSetting(INTERVAL_SETTING);
      if (saved !== undefined) {
        try {
          this.#applyInterval(validateIntervalMinutes(saved));
        } catch {
          // An invalid saved value was already reported at start; keep the current interval.
        }
      }
      const health = parseHealth(await this.#settings.getSetting(HEALTH_SETTING));
      this.#health = health;
      const now = this.#clock.now().getTime();
      const halfInterval = (this.#intervalMinutes * 60_000) / 2;
      // Also at startup: a replica that restarts right after another one synced waits its turn.
      if (!coalesced && health.lastRunAt !== null && now - Date.parse(health.lastRunAt) < halfInterval) {
        this.emit('tick:skipped', { reason: 'recent_run' });
        this.#arm(Math.max(0, Date.parse(health.lastRunAt) + this.#delayMs() - now));
        return;
      }
    } catch (error) {
      this.#logger.warn({ err: summarizeError(error) }, 'could not read the sync settings; running with what this process knows');
    }
    if (!this.#started) return;
    try {
      // The run's outcome is logged, emitted and counted by #execute; nothing more to do here.
      await this.startRun({ trigger: startup ? 'startup' : 'schedule' });
    } catch (error) {
      if (error instanceof SyncInProgressError) {
        this.emit('tick:skipped', { reason: this.#current ? 'running' : 'lease_held' });
      } else {
        this.#logger.error({ err: summarizeError(error) }, 'could not start the scheduled sync run');
      }
      if (!this.#current) this.#arm(this.#delayMs());
    }
  }
}

function validateOption(name: string, value: number): number {
  try {
    return validateIntervalMinutes(value);
  } catch {
    throw new TypeError(`SyncScheduler option ${name} must be a whole number from ${MIN_INTERVAL_MINUTES} to ${MAX_INTERVAL_MINUTES}.`);
  }
}
