/**
 * Retention from the server's configuration: ACTIVITY_RETENTION_DAYS and SYNC_LOG_RETENTION_DAYS
 * reach the scheduler's purge, which runs when scheduling starts.
 */
import { MemorySource, MemoryStore, type SyncLogEntry } from '@odoo-sync/core';
import type { Activity } from '@odoo-sync/core/activity';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/runtime/config.js';
import { startServer } from '../src/runtime/composition.js';
import { createLogger } from '../src/runtime/logger.js';
import { seedSource, waitFor } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const DAY = 86_400_000;

function activity(id: string, daysAgo: number): Activity {
  return {
    id,
    activityType: 'user_signed_in',
    title: `Signed in (${id})`,
    entityType: null,
    entityId: null,
    userId: null,
    userName: null,
    metadata: {},
    source: 'app',
    timestamp: new Date(Date.now() - daysAgo * DAY).toISOString(),
  };
}

function syncLog(id: string, daysAgo: number): SyncLogEntry {
  const at = new Date(Date.now() - daysAgo * DAY).toISOString();
  return {
    id,
    runId: `run-${id}`,
    entity: 'account',
    trigger: 'schedule',
    mode: 'incremental',
    startedAt: at,
    finishedAt: at,
    status: 'success',
    counts: { fetched: 0, inserted: 0, updated: 0, archived: 0, reactivated: 0, softDeleted: 0, unchanged: 0, invalid: 0 },
    error: null,
    skipReason: null,
    cursorBefore: null,
    cursorAfter: null,
    invalidRecords: [],
  };
}

async function serve(env: Record<string, string>): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.appendActivities([activity('old', 40), activity('recent', 2)]);
  for (const entry of [syncLog('old', 10), syncLog('recent', 1)]) await store.appendSyncLog(entry);
  const source = new MemorySource();
  seedSource(source);
  const running = await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env }, { envFile: false }), {
    store,
    source,
    logger: createLogger({ level: 'silent' }),
    processMetrics: false,
    scheduler: { runOnStart: false },
  });
  cleanups.push(() => running.close());
  return store;
}

const activityIds = async (store: MemoryStore) => (await store.queryActivities({ limit: 200 })).items.map((a) => a.id).sort();
const syncLogIds = async (store: MemoryStore) => (await store.listSyncLogs({ limit: 100 })).items.map((e) => e.id).sort();

describe('retention from the configuration', () => {
  it('purges activities and sync-log entries older than the configured days when the server starts', async () => {
    const store = await serve({ ACTIVITY_RETENTION_DAYS: '30', SYNC_LOG_RETENTION_DAYS: '7' });
    await waitFor(async () => (await activityIds(store)).length === 1 && (await syncLogIds(store)).length === 1, 10_000);
    expect(await activityIds(store)).toEqual(['recent']);
    expect(await syncLogIds(store)).toEqual(['recent']);
  });

  it('keeps a kind forever with 0', async () => {
    const store = await serve({ ACTIVITY_RETENTION_DAYS: '0', SYNC_LOG_RETENTION_DAYS: '7' });
    // The sync-log purge shows the retention pass has run; the activities were left alone.
    await waitFor(async () => (await syncLogIds(store)).length === 1, 10_000);
    expect(await activityIds(store)).toEqual(['old', 'recent']);
  });

  it('refuses a negative or non-numeric number of days', () => {
    expect(() => loadConfig({ ACTIVITY_RETENTION_DAYS: '-1' }, { envFile: false })).toThrow(expect.objectContaining({ code: 'config_invalid' }));
    expect(() => loadConfig({ SYNC_LOG_RETENTION_DAYS: 'ninety' }, { envFile: false })).toThrow(expect.objectContaining({ code: 'config_invalid' }));
    expect(loadConfig({}, { envFile: false })).toMatchObject({ activityRetentionDays: 365, syncLogRetentionDays: 90 });
  });
});
