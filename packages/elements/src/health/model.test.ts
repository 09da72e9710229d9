import { describe, expect, it } from 'vitest';
import { healthVerdict, summarizeRuns, type SyncLogEntry, type SyncStatus } from './model.js';

const now = Date.parse('2026-03-02T10:00:00.000Z');
const status = (over: Partial<SyncStatus>): SyncStatus => ({
  lastSuccessAt: new Date(now - 5 * 60_000).toISOString(),
  intervalMinutes: 15,
  healthy: true,
  consecutiveFailures: 0,
  lastError: null,
  running: false,
  nextRunAt: null,
  paused: false,
  pausedAt: null,
  employeesSynced: 0,
  odooUsersSynced: 0,
  entities: [],
  ...over,
});

describe('healthVerdict', () => {
  it('healthy within two intervals, stale after, failing when runs fail or are paused', () => {
    expect(healthVerdict(status({}), now).state).toBe('healthy');
    expect(healthVerdict(status({ lastSuccessAt: new Date(now - 29 * 60_000).toISOString() }), now).state).toBe('healthy');
    expect(healthVerdict(status({ lastSuccessAt: new Date(now - 31 * 60_000).toISOString() }), now)).toMatchObject({ state: 'stale', label: 'Stale' });
    expect(healthVerdict(status({ intervalMinutes: 5, lastSuccessAt: new Date(now - 11 * 60_000).toISOString() }), now).state).toBe('stale');
    expect(healthVerdict(status({ healthy: false, consecutiveFailures: 3 }), now)).toMatchObject({ state: 'failing', reason: 'The last 3 runs failed.' });
    expect(healthVerdict(status({ paused: true }), now).state).toBe('failing');
    expect(healthVerdict(status({ lastSuccessAt: null }), now)).toMatchObject({ state: 'never', label: 'Not synced yet' });
  });
});

describe('summarizeRuns', () => {
  const entry = (runId: string, entity: string, start: number, seconds: number, result: SyncLogEntry['status']): SyncLogEntry => ({
    runId,
    entity,
    trigger: 'schedule',
    startedAt: new Date(start).toISOString(),
    finishedAt: new Date(start + seconds * 1000).toISOString(),
    status: result,
    error: result === 'failed' ? { code: 'odoo_transport_failed', message: 'Odoo did not answer.' } : null,
  });

  it('groups entries by run: first start to last finish, failed if any entity failed; newest first, at most limit', () => {
    const t = now - 3600_000;
    const runs = summarizeRuns(
      [
        entry('r2', 'contact', t + 600_000, 2, 'success'),
        entry('r1', 'contact', t, 3, 'success'),
        entry('r1', 'account', t + 1000, 4, 'failed'),
        entry('r2', 'account', t + 601_000, 1, 'skipped'),
        entry('r3', 'account', t + 1_200_000, 1, 'skipped'),
      ],
      2,
    );
    expect(runs.map((r) => [r.runId, r.outcome, r.durationMs, r.entities])).toEqual([
      ['r3', 'skipped', 1000, 1],
      ['r2', 'success', 2000, 2],
    ]);
    const all = summarizeRuns([entry('r1', 'contact', t, 3, 'success'), entry('r1', 'account', t + 1000, 4, 'failed')], 10);
    expect(all[0]).toMatchObject({ outcome: 'failed', durationMs: 5000, error: { code: 'odoo_transport_failed' } });
  });
});
