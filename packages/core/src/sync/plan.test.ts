import { describe, expect, it } from 'vitest';
import { ENTITY_SPECS } from '../entities/entities.js';
import { stableHash } from './hash.js';
import type { SourceRecord, StoredState } from '../model.js';
import { incrementalSince, laterCursor, planDeletions, planReconcile, toSourceRecord } from './plan.js';

const contactRow = (id: number, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Person ${id}`,
  email: `p${id}@example.com`,
  phone: false,
  function: false,
  city: 'Lyon',
  parent_id: [500, 'Acme'],
  commercial_partner_id: [500, 'Acme'],
  write_date: '2026-03-01 10:00:00',
  active: true,
  ...extra,
});

const source = (id: number, extra: Record<string, unknown> = {}) => {
  const record = toSourceRecord(ENTITY_SPECS.contact, contactRow(id, extra));
  if ('invalid' in record) throw new Error(record.reason);
  return record;
};

const stored = (record: SourceRecord, overrides: Partial<StoredState> = {}): StoredState => ({
  hash: record.hash,
  isActive: true,
  inactiveReason: null,
  ...overrides,
});

describe('toSourceRecord', () => {
  it('normalises an Odoo row into a hashed record', () => {
    const record = source(7);
    expect(record).toEqual({
      odooId: 7,
      data: {
        odooId: 7,
        name: 'Person 7',
        email: 'p7@example.com',
        phone: null,
        function: null,
        city: 'Lyon',
        parentId: { id: 500, name: 'Acme' },
        commercialPartnerId: { id: 500, name: 'Acme' },
      },
      hash: stableHash(record.data),
      active: true,
      writeDate: '2026-03-01T10:00:00.000Z',
    });
  });

  it('reports a row that fails the schema instead of mapping it', () => {
    const record = toSourceRecord(ENTITY_SPECS.invoice, {
      id: 3,
      name: 'INV/1',
      move_type: 'out_invoice',
      state: 'posted',
      payment_state: 'paid',
      amount_total: 'lots',
      amount_residual: 0,
      invoice_date: '2026-01-01',
      invoice_date_due: false,
      partner_id: [1, 'Acme'],
      currency_id: [1, 'EUR'],
      invoice_user_id: false,
      write_date: '2026-03-01 10:00:00',
    });
    expect(record).toMatchObject({ odooId: 3, invalid: true });
    expect((record as { reason: string }).reason).toContain('amountTotal');
  });

  it('reports a row without a usable id', () => {
    expect(toSourceRecord(ENTITY_SPECS.contact, { ...contactRow(1), id: -4 })).toMatchObject({ odooId: 0, invalid: true });
  });

  it('treats models without an active field as always active', () => {
    const record = toSourceRecord(ENTITY_SPECS.invoice, {
      id: 3,
      name: 'INV/1',
      move_type: 'out_refund',
      state: 'draft',
      payment_state: false,
      amount_total: 10.5,
      amount_residual: 10.5,
      invoice_date: false,
      invoice_date_due: false,
      partner_id: false,
      currency_id: [1, 'EUR'],
      invoice_user_id: false,
      write_date: false,
    });
    expect(record).toMatchObject({ active: true, writeDate: null, data: { paymentState: null, partnerId: null } });
  });
});

describe('planReconcile', () => {
  it('inserts records the store does not have', () => {
    const plan = planReconcile([source(1), source(2)], new Map());
    expect(plan.inserts.map((w) => w.odooId)).toEqual([1, 2]);
    expect(plan.inserts[0]).toMatchObject({ isActive: true, inactiveReason: null, odooWriteDate: '2026-03-01T10:00:00.000Z' });
    expect(plan.updates).toEqual([]);
  });

  it('updates only when the hash changed', () => {
    const before = source(1);
    const after = source(1, { email: 'new@example.com' });
    const plan = planReconcile([after, source(2)], new Map([[1, stored(before)], [2, stored(source(2))]]));
    expect(plan.updates.map((w) => [w.odooId, w.data.email])).toEqual([[1, 'new@example.com']]);
    expect(plan.unchanged).toEqual([2]);
  });

  it('sees the same data with keys in another order as unchanged', () => {
    const record = source(1);
    const reordered = Object.fromEntries(Object.entries(record.data).reverse()) as typeof record.data;
    const again: SourceRecord = { ...record, data: reordered, hash: stableHash(reordered) };
    expect(planReconcile([again], new Map([[1, stored(record)]])).unchanged).toEqual([1]);
  });

  it('sees a change in a field outside the record (write_date only) as unchanged', () => {
    const record = source(1);
    const touched = source(1, { write_date: '2026-03-02 11:00:00' });
    expect(planReconcile([touched], new Map([[1, stored(record)]])).unchanged).toEqual([1]);
  });

  it('archives a record archived in Odoo and inserts archived ones inactive', () => {
    const active = source(1);
    const archived = source(1, { active: false });
    const plan = planReconcile([archived, source(2, { active: false })], new Map([[1, stored(active)]]));
    expect(plan.archives).toEqual([expect.objectContaining({ odooId: 1, isActive: false, inactiveReason: 'archived' })]);
    expect(plan.inserts).toEqual([expect.objectContaining({ odooId: 2, isActive: false, inactiveReason: 'archived' })]);
  });

  it('leaves an archived record that is still archived and unchanged alone', () => {
    const archived = source(1, { active: false });
    const plan = planReconcile([archived], new Map([[1, stored(archived, { isActive: false, inactiveReason: 'archived' })]]));
    expect(plan.unchanged).toEqual([1]);
  });

  it('reactivates records that come back, whether archived or deleted before', () => {
    const record = source(1);
    const plan = planReconcile(
      [record, source(2)],
      new Map([
        [1, stored(record, { isActive: false, inactiveReason: 'archived' })],
        [2, stored(source(2), { isActive: false, inactiveReason: 'deleted' })],
      ]),
    );
    expect(plan.reactivations.map((w) => [w.odooId, w.isActive, w.inactiveReason])).toEqual([
      [1, true, null],
      [2, true, null],
    ]);
  });

  it('turns a deleted record that reappears archived into an archived one', () => {
    const archived = source(1, { active: false });
    const plan = planReconcile([archived], new Map([[1, stored(archived, { isActive: false, inactiveReason: 'deleted' })]]));
    expect(plan.archives.map((w) => w.odooId)).toEqual([1]);
  });

  it('never plans a write for an invalid record, so good stored data stays', () => {
    const good = source(1);
    const invalid = { odooId: 1, invalid: true as const, reason: 'name: expected string' };
    const plan = planReconcile([invalid], new Map([[1, stored(good)]]));
    expect(plan).toEqual({ inserts: [], updates: [], reactivations: [], archives: [], unchanged: [], invalid: [invalid] });
  });

  it('keeps the last occurrence when an id appears twice in a page', () => {
    const plan = planReconcile([source(1), source(1, { email: 'later@example.com' })], new Map());
    expect(plan.inserts.map((w) => w.data.email)).toEqual(['later@example.com']);
  });
});

describe('planDeletions', () => {
  it('soft-deletes stored ids missing from the source', () => {
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    const plan = planDeletions(ids.filter((id) => id !== 4), ids);
    expect(plan).toEqual({ softDeletes: [4], missing: [4], blocked: false });
  });

  it('does nothing when nothing is missing, or nothing is stored', () => {
    expect(planDeletions([1, 2, 3], [1, 2])).toEqual({ softDeletes: [], missing: [], blocked: false });
    expect(planDeletions([], [])).toEqual({ softDeletes: [], missing: [], blocked: false });
  });

  it('blocks a mass deletion above the ratio and deletes nothing', () => {
    const stored = Array.from({ length: 10 }, (_, i) => i + 1);
    const plan = planDeletions([1, 2, 3, 4, 5, 6, 7], stored);
    expect(plan.blocked).toBe(true);
    expect(plan.softDeletes).toEqual([]);
    expect(plan.missing).toEqual([8, 9, 10]);
    expect(plan.reason).toContain('3 of 10');
  });

  it('blocks when the source returns no ids at all (an empty answer is not a wipe)', () => {
    expect(planDeletions([], [1, 2, 3]).blocked).toBe(true);
  });

  it('allows exactly the ratio and obeys a custom ratio', () => {
    const stored = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(planDeletions([1, 2, 3, 4, 5, 6, 7, 8], stored).softDeletes).toEqual([9, 10]);
    expect(planDeletions([1, 2, 3, 4, 5, 6, 7, 8], stored, { maxDeleteRatio: 0.1 }).blocked).toBe(true);
  });

  it('deletes above the ratio with force', () => {
    const plan = planDeletions([1], [1, 2, 3, 4], { force: true });
    expect(plan).toEqual({ softDeletes: [2, 3, 4], missing: [2, 3, 4], blocked: false });
  });

  it('rejects a ratio outside 0–1', () => {
    expect(() => planDeletions([], [], { maxDeleteRatio: 1.5 })).toThrow(TypeError);
  });
});

describe('cursor overlap', () => {
  it('starts an incremental read the overlap before the cursor', () => {
    expect(incrementalSince('2026-03-01T10:00:00.000Z', 600_000)?.toISOString()).toBe('2026-03-01T09:50:00.000Z');
    expect(incrementalSince(null, 600_000)).toBeNull();
  });

  it('re-reads rows written in the same second as the cursor even with no overlap', () => {
    const since = incrementalSince('2026-03-01T10:00:05.000Z', 0);
    const sameSecond = '2026-03-01 10:00:05';
    const odooSince = since?.toISOString().slice(0, 19).replace('T', ' ');
    expect(sameSecond >= (odooSince ?? '')).toBe(true);
  });

  it('keeps the later of two cursors', () => {
    expect(laterCursor('2026-03-01T10:00:00.000Z', '2026-03-01T09:00:00.000Z')).toBe('2026-03-01T10:00:00.000Z');
    expect(laterCursor(null, '2026-03-01T09:00:00.000Z')).toBe('2026-03-01T09:00:00.000Z');
    expect(laterCursor('2026-03-01T09:00:00.000Z', null)).toBe('2026-03-01T09:00:00.000Z');
  });
});
