/**
 * Prometheus metrics in a registry of their own (never prom-client's global one), so several
 * apps can live in one process.
 * @module
 */
import type { RunResult, SyncCounts } from '@odoo-sync/core';
import type { ActivityDropReason, ActivityLogger } from '@odoo-sync/core/activity';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SchedulerStatusView } from '../http/ports.js';

/** Options of {@link ServerMetrics}. */
export interface ServerMetricsOptions {
  /**
   * Also collect Node process metrics (CPU, memory, event loop lag).
   * @default false
   */
  processMetrics?: boolean;
}

const COUNT_KEYS: readonly (keyof SyncCounts)[] = [
  'fetched',
  'inserted',
  'updated',
  'archived',
  'reactivated',
  'softDeleted',
  'unchanged',
  'invalid',
];

/**
 * Every metric the server exposes on `GET /metrics`.
 *
 * | metric | type | labels |
 * |---|---|---|
 * | `odoo_sync_runs_total` | counter | `status` |
 * | `odoo_sync_run_duration_seconds` | histogram | `status` |
 * | `odoo_sync_entity_runs_total` | counter | `entity`, `status` |
 * | `odoo_sync_entity_duration_seconds` | histogram | `entity` |
 * | `odoo_sync_records_total` | counter | `entity`, `outcome` |
 * | `odoo_sync_consecutive_failures` | gauge | |
 * | `odoo_sync_healthy` | gauge | |
 * | `odoo_sync_running` | gauge | |
 * | `odoo_sync_last_success_timestamp_seconds` | gauge | |
 * | `odoo_sync_interval_minutes` | gauge | |
 * | `odoo_sync_webhooks_total` | counter | `outcome` |
 * | `odoo_sync_scheduled_runs_skipped_total` | counter | `reason` |
 * | `odoo_sync_ms365_profile_reads_total` | counter | `outcome`, `reason` |
 * | `odoo_sync_activities_written_total` | counter | |
 * | `odoo_sync_activities_dropped_total` | counter | `reason` |
 * | `odoo_sync_activities_queued` | gauge | |
 * | `http_requests_total` | counter | `method`, `route`, `status` |
 * | `http_request_duration_seconds` | histogram | `method`, `route` |
 */
export class ServerMetrics {
  /** The registry `GET /metrics` renders. */
  readonly registry: Registry;
  readonly #runs: Counter<'status'>;
  readonly #runDuration: Histogram<'status'>;
  readonly #entityRuns: Counter<'entity' | 'status'>;
  readonly #entityDuration: Histogram<'entity'>;
  readonly #records: Counter<'entity' | 'outcome'>;
  readonly #webhooks: Counter<'outcome'>;
  readonly #skips: Counter<'reason'>;
  readonly #profileReads: Counter<'outcome' | 'reason'>;
  readonly #activitiesWritten: Counter;
  readonly #activitiesDropped: Counter<'reason'>;
  #activityQueue: (() => number) | undefined;
  readonly #httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly #httpDuration: Histogram<'method' | 'route'>;
  #statusSource: (() => Promise<SchedulerStatusView>) | undefined;

