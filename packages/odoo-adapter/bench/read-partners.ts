/**
 * Reads every res.partner of an odoo-sim with 100 000 partners through OdooSource, once per
 * protocol, and prints records per second and peak memory of this process (the simulator runs
 * in a child process).
 *
 *   pnpm bench:odoo                       # from the repository root
 *   pnpm --filter @odoo-sync/odoo-adapter run bench 20000   # another partner count
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { SourceQuery } from '@odoo-sync/core';
import { OdooClient, type OdooProtocol, OdooSource } from '../src/index.js';

// `pnpm bench -- 20000` passes the `--` through.
const partners = Number(process.argv.slice(2).find((arg) => arg !== '--') ?? 100_000);
const pageSize = 1000;
const query: SourceQuery = {
  entity: 'contact',
  model: 'res.partner',
  domain: [],
  fields: ['name', 'email', 'phone', 'is_company', 'parent_id', 'commercial_partner_id', 'write_date', 'active'],
};

const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL('./sim-server.ts', import.meta.url)), JSON.stringify({ seed: 1, counts: { partners, opportunities: 0, invoices: 0, employees: 0, users: 1 } })], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = createInterface({ input: child.stdout });
const startedSim = performance.now();
const [line] = (await once(lines, 'line')) as [string];
const sim = JSON.parse(line) as { url: string; db: string; username: string; apiKey: string; password: string };
console.log(`odoo-sim with ${partners} partners ready in ${((performance.now() - startedSim) / 1000).toFixed(1)} s at ${sim.url}`);

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

async function run(protocol: OdooProtocol) {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 10);
  const client = new OdooClient({ url: sim.url, db: sim.db, username: sim.username, apiKey: sim.apiKey, protocol });
  const source = new OdooSource(client);
  const expected = await client.searchCount('res.partner', [], { context: { active_test: false } });
  const started = performance.now();
  let rows = 0;
  let pages = 0;
  for await (const page of source.readChanged(query, { since: null, pageSize })) {
    rows += page.length;
    pages++;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await client.close();
  if (rows !== expected) throw new Error(`${protocol}: read ${rows} rows, Odoo has ${expected}`);
  return { protocol, rows, pages, seconds, perSecond: rows / seconds, peakRss, peakHeap, baseRss: before.rss, baseHeap: before.heapUsed };
}

try {
  const results = [];
  for (const protocol of ['xmlrpc', 'json2'] as const) results.push(await run(protocol));
  console.log(`\nOdooSource.readChanged(since: null), ${pageSize} rows per page, ${query.fields.length} fields, normalised:\n`);
  console.log('| protocol | rows | pages | time | records/s | peak RSS (start) | peak heap (start) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(
      `| ${r.protocol} | ${r.rows} | ${r.pages} | ${r.seconds.toFixed(2)} s | ${Math.round(r.perSecond)} | ${mb(r.peakRss)} MB (${mb(r.baseRss)}) | ${mb(r.peakHeap)} MB (${mb(r.baseHeap)}) |`,
    );
  }
  console.log(`\nNode ${process.version}, ${process.platform}/${process.arch}; the simulator runs in a child process (not counted).`);
} finally {
  child.stdin.end();
  await once(child, 'exit');
}
