/**
 * Incremental runs sweep for deletions only when the counts say something may be gone, and
 * still find every deletion: the whole server over odoo-sim (XML-RPC over loopback) and a
 * SQLite file. Deletions alone, deletions hidden by creations in the same interval, archived
 * then deleted records, records written long before the overlap window; a second server
 * process over the same file starts from the sweep its log entries record. Each case ends with
 * the store equal to Odoo.
 */
import { afterEach, expect, it } from 'vitest';
import { describeComparison } from './support/compare.js';
import { recordFigures } from './support/figures.js';
import { startInProcess } from './support/in-process.js';
import { api, runAndWait } from './support/processes.js';
import { createWorld } from './support/scenario.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface LoggedEntry {
  entity: string;
  status: string;
  counts: { softDeleted: number; inserted: number; archived: number };
  sweep?: { ran: boolean; reason: string; sourceCount: number | null; storedLive: number | null };
}

/** The run's log entries by entity, as `GET /api/sync/logs` answers them. */
async function entriesOf(url: string, runId: string): Promise<Map<string, LoggedEntry>> {
  const logs = await api(url, `/api/sync/logs?runId=${encodeURIComponent(runId)}&limit=100`);
  expect(logs.status).toBe(200);
  return new Map((logs.json.items as LoggedEntry[]).map((entry) => [entry.entity, entry]));
}

it('incremental runs skip the id sweep when the counts are equal and find every deletion; a new process starts from the logged sweep', { timeout: 180_000 }, async () => {
  const world = await createWorld(5301);
  cleanups.push(() => world.close());
  let server = await startInProcess(world.setup());
  cleanups.push(() => server.close());
  const full = await runAndWait(server.url, { mode: 'full' });
  expect(full.entries.every((e) => e.status === 'success')).toBe(true);
  const fullEntries = await entriesOf(server.url, full.runId);
  expect(fullEntries.get('opportunity')?.sweep).toMatchObject({ ran: true, reason: 'full_run' });

  const leadIds = () => world.sim.searchRead('crm.lead', [['type', '=', 'opportunity']], { fields: ['id'], activeTest: false, order: 'id' }).map((r) => r['id']);
  const reasons: string[] = [];
  let compared = 0;
  const incremental = async (label: string): Promise<Map<string, LoggedEntry>> => {
    const run = await runAndWait(server.url, { mode: 'incremental' });
    expect(run.entries.every((e) => e.status === 'success'), `${label}: ${JSON.stringify(run.entries)}`).toBe(true);
    const entries = await entriesOf(server.url, run.runId);
    const comparison = await world.compare();
    expect(comparison, `${label}: ${describeComparison(comparison)}`).toMatchObject({ missing: 0, extra: 0, different: 0 });
    compared += comparison.compared;
    reasons.push(`${label}: ${entries.get('opportunity')?.sweep?.reason ?? '-'}`);
    return entries;
  };

  // Nothing changed: Odoo's count (up to the newest write_date read) equals the store's.
  const quiet = await incremental('nothing changed');
  expect(quiet.get('opportunity')?.sweep).toMatchObject({ ran: false, reason: 'counts_equal' });
  expect(quiet.get('contact')?.sweep).toMatchObject({ ran: false, reason: 'counts_equal' });

  // Two deleted, two created in the same interval: the counts of Odoo stay the same.
  const [first, second] = leadIds();
  world.sim.unlink('crm.lead', [first!, second!]);
  world.sim.create('crm.lead', { name: 'Sweep suite deal A', type: 'opportunity', expected_revenue: 100 });
  world.sim.create('crm.lead', { name: 'Sweep suite deal B', type: 'opportunity', expected_revenue: 200 });
  const masked = await incremental('delete + create');
  expect(masked.get('opportunity')).toMatchObject({ counts: { inserted: 2, softDeleted: 2 }, sweep: { ran: true, reason: 'counts_differ' } });

  // Archived, then deleted, and a record untouched for long (outside the overlap) deleted.
  const ids = leadIds();
  const archived = ids[3]!;
  const old = ids[ids.length - 3]!;
  world.sim.write('crm.lead', [archived], { active: false });
  world.sim.unlink('crm.lead', [archived, old]);
  const gone = await incremental('archive + delete, old record deleted');
  expect(gone.get('opportunity')).toMatchObject({ counts: { softDeleted: 2 }, sweep: { ran: true } });

  // A new server process over the same file knows the last sweep from the log.
  await server.close();
  server = await startInProcess(world.setup());
  const restarted = await incremental('new process, nothing changed');
  expect(restarted.get('opportunity')?.sweep).toMatchObject({ ran: false, reason: 'counts_equal' });
  world.sim.unlink('crm.lead', [leadIds()[5]!]);
  const afterRestart = await incremental('new process, one deleted');
  expect(afterRestart.get('opportunity')).toMatchObject({ counts: { softDeleted: 1 }, sweep: { ran: true, reason: 'counts_differ' } });

  recordFigures({ scenario: 'deletion sweep only when the counts differ (incremental runs)', repetitions: reasons.length, recordsCompared: compared, mismatches: 0, note: reasons.join('; ') });
});
