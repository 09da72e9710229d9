import { describe, expect, it } from 'vitest';
import { inactiveLabel, recordKind } from './record-columns.js';
import { countsInWords, linkKind, ownLinkExplanation, parseIntervalMinutes, peopleInOrder, syncErrorWords, type OdooLinkView } from './words.js';

const link = (patch: Partial<OdooLinkView>): OdooLinkView => ({ odooUserId: 6, employeeId: 2, strategy: 'email', linkedAt: '2026-03-02T10:00:00.000Z', linkedBy: 'u1', ...patch });

describe('the link a person has', () => {
  it('offers "Link to Odoo" without a link and over an automatic one, never over an admin\'s', () => {
    expect(ownLinkExplanation(null).canRelink).toBe(true);
    expect(ownLinkExplanation(link({ strategy: 'name' })).canRelink).toBe(true);
    expect(ownLinkExplanation(link({ strategy: 'manual' })).canRelink).toBe(false);
    expect(ownLinkExplanation(link({ strategy: 'manual', odooUserId: null, employeeId: null })).canRelink).toBe(false);
  });

  it('tells a hand-made link from an admin\'s "not in Odoo" (a manual link to nobody)', () => {
    expect(linkKind(link({ strategy: 'manual', odooUserId: null }))).toBe('manual');
    expect(linkKind(link({ strategy: 'manual', odooUserId: null, employeeId: null }))).toBe('not_in_odoo');
    expect(linkKind(link({ strategy: 'salesperson' }))).toBe('automatic');
    expect(linkKind(null)).toBe('none');
  });
});

describe('the sync interval a person types', () => {
  it('takes whole minutes from 5 to 60 and says why anything else is refused', () => {
    expect(parseIntervalMinutes(' 15 ')).toEqual({ ok: true, minutes: 15 });
    expect(parseIntervalMinutes('5')).toEqual({ ok: true, minutes: 5 });
    expect(parseIntervalMinutes('60')).toEqual({ ok: true, minutes: 60 });
    for (const bad of ['4', '61', '0', '', '7.5', '-10', '1e1', 'ten']) expect(parseIntervalMinutes(bad).ok, bad).toBe(false);
  });
});

describe('sync logs in words', () => {
  it('names only what changed', () => {
    const zero = { fetched: 9, inserted: 0, updated: 0, archived: 0, reactivated: 0, softDeleted: 0, unchanged: 9, invalid: 0 };
    expect(countsInWords(zero)).toBe('no changes');
    expect(countsInWords({ ...zero, inserted: 1200, softDeleted: 1, invalid: 2 })).toBe('1,200 new, 1 deleted in Odoo, 2 invalid');
  });

  it('has words for the errors a run records, and none for a code it does not know', () => {
    expect(syncErrorWords('odoo_auth_failed')).toMatch(/Odoo refused/);
    expect(syncErrorWords('mass_deletion_blocked')).toMatch(/safety/);
    expect(syncErrorWords('something_new')).toBeNull();
  });
});

it('puts the people waiting for approval first, keeping the server\'s order otherwise', () => {
  const people = [
    { id: 'a', status: 'approved' as const },
    { id: 'b', status: 'pending' as const },
    { id: 'c', status: 'rejected' as const },
    { id: 'd', status: 'approved' as const },
    { id: 'e', status: 'pending' as const },
  ];
  expect(peopleInOrder(people).map((p) => p.id)).toEqual(['b', 'e', 'a', 'd', 'c']);
});

describe('records', () => {
  it('labels archived and deleted records apart', () => {
    expect(inactiveLabel({ isActive: true, inactiveReason: null })).toBeNull();
    expect(inactiveLabel({ isActive: false, inactiveReason: 'archived' })).toBe('Archived');
    expect(inactiveLabel({ isActive: false, inactiveReason: 'deleted' })).toBe('Deleted in Odoo');
  });

  it('reads many2one names and money, and refuses an entity that is not a path segment', () => {
    const invoices = recordKind('invoices');
    const row = { name: 'INV/1', partnerId: { id: 10, name: 'Acme' }, amountTotal: 1210, currencyId: { id: 1, name: 'EUR' }, state: 'posted', paymentState: 'partial' };
    expect(invoices?.columns.map((c) => c.value(row))).toEqual(['INV/1', 'Acme', '', '', '1,210.00 EUR', '', 'Posted, partly paid']);
    expect(recordKind('products')?.columns.map((c) => c.label)).toEqual(['Name']);
    expect(recordKind('../admin/users')).toBeNull();
  });
});
