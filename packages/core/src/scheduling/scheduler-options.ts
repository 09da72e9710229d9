/**
 * The {@link SyncSchedulerOptions} checked and with their defaults filled in. Internal: not
 * exported from the package.
 * @module
 */
import type { AlertContext } from '../alerts/alert-messages.js';
import { type Clock, systemClock } from '../clock.js';
import { type FullRunSchedule, validateFullRunSchedule } from './full-schedule.js';
import type { LeaseOwnerProbe } from './lease-owner.js';
import { type Logger, silentLogger } from '../logger.js';
import { ENTITY_NAMES } from '../entities/entities.js';
import type { SyncRunner } from '../model.js';
import type { LockStore, Notifier, SettingsStore } from '../ports.js';
import { type ResolvedRetry, resolveRetry } from '../sync/run-support.js';
import {
  DEFAULT_INTERVAL_MINUTES,
  MAX_INTERVAL_MINUTES,
  MIN_INTERVAL_MINUTES,
  type SyncSchedulerOptions,
  validateIntervalMinutes,
} from './scheduler-types.js';

/** Every option of the scheduler, checked, defaults filled in. */
export interface ResolvedSchedulerOptions {
  runner: SyncRunner;
  knownEntity: (name: unknown) => boolean;
  locks: LockStore;
  settings: SettingsStore;
  notifier: Notifier | undefined;
  intervalMinutes: number;
  jitterRatio: number;
  random: () => number;
  failureThreshold: number;
  leaseTtlMs: number;
  runOnStart: boolean;
  retry: ResolvedRetry | false;
  owner: string;
  probe: LeaseOwnerProbe | undefined;
  fullRuns: FullRunSchedule;
  alertContext: AlertContext;
  pauseAfterHours: number;
  clock: Clock;
  logger: Logger;
  randomId: () => string;
}

/** Checks the options (precise `TypeError`s) and fills in the defaults. */
export function resolveSchedulerOptions(options: SyncSchedulerOptions): ResolvedSchedulerOptions {
  if (!options || typeof options !== 'object') throw new TypeError('SyncScheduler needs an options object.');
  if (!options.runner || typeof options.runner.run !== 'function') throw new TypeError('SyncScheduler option runner is required.');
  if (!options.locks) throw new TypeError('SyncScheduler option locks is required.');
  if (!options.settings) throw new TypeError('SyncScheduler option settings is required.');
  let intervalMinutes = DEFAULT_INTERVAL_MINUTES;
  if (options.intervalMinutes !== undefined) {
    try {
      intervalMinutes = validateIntervalMinutes(options.intervalMinutes);
    } catch {
      throw new TypeError(`SyncScheduler option intervalMinutes must be a whole number from ${MIN_INTERVAL_MINUTES} to ${MAX_INTERVAL_MINUTES}.`);
    }
  }
  const jitterRatio = options.jitterRatio ?? 0.1;
  if (!(jitterRatio >= 0 && jitterRatio <= 0.5)) throw new TypeError('SyncScheduler option jitterRatio must be from 0 to 0.5.');
  const failureThreshold = options.failureThreshold ?? 3;
  if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {
    throw new TypeError('SyncScheduler option failureThreshold must be a positive integer.');
  }
  const leaseTtlMs = options.leaseTtlMs ?? 60_000;
  if (!Number.isInteger(leaseTtlMs) || leaseTtlMs < 3) throw new TypeError('SyncScheduler option leaseTtlMs must be an integer of at least 3.');
  const pauseAfterHours = options.pauseAfterHours ?? 0;
  if (!(Number.isFinite(pauseAfterHours) && pauseAfterHours >= 0)) throw new TypeError('SyncScheduler option pauseAfterHours must be a number of hours >= 0.');
  const randomId = options.randomId ?? (() => globalThis.crypto.randomUUID());
  const known = new Set<string>([...ENTITY_NAMES, ...(options.runner.entities ?? [])]);
  for (const entity of options.entities ?? []) {
    if (typeof entity === 'string') known.add(entity);
    else if (entity !== null && typeof entity === 'object' && typeof entity.name === 'string') known.add(entity.name);
    else throw new TypeError('SyncScheduler option entities must list entity names or definitions.');
  }
  return {
    runner: options.runner,
    knownEntity: (name) => typeof name === 'string' && known.has(name),
    locks: options.locks,
    settings: options.settings,
    notifier: options.notifier,
    intervalMinutes,
    jitterRatio,
    random: options.random ?? Math.random,
    failureThreshold,
    leaseTtlMs,
    runOnStart: options.runOnStart === true,
    retry: resolveRetry('SyncScheduler', options.retry, 2),
    owner: options.owner ?? randomId(),
    probe: options.leaseOwnerProbe,
    fullRuns: validateFullRunSchedule({
      everyHours: options.fullRuns?.everyHours ?? 0,
      atHour: options.fullRuns?.atHour ?? null,
      timeZone: options.fullRuns?.timeZone,
    }),
    alertContext: { ...options.alertContext },
    pauseAfterHours,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    randomId,
  };
}
