/**
 * `pnpm bench:overhead`: what a sync costs beyond reading Odoo. For each transport, three times:
 * fetch only (`OdooSource.readChanged` over every entity, normalised), a full sync into a new
 * SQLite file, 1 % of every model changed, an incremental sync. Then the peak RSS of
 * `odoo-sync sync --once --full` at 1 M partners (built CLI, a child process) and the RSS of an
 * idle `odoo-sync serve` on a tiny dataset. odoo-sim runs in a child process (not counted).
 * Needs `pnpm build` (the CLI runs from dist). The last line is:
 *
 *   overhead json2=<full÷fetch> xmlrpc=<full÷fetch> incremental=<incremental÷full>% rss1m=<MB> idle=<MB>
 *
 * (medians of the runs; `incremental` and `rss1m` are the worse of the two transports).
 *
 *   pnpm bench:overhead                          # 193 377 records, 3 runs, 1 M partners for rss1m
 *   pnpm bench:overhead -- --scale 0.1 --runs 1 --rss-partners 100000   # a quick look
 *   pnpm bench:overhead -- --only idle           # only the idle server, median of --runs
 *   pnpm bench:overhead -- --only rss --rss-partners 200000             # only the peak RSS
 *
 * With `--only idle` the last line is `idle=<MB> (min–max) peak=<MB>`, the median RSS of
 * `--runs` idle servers (RSS hardly depends on how loaded the machine is).
 * With `--only rss` it is `rss<partners> json2=<MB> xmlrpc=<MB>`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ENTITY_NAMES, ENTITY_SPECS, Reconciler, type RunResult } from '@odoo-sync/core';
import { sourceQueryOf } from '../packages/core/src/entities/entities.js';
import { OdooClient, type OdooProtocol, OdooSource } from '@odoo-sync/odoo-adapter';
import { SqliteStore } from '@odoo-sync/sqlite-store';
import { benchCounts, CHANGES, exitWithMaxRss, MAXRSS_PRELOAD, mb, procStatus, seconds, type SimInfo, startSimChild, stats } from './bench/support.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    scale: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    'rss-partners': { type: 'string', default: '1000000' },
    protocols: { type: 'string', default: 'json2,xmlrpc' },
    only: { type: 'string' },
  },
});
// `--only idle`: only the idle server; `--only rss`: only the peak RSS of the CLI's full sync.
if (values.only !== undefined && values.only !== 'idle' && values.only !== 'rss') throw new Error('--only takes one value: idle or rss');
const only = values.only;
const scale = Number(values.scale);
const runs = Number(values.runs);
const rssPartners = Number(values['rss-partners']);
const protocols = values.protocols.split(',') as OdooProtocol[];
if (!(scale > 0) || !(runs >= 1) || !(rssPartners >= 0)) throw new Error('--scale > 0, --runs >= 1, --rss-partners >= 0');
const CLI = fileURLToPath(new URL('../packages/koa-server/dist/cli.js', import.meta.url));
if (!existsSync(CLI)) throw new Error('packages/koa-server/dist/cli.js is missing: run `pnpm build` first.');

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function clientOf(sim: SimInfo, protocol: OdooProtocol) {
  return new OdooClient({ url: sim.url, db: sim.db, username: sim.username, apiKey: sim.apiKey, protocol });
}

function failures(label: string, result: RunResult) {
  const failed = result.entries.filter((e) => e.status !== 'success');
  if (failed.length > 0) throw new Error(`${label}: ${failed.map((e) => `${e.entity} ${e.status} ${e.error?.message ?? e.skipReason ?? ''}`).join('; ')}`);
  return result.entries.reduce((sum, e) => sum + e.counts.fetched, 0);
}

/** CPU seconds (user + system) of this process since `since`. */
const cpuSince = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

async function fetchOnly(sim: SimInfo, protocol: OdooProtocol): Promise<{ seconds: number; rows: number; cpu: number }> {
  const client = clientOf(sim, protocol);
  const source = new OdooSource(client);
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let rows = 0;
    for (const entity of ENTITY_NAMES) {
      for await (const page of source.readChanged(sourceQueryOf(ENTITY_SPECS[entity]), { since: null, pageSize: 1000 })) rows += page.length;
    }
    return { seconds: (performance.now() - started) / 1000, rows, cpu: cpuSince(cpu) };
  } finally {
    await client.close();
  }
}

async function changeOnePercent(client: OdooClient, round: string) {
  for (const change of CHANGES) {
    const ids = await client.search(change.model, [], { context: { active_test: false }, order: 'id' });
    // The same ids every round, so an incremental run always finds the same 1 % within its overlap.
    for (let i = 0; i < ids.length; i += 100) await client.write(change.model, [ids[i]!], { [change.field]: change.value(ids[i]!, round) });
  }
}

