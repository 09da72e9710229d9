/**
 * How a run's start and end change the shared {@link SyncHealth}, and which alert (to whom) that
 * calls for: one failure alert at the threshold, retried only for the recipients it did not
 * reach, and one recovery notice to those it reached. Pure: the scheduler does the sending and
 * the saving.
 * @module
 */
import { type AlertContext, failureAlert, pausedAlert, recoveryAlert } from '../alerts/alert-messages.js';
import { summarizeError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RunResult } from '../model.js';
import type { Alert, AlertDelivery, NotifyOptions, SettingsStore } from '../ports.js';
import { HEALTH_SETTING, type HealthError, healthJson, parseHealth, type RunInProgress, type SyncHealth } from './sync-health.js';

/** An alert to send and to whom. */
export interface PlannedAlert {
  /** The message. */
  alert: Alert;
  /** Recipients to send to / to skip. */
  options: NotifyOptions;
  /** Whether it is the first attempt (`alert`/`recovered` events) or a retry. */
  retry: boolean;
}

/** What a finished run was. */
export interface FinishedRun {
  /** ISO-8601 end. */
  at: string;
  /** The run as it started. */
  run: RunInProgress;
  /** Success, or the error that made it fail. */
  outcome: { ok: true } | { ok: false; error: HealthError };
}

/** The health once `run` started. */
export function healthAtStart(health: SyncHealth, run: RunInProgress): SyncHealth {
  return { ...health, lastStartedAt: run.startedAt, inProgress: { ...run } };
}

/**
 * The health once a run ended, and the alert it calls for (`null` for none).
 * @param threshold failed runs in a row that make the failure alert
 */
export function healthAtEnd(
  health: SyncHealth,
  finished: FinishedRun,
  threshold: number,
  context: AlertContext,
  pauseAfterHours = 0,
): { health: SyncHealth; send: PlannedAlert | null } {
  const { at, run, outcome } = finished;
  let next: SyncHealth = {
    ...health,
    lastRunAt: at,
    inProgress: health.inProgress?.runId === run.runId ? null : health.inProgress,
    ...(run.mode === 'full' && run.entities === null ? { lastFullAt: run.startedAt } : {}),
  };
  const delivery = next.alertDelivery;
  if (outcome.ok) {
    let send: PlannedAlert | null = null;
    if (next.alerted) {
      if (delivery?.kind === 'sync_recovered') {
        // A recovery notice that did not reach everyone: try the others again.
        send = { alert: recoveryAlert(next, at, context), options: targetOf(delivery.recipients, delivery.deliveredTo), retry: true };
      } else if (delivery?.deliveredTo === null || delivery === null) {
        send = { alert: recoveryAlert(next, at, context), options: delivery?.recipients ? { only: delivery.recipients } : {}, retry: false };
      } else if (delivery.deliveredTo.length > 0) {
        send = { alert: recoveryAlert(next, at, context), options: { only: delivery.deliveredTo }, retry: false };
      } else {
        // Nobody got the failure alert: nobody needs the recovery notice.
        next = { ...next, alerted: false, alertDelivery: null };
      }
    }
    next = { ...next, consecutiveFailures: 0, lastSuccessAt: at, lastError: null, failingSince: null, pausedAt: null };
    return { health: next, send };
  }
  if (delivery?.kind === 'sync_recovered') {
    // Failing again before a pending recovery notice went out: the streak starts over.
    next = { ...next, alerted: false, alertDelivery: null };
  }
  next = {
    ...next,
    consecutiveFailures: next.consecutiveFailures + 1,
    lastFailureAt: at,
    failingSince: next.failingSince ?? at,
    lastError: { ...outcome.error },
  };
  const failingMs = Date.parse(at) - Date.parse(next.failingSince ?? at);
  if (pauseAfterHours > 0 && next.pausedAt === null && failingMs >= pauseAfterHours * 3_600_000) {
    // One notice when scheduled runs pause (sent once, not tracked per recipient).
    next = { ...next, pausedAt: at };
    return { health: next, send: { alert: pausedAlert(next, at, pauseAfterHours, context), options: {}, retry: false } };
  }
  if (!next.alerted && next.consecutiveFailures >= threshold) {
    return { health: next, send: { alert: failureAlert(next, at, context), options: {}, retry: false } };
  }
  const current = next.alertDelivery;
  if (next.alerted && current?.kind === 'sync_failing' && current.undelivered.length > 0) {
    return { health: next, send: { alert: failureAlert(next, at, context), options: targetOf(current.recipients, current.deliveredTo), retry: true } };
  }
  return { health: next, send: null };
}

