/**
 * Changes Odoo makes without a new `write_date` (references cleared by a deletion), and the
 * mass-archive guard.
 */
import { describe, expect, it } from 'vitest';
import { ArchiveGuard } from '../src/sync/archive-guard.js';
import { ManualClock } from '../src/clock.js';
import { ENTITY_SPECS } from '../src/entities/entities.js';
import { MemorySource } from '../src/sync/memory-source.js';
import { MemoryStore } from '../src/memory-store.js';
import type { Alert, Notifier } from '../src/ports.js';
import { Reconciler, type ReconcilerOptions } from '../src/sync/reconciler.js';
import { pointsAtAny, referencesTo } from '../src/sync/references.js';

function company(id: number) {
  return { id, name: `Company ${id}`, email: false, phone: false, website: false, vat: false, city: false, country_id: false, parent_id: false, is_company: true, active: true };
}

function person(id: number, parent: number | false) {
  return {
    id,
    name: `Person ${id}`,
    email: false,
    phone: false,
    function: false,
    city: false,
    parent_id: parent === false ? false : [parent, `Company ${parent}`],
    commercial_partner_id: parent === false ? [id, `Person ${id}`] : [parent, `Company ${parent}`],
    is_company: false,
    active: true,
  };
}

function lead(id: number, partner: number | false) {
  return {
    id,
    name: `Deal ${id}`,
    type: 'opportunity',
    user_id: false,
    team_id: false,
    partner_id: partner === false ? false : [partner, `Company ${partner}`],
    stage_id: false,
    probability: 10,
    expected_revenue: 1000,
    date_deadline: false,
    date_closed: false,
    company_id: false,
    lost_reason_id: false,
    active: true,
  };
}

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
    entities: ['account', 'contact', 'opportunity'],
    pageSize: 10,
    overlapMs: 0,
    retry: false,
    ...options,
  });
  return { clock, source, store, reconciler, alerts };
}

/** What PostgreSQL does on `ON DELETE SET NULL`: the column is cleared, `write_date` stays. */
function setNull(source: MemorySource, model: string, id: number, field: string, writeDate: string): void {
  source.write(model, { id, [field]: false, write_date: writeDate });
}

describe('records pointing at deleted ones', () => {
  it('the specs declare which fields point at which model', () => {
    expect(referencesTo(Object.values(ENTITY_SPECS), 'res.partner')).toEqual([
      { entity: 'account', fields: ['parent_id'] },
      { entity: 'contact', fields: ['parent_id', 'commercial_partner_id'] },
      { entity: 'opportunity', fields: ['partner_id'] },
      { entity: 'invoice', fields: ['partner_id'] },
    ]);
    expect(referencesTo(Object.values(ENTITY_SPECS), 'res.users').map((r) => r.entity)).toEqual(['opportunity', 'invoice', 'employee']);
    expect(pointsAtAny({ partnerId: { id: 7, name: 'X' } }, ['partner_id'], new Set([7]))).toBe(true);
    expect(pointsAtAny({ partnerId: null }, ['partner_id'], new Set([7]))).toBe(false);
  });

  it('an incremental run that finds a partner deleted reads again the opportunities and contacts that named it', async () => {
    const { clock, source, store, reconciler } = setup();
    for (let id = 1; id <= 10; id++) source.write('res.partner', company(id));
    source.write('res.partner', person(20, 3));
    source.write('res.partner', person(21, 4));
    for (let id = 1; id <= 6; id++) source.write('crm.lead', lead(100 + id, id));
    // Later writes move every cursor past the rows above (incremental reads start at the cursor).
    await clock.advance(60_000);
    source.write('res.partner', { id: 10, name: 'Company ten' });
    source.write('crm.lead', { id: 106, name: 'Deal six' });
    await reconciler.run({ mode: 'full' });
    const stamped = String(source.get('crm.lead', 103)?.['write_date']);

    await clock.advance(60_000);
    // Odoo deletes company 3: the database clears the references, no write_date moves.
    source.unlink('res.partner', [3]);
    setNull(source, 'crm.lead', 103, 'partner_id', stamped);
    source.write('res.partner', { ...person(20, false), write_date: String(source.get('res.partner', 20)?.['write_date']) });

    const result = await reconciler.run();
    expect(result.status).toBe('success');
    expect(result.entries.find((e) => e.entity === 'account')?.counts.softDeleted).toBe(1);
    expect((await store.getRecord('opportunity', 103))?.data).toMatchObject({ partnerId: null });
    expect((await store.getRecord('contact', 20))?.data).toMatchObject({ parentId: null, commercialPartnerId: { id: 20 } });
    // The others still name their company.
    expect((await store.getRecord('opportunity', 104))?.data).toMatchObject({ partnerId: { id: 4 } });
    expect((await store.getRecord('contact', 21))?.data).toMatchObject({ parentId: { id: 4 } });
    const filtered = await store.queryRecords('opportunity', { where: { 'partnerId.id': 3 } });
    expect(filtered.items).toEqual([]);
  });

  it('a webhook for a deleted partner does the same', async () => {
    const { source, store, reconciler } = setup();
    for (let id = 1; id <= 5; id++) source.write('res.partner', company(id));
    source.write('crm.lead', lead(101, 2));
    await reconciler.run({ mode: 'full' });
    const stamped = String(source.get('crm.lead', 101)?.['write_date']);
    source.unlink('res.partner', [2]);
    setNull(source, 'crm.lead', 101, 'partner_id', stamped);
    expect(await reconciler.reconcileRecord('account', 2)).toMatchObject({ outcome: 'deleted' });
    expect((await store.getRecord('opportunity', 101))?.data).toMatchObject({ partnerId: null });
  });
});

