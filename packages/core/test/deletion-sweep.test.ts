import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { decideDeletionSweep } from '../src/sync/deletion-sweep.js';
import { MemorySource } from '../src/sync/memory-source.js';
import { MemoryStore } from '../src/memory-store.js';
import type { ReadIdsOptions, SourceQuery, SourceReader } from '../src/ports.js';
import { Reconciler } from '../src/sync/reconciler.js';

function partner(id: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: `Person ${id}`,
    email: `p${id}@example.com`,
    phone: false,
    function: false,
    city: false,
    parent_id: false,
    commercial_partner_id: [id, `Person ${id}`],
    is_company: false,
    active: true,
    ...extra,
  };
}

/** The MemorySource, seen through a reader that counts the id sweeps (and can hide countAll). */
function sweepCounter(inner: MemorySource, withCount: boolean): SourceReader & { sweeps: number } {
  const reader = {
    sweeps: 0,
    readChanged: (query: SourceQuery, options: Parameters<SourceReader['readChanged']>[1]) => inner.readChanged(query, options),
    readAllIds(query: SourceQuery, options: ReadIdsOptions) {
      reader.sweeps++;
      return inner.readAllIds(query, options);
    },
    readByIds: (query: SourceQuery, ids: readonly number[], options?: { signal?: AbortSignal }) => inner.readByIds(query, ids, options),
    ...(withCount ? { countAll: (query: SourceQuery, options?: { signal?: AbortSignal }) => inner.countAll(query, options) } : {}),
  };
  return reader;
}

function setup(options: { withCount?: boolean } = {}) {
  const clock = new ManualClock('2026-03-01T10:00:00.000Z');
  const memory = new MemorySource({ clock });
  const source = sweepCounter(memory, options.withCount ?? true);
  const store = new MemoryStore();
  const make = () =>
    new Reconciler({ source, store, clock, entities: ['contact'], pageSize: 10, idPageSize: 25, overlapMs: 0, retry: false });
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

  it('sweeps on the first incremental run of a new process, and in every full run', async () => {
    const context = setup();
    await afterFullRun(context);
    context.memory.unlink('res.partner', [5]);
    const fresh = context.make();
    const result = await fresh.run({ mode: 'incremental' });
    expect(result.entries[0]?.counts.softDeleted).toBe(1);
    expect(context.source.sweeps).toBe(1);
    await fresh.run({ mode: 'full' });
    expect(context.source.sweeps).toBe(2);
    await fresh.run({ mode: 'incremental' });
    expect(context.source.sweeps).toBe(2);
  });

  it('sweeps every run when the source cannot count', async () => {
    const context = setup({ withCount: false });
    await afterFullRun(context);
    await context.reconciler.run({ mode: 'incremental' });
    await context.reconciler.run({ mode: 'incremental' });
    expect(context.source.sweeps).toBe(2);
  });

  it('decides from the counts only when nothing else can hide a deletion', () => {
    const base = { mode: 'incremental' as const, sourceCount: 10, storedLive: 10, invalidThisRun: 0, unstoredAtLastSweep: 0 };
    expect(decideDeletionSweep(base)).toEqual({ sweep: false, reason: 'counts_equal' });
    expect(decideDeletionSweep({ ...base, mode: 'full' }).reason).toBe('full_run');
    expect(decideDeletionSweep({ ...base, sourceCount: null }).reason).toBe('count_unavailable');
    expect(decideDeletionSweep({ ...base, invalidThisRun: 1 }).reason).toBe('invalid_rows');
    expect(decideDeletionSweep({ ...base, unstoredAtLastSweep: undefined }).reason).toBe('unstored_ids');
    expect(decideDeletionSweep({ ...base, unstoredAtLastSweep: 2 }).reason).toBe('unstored_ids');
    expect(decideDeletionSweep({ ...base, storedLive: 11 }).reason).toBe('counts_differ');
  });
});
