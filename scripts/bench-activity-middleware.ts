/**
 * `pnpm bench:activity-middleware` — what the activity middleware adds to a durable write: the
 * time from the handler's return to the answer, when the route noted one activity, on a real
 * SQLite file (`ActivityLogger.record` → `appendActivities`, awaited before the answer).
 *
 * 1. sequential: one request at a time (`--requests`, default 5000) — p50 / p95 / max in ms;
 * 2. concurrent: `--concurrency` requests (default 8) at once, so their activities share a
 *    batch — p50 / p95 / max per request;
 * 3. over HTTP: `PUT /api/sync/settings` (a durable write that records `sync_interval_changed`)
 *    with the activity stored in SQLite, and with a store that drops it — the difference of the
 *    medians, for scale (noisy on a busy machine).
 *
 * Usage: pnpm bench:activity-middleware [--requests 5000] [--concurrency 8] [--http 1000]
 * Target: the middleware's extra latency on a durable write, p95 < 1 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MemorySource, Reconciler, SyncScheduler, systemClock } from '@odoo-sync/core';
import { ActivityLogger, type ActivityStore } from '@odoo-sync/core/activity';
import { SqliteStore } from '@odoo-sync/sqlite-store';
import { writeNotedActivities } from '../packages/koa-server/src/http/activity-middleware.js';
import { createApp } from '../packages/koa-server/src/http/app.js';
import { defineRoute } from '../packages/koa-server/src/http/route.js';
import { issueApiKey } from '../packages/koa-server/src/auth/api-keys.js';
import { toServerLogger } from '../packages/koa-server/src/runtime/logger.js';
import { ServerMetrics } from '../packages/koa-server/src/runtime/metrics.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    requests: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '8' },
    http: { type: 'string', default: '1000' },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const HTTP_REQUESTS = Number(values.http);

const silent = toServerLogger({ debug() {}, info() {}, warn() {}, error() {} });

function percentiles(samples: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? Number.NaN };
}

const fmt = (ms: number) => ms.toFixed(3);
const line = (label: string, p: { p50: number; p95: number; max: number }) =>
  console.log(`${label.padEnd(40)} p50 ${fmt(p.p50)} ms  p95 ${fmt(p.p95)} ms  max ${fmt(p.max)} ms`);

const route = defineRoute({
  method: 'PATCH',
  path: '/api/opportunities/:odooId',
  operationId: 'bench',
  summary: 'bench',
  tag: 'bench',
  access: 'user',
  responses: {},
  activity: { types: ['opportunity_updated', 'opportunity_stage_changed'], mode: 'durable' },
  async handle() {},
});

function noted(i: number) {
  return [
    {
      activityType: 'opportunity_updated',
      title: `Updated opportunity: Cloud Migration Project ${i}`,
      entityType: 'opportunity',
      entityId: 1000 + (i % 500),
      userId: `user-${i % 40}`,
      userName: 'Ana Souza',
      metadata: { before: { probability: 20, expectedRevenue: 12000 }, after: { probability: 40, expectedRevenue: 15000 } },
    },
  ];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-bench-middleware-'));
  const store = new SqliteStore({ path: join(dir, 'bench.db') });
  try {
    const activities = new ActivityLogger({ store });
    const deps = { activities, metrics: new ServerMetrics(), logger: silent };
    // Warm up: statements prepared, pages cached.
    for (let i = 0; i < 200; i++) await writeNotedActivities(route, { activities: noted(i) }, deps);

    const sequential: number[] = [];
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < REQUESTS; i++) {
      const state = { activities: noted(i) };
      const started = performance.now();
      await writeNotedActivities(route, state, deps);
      sequential.push(performance.now() - started);
    }
    const cpu = process.cpuUsage(cpuBefore);
    line(`sequential (${REQUESTS} requests)`, percentiles(sequential));
    // CPU time is what the write costs this process, whatever else the machine runs.
    console.log(`${'sequential, CPU time per request'.padEnd(40)} ${fmt((cpu.user + cpu.system) / 1000 / REQUESTS)} ms`);

    const concurrent: number[] = [];
    for (let round = 0; round < Math.ceil(REQUESTS / CONCURRENCY); round++) {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, k) => {
          const state = { activities: noted(round * CONCURRENCY + k) };
          const started = performance.now();
          await writeNotedActivities(route, state, deps);
          concurrent.push(performance.now() - started);
        }),
      );
    }
    line(`concurrent (${CONCURRENCY} at once)`, percentiles(concurrent));
    await activities.close();

    // Over HTTP, for scale: the same durable write, its activity stored in SQLite or dropped.
    const http = async (activityStore: ActivityStore): Promise<number[]> => {
      const source = new MemorySource();
      const reconciler = new Reconciler({ source, store, retry: false });
      const scheduler = new SyncScheduler({ runner: reconciler, locks: store, settings: store, retry: false });
      const logger = new ActivityLogger({ store: activityStore });
      const app = createApp({ store, scheduler, reconciler, activities: logger });
      const { key } = await issueApiKey(store, { email: `bench-${String(performance.now())}@example.com`, role: 'admin', clock: systemClock });
      const server = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/sync/settings`;
      const samples: number[] = [];
      for (let i = 0; i < HTTP_REQUESTS + 100; i++) {
        const started = performance.now();
        const res = await fetch(url, {
          method: 'PUT',
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ intervalMinutes: 10 + (i % 2) }),
        });
        await res.arrayBuffer();
        if (i >= 100) samples.push(performance.now() - started);
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await scheduler.stop();
      await logger.close();
      return samples;
    };
    const nowhere: ActivityStore = {
      appendActivities: async () => {},
      upsertActivities: async () => {},
      queryActivities: (query) => store.queryActivities(query),
      streamActivities: (filter) => store.streamActivities(filter),
      purgeActivities: async () => 0,
    };
    const without = percentiles(await http(nowhere));
    const withActivity = percentiles(await http(store));
    line(`HTTP PUT /api/sync/settings, activity dropped`, without);
    line(`HTTP PUT /api/sync/settings, activity stored`, withActivity);
    console.log(`HTTP difference of medians: ${fmt(withActivity.p50 - without.p50)} ms`);
    const target = percentiles(sequential).p95 < 1;
    console.log(`target p95 < 1 ms (sequential): ${target ? 'met' : 'NOT met'}`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
