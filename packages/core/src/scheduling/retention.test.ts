import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { MemoryStore } from '../memory-store.js';
import type { RunResult, SyncLogEntry } from '../model.js';
import { emptyCounts } from '../model.js';
import type { Activity } from '../ports.js';
import { RetentionPurge, type RetentionResult, retentionCutoff } from './retention.js';
import { SyncScheduler } from './scheduler.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00.000Z');

function activityAt(id: string, daysAgo: number): Activity {
  return {
    id,
    activityType: 'note',
    title: `Note ${id}`,
    entityType: null,
    entityId: null,
    userId: null,
    userName: null,
    source: 'odoo',
    metadata: {},
    timestamp: new Date(NOW - daysAgo * DAY).toISOString(),
  };
}

function logAt(id: string, daysAgo: number): SyncLogEntry {
  const at = new Date(NOW - daysAgo * DAY).toISOString();
  return {
    id,
    runId: id,
    entity: 'contact',
    trigger: 'schedule',
    mode: 'incremental',
    startedAt: at,
    finishedAt: at,
    status: 'success',
    counts: emptyCounts(),
    error: null,
    skipReason: null,
    cursorBefore: null,
    cursorAfter: null,
    invalidRecords: [],
  };
}

async function seed(store: MemoryStore): Promise<void> {
  await store.appendActivities([activityAt('a-400', 400), activityAt('a-366', 366), activityAt('a-364', 364), activityAt('a-1', 1)]);
  for (const [id, days] of [['l-100', 100], ['l-91', 91], ['l-89', 89]] as const) await store.appendSyncLog(logAt(id, days));
}

describe('retention', () => {
  it('retentionCutoff: days back from now; 0 keeps forever', () => {
    expect(retentionCutoff(new Date(NOW), 90)?.toISOString()).toBe('2026-03-03T00:00:00.000Z');
    expect(retentionCutoff(new Date(NOW), 0)).toBeNull();
  });

  it('purges what is older than the days kept, at start and then daily', async () => {
    const store = new MemoryStore();
    await seed(store);
    const clock = new ManualClock(NOW);
    const results: RetentionResult[] = [];
    const purge = new RetentionPurge({ activities: store, syncLogs: store }, { clock, onPurged: (r) => results.push(r) });
    purge.start();
    await clock.advance(0);
    expect(results).toEqual([{ activities: 2, syncLogs: 2 }]);
    expect((await store.queryActivities()).items.map((a) => a.id)).toEqual(['a-1', 'a-364']);
    expect((await store.listSyncLogs()).items.map((l) => l.id)).toEqual(['l-89']);
    await clock.advance(DAY - 1);
    expect(results).toHaveLength(1);
    await clock.advance(1);
    // A day later the 364-day-old activity is 365 days old: still kept; the 89-day-old log is 90.
    expect(results[1]).toEqual({ activities: 0, syncLogs: 0 });
    await clock.advance(DAY);
    expect(results[2]).toEqual({ activities: 1, syncLogs: 1 });
    await purge.stop();
    await clock.advance(10 * DAY);
    expect(results).toHaveLength(3);
  });

  it('0 days keeps forever; a failing store is logged and the next purge still comes', async () => {
    const store = new MemoryStore();
    await seed(store);
    const clock = new ManualClock(NOW);
    let fail = true;
    const flaky = {
      purgeActivities: async (before: Date) => {
        if (fail) throw new Error('database is locked');
        return store.purgeActivities(before);
      },
    };
    const results: RetentionResult[] = [];
    const purge = new RetentionPurge({ activities: flaky, syncLogs: store, syncLogDays: 0 }, { clock, onPurged: (r) => results.push(r) });
    purge.start();
    await clock.advance(0);
    expect(results).toEqual([{ activities: null, syncLogs: null }]);
    fail = false;
    await clock.advance(DAY);
    expect(results[1]).toEqual({ activities: 2, syncLogs: null });
    expect((await store.listSyncLogs()).items).toHaveLength(3);
    await purge.stop();
    expect(new RetentionPurge({ activities: store, activityDays: 0 }).enabled).toBe(false);
    expect(() => new RetentionPurge({ activityDays: -1 })).toThrow(TypeError);
    expect(() => new RetentionPurge({ syncLogDays: 1.5 })).toThrow(TypeError);
  });

  it('SyncScheduler runs the purge when it starts and stops it when it stops', async () => {
    const store = new MemoryStore();
    await seed(store);
    const clock = new ManualClock(NOW);
    const runner = {
      run: async (): Promise<RunResult> => ({ runId: 'r', startedAt: '', finishedAt: '', status: 'success', entries: [] }),
    };
    const scheduler = new SyncScheduler({
      runner,
      locks: store,
      settings: store,
      clock,
      retention: { activities: store, activityDays: 365, syncLogs: store, syncLogDays: 90 },
    });
    const purged: RetentionResult[] = [];
    scheduler.on('retention:purged', (result) => purged.push(result));
    await scheduler.start();
    await clock.advance(0);
    expect(purged).toEqual([{ activities: 2, syncLogs: 2 }]);
    await scheduler.stop();
    await clock.advance(3 * DAY);
    expect(purged).toHaveLength(1);
    expect(() => new SyncScheduler({ runner, locks: store, settings: store, retention: { activityDays: -5 } })).toThrow(TypeError);
  });
});
