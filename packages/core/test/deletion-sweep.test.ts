import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { countUpTo, decideDeletionSweep, newerSweep } from '../src/sync/deletion-sweep.js';
import { ENTITY_SPECS } from '../src/entities/entities.js';
import { MemorySource } from '../src/sync/memory-source.js';
import { MemoryStore } from '../src/memory-store.js';
import type { ReadIdsOptions, SourceQuery, SourceReader } from '../src/ports.js';
import { Reconciler, type ReconcilerOptions } from '../src/sync/reconciler.js';
import { partner } from './partners.js';

/** The MemorySource, seen through a reader that counts the id sweeps (and can hide countAll). */
function sweepCounter(inner: MemorySource, withCount: boolean): SourceReader & { sweeps: number; beforeCount: (() => void) | null } {
  const reader = {
    sweeps: 0,
    beforeCount: null as (() => void) | null,
    readChanged: (query: SourceQuery, options: Parameters<SourceReader['readChanged']>[1]) => inner.readChanged(query, options),
    readAllIds(query: SourceQuery, options: ReadIdsOptions) {
      reader.sweeps++;
      return inner.readAllIds(query, options);
    },
    readByIds: (query: SourceQuery, ids: readonly number[], options?: { signal?: AbortSignal }) => inner.readByIds(query, ids, options),
    ...(withCount
      ? {
          countAll: (query: SourceQuery, options?: { signal?: AbortSignal }) => {
            // What Odoo does between the end of the read and the count.
            reader.beforeCount?.();
            reader.beforeCount = null;
            return inner.countAll(query, options);
          },
        }
      : {}),
  };
  return reader;
}

function setup(options: { withCount?: boolean; reconciler?: Partial<ReconcilerOptions> } = {}) {
  const clock = new ManualClock('2026-03-01T10:00:00.000Z');
  const memory = new MemorySource({ clock });
  const source = sweepCounter(memory, options.withCount ?? true);
  const store = new MemoryStore();
  const make = () =>
    new Reconciler({ source, store, clock, entities: ['contact'], pageSize: 10, idPageSize: 25, overlapMs: 0, retry: false, ...options.reconciler });
  for (let id = 1; id <= 20; id++) memory.write('res.partner', partner(id));
  return { clock, memory, source, store, reconciler: make(), make };
}

/** A full run (which always sweeps), then time passes. */
async function afterFullRun(context: ReturnType<typeof setup>) {
  const full = await context.reconciler.run({ mode: 'full' });
  expect(full.status).toBe('success');
  expect(context.source.sweeps).toBe(1);
  await context.clock.advance(60_000);
  context.source.sweeps = 0;
}

