/**
 * `pnpm bench`: the whole pipeline at size. Starts odoo-sim in a child process with a large
 * dataset, then for each transport (XML-RPC, JSON-2) runs a full sync into a fresh SQLite file,
 * changes 1% of every model in Odoo, and runs an incremental sync. Prints seconds, records per
 * second and the peak memory of this process (the simulator's memory is not counted).
 *
 *   pnpm bench                     # 100 000 partners, 50 000 opportunities, 50 000 invoices, 2 000 employees and users
 *   pnpm bench -- --scale 0.1      # a tenth of that, for a quick look
 *   pnpm bench -- --latency 50     # every Odoo answer takes 50 ms more, like a remote Odoo
 *   pnpm bench -- --concurrency 3  # three entities at a time (the Reconciler's `concurrency`)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ENTITY_NAMES, Reconciler, type RunResult } from '@odoo-sync/core';
import { OdooClient, type OdooProtocol, OdooSource } from '@odoo-sync/odoo-adapter';
import { SqliteStore } from '@odoo-sync/sqlite-store';

const { values } = parseArgs({
  // `pnpm bench -- --scale 0.1` passes the `--` through.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: { scale: { type: 'string', default: '1' }, protocols: { type: 'string', default: 'xmlrpc,json2' }, latency: { type: 'string', default: '0' }, concurrency: { type: 'string', default: '1' } } });
const scale = Number(values.scale);
if (!(scale > 0)) throw new Error('--scale must be a positive number');
const protocols = values.protocols.split(',') as OdooProtocol[];
const latencyMs = Number(values.latency);
if (!(latencyMs >= 0)) throw new Error('--latency must be a number of milliseconds');
const concurrency = Number(values.concurrency);
const counts = {
  partners: Math.round(100_000 * scale),
  opportunities: Math.round(50_000 * scale),
  invoices: Math.round(50_000 * scale),
  employees: Math.round(2_000 * scale),
  users: Math.round(2_000 * scale),
};

/** What 1% of changes means for each model: which field gets a new value. */
const CHANGES: { model: string; field: string; value: (id: number, round: string) => string }[] = [
  { model: 'res.partner', field: 'phone', value: (id, round) => `+1 555 ${String(id).padStart(7, '0')} ${round}` },
  { model: 'crm.lead', field: 'name', value: (id, round) => `Renewal ${id} (${round})` },
  { model: 'account.move', field: 'name', value: (id, round) => `INV/${round}/${id}` },
  { model: 'hr.employee', field: 'work_email', value: (id, round) => `employee.${id}.${round}@bench.example.com` },
  { model: 'res.users', field: 'name', value: (id, round) => `Renamed User ${id} ${round}` },
];

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function memorySampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

function total(result: RunResult, key: 'fetched' | 'inserted' | 'updated' | 'unchanged' | 'archived' | 'softDeleted' | 'invalid') {
  return result.entries.reduce((sum, entry) => sum + entry.counts[key], 0);
}

async function benchProtocol(sim: { url: string; db: string; username: string; apiKey: string }, protocol: OdooProtocol) {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-bench-'));
  const store = SqliteStore.open(join(dir, 'bench.sqlite'));
  const client = new OdooClient({ url: sim.url, db: sim.db, username: sim.username, apiKey: sim.apiKey, protocol });
  const reconciler = new Reconciler({ source: new OdooSource(client), store, owner: 'bench', concurrency });
  try {
    const rows: string[] = [];
    const measure = async (label: string, run: () => Promise<RunResult>) => {
      const stop = memorySampler();
      const started = performance.now();
      const result = await run();
      const seconds = (performance.now() - started) / 1000;
      const peak = stop();
      const failed = result.entries.filter((e) => e.status !== 'success');
      if (failed.length > 0) throw new Error(`${protocol} ${label}: ${failed.map((e) => `${e.entity} ${e.status} ${e.error?.message ?? e.skipReason ?? ''}`).join('; ')}`);
      const fetched = total(result, 'fetched');
      rows.push(
        `| ${protocol} | ${label} | ${fetched} | ${total(result, 'inserted')} | ${total(result, 'updated')} | ${seconds.toFixed(1)} s | ${Math.round(fetched / seconds)} | ${mb(peak)} |`,
      );
      return result;
    };
    await measure('full', () => reconciler.run({ mode: 'full', trigger: 'manual' }));
    // 1% of every model changes in Odoo.
    for (const change of CHANGES) {
      const ids = await client.search(change.model, [], { context: { active_test: false }, order: 'id' });
      const step = 100;
      for (let i = 0; i < ids.length; i += step) {
        const id = ids[i]!;
        await client.write(change.model, [id], { [change.field]: change.value(id, protocol) });
      }
    }
    const incremental = await measure('incremental, 1% changed', () => reconciler.run({ mode: 'incremental', trigger: 'manual' }));
    const counted = await Promise.all(ENTITY_NAMES.map(async (entity) => [entity, await store.countRecords(entity)] as const));
    return { rows, counted, updated: total(incremental, 'updated'), fileSize: statSync(join(dir, 'bench.sqlite')).size };
  } finally {
    await client.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const child = spawn(
  process.execPath,
  [...process.execArgv, fileURLToPath(new URL('../packages/odoo-adapter/bench/sim-server.ts', import.meta.url)), JSON.stringify({ seed: 7, counts, latencyMs })],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
try {
  const startedSim = performance.now();
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const sim = JSON.parse(line) as { url: string; db: string; username: string; apiKey: string };
  console.log(`odoo-sim ready in ${((performance.now() - startedSim) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}${latencyMs > 0 ? `, ${latencyMs} ms per answer` : ''}; ${concurrency} entit${concurrency === 1 ? 'y' : 'ies'} at a time`);
  console.log(`baseline RSS of this process: ${mb(process.memoryUsage().rss)}\n`);
  const table = ['| transport | run | records read | inserted | updated | time | records/s | peak RSS |', '|---|---|---:|---:|---:|---:|---:|---:|'];
  for (const protocol of protocols) {
    const result = await benchProtocol(sim, protocol);
    table.push(...result.rows);
    console.log(`${protocol}: stored ${result.counted.map(([entity, c]) => `${entity} ${c.active}+${c.archived} archived`).join(', ')}; SQLite file ${mb(result.fileSize)}`);
  }
  console.log(`\n${table.join('\n')}`);
  console.log(`\nNode ${process.version}, ${process.platform}/${process.arch}; SQLite (WAL, synchronous=normal) in ${tmpdir()}; odoo-sim in a child process.`);
} finally {
  child.stdin.end();
  await once(child, 'exit');
}
