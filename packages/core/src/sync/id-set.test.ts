import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectIds } from './deletion-sweep.js';
import { IdCollector, SortedIds } from './id-set.js';
import { planDeletions } from './plan.js';

async function* pagesOf(pages: number[][]): AsyncIterable<number[]> {
  for (const page of pages) yield page;
}

describe('SortedIds', () => {
  it('holds the same ids as a Set: size, membership and ascending order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 3000 }), { maxLength: 3000 }), fc.array(fc.integer({ min: -10, max: 3010 }), { maxLength: 50 }), (ids, probes) => {
        const set = new Set(ids);
        const sorted = SortedIds.from(ids);
        expect(sorted.size).toBe(set.size);
        expect([...sorted]).toEqual([...set].sort((a, b) => a - b));
        for (const probe of [...probes, ...ids]) expect(sorted.has(probe)).toBe(set.has(probe));
      }),
    );
  });

  it('keeps ids beyond 32 bits and fractions exactly, and ignores NaN', () => {
    const big = 2 ** 31;
    const ids = SortedIds.from([5, big + 7, 1, big + 7, 2 ** 53 - 1, 2.5, Number.NaN]);
    expect([...ids]).toEqual([1, 2.5, 5, big + 7, 2 ** 53 - 1]);
    expect(ids.has(big + 7)).toBe(true);
    expect(ids.has(big + 6)).toBe(false);
    expect(ids.has(Number.NaN)).toBe(false);
    expect(ids.has(7)).toBe(false);
  });

  it('takes 4 bytes per id while the ids fit in 32 bits, 8 beyond', () => {
    const small = SortedIds.from(Array.from({ length: 10_000 }, (_, i) => 10_000 - i));
    expect(small.byteLength).toBe(4 * 10_000);
    const large = SortedIds.from([1, 2, 2 ** 40]);
    expect(large.byteLength).toBe(8 * 3);
  });

  it('is empty when built from nothing', () => {
    const empty = SortedIds.from([]);
    expect(empty.size).toBe(0);
    expect(empty.has(0)).toBe(false);
    expect([...empty]).toEqual([]);
  });
});

describe('IdCollector', () => {
  it('refuses ids once finished', () => {
    const collector = new IdCollector();
    collector.add(1);
    expect(collector.finish().size).toBe(1);
    expect(() => collector.add(2)).toThrow();
  });
});

describe('collectIds', () => {
  it('gathers the pages into a compact set of 4 bytes per id, not a Set', async () => {
    const pages = Array.from({ length: 30 }, (_, page) => Array.from({ length: 1000 }, (_, i) => page * 1000 + i + 1));
    const ids = await collectIds(pagesOf([...pages, [5, 6]]));
    expect(ids).toBeInstanceOf(SortedIds);
    expect(ids.size).toBe(30_000);
    expect(ids.byteLength).toBe(4 * 30_000);
    expect(ids.has(30_000)).toBe(true);
    expect(ids.has(30_001)).toBe(false);
  });

  it('plans the same deletions as a Set of the same ids', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { maxLength: 300 }), fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { maxLength: 300 }), (source, stored) => {
        const live = [...stored].sort((a, b) => a - b);
        const options = { maxDeleteRatio: 1 };
        expect(planDeletions(SortedIds.from(source), live, options)).toEqual(planDeletions(new Set(source), live, options));
      }),
    );
  });
});
