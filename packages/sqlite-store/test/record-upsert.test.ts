import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { indexedValue, LARGE_STATEMENT_LIMIT, UPSERT_CHUNK, UPSERT_SINGLE_MIN, upsertChunks, upsertSql } from '../src/record-upsert.js';
import { SqliteStore } from '../src/index.js';
import { connectionOf } from '../src/sync-store.js';
import { tempDatabase } from './helpers.js';

describe('multi-row upserts', () => {
  it('write a sync page as one statement, and split other batches into few statements, every row once', () => {
    // A page of 1000 rows is one statement, which commits without a statement journal.
    expect(upsertChunks(1000)).toEqual([1000]);
    expect(upsertChunks(UPSERT_SINGLE_MIN)).toEqual([UPSERT_SINGLE_MIN]);
    expect(upsertChunks(UPSERT_CHUNK)).toEqual([UPSERT_CHUNK]);
    expect(upsertChunks(150)).toEqual([128, 16, 4, 2]);
    expect(upsertChunks(1)).toEqual([1]);
    expect(upsertChunks(0)).toEqual([]);
    expect(upsertChunks(2 * UPSERT_CHUNK + 77)).toEqual([1024, 1024, 64, 8, 4, 1]);
    const small = new Set<number>();
    for (let rows = 0; rows <= 3000; rows++) {
      const chunks = upsertChunks(rows);
      expect(chunks.reduce((sum, n) => sum + n, 0)).toBe(rows);
      expect(chunks.length).toBeLessThanOrEqual(Math.floor(rows / UPSERT_CHUNK) + 10);
      if (rows < UPSERT_SINGLE_MIN) for (const n of chunks) small.add(n);
    }
    // Small batches share eight statement texts: the statement cache stays small.
    expect([...small].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
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

describe('prepared page upserts', () => {
  it('are kept a few at a time, however many page sizes come, and every row is written', async () => {
    const temp = tempDatabase('sqlite-store-upsert-cache-');
    const store = SqliteStore.open({ path: temp.path, writeThread: false });
    try {
      await store.countRecords('contact');
      const [smallBefore] = connectionOf(store).statementCounts;
      let first = 1;
      for (let rows = UPSERT_SINGLE_MIN; rows < UPSERT_SINGLE_MIN + 10; rows++) {
        const writes = Array.from({ length: rows }, (_, i) => ({
          odooId: first + i,
          data: { odooId: first + i, name: `Contact ${first + i}` },
          hash: `h${first + i}`,
          isActive: true,
          inactiveReason: null,
          odooWriteDate: null,
        }));
        await store.upsertRecords('contact', writes, new Date('2026-03-01T08:00:00.000Z'));
        first += rows;
      }
      expect(await store.countRecords('contact')).toEqual({ active: first - 1, archived: 0, deleted: 0 });
      // Ten page sizes, ten prepared upserts of about 200 KB each: only the last few are kept.
      expect(connectionOf(store).statementCounts).toEqual([smallBefore, LARGE_STATEMENT_LIMIT]);
    } finally {
      await store.close();
      temp.remove();
    }
  });
});
