import { describe, expect, it } from 'vitest';
import { andTerms, nextSecond, splitAtLastSecond, writeSecondOf } from './keyset.js';

describe('keyset helpers', () => {
  it('reads the second of raw and normalised write dates', () => {
    expect(writeSecondOf('2025-03-01 10:00:05')).toBe('2025-03-01 10:00:05');
    expect(writeSecondOf('2025-03-01T10:00:05.000Z')).toBe('2025-03-01 10:00:05');
    expect(writeSecondOf(false)).toBeNull();
  });

  it('steps to the next second across a day boundary', () => {
    expect(nextSecond('2025-12-31 23:59:59')).toBe('2026-01-01 00:00:00');
  });

  it('ANDs terms onto a domain without changing it', () => {
    const domain = [['is_company', '=', true] as const];
    expect(andTerms(domain, ['id', '>', 5])).toEqual([['is_company', '=', true], ['id', '>', 5]]);
    expect(domain).toHaveLength(1);
  });

  it('cuts a full page at its last second and orders the complete seconds by id', () => {
    // Rows of one second come in their hidden microsecond order, not by id.
    const rows = [
      { id: 9, write_date: '2025-03-01 10:00:00' },
      { id: 4, write_date: '2025-03-01 10:00:00' },
      { id: 2, write_date: '2025-03-01 10:00:01' },
      { id: 8, write_date: '2025-03-01 10:00:02' },
      { id: 1, write_date: '2025-03-01 10:00:02' },
    ];
    const { complete, lastSecond } = splitAtLastSecond(rows);
    expect(lastSecond).toBe('2025-03-01 10:00:02');
    expect(complete.map((r) => r.id)).toEqual([4, 9, 2]);
  });

  it('has no complete rows when the whole page is one second', () => {
    const rows = [
      { id: 5, write_date: '2025-03-01 10:00:00' },
      { id: 3, write_date: '2025-03-01 10:00:00' },
    ];
    expect(splitAtLastSecond(rows)).toEqual({ complete: [], lastSecond: '2025-03-01 10:00:00' });
  });
});
