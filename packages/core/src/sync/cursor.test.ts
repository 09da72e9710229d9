import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIsoUtcTimestamp, odooDatetime } from '../entities/odoo-values.js';
import type { InvalidSourceRecord, SourceRecord } from '../model.js';
import { laterCursor, latestWriteDate } from './plan.js';

/** Strings shaped like `YYYY-MM-DDTHH:MM:SS.sssZ` with any digits (impossible days, hours... included), and near misses. */
const timestampLike = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.integer({ min: 0, max: 61 }),
    fc.integer({ min: 0, max: 999 }),
    fc.constantFrom('T', ' ', 'T', 'T'),
    fc.constantFrom('Z', 'Z', 'Z', '+00:00', ''),
  )
  .map(([y, mo, d, h, mi, s, ms, t, z]) => {
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${p(y, 4)}-${p(mo)}-${p(d)}${t}${p(h)}:${p(mi)}:${p(s)}.${p(ms, 3)}${z}`;
  });
const isoOfDate = fc.date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString());
const cursorValue = fc.oneof(
  { weight: 4, arbitrary: isoOfDate },
  { weight: 3, arbitrary: timestampLike },
  { weight: 1, arbitrary: fc.constantFrom(null, 'garbage', '', '2024-01-31', '2024-01-31 10:00:00', '+010000-01-01T00:00:00.000Z', '2024-01-31T10:00:00Z') },
  { weight: 1, arbitrary: fc.string() },
);

/** How laterCursor always decided: by Date.parse. */
function referenceLater(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** odooDatetime before it took strings in toISOString's form as they are. */
function referenceOdooDatetime(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]00:?00)?$/.exec(value);
  if (!m) return value;
  const date = new Date(`${m[1]}T${m[2]}Z`);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

describe('timestamps in toISOString form', () => {
  it('are recognised exactly: what toISOString writes, for a real instant', () => {
    fc.assert(
      fc.property(fc.oneof(isoOfDate, timestampLike, fc.string({ minLength: 24, maxLength: 24 })), (value) => {
        const parsed = Date.parse(value);
        const roundTrips = !Number.isNaN(parsed) && new Date(parsed).toISOString() === value;
        expect(isIsoUtcTimestamp(value)).toBe(roundTrips);
      }),
      { numRuns: 3000 },
    );
    expect(isIsoUtcTimestamp('2024-02-29T00:00:00.000Z')).toBe(true);
    expect(isIsoUtcTimestamp('2023-02-29T00:00:00.000Z')).toBe(false);
    expect(isIsoUtcTimestamp('1900-02-29T00:00:00.000Z')).toBe(false);
    expect(isIsoUtcTimestamp('2000-02-29T00:00:00.000Z')).toBe(true);
    expect(isIsoUtcTimestamp('2024-04-31T00:00:00.000Z')).toBe(false);
  });

  it('convert to the same datetime as the long way does', () => {
    fc.assert(
      fc.property(fc.oneof(isoOfDate, timestampLike), (value) => {
        expect(odooDatetime(value)).toBe(referenceOdooDatetime(value));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('cursor moves', () => {
  it('laterCursor picks what Date.parse picks', () => {
    fc.assert(
      fc.property(cursorValue, cursorValue, (a, b) => {
        expect(laterCursor(a, b)).toBe(referenceLater(a, b));
      }),
      { numRuns: 3000 },
    );
  });

  it('latestWriteDate gives what laterCursor gives record by record, skipping invalid records', () => {
    const record = fc.oneof(
      { weight: 5, arbitrary: cursorValue.map((writeDate): SourceRecord<unknown> => ({ odooId: 1, data: {}, hash: 'h', active: true, writeDate })) },
      { weight: 1, arbitrary: fc.constant<InvalidSourceRecord>({ odooId: 2, invalid: true, reason: 'bad' }) },
    );
    fc.assert(
      fc.property(cursorValue, fc.array(record, { maxLength: 30 }), (cursor, records) => {
        let expected = cursor;
        for (const r of records) if (!('invalid' in r)) expected = referenceLater(expected, r.writeDate);
        expect(latestWriteDate(cursor, records)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