describe('mass-archive guard', () => {
  it('blocks a run that archives more than the allowed share: nothing archived, failed, alert; force archives', async () => {
    const { clock, source, store, reconciler, alerts } = setup({ entities: ['account'] });
    for (let id = 1; id <= 20; id++) source.write('res.partner', company(id));
    await reconciler.run({ mode: 'full' });
    await clock.advance(60_000);
    for (let id = 1; id <= 5; id++) {
      await clock.advance(1000);
      source.write('res.partner', { id, active: false });
    }
    await clock.advance(1000);
    source.write('res.partner', { id: 9, name: 'Renamed' });

    const blocked = await reconciler.run();
    expect(blocked.status).toBe('failed');
    expect(blocked.entries[0]?.error).toMatchObject({ code: 'mass_archive_blocked' });
    expect(await store.countRecords('account')).toEqual({ active: 20, archived: 0, deleted: 0 });
    // Other changes of the run are applied.
    expect((await store.getRecord('account', 9))?.data).toMatchObject({ name: 'Renamed' });
    expect(alerts.map((a) => [a.kind, a.details['wouldArchive'], a.details['activeCount']])).toEqual([['mass_archive_blocked', 5, 20]]);
    // The cursor did not pass the archived rows: a later run (incremental) still finds them.
    expect(blocked.entries[0]?.cursorAfter).toBe('2026-03-01T10:01:01.000Z');

    const again = await reconciler.run();
    expect(again.entries[0]?.error).toMatchObject({ code: 'mass_archive_blocked' });
    const forced = await reconciler.run({ force: true });
    expect(forced.status).toBe('success');
    expect(forced.entries[0]?.counts.archived).toBe(5);
    expect(await store.countRecords('account')).toEqual({ active: 15, archived: 5, deleted: 0 });
  });

  it('lets through archiving within the share, across pages', async () => {
    const { clock, source, store, reconciler, alerts } = setup({ entities: ['account'] });
    for (let id = 1; id <= 30; id++) source.write('res.partner', company(id));
    await reconciler.run({ mode: 'full' });
    await clock.advance(60_000);
    for (let id = 1; id <= 30; id += 5) source.write('res.partner', { id, active: false });
    const result = await reconciler.run();
    expect(result.status).toBe('success');
    expect(result.entries[0]?.counts.archived).toBe(6);
    expect(await store.countRecords('account')).toEqual({ active: 24, archived: 6, deleted: 0 });
    expect(alerts).toEqual([]);
  });

  it('ArchiveGuard: holds back archives of active records only, and checks its options', () => {
    const guard = new ArchiveGuard({ activeBefore: 10, maxArchiveRatio: 0.2 });
    const write = (odooId: number) => ({ odooId, data: {}, hash: 'h', isActive: false, inactiveReason: 'archived' as const, odooWriteDate: '2026-01-01T00:00:0' + odooId + '.000Z' });
    const states = new Map([
      [1, { hash: 'x', isActive: true, inactiveReason: null }],
      [2, { hash: 'x', isActive: false, inactiveReason: 'deleted' as const }],
      [3, { hash: 'x', isActive: true, inactiveReason: null }],
    ]);
    expect(guard.admit([write(1), write(2), write(3)], states).map((w) => w.odooId)).toEqual([2]);
    expect([guard.count, guard.blocked]).toEqual([2, false]);
    expect(guard.capCursor(null, '2026-01-01T00:00:09.000Z')).toBe('2026-01-01T00:00:01.000Z');
    guard.admit([write(3)], states);
    expect(guard.blocked).toBe(true);
    expect(() => guard.held()).toThrow(TypeError);
    expect(new ArchiveGuard({ activeBefore: 10, force: true }).admit([write(1)], states)).toHaveLength(1);
    expect(() => new ArchiveGuard({ activeBefore: 10, maxArchiveRatio: 2 })).toThrow(TypeError);
    expect(() => new Reconciler({ source: new MemorySource(), store: new MemoryStore(), maxArchiveRatio: -1 })).toThrow(TypeError);
  });
});
