/**
 * The SyncScheduler: runs a {@link SyncRunner} every few minutes, one run at a time in this
 * process and across every replica that shares the store, and tells admins when syncing keeps
 * failing and when it recovers.
 * @module
 */
import { sendAlert } from '../alerts/alert-sender.js';
import type { TimerHandle } from '../clock.js';
import type { EntityName } from '../entities/entities.js';
import { RunAbortedError, summarizeError, SyncInProgressError } from '../errors.js';
import { isFullRunDue } from './full-schedule.js';
import { healthAfterDelivery, healthAtEnd, healthAtStart, type PlannedAlert, resumeSchedule } from './health-tracker.js';
import { acquireOrTakeOverLease, runToResume } from './lease-owner.js';
import { LeaseWatch } from './lease-watch.js';
import type { RunResult, SyncMode } from '../model.js';
import { FORMER_SCHEDULER_EVENTS, RenamedEventEmitter } from '../renamed-events.js';
import { keepLeaseAlive, retryTransient, summarizeWithHint } from '../sync/run-support.js';
import { RetentionPurge } from './retention.js';
import { type ResolvedSchedulerOptions, resolveSchedulerOptions } from './scheduler-options.js';
import {
  checkRunOptions,
  INTERVAL_SETTING,
  MAX_INTERVAL_MINUTES,
  MIN_INTERVAL_MINUTES,
  SCHEDULER_LEASE,
  schedulerStatus,
  type SchedulerStatus,
  type StartedRun,
  type StartRunOptions,
  type SyncSchedulerEvents,
  type SyncSchedulerOptions,
  type RunPlan,
  type RunSlot,
  type TickSkipReason,
  validateIntervalMinutes,
} from './scheduler-types.js';
import { EMPTY_HEALTH, type HealthError, HEALTH_SETTING, healthError, healthJson, parseHealth, type RunInProgress, type SyncHealth } from './sync-health.js';

