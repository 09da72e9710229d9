import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { OdooTransportError, OdooValidationError } from '../src/errors.js';
import { MemorySource } from '../src/sync/memory-source.js';
import { MemoryStore } from '../src/memory-store.js';
import type { Alert, Notifier, ReadChangedOptions, SourceQuery, SourceReader } from '../src/ports.js';
import { Reconciler, type ReconcilerOptions } from '../src/sync/reconciler.js';
import { partner } from './partners.js';

function setup(options: Partial<ReconcilerOptions> = {}) {
  const clock = new ManualClock('2026-03-01T10:00:00.000Z');
  const source = new MemorySource({ clock });
  const store = new MemoryStore();
  const alerts: Alert[] = [];
  const notifier: Notifier = { notify: async (alert) => void alerts.push(alert) };
  const reconciler = new Reconciler({
    source,
    store,
    clock,
    notifier,
    entities: ['contact'],
    pageSize: 10,
    idPageSize: 25,
    overlapMs: 0,
    retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 1 },
    ...options,
  });
  const seed = (count: number) => {
    for (let id = 1; id <= count; id++) source.write('res.partner', partner(id));
  };
  return { clock, source, store, reconciler, alerts, seed };
}

async function snapshot(store: MemoryStore) {
  const page = await store.queryRecords('contact', { includeInactive: true, limit: 1000 });
  return page.items.map(({ odooId, data, hash, isActive, inactiveReason }) => ({ odooId, data, hash, isActive, inactiveReason }));
}

