import { describe, expect, it } from 'vitest';
import type { OdooDomain, OdooRow, SourceQuery } from '@odoo-sync/core';
import type { DomainTerm } from '@odoo-sync/core/store-kit';
import type { OdooClient, SearchReadOptions } from './client.js';
import { OdooSource } from './source.js';

/**
 * A stand-in for Odoo's database as OdooSource sees it through the client: `write_date` is
 * stored with milliseconds (Odoo stores microseconds) but shown in whole seconds, and
 * `order write_date` sorts by the hidden value, as PostgreSQL does.
 */
class MicrosecondOdoo {
  readonly rows: Array<{ id: number; ts: number; name: string }> = [];
  readonly calls: Array<{ domain: OdooDomain; options: SearchReadOptions }> = [];

  shown(ts: number): string {
    return new Date(Math.floor(ts / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  }

  #value(row: { id: number; ts: number }, field: string): number | string {
    return field === 'id' ? row.id : new Date(row.ts).toISOString().replace('T', ' ').replace('Z', '');
  }

  #match(row: { id: number; ts: number }, term: DomainTerm): boolean {
    if (typeof term === 'string') throw new Error('operators are not used by OdooSource');
    const [field, op, value] = term;
    const left = this.#value(row, field);
    switch (op) {
      case '>':
        return left > (value as number | string);
      case '>=':
        return left >= (value as number | string);
      case '<':
        return left < (value as number | string);
      case 'in':
        return (value as readonly unknown[]).includes(left);
      default:
        throw new Error(`unsupported ${op}`);
    }
  }

  client(): OdooClient {
    const fake = {
      modelFields: async () => ({ name: { type: 'char' }, write_date: { type: 'datetime' } }),
      searchRead: async (_model: string, domain: OdooDomain, options: SearchReadOptions) => {
        this.calls.push({ domain, options });
        let rows = this.rows.filter((row) => domain.every((term) => this.#match(row, term)));
        rows = [...rows].sort(options.order === 'id asc' ? (a, b) => a.id - b.id : (a, b) => a.ts - b.ts || a.id - b.id);
        if (options.limit !== undefined) rows = rows.slice(0, options.limit);
        return rows.map((row): OdooRow => ({ id: row.id, name: row.name, write_date: this.shown(row.ts) }));
      },
    };
    return fake as unknown as OdooClient;
  }
}

const query: SourceQuery = { entity: 'contact', model: 'res.partner', domain: [], fields: ['name', 'write_date'] };

async function readAll(source: OdooSource, since: Date, pageSize: number): Promise<OdooRow[][]> {
  const pages: OdooRow[][] = [];
  for await (const page of source.readChanged(query, { since, pageSize })) pages.push(page);
  return pages;
}

describe('OdooSource incremental keyset with hidden sub-second write dates', () => {
  it('never skips nor repeats rows whose second is shared across page boundaries', async () => {
    // Seeded pseudo-random data: bursts of rows in the same second whose hidden milliseconds
    // do not follow their ids (different transactions), plus whole imports sharing one instant.
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const base = Date.parse('2099-01-01T00:00:00Z');
    for (const pageSize of [1, 2, 3, 5, 8, 13, 50]) {
      const odoo = new MicrosecondOdoo();
      let id = 0;
      for (let second = 0; second < 12; second++) {
        const burst = Math.floor(random() * 9);
        const sameTransaction = random() < 0.3;
        const instant = base + second * 1000 + Math.floor(random() * 1000);
        for (let i = 0; i < burst; i++) {
          odoo.rows.push({ id: ++id, ts: sameTransaction ? instant : base + second * 1000 + Math.floor(random() * 1000), name: `r${id}` });
        }
      }
      const source = new OdooSource(odoo.client(), { normalize: false });
      const pages = await readAll(source, new Date(base), pageSize);
      const ids = pages.flat().map((row) => row.id);
      expect(new Set(ids).size, `pageSize ${pageSize}: duplicates`).toBe(ids.length);
      expect([...ids].sort((a, b) => a - b), `pageSize ${pageSize}: missing rows`).toEqual(odoo.rows.map((row) => row.id).sort((a, b) => a - b));
      expect(pages.every((page) => page.length <= pageSize)).toBe(true);
      const keys = pages.flat().map((row) => `${String(row['write_date'])}#${String(row.id).padStart(6, '0')}`);
      expect(keys).toEqual([...keys].sort());
      for (const call of odoo.calls) expect(call.options.offset).toBeUndefined();
    }
  });

  it('starts at the whole second of since', async () => {
    const odoo = new MicrosecondOdoo();
    const at = Date.parse('2099-01-01T00:00:10Z');
    odoo.rows.push({ id: 1, ts: at - 1, name: 'before' }, { id: 2, ts: at + 100, name: 'same second' }, { id: 3, ts: at + 5000, name: 'after' });
    const pages = await readAll(new OdooSource(odoo.client()), new Date(at + 500), 10);
    expect(pages.flat().map((row) => row.id)).toEqual([2, 3]);
  });
});
