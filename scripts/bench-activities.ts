/**
 * `pnpm bench:activities` — the activity timeline at scale, on a real SQLite file:
 *
 * 1. append: N activities (default 1 000 000) through `appendActivities`, in batches of 1000
 *    (`--batch`; `ActivityLogger`'s default batch size) — activities per second;
 * 2. page: filtered page queries (type lists, entity, user, source, date range, title text, and
 *    the second page of each through its cursor), limit 50 — p50 / p95 / max in ms;
 * 3. export: every activity as CSV through `streamActivities` → `activitiesToCsv`, in a child
 *    process written to a file — rows per second and the child's peak RSS.
 *
 * Usage: pnpm bench:activities [--count 1000000] [--queries 2000] [--batch 1000]
 * Targets: append ≥ 20 000/s, page p95 < 20 ms, export peak RSS < 150 MB.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Activity, activitiesToCsv, activityIdFactory, BUILT_IN_ACTIVITY_TYPES } from '@odoo-sync/core/activity';
import type { ActivityQuery } from '@odoo-sync/core/store-kit';
import { SqliteStore } from '@odoo-sync/sqlite-store';
import { exitWithMaxRss, MAXRSS_PRELOAD, mb } from './bench/support.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    count: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '1000' },
    'export-child': { type: 'string' },
  },
});

const START = Date.parse('2025-01-01T00:00:00.000Z');
const SPAN_MS = 365 * 86_400_000;
const USERS = 200;
const ENTITIES = 20_000;
const WORDS = ['Cloud Migration', 'Renewal', 'Quarterly review', 'Müller GmbH', 'Onboarding', 'Pricing call', 'Security audit', 'Upsell'];

/** A deterministic pseudo-random sequence (xorshift), so every run writes the same data. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return ((x >>> 0) % 1_000_000) / 1_000_000;
  };
}

function makeActivities(count: number, batch: number, onBatch: (activities: Activity[]) => Promise<void>): Promise<void> {
  const next = random(42);
  const nextId = activityIdFactory();
  const types = BUILT_IN_ACTIVITY_TYPES;
  return (async () => {
    for (let done = 0; done < count; done += batch) {
      const activities: Activity[] = [];
      for (let i = done; i < Math.min(count, done + batch); i++) {
        const ms = START + Math.floor((i / count) * SPAN_MS);
        const type = types[Math.floor(next() * types.length)] ?? 'note';
        const entity = Math.floor(next() * ENTITIES);
        const user = Math.floor(next() * USERS);
        activities.push({
          id: nextId(ms),
          activityType: type,
          title: `${type.replace(/_/g, ' ')}: ${WORDS[i % WORDS.length] ?? ''} #${i}`,
          entityType: entity % 3 === 0 ? 'account' : 'opportunity',
          entityId: String(entity),
          userId: `u${user}`,
          userName: `User ${user}`,
          source: ['call', 'email', 'meeting', 'todo', 'note', 'message', 'upload_document', 'odoo_activity'].includes(type) ? 'odoo' : 'app',
          metadata: { before: { stageId: 1 }, after: { stageId: 2 } },
          timestamp: new Date(ms).toISOString(),
        });
      }
      await onBatch(activities);
    }
  })();
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

async function exportChild(path: string, out: string): Promise<void> {
  const store = new SqliteStore({ path });
  const file = createWriteStream(out);
  const started = performance.now();
  let rows = 0;
  async function* counted(): AsyncGenerator<Activity> {
    for await (const activity of store.streamActivities()) {
      rows++;
      yield activity;
    }
  }
  for await (const chunk of activitiesToCsv(counted(), { chunkSize: 65_536 })) {
    if (!file.write(chunk)) await once(file, 'drain');
  }
  file.end();
  await once(file, 'finish');
  await store.close();
  process.stdout.write(`${JSON.stringify({ rows, seconds: (performance.now() - started) / 1000 })}\n`);
}

async function main(): Promise<void> {
  const count = Number(values.count);
  const queryCount = Number(values.queries);
  const dir = mkdtempSync(join(tmpdir(), 'odoo-sync-bench-activities-'));
  const path = join(dir, 'activities.db');
  try {
    const store = new SqliteStore({ path });
    // 1. append
    let storeMs = 0;
    const batch = Number(values.batch);
    await makeActivities(count, batch, async (activities) => {
      const t = performance.now();
      await store.appendActivities(activities);
      storeMs += performance.now() - t;
    });
    console.log(`append   ${count.toLocaleString('en')} activities in batches of ${batch}: ${Math.round(count / (storeMs / 1000)).toLocaleString('en')}/s (${(storeMs / 1000).toFixed(1)} s in the store)`);

    // 2. filtered pages
    const next = random(7);
    const pick = (): ActivityQuery => {
      const from = new Date(START + Math.floor(next() * SPAN_MS * 0.9));
      const shapes: ActivityQuery[] = [
        { userId: `u${Math.floor(next() * USERS)}` },
        { entityType: 'opportunity', entityId: String(Math.floor(next() * ENTITIES)) },
        { activityType: ['call', 'meeting', 'email'] },
        { activityType: 'opportunity_stage_changed' },
        { source: 'odoo' },
        { from, to: new Date(from.getTime() + 7 * 86_400_000) },
        { userId: `u${Math.floor(next() * USERS)}`, from },
        { titleContains: 'müller' },
        { activityType: ['opportunity_won', 'opportunity_lost'], userId: `u${Math.floor(next() * USERS)}` },
        {},
      ];
      return shapes[Math.floor(next() * shapes.length)] ?? {};
    };
    const times: number[] = [];
    for (let i = 0; i < queryCount; i++) {
      const query = { ...pick(), limit: 50 };
      let t = performance.now();
      const first = await store.queryActivities(query);
      times.push(performance.now() - t);
      if (first.nextCursor !== null) {
        t = performance.now();
        await store.queryActivities({ ...query, cursor: first.nextCursor });
        times.push(performance.now() - t);
      }
    }
    times.sort((a, b) => a - b);
    console.log(
      `page     ${times.length} filtered pages of 50 at ${count.toLocaleString('en')}: p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms, max ${(times.at(-1) ?? 0).toFixed(2)} ms`,
    );
    await store.close();

    // 3. export, in a child process so its peak RSS is the export's alone
    const out = join(dir, 'activities.csv');
    const child = spawn(process.execPath, [...process.execArgv, '--import', MAXRSS_PRELOAD, fileURLToPath(import.meta.url), '--export-child', path], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BENCH_EXPORT_OUT: out },
    });
    const stdout: string[] = [];
    const stderr: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const { code, maxRss } = await exitWithMaxRss(child, stderr);
    if (code !== 0) throw new Error(`export child failed (${String(code)}): ${stderr.join('')}`);
    const result = JSON.parse(stdout.join('').trim()) as { rows: number; seconds: number };
    console.log(
      `export   ${result.rows.toLocaleString('en')} rows as CSV (${mb(statSync(out).size)} MB): ${Math.round(result.rows / result.seconds).toLocaleString('en')} rows/s, peak RSS ${maxRss === null ? 'n/a' : `${mb(maxRss)} MB`}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values['export-child'] !== undefined) await exportChild(values['export-child'], process.env.BENCH_EXPORT_OUT ?? '/dev/null');
else await main();