describe('Reconciler', () => {
  it('fills the store on a first run and writes one log entry per entity', async () => {
    const { store, reconciler, seed } = setup({ entities: ['contact', 'account'] });
    seed(35);
    const result = await reconciler.run({ trigger: 'manual' });
    expect(result.status).toBe('success');
    expect(result.entries.map((e) => [e.entity, e.status])).toEqual([
      ['contact', 'success'],
      ['account', 'success'],
    ]);
    expect(result.entries[0]?.counts).toMatchObject({ fetched: 35, inserted: 35, unchanged: 0, invalid: 0 });
    expect(await store.countRecords('contact')).toEqual({ active: 35, archived: 0, deleted: 0 });
    const logs = await store.listSyncLogs({ runId: result.runId });
    expect(logs.items).toHaveLength(2);
    expect(logs.items.every((e) => e.trigger === 'manual')).toBe(true);
    expect(result.entries[0]?.cursorAfter).toBe('2026-03-01T10:00:00.000Z');
  });

  it('picks up a change, an archive and a delete on the next incremental run', async () => {
    const { clock, source, store, reconciler, seed } = setup();
    seed(20);
    await reconciler.run();
    await clock.advance(60_000);
    source.write('res.partner', { id: 3, email: 'changed@example.com' });
    source.write('res.partner', { id: 4, active: false });
    source.unlink('res.partner', [5]);
    const result = await reconciler.run();
    const entry = result.entries[0]!;
    // The cursor is inclusive: the 17 untouched rows written in the cursor's second are re-read, unchanged.
    expect(entry.counts).toMatchObject({ fetched: 19, updated: 1, archived: 1, softDeleted: 1, inserted: 0, unchanged: 17 });
    expect((await store.getRecord('contact', 3))?.data).toMatchObject({ email: 'changed@example.com' });
    expect(await store.getRecord('contact', 4)).toMatchObject({ isActive: false, inactiveReason: 'archived' });
    expect(await store.getRecord('contact', 5)).toMatchObject({ isActive: false, inactiveReason: 'deleted' });
    expect(entry.cursorBefore).toBe('2026-03-01T10:00:00.000Z');
    expect(entry.cursorAfter).toBe('2026-03-01T10:01:00.000Z');
  });

  it('reactivates a record that comes back from the archive', async () => {
    const { clock, source, store, reconciler, seed } = setup();
    seed(10);
    source.write('res.partner', { id: 2, active: false });
    await reconciler.run();
    await clock.advance(1000);
    source.write('res.partner', { id: 2, active: true });
    const result = await reconciler.run();
    expect(result.entries[0]?.counts.reactivated).toBe(1);
    expect(await store.getRecord('contact', 2)).toMatchObject({ isActive: true, inactiveReason: null });
  });

  it('counts and reports an invalid record and keeps the good data already stored', async () => {
    const { clock, source, store, reconciler, seed } = setup();
    seed(10);
    await reconciler.run();
    const good = await store.getRecord('contact', 6);
    await clock.advance(1000);
    source.write('res.partner', { id: 6, email: 12345 });
    const result = await reconciler.run();
    const entry = result.entries[0]!;
    expect(entry.status).toBe('success');
    expect(entry.counts.invalid).toBe(1);
    expect(entry.invalidRecords).toEqual([{ odooId: 6, reason: expect.stringContaining('email') }]);
    expect(await store.getRecord('contact', 6)).toEqual(good);
    expect(await store.countRecords('contact')).toEqual({ active: 10, archived: 0, deleted: 0 });
  });

  it('blocks a mass deletion, deletes nothing, fails loudly and alerts; force deletes', async () => {
    const { clock, source, store, reconciler, alerts, seed } = setup();
    seed(10);
    await reconciler.run();
    await clock.advance(1000);
    source.unlink('res.partner', [1, 2, 3]);
    const blocked = await reconciler.run();
    expect(blocked.status).toBe('failed');
    expect(blocked.entries[0]?.error).toMatchObject({ code: 'mass_deletion_blocked' });
    expect(await store.countRecords('contact')).toEqual({ active: 10, archived: 0, deleted: 0 });
    expect(alerts.map((a) => [a.kind, a.details['wouldDelete']])).toEqual([['mass_deletion_blocked', 3]]);
    const forced = await reconciler.run({ force: true });
    expect(forced.status).toBe('success');
    expect(forced.entries[0]?.counts.softDeleted).toBe(3);
    expect(await store.countRecords('contact')).toEqual({ active: 7, archived: 0, deleted: 3 });
  });

  it('skips an entity whose Odoo model is not installed and still runs the others', async () => {
    const { source, store, reconciler, seed } = setup({ entities: ['opportunity', 'contact'] });
    seed(5);
    source.setInstalled('crm.lead', false);
    const result = await reconciler.run();
    expect(result.status).toBe('success');
    expect(result.entries.map((e) => [e.entity, e.status])).toEqual([
      ['opportunity', 'skipped'],
      ['contact', 'success'],
    ]);
    expect(result.entries[0]?.skipReason).toContain('crm.lead');
    expect(await store.countRecords('contact')).toMatchObject({ active: 5 });
  });

  it('converges after a crash in the middle of a run: the rerun reaches the same state as a clean run', async () => {
    const crashed = setup({ retry: false });
    const clean = setup({ retry: false });
    for (const { seed } of [crashed, clean]) seed(55);
    crashed.source.failAfter(3, new OdooValidationError('worker killed'));
    const first = await crashed.reconciler.run();
    expect(first.status).toBe('failed');
    expect(first.entries[0]?.counts.inserted).toBe(30);
    const rerun = await crashed.reconciler.run();
    expect(rerun.status).toBe('success');
    await clean.reconciler.run();
    expect(await snapshot(crashed.store)).toEqual(await snapshot(clean.store));
    const third = await crashed.reconciler.run();
    expect(third.entries[0]?.counts).toMatchObject({ inserted: 0, updated: 0, softDeleted: 0 });
  });

  it('checkpoints the cursor page by page during incremental runs', async () => {
    const { clock, source, store, reconciler, seed } = setup({ retry: false });
    seed(5);
    await reconciler.run();
    for (let id = 1; id <= 30; id++) {
      await clock.advance(1000);
      source.write('res.partner', { id, name: `Renamed ${id}` });
    }
    source.failAfter(2, new OdooValidationError('connection lost'));
    const failed = await reconciler.run();
    expect(failed.status).toBe('failed');
    // Two pages of ten were applied before the failure: the cursor stands at the 20th write.
    expect(await store.getCursor('contact')).toBe('2026-03-01T10:00:20.000Z');
    expect(failed.entries[0]?.cursorAfter).toBe('2026-03-01T10:00:20.000Z');
  });

  it('saves an incremental run\'s cursor once per page, not again at the end when the last page saved it', async () => {
    const { clock, source, store, reconciler, seed } = setup();
    seed(5);
    await reconciler.run();
    for (let id = 1; id <= 15; id++) {
      await clock.advance(1000);
      source.write('res.partner', { id, name: `Renamed ${id}` });
    }
    const saved: Array<string | null> = [];
    const setCursor = store.setCursor.bind(store);
    store.setCursor = async (entity, cursor) => {
      saved.push(cursor);
      await setCursor(entity, cursor);
    };
    const result = await reconciler.run();
    expect(result.status).toBe('success');
    // Two pages (10 + 5 rows): one save each.
    expect(saved).toEqual(['2026-03-01T10:00:10.000Z', '2026-03-01T10:00:15.000Z']);
    expect(await store.getCursor('contact')).toBe('2026-03-01T10:00:15.000Z');
    expect(result.entries[0]?.cursorAfter).toBe('2026-03-01T10:00:15.000Z');
  });

  it('does not miss rows written in the same second as the cursor', async () => {
    const { clock, source, store, reconciler, seed } = setup();
    seed(3);
    await reconciler.run();
    // Same second as the cursor (10:00:00): a transaction that started then commits now.
    source.write('res.partner', { ...partner(50), write_date: '2026-03-01 10:00:00' });
    await clock.advance(500);
    const result = await reconciler.run();
    expect(result.entries[0]?.counts.inserted).toBe(1);
    expect(await store.getRecord('contact', 50)).not.toBeNull();
  });

  it('with an overlap, re-reads rows committed "in the past" by a long transaction', async () => {
    const { clock, source, store, reconciler, seed } = setup({ overlapMs: 10 * 60_000 });
    seed(3);
    await clock.advance(5 * 60_000);
    source.write('res.partner', partner(4));
    await reconciler.run();
    // A transaction that started at 10:02 commits after the run that saw 10:05.
    source.write('res.partner', { ...partner(60), write_date: '2026-03-01 10:02:00' });
    const result = await reconciler.run();
    expect(result.entries[0]?.counts.inserted).toBe(1);
    expect(await store.getRecord('contact', 60)).not.toBeNull();
  });

  it('retries transient failures within a run', async () => {
    const { source, store, reconciler, seed } = setup();
    seed(15);
    source.failAfter(1, new OdooTransportError('HTTP 502'));
    const result = await reconciler.run();
    expect(result.status).toBe('success');
    expect(await store.countRecords('contact')).toMatchObject({ active: 15 });
  });

  it('gives up on transient failures after the configured retries', async () => {
    const { source, reconciler, seed } = setup({ retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 1 } });
    seed(5);
    source.failAfter(0, new OdooTransportError('HTTP 502'));
    source.failAfter(0, new OdooTransportError('HTTP 502'));
    const result = await reconciler.run();
    expect(result.entries[0]?.error).toMatchObject({ code: 'odoo_transport_failed', retryable: true });
  });

  it('skips an entity whose lease another process holds', async () => {
    const { clock, store, reconciler, seed } = setup();
    seed(5);
    await store.acquireLease('sync:entity:contact', 'other-replica', 60_000, clock.now());
    const result = await reconciler.run();
    expect(result.entries[0]).toMatchObject({ status: 'skipped', skipReason: expect.stringContaining('Another process') });
    expect(await store.countRecords('contact')).toMatchObject({ active: 0 });
    expect(await store.getLease('sync:entity:contact', clock.now())).toMatchObject({ owner: 'other-replica' });
  });

  it('releases its lease after a run, even a failed one', async () => {
    const { clock, source, store, reconciler, seed } = setup({ retry: false });
    seed(5);
    source.failAfter(0, new OdooValidationError('boom'));
    await reconciler.run();
    expect(await store.getLease('sync:entity:contact', clock.now())).toBeNull();
  });

  it('stops at a checkpoint when aborted', async () => {
    const { source, store, reconciler, seed } = setup();
    seed(50);
    const controller = new AbortController();
    reconciler.on('entity:done', () => undefined);
    controller.abort();
    const result = await reconciler.run({ signal: controller.signal });
    expect(result.entries[0]).toMatchObject({ status: 'failed', error: { code: 'run_aborted' } });
    expect(await store.countRecords('contact')).toMatchObject({ active: 0 });
    expect(source.get('res.partner', 1)).toBeDefined();
  });

  it('moves a partner from contact to account when it becomes a company', async () => {
    const { clock, source, store, reconciler, seed } = setup({ entities: ['contact', 'account'] });
    seed(10);
    await reconciler.run();
    await clock.advance(1000);
    source.write('res.partner', { id: 7, is_company: true, name: 'Seven Corp' });
    const result = await reconciler.run();
    expect(result.entries.map((e) => [e.entity, e.counts.softDeleted, e.counts.inserted])).toEqual([
      ['contact', 1, 0],
      ['account', 0, 1],
    ]);
    expect(await store.getRecord('contact', 7)).toMatchObject({ inactiveReason: 'deleted' });
    expect(await store.getRecord('account', 7)).toMatchObject({ isActive: true, data: { name: 'Seven Corp' } });
  });

  it('reconciles one record for a webhook: insert, update, archive and delete', async () => {
    const { clock, source, store, reconciler } = setup();
    source.write('res.partner', partner(1));
    expect(await reconciler.reconcileRecord('contact', 1)).toMatchObject({ outcome: 'inserted' });
    expect(await reconciler.reconcileRecord('contact', 1)).toMatchObject({ outcome: 'unchanged' });
    await clock.advance(1000);
    source.write('res.partner', { id: 1, name: 'New name' });
    expect(await reconciler.reconcileRecord('contact', 1)).toMatchObject({ outcome: 'updated' });
    source.write('res.partner', { id: 1, active: false });
    expect(await reconciler.reconcileRecord('contact', 1)).toMatchObject({ outcome: 'archived' });
    source.unlink('res.partner', [1]);
    expect(await reconciler.reconcileRecord('contact', 1)).toMatchObject({ outcome: 'deleted' });
    expect(await reconciler.reconcileRecord('contact', 99)).toMatchObject({ outcome: 'absent' });
    expect(await store.getRecord('contact', 1)).toMatchObject({ inactiveReason: 'deleted', data: { name: 'New name' } });
    expect(reconciler.entitiesOfModel('res.partner')).toEqual(['contact']);
  });

  it('emits run and entity events', async () => {
    const { reconciler, seed } = setup();
    seed(3);
    const events: string[] = [];
    reconciler.on('run:start', () => events.push('run:start'));
    reconciler.on('entity:done', (entry) => events.push(`entity:done:${entry.entity}`));
    reconciler.on('run:finish', (result) => events.push(`run:finish:${result.status}`));
    await reconciler.run();
    expect(events).toEqual(['run:start', 'entity:done:contact', 'run:finish:success']);
  });

  it('names its events <noun>:<past-tense verb>, and still emits their former names', async () => {
    const { reconciler, seed } = setup();
    seed(3);
    const events: string[] = [];
    reconciler.on('run:started', () => events.push('run:started'));
    reconciler.on('entity:finished', (entry) => events.push(`entity:finished:${entry.entity}`));
    reconciler.on('run:finished', (result) => events.push(`run:finished:${result.status}`));
    reconciler.on('run:start', () => events.push('run:start'));
    reconciler.on('run:finish', () => events.push('run:finish'));
    await reconciler.run();
    expect(events).toEqual(['run:started', 'run:start', 'entity:finished:contact', 'run:finished:success', 'run:finish']);
  });

  it('emits entity:failed (and its former name run:error) for an entity that failed', async () => {
    const { source, reconciler, seed } = setup({ retry: false });
    seed(5);
    source.failAfter(0, new OdooValidationError('boom'));
    const events: string[] = [];
    reconciler.on('entity:failed', ({ entity, error }) => events.push(`entity:failed:${entity}:${(error as Error).message}`));
    reconciler.on('run:error', ({ entity }) => events.push(`run:error:${entity}`));
    await reconciler.run();
    expect(events).toEqual(['entity:failed:contact:boom', 'run:error:contact']);
  });

  it('validates its options up front', () => {
    const { source, store } = setup();
    expect(() => new Reconciler({ source, store, pageSize: 0 })).toThrow(TypeError);
    expect(() => new Reconciler({ source, store, maxDeleteRatio: 2 })).toThrow(TypeError);
    expect(() => new Reconciler({ source, store, entities: ['partner'] })).toThrow(TypeError);
    expect(() => new Reconciler({ source, store, concurrency: 0 })).toThrow(TypeError);
    expect(() => new Reconciler({ source, store, concurrency: 7 })).toThrow(TypeError);
    expect(() => new Reconciler({ source, store, retry: { retries: -1 } })).toThrow(TypeError);
    expect(() => new Reconciler({ source, store, retry: { minTimeoutMs: 50, maxTimeoutMs: 10 } })).toThrow(TypeError);
  });

  it('with concurrency, syncs several entities at once and reports them in run order', async () => {
    const { source, store, seed } = setup();
    seed(40);
    for (let id = 41; id <= 60; id++) source.write('res.partner', partner(id, { is_company: true }));
    let reading = 0;
    let maxReading = 0;
    const slow: SourceReader = {
      readAllIds: (query, options) => source.readAllIds(query, options),
      readByIds: (query, ids, options) => source.readByIds(query, ids, options),
      readChanged,
    };
    async function* readChanged(query: SourceQuery, options: ReadChangedOptions) {
      reading++;
      maxReading = Math.max(maxReading, reading);
      try {
        for await (const page of source.readChanged(query, options)) {
          await new Promise((resolve) => setTimeout(resolve, 2));
          yield page;
        }
      } finally {
        reading--;
      }
    }
    const entities = ['contact', 'account', 'odoo_user', 'employee'] as const;
    const reconciler = new Reconciler({ source: slow, store, entities, concurrency: 3, pageSize: 10, overlapMs: 0, retry: false });
    const result = await reconciler.run({ mode: 'full' });
    expect(maxReading).toBe(3);
    expect(result.status).toBe('success');
    expect(result.entries.map((entry) => entry.entity)).toEqual([...entities]);
    expect(await store.countRecords('contact')).toMatchObject({ active: 40 });
    expect(await store.countRecords('account')).toMatchObject({ active: 20 });
    const sequential = new Reconciler({ source: slow, store, entities, pageSize: 10, overlapMs: 0, retry: false });
    maxReading = 0;
    await sequential.run({ mode: 'full' });
    expect(maxReading).toBe(1);
  });
});