function targetOf(recipients: string[] | null, deliveredTo: string[] | null): NotifyOptions {
  return { ...(recipients ? { only: recipients } : {}), ...(deliveredTo && deliveredTo.length > 0 ? { skip: deliveredTo } : {}) };
}

/**
 * The health once `planned` was sent: who it reached, who it did not. `result` is what the
 * notifier resolved with, or the error it threw.
 */
export function healthAfterDelivery(
  health: SyncHealth,
  planned: PlannedAlert,
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- lets a notifier be `async () => {}`; `undefined` would reject that
  result: { ok: true; delivery: AlertDelivery | void } | { ok: false; error: { code: string; message: string } },
  at: string,
): SyncHealth {
  const kind = planned.alert.kind;
  if (kind === 'sync_paused') return health;
  const previous = planned.retry && health.alertDelivery?.kind === kind ? health.alertDelivery : null;
  const recipients = planned.options.only ? [...planned.options.only] : null;
  const already = previous?.deliveredTo ?? [];
  let deliveredTo: string[] | null;
  let undelivered: Array<{ recipient: string; code: string; message: string }>;
  if (!result.ok) {
    deliveredTo = already;
    undelivered = [{ recipient: '*', code: result.error.code, message: result.error.message }];
  } else if (!result.delivery) {
    deliveredTo = previous ? already : null;
    undelivered = [];
  } else {
    deliveredTo = [...new Set([...already, ...result.delivery.delivered])];
    undelivered = result.delivery.failed.map((f) => ({ recipient: f.recipient, code: f.error.code, message: f.error.message }));
  }
  const alertDelivery = { kind, at, recipients, deliveredTo, undelivered };
  if (kind === 'sync_recovered') {
    // Done once everyone who had the failure alert has the recovery notice.
    return undelivered.length === 0 ? { ...health, alerted: false, alertDelivery } : { ...health, alerted: true, alertDelivery };
  }
  return { ...health, alerted: true, alertDelivery };
}

/**
 * Counts a run started directly (a `Reconciler.run()` call, `odoo-sync sync --once`), not by a
 * scheduler, in the shared sync health, so that a scheduler on the same store reports it
 * (`healthy`, `lastSuccessAt`). A store without settings is left alone. Alerts stay the
 * scheduler's: none is sent here, and whether admins were alerted is kept as it was.
 */
export async function recordDirectRun(store: object, result: RunResult, run: RunInProgress, logger: Logger): Promise<void> {
  const settings = store as Partial<SettingsStore>;
  if (typeof settings.getSetting !== 'function' || typeof settings.setSetting !== 'function') return;
  try {
    const health = parseHealth(await settings.getSetting(HEALTH_SETTING));
    const failed = result.entries.find((entry) => entry.status === 'failed');
    const outcome: FinishedRun['outcome'] =
      result.status === 'success'
        ? { ok: true }
        : { ok: false, error: { code: failed?.error?.code ?? 'internal_error', message: failed?.error?.message ?? 'The sync run failed.' } };
    const ended = healthAtEnd({ ...health, lastStartedAt: run.startedAt }, { at: result.finishedAt, run, outcome }, Number.MAX_SAFE_INTEGER, {});
    await settings.setSetting(HEALTH_SETTING, healthJson({ ...ended.health, alerted: health.alerted, alertDelivery: health.alertDelivery }));
  } catch (error) {
    logger.warn({ runId: run.runId, err: summarizeError(error) }, 'could not record the run in the sync health');
  }
}

/**
 * Ends a pause of scheduled runs (`pauseAfterHours`) in the shared health, for every replica;
 * the failure streak counts anew from `at` for the next pause. Resolves with whether it was
 * paused. For tools that have the store but no scheduler (the `odoo-sync sync resume` command).
 */
export async function resumeSchedule(settings: SettingsStore, at: Date): Promise<boolean> {
  const health = parseHealth(await settings.getSetting(HEALTH_SETTING));
  if (health.pausedAt === null) return false;
  const iso = at.toISOString();
  await settings.setSetting(HEALTH_SETTING, healthJson({ ...health, pausedAt: null, failingSince: health.failingSince === null ? null : iso }));
  return true;
}