  constructor(options: ServerMetricsOptions = {}) {
    const registers = [(this.registry = new Registry())];
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
    this.#runs = new Counter({ name: 'odoo_sync_runs_total', help: 'Sync runs by outcome.', labelNames: ['status'], registers });
    this.#runDuration = new Histogram({
      name: 'odoo_sync_run_duration_seconds',
      help: 'Duration of sync runs.',
      labelNames: ['status'],
      buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800],
      registers,
    });
    this.#entityRuns = new Counter({
      name: 'odoo_sync_entity_runs_total',
      help: 'Entity syncs by entity and outcome (success, failed, skipped).',
      labelNames: ['entity', 'status'],
      registers,
    });
    this.#entityDuration = new Histogram({
      name: 'odoo_sync_entity_duration_seconds',
      help: 'Duration of one entity in one run.',
      labelNames: ['entity'],
      buckets: [0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600],
      registers,
    });
    this.#records = new Counter({
      name: 'odoo_sync_records_total',
      help: 'Records handled by sync runs, by entity and outcome (fetched, inserted, updated, archived, reactivated, softDeleted, unchanged, invalid).',
      labelNames: ['entity', 'outcome'],
      registers,
    });
    this.#webhooks = new Counter({
      name: 'odoo_sync_webhooks_total',
      help: 'Webhooks by outcome: accepted and coalesced (calls), rejected (calls), reconciled, retried and failed (reads).',
      labelNames: ['outcome'],
      registers,
    });
    this.#skips = new Counter({
      name: 'odoo_sync_scheduled_runs_skipped_total',
      help: 'Scheduled sync runs that did not happen, by reason (running, lease_held, recent_run, paused).',
      labelNames: ['reason'],
      registers,
    });
    this.#profileReads = new Counter({
      name: 'odoo_sync_ms365_profile_reads_total',
      help: 'Microsoft Graph profile reads at sign-in and relink, by outcome (read, failed, skipped) and reason of a failure (network, timeout, unauthorized, forbidden, throttled, server_error, http_error, malformed).',
      labelNames: ['outcome', 'reason'],
      registers,
    });
    this.#activitiesWritten = new Counter({
      name: 'odoo_sync_activities_written_total',
      help: 'Activities stored in the activity timeline.',
      registers,
    });
    this.#activitiesDropped = new Counter({
      name: 'odoo_sync_activities_dropped_total',
      help: 'Activities not stored, by reason (store_failed, queue_full, invalid, closed); the requests that noted them succeeded all the same.',
      labelNames: ['reason'],
      registers,
    });
    const activityQueue = () => this.#activityQueue?.();
    new Gauge({
      name: 'odoo_sync_activities_queued',
      help: 'Activities waiting in the queue to be stored (high-volume reads such as 360 views).',
      registers,
      collect() {
        const queued = activityQueue();
        if (queued !== undefined) this.set(queued);
      },
    });
    this.#httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.#httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    const status = async () => {
      try {
        return await this.#statusSource?.();
      } catch {
        return undefined;
      }
    };
    new Gauge({
      name: 'odoo_sync_consecutive_failures',
      help: 'Failed sync runs in a row in this process.',
      registers,
      async collect() {
        const s = await status();
        if (s) this.set(s.consecutiveFailures);
      },
    });
    new Gauge({
      name: 'odoo_sync_healthy',
      help: '1 while the sync is healthy, 0 after the alert threshold of failed runs.',
      registers,
      async collect() {
        const s = await status();
        if (s) this.set(s.healthy ? 1 : 0);
      },
    });
    new Gauge({
      name: 'odoo_sync_running',
      help: '1 while this process runs a sync.',
      registers,
      async collect() {
        const s = await status();
        if (s) this.set(s.running ? 1 : 0);
      },
    });
    new Gauge({
      name: 'odoo_sync_last_success_timestamp_seconds',
      help: 'Unix time of the end of the last successful run of this process.',
      registers,
      async collect() {
        const s = await status();
        if (s?.lastSuccessAt) this.set(Date.parse(s.lastSuccessAt) / 1000);
      },
    });
    new Gauge({
      name: 'odoo_sync_interval_minutes',
      help: 'The sync interval in minutes.',
      registers,
      async collect() {
        const s = await status();
        if (s) this.set(s.intervalMinutes);
      },
    });
  }

  /** Where the scheduler gauges read from (called on each scrape). */
  observeScheduler(status: () => Promise<SchedulerStatusView>): void {
    this.#statusSource = status;
  }

  /**
   * Counts what `activities` stores and drops (its `written` and `dropped` events) and shows
   * its queue length. Call once per logger.
   */
  observeActivities(activities: ActivityLogger): void {
    for (const reason of ['store_failed', 'queue_full', 'invalid', 'closed'] as const) this.#activitiesDropped.inc({ reason }, 0);
    activities.on('written', ({ count }) => this.#activitiesWritten.inc(count));
    activities.on('dropped', ({ reason, count }) => this.#activitiesDropped.inc({ reason }, count));
    this.#activityQueue = () => activities.stats.queued;
  }

  /** Counts activities dropped outside the logger's own accounting (an event it refused). */
  recordActivitiesDropped(reason: ActivityDropReason, count: number): void {
    this.#activitiesDropped.inc({ reason }, count);
  }

  /** Counts a finished run and its entities. */
  recordRun(result: RunResult): void {
    this.#runs.inc({ status: result.status });
    this.#runDuration.observe({ status: result.status }, seconds(result.startedAt, result.finishedAt));
    for (const entry of result.entries) {
      this.#entityRuns.inc({ entity: entry.entity, status: entry.status });
      this.#entityDuration.observe({ entity: entry.entity }, seconds(entry.startedAt, entry.finishedAt));
      for (const outcome of COUNT_KEYS) {
        const n = entry.counts[outcome];
        if (n > 0) this.#records.inc({ entity: entry.entity, outcome }, n);
      }
    }
  }

  /** Counts a scheduled run that did not happen. */
  recordSkippedRun(reason: string): void {
    this.#skips.inc({ reason });
  }

  /** Counts a webhook call. */
  recordWebhook(outcome: 'accepted' | 'coalesced' | 'rejected' | 'reconciled' | 'retried' | 'failed'): void {
    this.#webhooks.inc({ outcome });
  }

  /** Counts a Microsoft Graph profile read (a failure never stopped the sign-in). */
  recordGraphProfile(outcome: 'read' | 'failed' | 'skipped', reason: string | null): void {
    this.#profileReads.inc({ outcome, reason: reason ?? '' });
  }

  /** Counts an HTTP request (`route` is the pattern, never the raw path: it may hold a secret). */
  recordHttp(method: string, route: string, status: number, durationSeconds: number): void {
    this.#httpRequests.inc({ method, route, status: String(status) });
    this.#httpDuration.observe({ method, route }, durationSeconds);
  }

  /** The Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

function seconds(from: string, to: string): number {
  return Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
}
