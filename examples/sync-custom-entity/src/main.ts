import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExample } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-products-'));
const run = await runExample(dir);
try {
  for (const entry of run.result.entries) console.log(`${entry.entity}: ${entry.status}, ${entry.counts.inserted} inserted`);
  const response = await fetch(`${run.url}/api/products?category=4&limit=5`, { headers: { Authorization: `Bearer ${run.apiKey}` } });
  const page = (await response.json()) as { items: Array<{ odooId: number; data: { name: string; listPrice: number } }> };
  console.log('Office furniture for sale:');
  for (const item of page.items) console.log(`  #${item.odooId} ${item.data.name} — ${item.data.listPrice}`);
} finally {
  await run.close();
  rmSync(dir, { recursive: true, force: true });
}
