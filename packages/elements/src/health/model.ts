/**
 * What the sync-health widget reads (`GET /api/sync/status`, `GET /api/sync/logs`) and the pure
 * logic that turns it into words: the state, and the history of the last runs.
 * @module
 */

/** An error summary in a status answer. */
export interface SyncErrorSummary {
  /** Stable code. */
  code: string;
  /** Human message. */
  message: string;
  /** What to do about it. */
  hint?: string;
}

/** One entity in `GET /api/sync/status`. */
export interface EntitySyncStatus {
  /** Entity name, e.g. `contact`. */
  entity: string;
  /** Its label, e.g. `Contacts`. */
  label: string;
  /** End of its last successful run. */
  lastSuccessAt: string | null;
  /** End of its last run. */
  lastRunAt: string | null;
  /** Outcome of its last run. */
  lastRunStatus: 'success' | 'failed' | 'skipped' | null;
  /** Active records. */
  active: number;
  /** Archived in Odoo. */
  archived: number;
  /** Deleted in Odoo. */
  deleted: number;
  /** Error of its last run. */
  lastError: SyncErrorSummary | null;
  /** Why its last run was skipped. */
  skipReason: string | null;
}

/** `GET /api/sync/status` (the fields the widget reads). */
export interface SyncStatus {
  /** End of the last run in which every entity succeeded. */
  lastSuccessAt: string | null;
  /** Minutes between scheduled runs. */
  intervalMinutes: number;
  /** False after failed runs in a row. */
  healthy: boolean;
  /** Failed runs in a row. */
  consecutiveFailures: number;
  /** Error of the last failed run. */
  lastError: SyncErrorSummary | null;
  /** A run is in progress. */
  running: boolean;
  /** When the next scheduled run starts. */
  nextRunAt: string | null;
  /** Scheduled runs are paused after failing for long. */
  paused: boolean;
  /** Since when. */
  pausedAt: string | null;
  /** Active employees in the store. */
  employeesSynced: number;
  /** Active Odoo users in the store. */
  odooUsersSynced: number;
  /** Per entity. */
  entities: EntitySyncStatus[];
}

/** One entry of `GET /api/sync/logs` (one entity of one run). */
export interface SyncLogEntry {
  /** The run it belongs to. */
  runId: string;
  /** The entity. */
  entity: string;
  /** What started the run. */
  trigger: string;
  /** When it started. */
  startedAt: string;
  /** When it finished. */
  finishedAt: string;
  /** Its outcome. */
  status: 'success' | 'failed' | 'skipped';
  /** Its error. */
  error: { code: string; message: string } | null;
}

/** The widget's verdict. */
export type HealthState = 'healthy' | 'stale' | 'failing' | 'never';

/** The verdict in words. */
export interface HealthVerdict {
  /** For colour (`state-…` class). */
  state: HealthState;
  /** One word or two: "Healthy", "Stale", "Failing", "Not synced yet". */
  label: string;
  /** One sentence that says why. */
  reason: string;
}

/**
 * Healthy, stale or failing: failing when the server says so (failed runs in a row, or
 * paused); stale when the last good sync is older than two intervals (and at least
 * 10 minutes); "not synced yet" before the first good sync.
 */
export function healthVerdict(status: SyncStatus, now: number): HealthVerdict {
  if (status.paused) return { state: 'failing', label: 'Failing', reason: 'Scheduled runs are paused after failing for too long; an admin can resume them.' };
  if (!status.healthy) {
    const runs = status.consecutiveFailures;
    return { state: 'failing', label: 'Failing', reason: `The last ${runs === 1 ? 'run' : `${runs} runs`} failed.` };
  }
  if (!status.lastSuccessAt) {
    return { state: 'never', label: 'Not synced yet', reason: status.running ? 'The first sync is running.' : 'No sync has finished yet.' };
  }
  const ageMinutes = (now - Date.parse(status.lastSuccessAt)) / 60_000;
  const staleAfter = Math.max(2 * status.intervalMinutes, 10);
  if (ageMinutes > staleAfter) {
    return { state: 'stale', label: 'Stale', reason: `No successful sync for more than ${Math.floor(ageMinutes)} minutes (runs are due every ${status.intervalMinutes}).` };
  }
  return { state: 'healthy', label: 'Healthy', reason: `Runs every ${status.intervalMinutes} minutes.` };
}

/** One run in the history: its entities' entries taken together. */
export interface RunSummary {
  /** The run id. */
  runId: string;
  /** Start of its first entity. */
  startedAt: string;
  /** How long it took, first start to last finish. */
  durationMs: number;
  /** `failed` if any entity failed; `skipped` if every entity was skipped; else `success`. */
  outcome: 'success' | 'failed' | 'skipped';
  /** Entities in it. */
  entities: number;
  /** The first error, if any. */
  error: { code: string; message: string } | null;
}

/** Groups log entries (any order) into runs, newest first, at most `limit`. */
export function summarizeRuns(entries: readonly SyncLogEntry[], limit: number): RunSummary[] {
  const runs = new Map<string, { start: number; end: number; statuses: Set<string>; entities: number; error: SyncLogEntry['error'] }>();
  for (const entry of entries) {
    const start = Date.parse(entry.startedAt);
    const end = Date.parse(entry.finishedAt);
    const run = runs.get(entry.runId);
    if (!run) {
      runs.set(entry.runId, { start, end, statuses: new Set([entry.status]), entities: 1, error: entry.error });
      continue;
    }
    run.start = Math.min(run.start, start);
    run.end = Math.max(run.end, end);
    run.statuses.add(entry.status);
    run.entities += 1;
    run.error ??= entry.error;
  }
  return [...runs.entries()]
    .map(([runId, run]): RunSummary => ({
      runId,
      startedAt: new Date(run.start).toISOString(),
      durationMs: Math.max(0, run.end - run.start),
      outcome: run.statuses.has('failed') ? 'failed' : run.statuses.size === 1 && run.statuses.has('skipped') ? 'skipped' : 'success',
      entities: run.entities,
      error: run.error,
    }))
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))
    .slice(0, limit);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Whether an answer has the shape of a sync status (the fields the widget reads). */
export function isSyncStatus(value: unknown): value is SyncStatus {
  return (
    isRecord(value) &&
    typeof value['healthy'] === 'boolean' &&
    typeof value['intervalMinutes'] === 'number' &&
    typeof value['running'] === 'boolean' &&
    Array.isArray(value['entities']) &&
    value['entities'].every((e) => isRecord(e) && typeof e['entity'] === 'string' && typeof e['active'] === 'number')
  );
}
