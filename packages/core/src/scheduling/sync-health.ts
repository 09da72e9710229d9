/**
 * The health of syncing that every replica shares through the settings store: failures in a
 * row, the run in progress, the last full reconcile, and who got the last alert. Pure: parsing
 * and serialising only.
 * @module
 */
import type { SyncMode, SyncTrigger } from '../model.js';
import type { AlertKind, JsonValue } from '../ports.js';

/** Settings key holding the shared {@link SyncHealth}. */
export const HEALTH_SETTING = 'sync.health';

/** The error of the last failed run, as alerts and the status show it. */
export interface HealthError {
  /** Stable error code. */
  code: string;
  /** Human message. */
  message: string;
  /** What to do, when the error said. */
  hint?: string;
}

/** A run some replica started and has not finished (yet, or ever: a killed process). */
export interface RunInProgress {
  /** Run id. */
  runId: string;
  /** Lease owner of the scheduler that runs it. */
  owner: string;
  /** ISO-8601 start. */
  startedAt: string;
  /** Mode. */
  mode: SyncMode;
  /** What started it. */
  trigger: SyncTrigger;
  /** Entities, or `null` for all. */
  entities: string[] | null;
}

/** Who an alert reached. Recipients are e-mail addresses (or whatever the notifier uses). */
export interface AlertDeliveryState {
  /** Kind of the alert. */
  kind: AlertKind;
  /** ISO-8601 time of the last attempt. */
  at: string;
  /** Whom it is for: `null` is every admin. */
  recipients: string[] | null;
  /** Recipients who got it; `null` when the notifier said "everyone" without names. */
  deliveredTo: string[] | null;
  /**
   * Recipients who did not get it, with why; they are tried again after the next run. The
   * recipient `*` stands for "everyone not yet reached" (the notifier failed as a whole).
   */
  undelivered: Array<{ recipient: string; code: string; message: string }>;
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
  /** ISO-8601 start of the last run that any replica started. */
  lastStartedAt: string | null;
  /** ISO-8601 end of the last run, whatever its outcome. */
  lastRunAt: string | null;
  /** ISO-8601 end of the last successful run. */
  lastSuccessAt: string | null;
  /** ISO-8601 end of the last failed run. */
  lastFailureAt: string | null;
  /** ISO-8601 start of the last full run of every entity that ended (whatever its outcome). */
  lastFullAt: string | null;
  /** ISO-8601 time of the first failure of the current streak (`null` while runs succeed). */
  failingSince: string | null;
  /** Error of the last failed run (code, message, hint; never secrets). */
  lastError: HealthError | null;
  /** The run started and not finished, or `null`. */
  inProgress: RunInProgress | null;
  /** Who the last alert (or recovery notice) reached. */
  alertDelivery: AlertDeliveryState | null;
  /**
   * ISO-8601 time scheduled runs were paused after failing for too long (`pauseAfterHours`),
   * or `null`. Manual runs still run; a successful run or a resume ends the pause.
   */
  pausedAt: string | null;
}

/** A health with nothing recorded yet. */
export const EMPTY_HEALTH: Readonly<SyncHealth> = Object.freeze({
  consecutiveFailures: 0,
  alerted: false,
  lastStartedAt: null,
  lastRunAt: null,
  lastSuccessAt: null,
  lastFailureAt: null,
  lastFullAt: null,
  failingSince: null,
  lastError: null,
  inProgress: null,
  alertDelivery: null,
  pausedAt: null,
});

type JsonObject = { [key: string]: JsonValue };

const isObject = (v: JsonValue | undefined): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);
const text = (v: JsonValue | undefined) => (typeof v === 'string' ? v : null);
const strings = (v: JsonValue | undefined) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** Reads the stored health; anything missing or malformed reads as "nothing recorded". */
export function parseHealth(value: JsonValue | undefined): SyncHealth {
  if (!isObject(value)) return { ...EMPTY_HEALTH };
  const error = value['lastError'];
  const run = value['inProgress'];
  const delivery = value['alertDelivery'];
  const failures = value['consecutiveFailures'];
  return {
    consecutiveFailures: typeof failures === 'number' && failures >= 0 ? Math.floor(failures) : 0,
    alerted: value['alerted'] === true,
    lastStartedAt: text(value['lastStartedAt']),
    lastRunAt: text(value['lastRunAt']),
    lastSuccessAt: text(value['lastSuccessAt']),
    lastFailureAt: text(value['lastFailureAt']),
    lastFullAt: text(value['lastFullAt']),
    failingSince: text(value['failingSince']),
    pausedAt: text(value['pausedAt']),
    lastError:
      isObject(error) && typeof error['code'] === 'string' && typeof error['message'] === 'string'
        ? { code: error['code'], message: error['message'], ...(typeof error['hint'] === 'string' ? { hint: error['hint'] } : {}) }
        : null,
    inProgress:
      isObject(run) && typeof run['runId'] === 'string' && typeof run['owner'] === 'string' && typeof run['startedAt'] === 'string'
        ? {
            runId: run['runId'],
            owner: run['owner'],
            startedAt: run['startedAt'],
            mode: run['mode'] === 'full' ? 'full' : 'incremental',
            trigger: (['schedule', 'manual', 'webhook', 'startup'] as const).find((t) => t === run['trigger']) ?? 'schedule',
            entities: Array.isArray(run['entities']) ? strings(run['entities']) : null,
          }
        : null,
    alertDelivery:
      isObject(delivery) && typeof delivery['kind'] === 'string' && typeof delivery['at'] === 'string'
        ? {
            kind: delivery['kind'] as AlertKind,
            at: delivery['at'],
            recipients: Array.isArray(delivery['recipients']) ? strings(delivery['recipients']) : null,
            deliveredTo: Array.isArray(delivery['deliveredTo']) ? strings(delivery['deliveredTo']) : null,
            undelivered: (Array.isArray(delivery['undelivered']) ? delivery['undelivered'] : []).flatMap((u) =>
              isObject(u) && typeof u['recipient'] === 'string'
                ? [{ recipient: u['recipient'], code: text(u['code']) ?? 'notifier_failed', message: text(u['message']) ?? '' }]
                : [],
            ),
          }
        : null,
  };
}

/** The health as stored JSON. */
export function healthJson(health: SyncHealth): JsonValue {
  return JSON.parse(JSON.stringify(health)) as JsonValue;
}

/** The health's form of a run's error (its hint kept when it has one). Pure. */
export const healthError = (error: { code: string; message: string; hint?: string }): HealthError =>
  ({ code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) });