/** What the run's entities did about deletions, e.g. `swept 0 of 6 (counts_equal 6)`. */
function sweepSummary(result: RunResult): string {
  const reasons = new Map<string, number>();
  for (const entry of result.entries) {
    const reason = entry.sweep?.reason ?? 'unknown';
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const swept = result.entries.filter((entry) => entry.sweep?.ran === true).length;
  return `swept ${swept} of ${result.entries.length} (${[...reasons].map(([reason, n]) => `${reason} ${n}`).join(', ')})`;
}

async function syncRuns(sim: SimInfo, protocol: OdooProtocol, round: number) {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-overhead-'));
  const store = SqliteStore.open(join(dir, 'bench.sqlite'));
  const client = clientOf(sim, protocol);
  const reconciler = new Reconciler({ source: new OdooSource(client), store, owner: 'bench' });
  try {
    gc();
    let started = performance.now();
    const cpu = process.cpuUsage();
    const fullRows = failures(`${protocol} full`, await reconciler.run({ mode: 'full' }));
    const full = (performance.now() - started) / 1000;
    const fullCpu = cpuSince(cpu);
    await changeOnePercent(client, `${protocol}-${round}`);
    gc();
    started = performance.now();
    const incrementalRun = await reconciler.run({ mode: 'incremental' });
    const incremental = (performance.now() - started) / 1000;
    const incrementalRows = failures(`${protocol} incremental`, incrementalRun);
    return { full, fullCpu, fullRows, incremental, incrementalRows, sweeps: sweepSummary(incrementalRun) };
  } finally {
    await client.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function cliEnv(sim: SimInfo, protocol: OdooProtocol, dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    ODOO_URL: sim.url,
    ODOO_DB: sim.db,
    ODOO_USERNAME: sim.username,
    ODOO_API_KEY: sim.apiKey,
    ODOO_PROTOCOL: protocol,
    STORE_URL: `sqlite:${join(dir, 'store.sqlite')}`,
    ODOO_SYNC_DATA_DIR: dir,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Peak RSS of `odoo-sync sync --once --full` (the built CLI in its own process). */
async function cliFullSyncPeak(sim: SimInfo, protocol: OdooProtocol): Promise<{ maxRss: number; seconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-rss-'));
  try {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', MAXRSS_PRELOAD, CLI, 'sync', '--once', '--full'], { env: cliEnv(sim, protocol, dir), stdio: ['ignore', 'ignore', 'pipe'] });
    const stderr: string[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const { code, maxRss } = await exitWithMaxRss(child, stderr);
    if (code !== 0 || maxRss === null) throw new Error(`odoo-sync sync --once --full (${protocol}) exited with ${code}: ${stderr.join('').slice(-2000)}`);
    return { maxRss, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** RSS of `odoo-sync serve` 3 s after its first sync of a tiny dataset, and its peak until then. */
async function idleServer(sim: SimInfo, nodeFlags: string[] = []): Promise<{ idle: number; peak: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-idle-'));
  const child = spawn(process.execPath, [...nodeFlags, CLI, 'serve'], {
    env: cliEnv(sim, 'json2', dir, { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`odoo-sync serve did not finish its first sync in 120 s: ${out.slice(-2000)}`)), 120_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('sync run finished')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`odoo-sync serve exited with ${code}: ${out.slice(-2000)}`)));
    });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const idle = procStatus(child.pid!, 'VmRSS');
    const peak = procStatus(child.pid!, 'VmHWM');
    if (idle === null || peak === null) throw new Error('cannot read /proc/<pid>/status (Linux only)');
    return { idle, peak };
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The tiny dataset of the idle measurement (the demo's). */
const TINY = { partners: 300, opportunities: 150, invoices: 150, employees: 25, users: 10 };

if (values.only === 'idle') {
  const tiny = await startSimChild({ counts: TINY });
  const measured: Array<{ idle: number; peak: number }> = [];
  try {
    for (let round = 1; round <= runs; round++) {
      const m = await idleServer(tiny.sim);
      measured.push(m);
      console.log(`idle run ${round}: ${mb(m.idle)} MB RSS (peak ${mb(m.peak)} MB)`);
    }
  } finally {
    await tiny.stop();
  }
  const idleMb = stats(measured.map((m) => mb(m.idle)));
  const peakMb = stats(measured.map((m) => mb(m.peak)));
  console.log(`Node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(`idle=${idleMb.median}MB (${idleMb.min}–${idleMb.max}) peak=${peakMb.median}MB`);
  process.exit(0);
}

const results = new Map<OdooProtocol, { fetch: number[]; full: number[]; incremental: number[]; fetchCpu: number[]; fullCpu: number[]; rows: number; changed: number }>();
if (only === undefined) {
const counts = benchCounts(scale);
const main = await startSimChild({ counts });
console.log(`odoo-sim ready in ${main.seconds.toFixed(1)} s: ${JSON.stringify(counts)}; ${runs} run(s) per measure, median (min–max)\n`);
try {
  for (const protocol of protocols) {
    const r = { fetch: [] as number[], full: [] as number[], incremental: [] as number[], fetchCpu: [] as number[], fullCpu: [] as number[], rows: 0, changed: 0 };
    results.set(protocol, r);
    for (let round = 1; round <= runs; round++) {
      gc();
      const fetched = await fetchOnly(main.sim, protocol);
      const sync = await syncRuns(main.sim, protocol, round);
      r.fetch.push(fetched.seconds);
      r.full.push(sync.full);
      r.incremental.push(sync.incremental);
      r.fetchCpu.push(fetched.cpu);
      r.fullCpu.push(sync.fullCpu);
      r.rows = sync.fullRows;
      r.changed = sync.incrementalRows;
      console.log(`${protocol} run ${round}: fetch ${fetched.seconds.toFixed(2)} s (${fetched.rows} rows), full ${sync.full.toFixed(2)} s, incremental ${sync.incremental.toFixed(2)} s (${sync.incrementalRows} rows read, deletion sweep: ${sync.sweeps})`);
    }
  }
} finally {
  await main.stop();
}
}

const rss: Array<[OdooProtocol, { maxRss: number; seconds: number }]> = [];
if (rssPartners > 0) {
  const big = await startSimChild({ counts: benchCounts(1, rssPartners) });
  console.log(`\nodoo-sim with ${rssPartners} partners ready in ${big.seconds.toFixed(1)} s`);
  try {
    for (const protocol of protocols) {
      const peak = await cliFullSyncPeak(big.sim, protocol);
      rss.push([protocol, peak]);
      console.log(`${protocol}: odoo-sync sync --once --full peaked at ${mb(peak.maxRss)} MB (${peak.seconds.toFixed(1)} s)`);
    }
  } finally {
    await big.stop();
  }
}

if (only === 'rss') {
  if (rss.length === 0) throw new Error('--only rss needs --rss-partners > 0');
  console.log(`rss${rssPartners} ${rss.map(([p, r]) => `${p}=${mb(r.maxRss)}MB`).join(' ')}`);
  process.exit(0);
}

const tiny = await startSimChild({ counts: TINY });
let idle: { idle: number; peak: number };
let idleSmallYoung: { idle: number; peak: number };
try {
  idle = await idleServer(tiny.sim);
  idleSmallYoung = await idleServer(tiny.sim, ['--max-semi-space-size=4']);
} finally {
  await tiny.stop();
}

console.log('\n| | ' + protocols.map((p) => (p === 'json2' ? 'JSON-2' : 'XML-RPC')).join(' | ') + ' |');
console.log('|---|' + protocols.map(() => '---|').join(''));
const row = (label: string, cell: (r: NonNullable<ReturnType<typeof results.get>>, p: OdooProtocol) => string) =>
  console.log(`| ${label} | ${protocols.map((p) => cell(results.get(p)!, p)).join(' | ')} |`);
row('records', (r) => String(r.rows));
row('fetch only', (r) => seconds(stats(r.fetch)));
row('full sync', (r) => `${seconds(stats(r.full))}, ${(stats(r.full).median / stats(r.fetch).median).toFixed(2)}× fetch`);
row('CPU of this process: fetch only / full sync', (r) => `${stats(r.fetchCpu).median.toFixed(2)} s / ${stats(r.fullCpu).median.toFixed(2)} s`);
row('incremental, 1 % changed', (r) => `${seconds(stats(r.incremental))}, ${((stats(r.incremental).median / stats(r.full).median) * 100).toFixed(1)} % of full`);
if (rss.length > 0) row(`peak RSS, sync --once --full, ${rssPartners} partners`, (_r, p) => `${mb(rss.find(([q]) => q === p)![1].maxRss)} MB`);
console.log(`\nidle odoo-sync serve (tiny dataset, 3 s after its first sync): ${mb(idle.idle)} MB RSS (peak ${mb(idle.peak)} MB)`);
console.log(`the same with NODE_OPTIONS=--max-semi-space-size=4: ${mb(idleSmallYoung.idle)} MB RSS (peak ${mb(idleSmallYoung.peak)} MB)`);
console.log(`Node ${process.version}, ${process.platform}/${process.arch}; SQLite in ${tmpdir()}; odoo-sim in a child process.\n`);

const ratio = (p: OdooProtocol) => {
  const r = results.get(p);
  return r ? (stats(r.full).median / stats(r.fetch).median).toFixed(2) : 'n/a';
};
const incremental = Math.max(...[...results.values()].map((r) => stats(r.incremental).median / stats(r.full).median)) * 100;
const rss1m = rss.length > 0 ? String(Math.max(...rss.map(([, r]) => mb(r.maxRss)))) : 'n/a';
console.log(`overhead json2=${ratio('json2')} xmlrpc=${ratio('xmlrpc')} incremental=${incremental.toFixed(1)}% rss1m=${rss1m}MB idle=${mb(idle.idle)}MB`);
