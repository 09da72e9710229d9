import { expect, it } from 'vitest';
import { activityTypeLabel, filterQuery, hasFilters, NO_FILTERS, parseTypes } from './model.js';

it('turns the filters into the activity API query, leaving out what is not set', () => {
  expect(parseTypes(' call, meeting ,,')).toEqual(['call', 'meeting']);
  expect(filterQuery({ ...NO_FILTERS, types: ['call', 'meeting'], userId: ' u1 ', from: '2026-03-01', source: 'odoo' })).toEqual({
    type: 'call,meeting',
    userId: 'u1',
    from: '2026-03-01',
    to: '',
    entityType: '',
    entityId: '',
    source: 'odoo',
    q: '',
  });
  expect(hasFilters(NO_FILTERS)).toBe(false);
  expect(hasFilters({ ...NO_FILTERS, q: 'x' })).toBe(true);
});

it('names activity types in words, its own and others', () => {
  expect(activityTypeLabel('opportunity_won')).toBe('Opportunity won');
  expect(activityTypeLabel('quote_sent')).toBe('Quote sent');
});
