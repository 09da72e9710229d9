/**
 * The store failing in the middle of a batch, then healing: SQLite answering "database or disk
 * is full" on one row of a batch (a trigger another connection adds to the real file), and
 * another process holding the write lock past the busy timeout. The failed entity's batch is
 * applied all or nothing, its cursor does not move, nothing else is touched; healed, even an
 * incremental run brings the store level with Odoo (0 missing, 0 extra, 0 different).
 */
import Database from 'better-sqlite3';
import { ENTITY_NAMES, type SyncedRecord } from '@odoo-sync/core';
import type { RunningServer } from '@odoo-sync/koa-server';
import type { OdooSim } from '@odoo-sync/odoo-sim';
import { SeededRandom } from '../../packages/odoo-sim/src/prng.js';
import { SqliteStore } from '@odoo-sync/sqlite-store';
import { afterEach, expect, it } from 'vitest';
import { describeComparison } from './support/compare.js';
import { recordFigures } from './support/figures.js';
import { startInProcess } from './support/in-process.js';
import { startOdooProxy } from './support/odoo-proxy.js';
import { api, runAndWait, runLogs, waitIdle } from './support/processes.js';
import { createWorld, type World } from './support/scenario.js';

const REPETITIONS = 5;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Edits (no deletions: an incremental run must be enough to heal) of `count` opportunities; returns their ids. */
function editOpportunities(sim: OdooSim, random: SeededRandom, count: number): number[] {
  const ids = sim.searchRead('crm.lead', [['type', '=', 'opportunity']], { fields: ['id'] }).map((r) => r['id']);
  const picked = new Set<number>();
  while (picked.size < Math.min(count, ids.length)) picked.add(ids[random.int(0, ids.length - 1)] as number);
  for (const id of picked) sim.write('crm.lead', [id], { probability: random.int(0, 100), expected_revenue: random.int(1000, 50_000) });
  return [...picked].sort((a, b) => a - b);
}

