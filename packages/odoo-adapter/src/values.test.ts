import { describe, expect, it } from 'vitest';
import { normalizeRow, normalizeValue, odooDatetimeToIso } from './values.js';

describe('normalizeValue', () => {
  it.each([
    [false, 'char', null],
    [false, 'text', null],
    [false, 'date', null],
    [false, 'datetime', null],
    [false, 'many2one', null],
    [false, 'integer', null],
    [false, 'selection', null],
    [false, 'boolean', false],
    [true, 'boolean', true],
    [null, 'boolean', false],
    [false, 'many2many', []],
    [[1, 2], 'one2many', [1, 2]],
    [[3, 'Acme'], 'many2one', { id: 3, name: 'Acme' }],
    [3, 'many2one', { id: 3, name: '' }],
    ['2025-01-02 03:04:05', 'datetime', '2025-01-02T03:04:05.000Z'],
    ['2025-01-02', 'date', '2025-01-02'],
    ['Ana', 'char', 'Ana'],
    [0, 'float', 0],
    [false, undefined, false],
  ])('%j as %s → %j', (value, type, expected) => {
    expect(normalizeValue(value, type)).toEqual(expected);
  });
});

describe('normalizeRow', () => {
  it('normalises by field type and leaves unknown fields and id alone', () => {
    const fields = {
      name: { type: 'char' },
      email: { type: 'char' },
      is_company: { type: 'boolean' },
      active: { type: 'boolean' },
      parent_id: { type: 'many2one', relation: 'res.partner' },
      write_date: { type: 'datetime' },
    };
    const row = { id: 7, name: 'Ana', email: false, is_company: false, active: false, parent_id: [3, 'Acme'], write_date: '2025-01-02 03:04:05', extra: false };
    expect(normalizeRow(row, fields)).toEqual({
      id: 7,
      name: 'Ana',
      email: null,
      is_company: false,
      active: false,
      parent_id: { id: 3, name: 'Acme' },
      write_date: '2025-01-02T03:04:05.000Z',
      extra: false,
    });
    expect(row.email).toBe(false);
  });
});

describe('odooDatetimeToIso', () => {
  it('reads Odoo datetimes as UTC', () => {
    expect(odooDatetimeToIso('2024-12-31 23:59:59')).toBe('2024-12-31T23:59:59.000Z');
    expect(odooDatetimeToIso('not a date')).toBe('not a date');
  });
});