/**
 * Runs syncs on a schedule.
 *
 * - Every `intervalMinutes` (5–60, shared by the replicas), with jitter; ticks missed during a
 *   run coalesce into one run after it; transient errors are retried with backoff.
 * - One run at a time here and across replicas (the {@link SCHEDULER_LEASE} lease). A tick is
 *   skipped when some replica *started* a run less than half an interval ago; every skip is
 *   logged and emitted (`tick:skipped`) with its reason.
 * - A lease whose holder is provably gone is taken over at once; a run that a gone process
 *   never finished is resumed at start.
 * - Optional scheduled full reconciles (`fullRuns`) and auto-pause (`pauseAfterHours`).
 * - One alert after `failureThreshold` failed runs (retried only for the recipients it did
 *   not reach), one recovery notice.
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
export class SyncScheduler extends RenamedEventEmitter<SyncSchedulerEvents> {
  /** The `intervalMinutes` this scheduler takes, in whole minutes (5 to 60). */
  static readonly INTERVAL_MINUTES = { min: MIN_INTERVAL_MINUTES, max: MAX_INTERVAL_MINUTES } as const;
  readonly #o: ResolvedSchedulerOptions;
  /** Whether another holder's scheduler lease is still renewed, timed on our own clock. */
  readonly #leaseWatch: LeaseWatch;
  readonly #retention: RetentionPurge;

  #intervalMinutes: number;
  #started = false;
  #timer: TimerHandle | undefined;
  #nextRunAt: Date | null = null;
  #current: RunSlot | null = null;
  #tickPending = false;
  #startupPending = false;
  #resume: RunInProgress | null = null;
  #health: SyncHealth = { ...EMPTY_HEALTH };

  constructor(options: SyncSchedulerOptions) {
    super(FORMER_SCHEDULER_EVENTS);
    this.#o = resolveSchedulerOptions(options);
    this.#intervalMinutes = this.#o.intervalMinutes;
    this.#leaseWatch = new LeaseWatch(this.#o.clock);
    this.#retention = new RetentionPurge(options.retention ?? {}, { ...this.#o, onPurged: (result) => this.emit('retention:purged', result) });
  }

  /** Minutes between scheduled runs. */
  get intervalMinutes(): number {
    return this.#intervalMinutes;
  }

  /** Owner id of this scheduler's leases. */
  get owner(): string {
    return this.#o.owner;
  }

  /** Whether a run is in progress in this process. */
  get running(): boolean {
    return this.#current !== null;
  }

  /**
   * Starts scheduling: reads the saved interval and health, then arms the timer (or runs at once
   * with `runOnStart`, or to resume a run that a gone process never finished). Calling it
   * twice does nothing.
   */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    try {
      const saved = await this.#savedInterval(true);
      if (saved !== null) this.#intervalMinutes = saved;
      this.#health = parseHealth(await this.#o.settings.getSetting(HEALTH_SETTING));
      const lease = await this.#o.locks.getLease(SCHEDULER_LEASE, this.#o.clock.now());
      this.#resume = runToResume(this.#health.inProgress, lease, { ...this.#o, watch: this.#leaseWatch });
    } catch (error) {
      this.#started = false;
      throw error;
    }
    this.#o.logger.info({ intervalMinutes: this.#intervalMinutes, owner: this.#o.owner }, 'sync scheduler started');
    if (this.#resume) {
      this.#o.logger.warn(
        { runId: this.#resume.runId, startedAt: this.#resume.startedAt, mode: this.#resume.mode, owner: this.#resume.owner },
        'a sync run never finished (its process is gone); resuming it now',
      );
    }
    this.#retention.start();
    this.#startupPending = this.#o.runOnStart || this.#resume !== null;
    if (this.#startupPending) this.#arm(0);
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
    await this.#retention.stop();
    const current = this.#current;
    if (!current) return;
    if (options.abort !== false) current.controller.abort(new RunAbortedError('The scheduler is stopping.'));
    await current.done;
  }

  /**
   * Runs now (trigger `manual`) and resolves with the result.
   * @param entity One entity, or all when absent.
   * @throws {@link @odoo-sync/core/errors!SyncInProgressError | SyncInProgressError} when a run is in progress here or on another replica.
   */
  async runNow(entity?: EntityName, options: { force?: boolean; mode?: SyncMode } = {}): Promise<RunResult> {
    const only = entity === undefined ? {} : { entities: [entity] };
    return (await this.startRun({ ...only, ...options, trigger: 'manual' })).done;
  }

  /**
   * Starts a run and resolves as soon as it holds the lease, with its id and a promise of its
   * result (for "202 Accepted" answers). A lease left by a process that is gone is taken over.
   * @throws {@link @odoo-sync/core/errors!SyncInProgressError | SyncInProgressError} when a run is in progress here or on another replica.
   * @throws {@link @odoo-sync/core/errors!InputError | InputError} for an unknown entity or mode.
   */
  async startRun(options: StartRunOptions = {}): Promise<StartedRun> {
    const { entities, mode } = checkRunOptions(options, this.#o.knownEntity);
    if (this.#current) throw new SyncInProgressError(`A sync run (${this.#current.runId}) is already in progress.`);
    const runId = this.#o.randomId();
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
      lease = await acquireOrTakeOverLease({
        locks: this.#o.locks,
        name: SCHEDULER_LEASE,
        owner: this.#o.owner,
        ttlMs: this.#o.leaseTtlMs,
        now: this.#o.clock.now(),
        probe: this.#o.probe,
        watch: this.#leaseWatch,
        onTakeOver: (event) => {
          this.#o.logger.warn({ runId, ...event }, 'took over the scheduler lease of a process that is gone');
          this.emit('lease:taken_over', event);
        },
      });
    } catch (error) {
      releaseSlot();
      throw error;
    }
    if (lease === null) {
      releaseSlot();
      throw new SyncInProgressError('A sync run is already in progress on another replica.');
    }
    const plan: RunPlan = { entities, mode, force: options.force === true, trigger: options.trigger ?? 'manual' };
    // The next scheduled run is one interval after this one started; a tick that falls due
    // while this run is still going is remembered and run once right after it (coalescing).
    if (this.#started) this.#arm(this.#delayMs());
    const run: RunInProgress = {
      runId,
      owner: this.#o.owner,
      startedAt: this.#o.clock.now().toISOString(),
      mode,
      trigger: plan.trigger,
      entities,
    };
    await this.#updateHealth(runId, (health) => healthAtStart(health, run), 'could not record the start of the run');
    const done = this.#execute(slot, plan, run, releaseSlot);
    // The failure is logged and emitted; a caller that never awaits `done` must not crash the process.
    done.catch(() => {});
    return { runId, done };
  }

  /**
   * Changes the interval (5–60 minutes), saves it for every replica and re-arms the timer.
   * @throws {@link @odoo-sync/core/errors!InputError | InputError} outside 5–60 or not a whole number.
   */
  async setIntervalMinutes(minutes: number): Promise<void> {
    const value = validateIntervalMinutes(minutes);
    await this.#o.settings.setSetting(INTERVAL_SETTING, value);
    this.#applyInterval(value);
  }

  /**
   * Ends a pause of scheduled runs (see `pauseAfterHours`), for every replica: the schedule
   * goes on, and the failure streak counts anew from now for the next pause. Does nothing when
   * not paused; resolves with whether it was paused.
   */
  async resume(): Promise<boolean> {
    const at = this.#o.clock.now().toISOString();
    const wasPaused = await resumeSchedule(this.#o.settings, new Date(at));
    if (wasPaused) {
      this.#o.logger.info({ at }, 'scheduled sync runs resumed');
      this.emit('schedule:resumed', { at });
    }
    return wasPaused;
  }

  /** The shared health state (from the settings store, so it reflects every replica). */
  async health(): Promise<SyncHealth> {
    this.#health = parseHealth(await this.#o.settings.getSetting(HEALTH_SETTING));
    return structuredClone(this.#health);
  }

  /** Where scheduling stands, with the health shared by every replica. */
  async status(): Promise<SchedulerStatus> {
    const health = await this.health().catch((error: unknown) => {
      this.#o.logger.warn({ err: summarizeError(error) }, 'could not read the sync health; answering from memory');
      return structuredClone(this.#health);
    });
    return schedulerStatus(health, {
      now: this.#o.clock.now(),
      started: this.#started,
      runId: this.#current?.runId ?? null,
      nextRunAt: this.#nextRunAt,
      intervalMinutes: this.#intervalMinutes,
      fullRuns: this.#o.fullRuns,
    });
  }

  async #execute(slot: RunSlot, plan: RunPlan, run: RunInProgress, releaseSlot: () => void): Promise<RunResult> {
    const { runId, controller } = slot;
    const stopHeartbeat = this.#heartbeat(controller);
    this.emit('run:started', { runId, trigger: plan.trigger, mode: plan.mode, entities: plan.entities });
    this.#o.logger.info({ runId, trigger: plan.trigger, mode: plan.mode, entities: plan.entities }, 'sync run started');
    try {
      let result: RunResult;
      try {
        result = await this.#runWithRetry(runId, controller.signal, () =>
          this.#o.runner.run({
            ...(plan.entities === null ? {} : { entities: plan.entities }),
            mode: plan.mode,
            force: plan.force,
            trigger: plan.trigger,
            runId,
            signal: controller.signal,
            healthRecorded: true,
          }),
        );
      } catch (error) {
        this.#o.logger.error({ runId, err: summarizeError(error) }, 'sync run failed');
        this.emit('run:failed', { runId, error });
        await this.#recordOutcome(run, { ok: false, error: healthError(summarizeWithHint(error)) });
        throw error;
      }
      const failed = result.entries.find((entry) => entry.status === 'failed');
      await this.#recordOutcome(
        run,
        result.status === 'success'
          ? { ok: true }
          : { ok: false, error: failed?.error ? healthError(failed.error) : { code: 'internal_error', message: 'The sync run failed.' } },
      );
      this.emit('run:finished', result);
      return result;
    } finally {
      stopHeartbeat();
      await this.#o.locks.releaseLease(SCHEDULER_LEASE, this.#o.owner).catch((error: unknown) => {
        this.#o.logger.warn({ runId, err: summarizeError(error) }, 'could not release the scheduler lease; it will expire');
      });
      releaseSlot();
      this.#afterRun();
    }
  }

  async #runWithRetry(runId: string, signal: AbortSignal, attempt: () => Promise<RunResult>): Promise<RunResult> {
    return retryTransient(attempt, { retry: this.#o.retry, signal, logger: this.#o.logger, context: { runId }, message: 'sync run attempt failed' });
  }

  /** Reads the shared health (or falls back to memory), changes it and saves it. */
  async #updateHealth(runId: string, change: (health: SyncHealth) => SyncHealth, failure: string): Promise<SyncHealth> {
    let health: SyncHealth;
    try {
      health = parseHealth(await this.#o.settings.getSetting(HEALTH_SETTING));
    } catch (error) {
      this.#o.logger.warn({ runId, err: summarizeError(error) }, 'could not read the sync health; counting from memory');
      health = structuredClone(this.#health);
    }
    health = change(health);
    this.#health = health;
    try {
      await this.#o.settings.setSetting(HEALTH_SETTING, healthJson(health));
    } catch (error) {
      this.#o.logger.error({ runId, err: summarizeError(error) }, failure);
    }
    return health;
  }

  /** Counts the run in the shared health state and alerts on the threshold / recovery. */
  async #recordOutcome(run: RunInProgress, outcome: { ok: true } | { ok: false; error: HealthError }): Promise<void> {
    const at = this.#o.clock.now().toISOString();
    let planned: PlannedAlert | null = null;
    await this.#updateHealth(
      run.runId,
      (health) => {
        const next = healthAtEnd(health, { at, run, outcome }, this.#o.failureThreshold, this.#o.alertContext, this.#o.pauseAfterHours);
        planned = next.send;
        return next.health;
      },
      'could not save the sync health',
    );
    const send = planned as PlannedAlert | null;
    if (send === null) return;
    const result = await sendAlert(send, {
      notifier: this.#o.notifier,
      logger: this.#o.logger,
      emit: (event, payload) => this.emit(event, payload as never),
    });
    await this.#updateHealth(run.runId, (health) => healthAfterDelivery(health, send, result, at), 'could not save who got the alert');
  }

  #heartbeat(controller: AbortController): () => void {
    return keepLeaseAlive({
      locks: this.#o.locks,
      name: SCHEDULER_LEASE,
      owner: this.#o.owner,
      ttlMs: this.#o.leaseTtlMs,
      clock: this.#o.clock,
      logger: this.#o.logger,
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

  /** The interval saved in the settings (by any replica), or `null`; an invalid one is ignored. */
  async #savedInterval(warn: boolean): Promise<number | null> {
    const saved = await this.#o.settings.getSetting(INTERVAL_SETTING);
    if (saved === undefined) return null;
    try {
      return validateIntervalMinutes(saved);
    } catch {
      if (warn) this.#o.logger.warn({ saved }, 'ignoring an invalid saved sync interval');
      return null;
    }
  }

  #applyInterval(value: number): void {
    if (value === this.#intervalMinutes) return;
    this.#intervalMinutes = value;
    this.#o.logger.info({ intervalMinutes: value }, 'sync interval changed');
    this.emit('interval:changed', { intervalMinutes: value });
    if (this.#started && !this.#current) {
      const last = this.#health.lastStartedAt ?? this.#health.lastRunAt;
      const lastRun = last ? Date.parse(last) : this.#o.clock.now().getTime();
      const due = lastRun + this.#delayMs();
      this.#arm(Math.max(0, due - this.#o.clock.now().getTime()));
    }
  }

  #delayMs(): number {
    const base = this.#intervalMinutes * 60_000;
    const spread = base * this.#o.jitterRatio * (2 * this.#o.random() - 1);
    return Math.max(0, Math.round(base + spread));
  }

  #arm(delayMs: number, coalesced = false): void {
    this.#disarm();
    if (!this.#started) return;
    this.#nextRunAt = new Date(this.#o.clock.now().getTime() + delayMs);
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#nextRunAt = null;
      void this.#tick(coalesced);
    }, delayMs);
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#nextRunAt = null;
  }

  /** A scheduled run that did not happen: logged, emitted (and counted by the server). */
  #skip(reason: TickSkipReason, details: Record<string, unknown> = {}): void {
    this.#o.logger.info({ reason, ...details }, 'scheduled sync run skipped');
    this.emit('tick:skipped', { reason });
  }

  async #tick(coalesced: boolean): Promise<void> {
    if (!this.#started) return;
    if (this.#current) {
      this.#tickPending = true;
      this.#skip('running', { runId: this.#current.runId });
      return;
    }
    const startup = this.#startupPending;
    this.#startupPending = false;
    const resume = this.#resume;
    this.#resume = null;
    let mode: SyncMode = resume?.mode ?? 'incremental';
    try {
      // Another replica may have changed the interval or run recently.
      const saved = await this.#savedInterval(false);
      if (saved !== null) this.#applyInterval(saved);
      const health = parseHealth(await this.#o.settings.getSetting(HEALTH_SETTING));
      this.#health = health;
      const now = this.#o.clock.now();
      const halfInterval = (this.#intervalMinutes * 60_000) / 2;
      // Counted from the start of the last run, so that a long run does not push the next one
      // out; also at startup: a replica that restarts right after another one synced waits its
      // turn. A run to resume is never "recent": nothing finished it.
      const lastStart = health.lastStartedAt ?? health.lastRunAt;
      if (!coalesced && !resume && lastStart !== null && now.getTime() - Date.parse(lastStart) < halfInterval) {
        this.#skip('recent_run', { lastStartedAt: lastStart });
        this.#arm(Math.max(0, Date.parse(lastStart) + this.#delayMs() - now.getTime()));
        return;
      }
      if (!resume && health.pausedAt !== null) {
        this.#skip('paused', { pausedAt: health.pausedAt });
        this.#arm(this.#delayMs());
        return;
      }
      if (!resume && isFullRunDue(this.#o.fullRuns, health.lastFullAt, now)) {
        mode = 'full';
        this.#o.logger.info({ lastFullRunAt: health.lastFullAt, everyHours: this.#o.fullRuns.everyHours }, 'scheduled full reconcile is due');
      }
    } catch (error) {
      this.#o.logger.warn({ err: summarizeError(error) }, 'could not read the sync settings; running with what this process knows');
    }
    if (!this.#started) return;
    try {
      // The run's outcome is logged, emitted and counted by #execute; nothing more to do here.
      await this.startRun({
        trigger: startup ? 'startup' : 'schedule',
        mode,
        ...(resume?.entities ? { entities: resume.entities.filter(this.#o.knownEntity) } : {}),
      });
    } catch (error) {
      if (error instanceof SyncInProgressError) {
        this.#skip(this.#current ? 'running' : 'lease_held');
      } else {
        this.#o.logger.error({ err: summarizeError(error) }, 'could not start the scheduled sync run');
      }
      if (!this.#current) this.#arm(this.#delayMs());
    }
  }
}
