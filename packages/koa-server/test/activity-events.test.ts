import type { OdooLink, User } from '@odoo-sync/core';
import { describe, expect, it } from 'vitest';
import { linkActivity, linkChange } from '../src/http/activity-events.js';

const link = (odooUserId: number | null, employeeId: number | null, strategy: OdooLink['strategy'] = 'manual'): OdooLink => ({
  odooUserId,
  employeeId,
  strategy,
  linkedAt: '2026-03-01T08:00:00.000Z',
  linkedBy: 'admin-1',
});

const ana = (odooLink: OdooLink | null): User =>
  ({ id: 'ana', name: 'Ana Souza', email: 'ana@contoso.test', role: 'user', status: 'approved', odooLink }) as User;

const admin = { userId: 'admin-1', userName: 'Admin' };

describe('link activities', () => {
  it('names the change: linked, relinked, unlinked, or nothing', () => {
    expect(linkChange(null, link(2, 1))).toBe('linked');
    expect(linkChange(link(2, 1), link(6, 2))).toBe('relinked');
    expect(linkChange(link(2, 1, 'email'), link(2, 1, 'manual'))).toBe('relinked');
    expect(linkChange(link(2, 1), null)).toBe('unlinked');
    expect(linkChange(link(2, 1), { ...link(2, 1), linkedAt: '2026-04-01T00:00:00.000Z' })).toBeNull();
    expect(linkChange(null, null)).toBeNull();
  });

  it('by the person or by an admin, with the ids before and after and no evidence', () => {
    expect(linkActivity({ userId: 'ana', userName: 'Ana Souza' }, ana(link(2, 1, 'email')), null, false)).toMatchObject({
      activityType: 'user_linked',
      title: 'Linked Ana Souza to Odoo',
      userId: 'ana',
      metadata: { before: { odooUserId: null, employeeId: null }, after: { odooUserId: 2, employeeId: 1, strategy: 'email' } },
    });
    expect(linkActivity(admin, ana(null), link(2, 1), true)).toMatchObject({ activityType: 'user_unlinked_by_admin', title: 'Unlinked Ana Souza from Odoo', userId: 'admin-1' });
    expect(linkActivity(admin, ana(link(null, null)), null, true)).toMatchObject({ activityType: 'user_linked_by_admin', title: 'Marked Ana Souza as not in Odoo' });
    expect(linkActivity(admin, ana(link(2, 1)), link(2, 1), true)).toBeNull();
  });
});
