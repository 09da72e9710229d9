import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeRow, normalizeRowsInPlace, normalizeValue, odooDatetimeToIso } from './values.js';

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

describe('normalizeRowsInPlace', () => {
  it('gives what normalizeRow gives, on the same row objects', () => {
    const fields = {
      name: { type: 'char' },
      parent_id: { type: 'many2one' },
      write_date: { type: 'datetime' },
      active: { type: 'boolean' },
      tag_ids: { type: 'many2many' },
    };
    const rows = [
      { id: 1, name: 'A', parent_id: [3, 'Acme'], write_date: '2024-12-31 23:59:59', active: true, tag_ids: false },
      { id: 2, name: false, parent_id: false, write_date: '2024-02-29 10:00:00', active: false, tag_ids: [1] },
      { id: 3, write_date: '2024-02-30 10:00:00', extra: false },
    ];
    const expected = rows.map((row) => normalizeRow(row, fields));
    const same = rows.map((row) => row);
    expect(normalizeRowsInPlace(rows, fields)).toEqual(expected);
    expect(rows.every((row, i) => row === same[i])).toBe(true);
    expect(rows[2]).toEqual({ id: 3, write_date: '2024-03-01T10:00:00.000Z', extra: false });
  });

  it('normalises each row by its own keys when rows of one answer differ in keys or order', () => {
    const fields = { name: { type: 'char' }, parent_id: { type: 'many2one' }, active: { type: 'boolean' } };
    const rows = [
      { id: 1, name: false, parent_id: [3, 'Acme'] },
      { id: 2, parent_id: false, name: [4, 'not a reference'] },
      { id: 3, name: false },
      { id: 4, name: false, parent_id: 5, active: null },
    ];
    const expected = rows.map((row) => normalizeRow(row, fields));
    expect(normalizeRowsInPlace(rows, fields)).toEqual(expected);
    expect(rows[1]).toEqual({ id: 2, parent_id: null, name: [4, 'not a reference'] });
    expect(rows[3]).toEqual({ id: 4, name: null, parent_id: { id: 5, name: '' }, active: false });
  });

  it('converts every datetime-shaped text exactly as a Date would, impossible days included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 0, max: 61 }),
        (year, month, day, hour, minute, second) => {
          const p = (n: number, width = 2) => String(n).padStart(width, '0');
          const text = `${p(year, 4)}-${p(month)}-${p(day)} ${p(hour)}:${p(minute)}:${p(second)}`;
          const date = new Date(`${text.replace(' ', 'T')}Z`);
          expect(odooDatetimeToIso(text)).toBe(Number.isNaN(date.getTime()) ? text : date.toISOString());
        },
      ),
      { numRuns: 3000 },
    );
    for (const text of ['2024-02-29 12:00:00', '2023-02-29 12:00:00', '2024-04-31 00:00:00', '2024-12-31 23:59:59', '1900-02-29 00:00:00', '2000-02-29 00:00:00']) {
      const date = new Date(`${text.replace(' ', 'T')}Z`);
      expect(odooDatetimeToIso(text)).toBe(Number.isNaN(date.getTime()) ? text : date.toISOString());
    }
  });

  it('rearranges plain Odoo datetimes exactly as a Date would', () => {
    for (const text of ['2024-01-01 00:00:00', '1999-12-28 23:59:59', '2026-10-15 12:34:56']) {
      expect(odooDatetimeToIso(text)).toBe(new Date(`${text.replace(' ', 'T')}Z`).toISOString());
    }
  });
});