describe('deletion sweep of incremental runs', () => {
  it('is skipped when nothing was deleted (the counts are equal)', async () => {
    const context = setup();
    await afterFullRun(context);
    context.memory.write('res.partner', { id: 3, email: 'changed@example.com' });
    const result = await context.reconciler.run({ mode: 'incremental' });
    expect(result.entries[0]?.counts).toMatchObject({ updated: 1, softDeleted: 0 });
    expect(context.source.sweeps).toBe(0);
  });

  it('finds a deletion', async () => {
    const context = setup();
    await afterFullRun(context);
    context.memory.unlink('res.partner', [5]);
    const result = await context.reconciler.run({ mode: 'incremental' });
    expect(result.entries[0]?.counts.softDeleted).toBe(1);
    expect(await context.store.getRecord('contact', 5)).toMatchObject({ inactiveReason: 'deleted' });
    expect(context.source.sweeps).toBe(1);
  });

  it('finds a deletion hidden by a creation in the same interval', async () => {
    const context = setup();
    await afterFullRun(context);
    context.memory.unlink('res.partner', [5]);
    context.memory.write('res.partner', partner(21));
    const result = await context.reconciler.run({ mode: 'incremental' });
    expect(result.entries[0]?.counts).toMatchObject({ inserted: 1, softDeleted: 1 });
    expect(await context.store.getRecord('contact', 5)).toMatchObject({ inactiveReason: 'deleted' });
    expect(await context.store.countRecords('contact')).toEqual({ active: 20, archived: 0, deleted: 1 });
  });

  it('finds a deletion next to an archive', async () => {
    const context = setup();
    await afterFullRun(context);
    context.memory.write('res.partner', { id: 4, active: false });
    context.memory.unlink('res.partner', [5]);
    const result = await context.reconciler.run({ mode: 'incremental' });
    expect(result.entries[0]?.counts).toMatchObject({ archived: 1, softDeleted: 1 });
    expect(await context.store.getRecord('contact', 4)).toMatchObject({ isActive: false, inactiveReason: 'archived' });
    expect(await context.store.getRecord('contact', 5)).toMatchObject({ inactiveReason: 'deleted' });
  });

  it('finds a deletion hidden by a new row that fails validation', async () => {
    const context = setup();
    await afterFullRun(context);
    context.memory.unlink('res.partner', [5]);
    context.memory.write('res.partner', partner(21, { email: 12345 }));
    const result = await context.reconciler.run({ mode: 'incremental' });
    expect(result.entries[0]?.counts).toMatchObject({ invalid: 1, softDeleted: 1 });
  });

  it('finds a deletion hidden by a row that stays invalid since an earlier run', async () => {
    const context = setup();
    // Invalid since long ago: the full run reads it, no incremental read sees it again.
    context.memory.write('res.partner', partner(21, { email: 12345, write_date: '2026-01-01 00:00:00' }));
    await afterFullRun(context);
    context.memory.unlink('res.partner', [5]);
    // Odoo 20 (21 rows, one deleted), store 20 (the invalid row is never stored): equal, yet id 5 is gone.
    const result = await context.reconciler.run({ mode: 'incremental' });
    expect(result.entries[0]?.counts).toMatchObject({ invalid: 0, softDeleted: 1 });
  });

  it('leaves to the next full run a deletion masked by a row that enters the domain unseen', async () => {
    const context = setup();
    await afterFullRun(context);
    context.memory.unlink('res.partner', [5]);
    // A row whose write_date is older than the cursor (it entered the domain without being
    // written): no incremental read sees it, and it makes the counts equal again.
    context.memory.write('res.partner', partner(22, { write_date: '2026-01-01 00:00:00' }));
    await context.reconciler.run({ mode: 'incremental' });
    expect(context.source.sweeps).toBe(0);
    expect(await context.store.getRecord('contact', 5)).toMatchObject({ isActive: true });
    // The periodic full run is the safety net: it reads and sweeps everything.
    const full = await context.reconciler.run({ mode: 'full' });
    expect(full.entries[0]?.counts).toMatchObject({ inserted: 1, softDeleted: 1 });
    expect(await context.store.getRecord('contact', 5)).toMatchObject({ inactiveReason: 'deleted' });
  });

  it('starts a new process from the latest successful log entry, and sweeps in every full run', async () => {
    const context = setup();
    await afterFullRun(context);
    // A new process (a `sync --once` from cron, a restart) knows the full run's sweep from the log.
    const fresh = context.make();
    await fresh.run({ mode: 'incremental' });
    expect(context.source.sweeps).toBe(0);
    context.memory.unlink('res.partner', [5]);
    const result = await context.make().run({ mode: 'incremental' });
    expect(result.entries[0]?.counts.softDeleted).toBe(1);
    expect(result.entries[0]?.sweep).toMatchObject({ ran: true, reason: 'counts_differ', sourceCount: 19, storedLive: 20 });
    expect(context.source.sweeps).toBe(1);
    await fresh.run({ mode: 'full' });
    expect(context.source.sweeps).toBe(2);
    await fresh.run({ mode: 'incremental' });
    expect(context.source.sweeps).toBe(2);
  });

  it('starts from a later sweep of another replica that found an Odoo row the store does not hold', async () => {
    const context = setup();
    const replicaA = context.reconciler;
    await afterFullRun(context);
    await replicaA.run({ mode: 'incremental' });
    // Replica B reads a row that fails validation (it sweeps: the row is in Odoo, not stored),
    // and a valid row written after it, so no later incremental read sees the invalid one again.
    context.memory.write('res.partner', partner(21, { email: 12345 }));
    context.clock.set(context.clock.now().getTime() + 1000);
    context.memory.write('res.partner', { id: 2, city: 'Mons' });
    const replicaB = context.make();
    const read = await replicaB.run({ mode: 'incremental' });
    expect(read.entries[0]?.sweep).toMatchObject({ ran: true, reason: 'invalid_rows', lastSweep: { unstored: 1 } });
    await context.clock.advance(60_000);
    // Odoo: 19 valid + 1 invalid = 20; the store: 20 live. Equal, yet id 5 is gone.
    context.memory.unlink('res.partner', [5]);
    const result = await replicaA.run({ mode: 'incremental' });
    expect(result.entries[0]?.sweep).toMatchObject({ ran: true, reason: 'unstored_ids' });
    expect(result.entries[0]?.counts.softDeleted).toBe(1);
  });

  it('sweeps when no sweep is known (a store written before sweeps were recorded)', async () => {
    const context = setup();
    await afterFullRun(context);
    const entry = await context.store.latestSyncLog('contact', 'success');
    const { sweep: _recorded, ...older } = entry!;
    await context.store.appendSyncLog(older);
    const result = await context.make().run({ mode: 'incremental' });
    expect(result.entries[0]?.sweep).toMatchObject({ ran: true, reason: 'no_earlier_sweep' });
    expect(context.source.sweeps).toBe(1);
  });

  it('records in each log entry whether the sweep ran and why', async () => {
    const context = setup();
    const full = await context.reconciler.run({ mode: 'full' });
    expect(full.entries[0]?.sweep).toEqual({
      ran: true,
      reason: 'full_run',
      sourceCount: null,
      storedLive: null,
      lastSweep: { at: '2026-03-01T10:00:00.000Z', unstored: 0 },
    });
    await context.clock.advance(60_000);
    const incremental = await context.reconciler.run({ mode: 'incremental' });
    expect(incremental.entries[0]?.sweep).toEqual({
      ran: false,
      reason: 'counts_equal',
      sourceCount: 20,
      storedLive: 20,
      lastSweep: { at: '2026-03-01T10:00:00.000Z', unstored: 0 },
    });
    const logged = await context.store.latestSyncLog('contact');
    expect(logged?.sweep).toEqual(incremental.entries[0]?.sweep);
  });

  it('sweeps at least once a day whatever the counts say (deletionSweepEveryMs)', async () => {
    const context = setup();
    await afterFullRun(context);
    // The one case no count sees: a deletion masked by a row that enters the domain unseen.
    context.memory.unlink('res.partner', [5]);
    context.memory.write('res.partner', partner(22, { write_date: '2026-01-01 00:00:00' }));
    await context.reconciler.run({ mode: 'incremental' });
    expect(context.source.sweeps).toBe(0);
    await context.clock.advance(86_400_000);
    const due = await context.reconciler.run({ mode: 'incremental' });
    expect(due.entries[0]?.sweep).toMatchObject({ ran: true, reason: 'sweep_due' });
    expect(due.entries[0]?.counts.softDeleted).toBe(1);
    expect(await context.store.getRecord('contact', 5)).toMatchObject({ inactiveReason: 'deleted' });
    // The unseen row is in Odoo and not stored: every run sweeps until a full run stores it.
    const next = await context.reconciler.run({ mode: 'incremental' });
    expect(next.entries[0]?.sweep).toMatchObject({ ran: true, reason: 'unstored_ids', lastSweep: { unstored: 1 } });
  });

  it('sweeps in every incremental run with deletionSweepEveryMs 0', async () => {
    const context = setup({ reconciler: { deletionSweepEveryMs: 0 } });
    await afterFullRun(context);
    const result = await context.reconciler.run({ mode: 'incremental' });
    expect(result.entries[0]?.sweep).toMatchObject({ ran: true, reason: 'sweep_due' });
    expect(context.source.sweeps).toBe(1);
    expect(() => new Reconciler({ source: context.source, store: context.store, deletionSweepEveryMs: -1 })).toThrow(/deletionSweepEveryMs/);
  });

  it('finds the deletion of a record written long before the overlap window', async () => {
    const context = setup({ reconciler: { overlapMs: 600_000 } });
    context.memory.write('res.partner', partner(21, { write_date: '2025-06-01 08:00:00' }));
    await afterFullRun(context);
    await context.clock.advance(3_600_000);
    context.memory.write('res.partner', { id: 2, city: 'Ghent' });
    context.memory.unlink('res.partner', [21]);
    const result = await context.reconciler.run({ mode: 'incremental' });
    // Id 21 is not among the rows read (written in 2025, long before the cursor minus the overlap).
    expect(result.entries[0]?.counts).toMatchObject({ fetched: 20, updated: 1, softDeleted: 1 });
    expect(result.entries[0]?.sweep).toMatchObject({ ran: true, reason: 'counts_differ' });
    expect(await context.store.getRecord('contact', 21)).toMatchObject({ inactiveReason: 'deleted' });
  });

  it('finds a deletion masked by a row created after the read and before the count', async () => {
    const context = setup();
    await afterFullRun(context);
    context.memory.unlink('res.partner', [5]);
    context.source.beforeCount = () => {
      // Created a second after the newest row this run read: Odoo counts only up to that one.
      context.clock.set(context.clock.now().getTime() + 1000);
      context.memory.write('res.partner', partner(21));
    };
    const result = await context.reconciler.run({ mode: 'incremental' });
    expect(result.entries[0]?.sweep).toMatchObject({ ran: true, reason: 'counts_differ', sourceCount: 19, storedLive: 20 });
    expect(result.entries[0]?.counts.softDeleted).toBe(1);
  });

  it('finds in the next run a deletion masked by a row created in the same second as the newest row read', async () => {
    const context = setup();
    await afterFullRun(context);
    context.memory.write('res.partner', { id: 7, city: 'Liège' });
    context.memory.unlink('res.partner', [5]);
    context.source.beforeCount = () => context.memory.write('res.partner', partner(21));
    const first = await context.reconciler.run({ mode: 'incremental' });
    expect(first.entries[0]?.sweep).toMatchObject({ ran: false, reason: 'counts_equal' });
    // The next run reads the new row (the overlap); the counts then differ.
    const second = await context.reconciler.run({ mode: 'incremental' });
    expect(second.entries[0]?.counts).toMatchObject({ inserted: 1, softDeleted: 1 });
    expect(await context.store.getRecord('contact', 5)).toMatchObject({ inactiveReason: 'deleted' });
  });

  it('sweeps when a row is deleted after the read and before the count', async () => {
    const context = setup();
    await afterFullRun(context);
    context.source.beforeCount = () => context.memory.unlink('res.partner', [9]);
    const result = await context.reconciler.run({ mode: 'incremental' });
    expect(result.entries[0]?.counts.softDeleted).toBe(1);
  });

  it('finds a record that left the entity domain', async () => {
    const context = setup();
    await afterFullRun(context);
    // contact's domain is is_company = false; id 6 becomes a company and no longer a contact.
    context.memory.write('res.partner', { id: 6, is_company: true });
    const result = await context.reconciler.run({ mode: 'incremental' });
    expect(result.entries[0]?.counts.softDeleted).toBe(1);
    expect(await context.store.getRecord('contact', 6)).toMatchObject({ inactiveReason: 'deleted' });
  });

  it('sweeps every run when the source cannot count', async () => {
    const context = setup({ withCount: false });
    await afterFullRun(context);
    await context.reconciler.run({ mode: 'incremental' });
    const result = await context.reconciler.run({ mode: 'incremental' });
    expect(context.source.sweeps).toBe(2);
    expect(result.entries[0]?.sweep).toMatchObject({ ran: true, reason: 'count_unavailable' });
  });

  it('decides from the counts only when nothing else can hide a deletion', () => {
    const now = new Date('2026-03-02T10:00:00.000Z');
    const lastSweep = { at: new Date('2026-03-02T09:00:00.000Z'), unstored: 0 };
    const base = {
      mode: 'incremental' as const,
      deletion: 'soft-delete' as const,
      now,
      lastSweep,
      sweepEveryMs: 86_400_000,
      sourceCount: 10,
      storedLive: 10,
      invalidThisRun: 0,
    };
    expect(decideDeletionSweep(base)).toEqual({ sweep: false, reason: 'counts_equal' });
    expect(decideDeletionSweep({ ...base, deletion: 'keep', mode: 'full' })).toEqual({ sweep: false, reason: 'deletion_keep' });
    expect(decideDeletionSweep({ ...base, mode: 'full' }).reason).toBe('full_run');
    expect(decideDeletionSweep({ ...base, lastSweep: null }).reason).toBe('no_earlier_sweep');
    expect(decideDeletionSweep({ ...base, sweepEveryMs: 3_600_000 }).reason).toBe('sweep_due');
    expect(decideDeletionSweep({ ...base, sweepEveryMs: 3_600_001 }).reason).toBe('counts_equal');
    expect(decideDeletionSweep({ ...base, lastSweep: { at: new Date('2026-03-02T11:00:00.000Z'), unstored: 0 } }).reason).toBe('sweep_due');
    expect(decideDeletionSweep({ ...base, sourceCount: null }).reason).toBe('count_unavailable');
    expect(decideDeletionSweep({ ...base, invalidThisRun: 1 }).reason).toBe('invalid_rows');
    expect(decideDeletionSweep({ ...base, lastSweep: { ...lastSweep, unstored: 2 } }).reason).toBe('unstored_ids');
    expect(decideDeletionSweep({ ...base, storedLive: 11 }).reason).toBe('counts_differ');
    expect(decideDeletionSweep({ ...base, storedLive: 9 }).reason).toBe('counts_differ');
  });

  it('takes the later of two known sweeps, and at the same time the one that found more unstored', () => {
    const early = { at: new Date('2026-03-01T10:00:00.000Z'), unstored: 3 };
    const late = { at: new Date('2026-03-01T11:00:00.000Z'), unstored: 0 };
    expect(newerSweep(early, late)).toBe(late);
    expect(newerSweep(late, early)).toBe(late);
    expect(newerSweep(null, early)).toBe(early);
    expect(newerSweep(early, null)).toBe(early);
    expect(newerSweep(null, null)).toBeNull();
    expect(newerSweep({ ...late, unstored: 2 }, late)).toMatchObject({ unstored: 2 });
    expect(newerSweep(late, { ...late, unstored: 2 })).toMatchObject({ unstored: 2 });
  });

  it('counts in Odoo only the rows written up to the newest write_date read', () => {
    const query = { entity: 'contact', model: 'res.partner', domain: [['is_company', '=', false]] as const, fields: ['name'] };
    expect(countUpTo(query, '2026-03-01T10:00:00.000Z').domain).toEqual([['is_company', '=', false], ['write_date', '<=', '2026-03-01 10:00:00']]);
    expect(countUpTo(query, null)).toBe(query);
    expect(countUpTo(query, 'not a date')).toBe(query);
  });
});

describe('deletion sweep of an entity that keeps deleted records', () => {
  it('never sweeps nor deletes, and says why', async () => {
    const context = setup({ reconciler: { entities: [{ ...ENTITY_SPECS.contact, deletion: 'keep' }] } });
    await context.reconciler.run({ mode: 'full' });
    context.memory.unlink('res.partner', [3, 4]);
    for (const mode of ['incremental', 'full'] as const) {
      const result = await context.reconciler.run({ mode });
      expect(result.entries[0]?.sweep).toMatchObject({ ran: false, reason: 'deletion_keep', lastSweep: null });
      expect(result.entries[0]?.counts.softDeleted).toBe(0);
    }
    expect(context.source.sweeps).toBe(0);
    expect(await context.store.countRecords('contact')).toEqual({ active: 20, archived: 0, deleted: 0 });
  });
});
