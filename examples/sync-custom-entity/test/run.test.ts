import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ExampleRun, runExample } from '../src/run.js';

let run: ExampleRun | undefined;
let dir: string | undefined;
afterEach(async () => {
  await run?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  run = undefined;
  dir = undefined;
});

describe('example: sync a custom entity', () => {
  it('syncs product.template into SQLite and serves it at GET /api/products', { timeout: 60_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'odoo-sync-products-'));
    run = await runExample(dir);
    expect(run.result.entries.map((entry) => [entry.entity, entry.status])).toEqual([
      ['account', 'success'],
      ['product', 'success'],
    ]);
    const synced = run.result.entries[1]?.counts.inserted ?? 0;
    expect(synced).toBeGreaterThan(10);
    const counts = await run.store.countRecords('product');
    expect(counts.active + counts.archived).toBe(synced);
    const headers = { Authorization: `Bearer ${run.apiKey}` };
    const all = (await (await fetch(`${run.url}/api/products?limit=100&include=inactive`, { headers })).json()) as { items: Array<{ odooId: number; data: { categId: { id: number } | null } }> };
    expect(all.items).toHaveLength(synced);
    const category = all.items[0]?.data.categId?.id as number;
    const filtered = (await (await fetch(`${run.url}/api/products?limit=100&include=inactive&category=${category}`, { headers })).json()) as typeof all;
    expect(filtered.items.length).toBeGreaterThan(0);
    expect(filtered.items.every((item) => item.data.categId?.id === category)).toBe(true);
    expect(filtered.items.length).toBe(all.items.filter((item) => item.data.categId?.id === category).length);
    const one = await fetch(`${run.url}/api/products/${all.items[0]?.odooId}`, { headers });
    expect(one.status).toBe(200);
  });
});
