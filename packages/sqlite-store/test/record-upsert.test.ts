import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { indexedValue, UPSERT_CHUNK, upsertChunks, upsertSql } from '../src/record-upsert.js';

describe('multi-row upserts', () => {
  it('split any batch into few statements of at most 512 rows, every row once', () => {
    expect(upsertChunks(1000)).toEqual([512, 256, 128, 64, 32, 8]);
    expect(upsertChunks(1)).toEqual([1]);
    expect(upsertChunks(0)).toEqual([]);
    expect(upsertChunks(2 * UPSERT_CHUNK + 77)).toEqual([512, 512, 64, 8, 4, 1]);
    const sizes = new Set<number>();
    for (let rows = 0; rows <= 3000; rows++) {
      const chunks = upsertChunks(rows);
      expect(chunks.reduce((sum, n) => sum + n, 0)).toBe(rows);
      expect(chunks.length).toBeLessThanOrEqual(Math.floor(rows / UPSERT_CHUNK) + 9);
      for (const n of chunks) sizes.add(n);
    }
    // Ten statement texts at most, whatever the batch sizes: the statement cache stays small.
    expect([...sizes].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512]);
  });

  it('stay within SQLite bound-parameter limit (32 766)', () => {
    expect(UPSERT_CHUNK * 12).toBeLessThanOrEqual(32_766);
    expect(upsertSql(UPSERT_CHUNK).match(/\?/g)).toHaveLength(UPSERT_CHUNK * 12);
    expect(upsertSql(3)).toBe(upsertSql(3));
  });

  it("read an indexed path's value as SQLite's json_extract reads it from the stored JSON", () => {
    const db = new Database(':memory:');
    try {
      const extract = db.prepare(`SELECT json_extract(?, '$.userId.id') AS v, typeof(json_extract(?, '$.userId.id')) AS t`);
      const values: unknown[] = [5, 5.5, -0, 0, 2 ** 53, 1e300, Number.NaN, Number.POSITIVE_INFINITY, '5', '', 'ü', true, false, null, undefined, { id: 1 }, [1, 'a'], []];
      const parents: unknown[] = [...values.map((id) => ({ id, name: 'x' })), null, 'x', 7, [{ id: 1 }], {}];
      for (const userId of parents) {
        const data = { odooId: 1, userId };
        const text = JSON.stringify(data);
        const { v, t } = extract.get(text, text) as { v: unknown; t: string };
        const mine = indexedValue(data, 'userId');
        expect({ userId, value: mine }).toEqual({ userId, value: v });
        // Integers and reals compare equal in SQLite; text, null and numbers must not mix.
        expect({ userId, type: mine === null ? 'null' : typeof mine === 'string' ? 'text' : 'number' }).toEqual({
          userId,
          type: t === 'integer' || t === 'real' ? 'number' : t,
        });
      }
    } finally {
      db.close();
    }
  });
});
