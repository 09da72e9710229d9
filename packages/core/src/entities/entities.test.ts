import { describe, expect, it } from 'vitest';
import { ENTITY_NAMES, ENTITY_SPECS, getEntitySpec, isEntityName, mapOdooRow, odooFieldsOf, sourceQueryOf } from './entities.js';
import { canonicalJson, stableHash } from '../sync/hash.js';
import { camelCase, odooDatetime, odooMany2One } from './odoo-values.js';

describe('Odoo value normalisation', () => {
  it('turns Odoo datetimes and ISO strings into ISO-8601 UTC with Z', () => {
    expect(odooDatetime('2026-03-01 10:00:05')).toBe('2026-03-01T10:00:05.000Z');
    expect(odooDatetime('2026-03-01T10:00:05Z')).toBe('2026-03-01T10:00:05.000Z');
    expect(odooDatetime(false)).toBeNull();
    expect(odooDatetime('yesterday')).toBe('yesterday');
  });

  it('passes through what the adapter already normalised, and converts the rest as before', () => {
    expect(odooDatetime('2026-03-01T10:00:05.000Z')).toBe('2026-03-01T10:00:05.000Z');
    expect(odooDatetime('2026-03-01T10:00:05.123Z')).toBe('2026-03-01T10:00:05.000Z');
    expect(odooDatetime('2024-02-30T10:00:00.000Z')).toBe('2024-03-01T10:00:00.000Z');
    expect(odooDatetime('2024-02-29 23:59:59')).toBe('2024-02-29T23:59:59.000Z');
    const reference = { id: 3, name: 'Acme' };
    expect(odooMany2One(reference)).toBe(reference);
    expect(odooMany2One({ id: 3, name: 'Acme', extra: 1 })).toEqual({ id: 3, name: 'Acme' });
    expect(odooMany2One({ id: 3 })).toEqual({ id: 3, name: '' });
  });

  it('turns many2one pairs, objects and bare ids into { id, name }', () => {
    expect(odooMany2One([3, 'Acme'])).toEqual({ id: 3, name: 'Acme' });
    expect(odooMany2One({ id: 3, name: 'Acme' })).toEqual({ id: 3, name: 'Acme' });
    expect(odooMany2One(3)).toEqual({ id: 3, name: '' });
    expect(odooMany2One(false)).toBeNull();
  });

  it('camel-cases Odoo field names', () => {
    expect(camelCase('work_email')).toBe('workEmail');
    expect(camelCase('invoice_date_due')).toBe('invoiceDateDue');
    expect(camelCase('name')).toBe('name');
  });
});

describe('entity specs', () => {
  it('map raw Odoo rows: false → null, many2one → object, camelCase keys', () => {
    const result = mapOdooRow(ENTITY_SPECS.employee, {
      id: 12,
      name: 'José Müller',
      work_email: false,
      user_id: [4, 'José Müller'],
      department_id: [2, 'Sales'],
      job_title: 'Account Executive',
      parent_id: false,
      company_id: [1, 'My Company'],
    });
    expect(result).toEqual({
      ok: true,
      record: {
        odooId: 12,
        name: 'José Müller',
        workEmail: null,
        userId: { id: 4, name: 'José Müller' },
        departmentId: { id: 2, name: 'Sales' },
        jobTitle: 'Account Executive',
        parentId: null,
        companyId: { id: 1, name: 'My Company' },
      },
    });
  });

  it('map rows an adapter already normalised to the same record', () => {
    const raw = { id: 9, login: 'ana@x.com', name: 'Ana', email: false };
    const normalised = { id: 9, login: 'ana@x.com', name: 'Ana', email: null };
    expect(mapOdooRow(ENTITY_SPECS.odoo_user, raw)).toEqual(mapOdooRow(ENTITY_SPECS.odoo_user, normalised));
  });

  it('reject a row that breaks the schema with a reason naming the field', () => {
    const result = mapOdooRow(ENTITY_SPECS.opportunity, {
      id: 1,
      name: false,
      type: 'opportunity',
      user_id: false,
      team_id: false,
      partner_id: false,
      stage_id: [1, 'New'],
      probability: 10,
      expected_revenue: 0,
      date_deadline: false,
      date_closed: false,
      company_id: false,
      lost_reason_id: false,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain('name');
  });

  it('read write_date and active besides their fields, and only active where the model has it', () => {
    expect(odooFieldsOf(ENTITY_SPECS.employee)).toContain('active');
    expect(odooFieldsOf(ENTITY_SPECS.invoice)).not.toContain('active');
    expect(sourceQueryOf(ENTITY_SPECS.invoice)).toMatchObject({ entity: 'invoice', model: 'account.move' });
    expect(odooFieldsOf(ENTITY_SPECS.invoice)).toContain('write_date');
  });

  it('know every entity by name and refuse unknown ones', () => {
    for (const name of ENTITY_NAMES) expect(getEntitySpec(name).name).toBe(name);
    expect(isEntityName('contact')).toBe(true);
    expect(isEntityName('partner')).toBe(false);
    expect(() => getEntitySpec('partner' as never)).toThrow(TypeError);
  });
});

describe('stableHash', () => {
  it('gives the same hash whatever the key order, at any depth', () => {
    expect(stableHash({ a: 1, b: { c: 2, d: [1, { e: 3, f: 4 }] } })).toBe(stableHash({ b: { d: [1, { f: 4, e: 3 }], c: 2 }, a: 1 }));
  });

  it('changes when a value changes, and keeps array order significant', () => {
    expect(stableHash({ a: 1 })).not.toBe(stableHash({ a: 2 }));
    expect(stableHash([1, 2])).not.toBe(stableHash([2, 1]));
  });

  it('ignores undefined members and tells null apart from absent', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(stableHash({ a: 1, b: null })).not.toBe(stableHash({ a: 1 }));
  });
});
