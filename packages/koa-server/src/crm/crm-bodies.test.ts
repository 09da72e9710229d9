import { describe, expect, it } from 'vitest';
import { accountValues, contactValues, opportunityCreateSchema, opportunityPatchSchema, opportunityValues } from './crm-bodies.js';

describe('CRM bodies → Odoo values', () => {
  it('an opportunity: API names to Odoo fields, the contact as customer over the account, the caller as default salesperson', () => {
    expect(
      opportunityValues(
        { name: 'Cloud Migration Project', accountId: 7, contactId: 31, expectedRevenue: 48000, probability: 20, stageId: 3, tagIds: [4, 5], dateDeadline: '2027-03-31' },
        { create: true, defaultUserId: 6 },
      ),
    ).toEqual({
      name: 'Cloud Migration Project',
      partner_id: 31,
      expected_revenue: 48000,
      probability: 20,
      stage_id: 3,
      tag_ids: [[6, 0, [4, 5]]],
      date_deadline: '2027-03-31',
      type: 'opportunity',
      user_id: 6,
    });
    expect(opportunityValues({ name: 'X', userId: null }, { create: true, defaultUserId: 6 })).toEqual({ name: 'X', user_id: false, type: 'opportunity' });
    expect(opportunityValues({ accountId: 7 }, { create: false })).toEqual({ partner_id: 7 });
    expect(opportunityValues({ contactId: null }, { create: false })).toEqual({ partner_id: false });
    expect(opportunityValues({ dateDeadline: null, probability: 0 }, { create: false })).toEqual({ date_deadline: false, probability: 0 });
  });

  it('accounts are companies, contacts are people whose parent is their account; null clears', () => {
    expect(accountValues({ name: 'Initech', countryId: 21, vat: null }, { create: true })).toEqual({ name: 'Initech', country_id: 21, vat: false, is_company: true });
    expect(contactValues({ name: 'Peter', accountId: 9 }, { create: true })).toEqual({ name: 'Peter', parent_id: 9, is_company: false, type: 'contact' });
    expect(contactValues({ accountId: null, email: null }, { create: false })).toEqual({ parent_id: false, email: false });
  });

  it('refuses unknown fields, out-of-range values and an empty update', () => {
    expect(opportunityCreateSchema.safeParse({ name: 'X', probability: 101 }).success).toBe(false);
    expect(opportunityCreateSchema.safeParse({ name: 'X', partner_id: 3 }).success).toBe(false);
    expect(opportunityCreateSchema.safeParse({ probability: 10 }).success).toBe(false);
    expect(opportunityCreateSchema.safeParse({ name: 'X', dateDeadline: '31/03/2027' }).success).toBe(false);
    expect(opportunityPatchSchema.safeParse({}).success).toBe(false);
    expect(opportunityPatchSchema.safeParse({ probability: 50 }).success).toBe(true);
  });
});