async function snapshot(world: World, entity: 'opportunity'): Promise<{ records: SyncedRecord[]; cursor: string | null }> {
  const store = SqliteStore.open(world.storePath);
  try {
    const records: SyncedRecord[] = [];
    let cursor: string | null = null;
    do {
      const page = await store.queryRecords(entity, { includeInactive: true, limit: 1000, cursor });
      records.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return { records, cursor: await store.getCursor(entity) };
  } finally {
    await store.close();
  }
}

async function setup(seed: number, busyTimeoutMs?: number): Promise<{ world: World; server: RunningServer; random: SeededRandom; proxy: Awaited<ReturnType<typeof startOdooProxy>> }> {
  const world = await createWorld(seed);
  cleanups.push(() => world.close());
  const proxy = await startOdooProxy(world.sim.url);
  cleanups.push(() => proxy.close());
  const store = busyTimeoutMs === undefined ? undefined : new SqliteStore({ path: world.storePath, busyTimeoutMs });
  const server = await startInProcess(world.setup(proxy.url), store ? { store } : {});
  cleanups.push(() => server.close());
  const first = await runAndWait(server.url, { mode: 'full' });
  expect(first.entries.map((e) => e.status)).toEqual(Array(ENTITY_NAMES.length).fill('success'));
  return { world, server, random: new SeededRandom(seed), proxy };
}

it(`"database or disk is full" on one row of a batch: all or nothing, cursor kept, healed by an incremental run, ${REPETITIONS} times`, { timeout: 120_000 }, async () => {
  const { world, server, random } = await setup(3101);
  const db = new Database(world.storePath);
  cleanups.push(() => void db.close());
  let compared = 0;
  let mismatches = 0;
  for (let rep = 0; rep < REPETITIONS; rep++) {
    const edited = editOpportunities(world.sim, random, 12);
    // A row in the middle of the batch hits the full disk.
    const victim = edited[random.int(1, edited.length - 2)] as number;
    db.exec(`CREATE TRIGGER disk_full BEFORE UPDATE ON records WHEN NEW.entity = 'opportunity' AND NEW.odoo_id = ${victim}
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`);
    const before = await snapshot(world, 'opportunity');
    const failed = await runAndWait(server.url, { mode: rep % 2 === 0 ? 'incremental' : 'full' });
    const byEntity = Object.fromEntries(failed.entries.map((e) => [e.entity, e]));
    expect(byEntity['opportunity']?.status).toBe('failed');
    expect(byEntity['opportunity']?.error?.code).toBe('store_error');
    for (const entity of ENTITY_NAMES.filter((e) => e !== 'opportunity')) expect([entity, byEntity[entity]?.status]).toEqual([entity, 'success']);
    // All or nothing: not one row of the failed batch landed, and the cursor did not move.
    expect(await snapshot(world, 'opportunity')).toEqual(before);
    const others = await world.compare(ENTITY_NAMES.filter((e) => e !== 'opportunity'));
    expect(others, describeComparison(others)).toMatchObject({ missing: 0, extra: 0, different: 0 });

    db.exec('DROP TRIGGER disk_full');
    const healed = await runAndWait(server.url, { mode: 'incremental' });
    expect(healed.entries.map((e) => e.status)).toEqual(Array(ENTITY_NAMES.length).fill('success'));
    const comparison = await world.compare();
    compared += others.compared + comparison.compared;
    mismatches += comparison.missing + comparison.extra + comparison.different;
    expect(comparison, describeComparison(comparison)).toMatchObject({ missing: 0, extra: 0, different: 0 });
  }
  recordFigures({ scenario: 'store fails mid-batch (disk full), then heals', repetitions: REPETITIONS, recordsCompared: compared, mismatches });
});

it(`another process holding the SQLite write lock mid-run past the busy timeout: no partial batch, healed, ${REPETITIONS} times`, { timeout: 120_000 }, async () => {
  const { world, server, random, proxy } = await setup(3102, 50);
  const db = new Database(world.storePath, { timeout: 50 });
  cleanups.push(() => void db.close());
  let compared = 0;
  let mismatches = 0;
  let failedEntities = 0;
  for (let rep = 0; rep < REPETITIONS; rep++) {
    editOpportunities(world.sim, random, 12);
    const before = proxy.requests;
    // From a seeded point of the run on, the lock is held until the run has ended.
    const at = before + random.int(1, 4);
    let locked = false;
    proxy.onRequest = (count) => {
      if (count === at && !locked) {
        db.exec('BEGIN IMMEDIATE');
        locked = true;
      }
    };
    const started = await api(server.url, '/api/sync/run', { method: 'POST', body: { mode: 'incremental' } });
    expect(started.status).toBe(202);
    // The lock is held until the run gives up (or ends); then the other process commits.
    await waitIdle(server.url);
    proxy.onRequest = null;
    expect(locked).toBe(true);
    db.exec('COMMIT');
    // While the lock was held the run could not write its log either: the entries that did
    // land say store_error; none says success for an entity whose batch could not be written.
    const entries = await runLogs(server.url, started.json.runId as string);
    const failed = entries.filter((e) => e.status !== 'success');
    failedEntities += ENTITY_NAMES.length - entries.filter((e) => e.status === 'success').length;
    for (const entry of failed) expect(entry.error?.code).toBe('store_error');
    const during = await world.compare();
    expect(during.wronglyDeleted).toBe(0);

    const healed = await runAndWait(server.url, { mode: 'incremental' });
    expect(healed.entries.map((e) => e.status)).toEqual(Array(ENTITY_NAMES.length).fill('success'));
    const comparison = await world.compare();
    compared += during.compared + comparison.compared;
    mismatches += comparison.missing + comparison.extra + comparison.different;
    expect(comparison, describeComparison(comparison)).toMatchObject({ missing: 0, extra: 0, different: 0 });
  }
  recordFigures({ scenario: 'store write lock held by another process mid-run, then released', repetitions: REPETITIONS, recordsCompared: compared, mismatches, note: `${failedEntities} entity runs failed with store_error` });
});
