import { describe, expect, it } from 'vitest';
import { inactiveLabel, recordKind } from './record-columns.js';

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
